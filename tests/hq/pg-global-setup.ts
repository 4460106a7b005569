import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

// A private PostgreSQL cluster for the HQ tests: initdb on a temp dir, a free loopback port, the
// unix socket inside the temp dir, stopped and removed afterwards. Tests get the admin URL via
// inject('hqPostgresUrl') and create their own database (tests/hq/pg.ts).

declare module 'vitest' {
  export interface ProvidedContext {
    hqPostgresUrl: string;
  }
}

const PG_USER = 'loket';

function findPgBin(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error('PostgreSQL server binaries not found (initdb): run scripts/install-system-deps.sh, or set PG_BIN');
  }
  return join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** PostgreSQL refuses to run as root: then run its binaries as the `postgres` OS user. */
function osUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid, name: 'postgres' };
}

function run(user: { name: string } | null, bin: string, args: string[]): void {
  const [cmd, argv] = user ? ['runuser', ['-u', user.name, '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
}

export default async function setup(project: TestProject): Promise<() => void> {
  const bin = findPgBin();
  const user = osUser();
  const base = mkdtempSync(join(tmpdir(), 'loket-hq-pg-'));
  chmodSync(base, 0o755); // the postgres user must reach its folders inside
  const data = join(base, 'data');
  const sockets = join(base, 'sock');
  mkdirSync(data, { mode: 0o700 });
  mkdirSync(sockets, { mode: 0o700 });
  if (user) {
    chownSync(data, user.uid, user.gid);
    chownSync(sockets, user.uid, user.gid);
    chownSync(base, user.uid, user.gid);
  }
  const port = await freePort();
  const logFile = join(base, 'postgres.log');
  let started = false;
  try {
    run(user, join(bin, 'initdb'), ['-D', data, '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const opts = [
      `-p ${port}`,
      `-k ${sockets}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    run(user, join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', logFile, '-w', '-t', '60', 'start']);
    started = true;
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    rmSync(base, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
  }
  project.provide('hqPostgresUrl', `postgres://${PG_USER}@127.0.0.1:${port}/postgres`);

  return () => {
    if (started) {
      try {
        run(user, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } catch (err) {
        console.warn(`stopping the test PostgreSQL failed: ${(err as Error).message}`);
      }
    }
    rmSync(base, { recursive: true, force: true });
  };
}
