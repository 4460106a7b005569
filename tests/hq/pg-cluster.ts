import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A private PostgreSQL cluster: initdb on a temp dir, a free loopback port, the unix socket inside
// the temp dir, run as the `postgres` OS user when the tests run as root (PostgreSQL refuses root).
// pg-global-setup.ts starts one shared by every HQ test file; a test that restarts PostgreSQL
// starts its own, so the shared one is never restarted under the others.

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

/** The same, without blocking the event loop (HQ and the devices in this process keep running). */
async function runAsync(user: { name: string } | null, bin: string, args: string[]): Promise<void> {
  const [cmd, argv] = user ? ['runuser', ['-u', user.name, '--', bin, ...args]] : [bin, args];
  await promisify(execFile)(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
}

export interface PgCluster {
  /** Admin URL (database `postgres`). */
  url: string;
  /** URL of another database on this cluster. */
  urlOf(database: string): string;
  /** Stops the server (fast: open connections are cut), stays down `downMs`, starts it again on the same port. */
  restart(downMs?: number): Promise<void>;
  stop(): void;
}

export async function startPgCluster(prefix = 'loket-hq-pg-'): Promise<PgCluster> {
  const bin = findPgBin();
  const user = osUser();
  const base = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(base, 0o755);
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
  const opts = [`-p ${port}`, `-k ${sockets}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200'].join(' ');
  const start = () => run(user, join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', logFile, '-w', '-t', '60', 'start']);
  let running = false;
  try {
    run(user, join(bin, 'initdb'), ['-D', data, '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    start();
    running = true;
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    rmSync(base, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
  }
  const urlOf = (database: string) => `postgres://${PG_USER}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf('postgres'),
    urlOf,
    async restart(downMs = 1_000) {
      await runAsync(user, join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
      await new Promise((r) => setTimeout(r, downMs));
      await runAsync(user, join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', logFile, '-w', '-t', '60', 'start']);
      running = true;
    },
    stop() {
      if (running) {
        try {
          run(user, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
        } catch {
          // removed below anyway
        }
        running = false;
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}
