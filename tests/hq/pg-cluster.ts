import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
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
  /** Its loopback port. */
  port: number;
  /** Stops the server (fast: open connections are cut), stays down `downMs`, starts it again on the same port. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server (fast) and keeps it down until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Kills the server as a crash would (immediate: no shutdown checkpoint, clients cut); the data stays until stop(). */
  crash(): Promise<void>;
  /** A standby becomes a primary (pg_ctl promote, waits until it takes writes). */
  promote(): Promise<void>;
  stop(): void;
}

/** Server settings (`-c name=value`); the defaults trade durability for speed, a test may put it back. */
export type PgSettings = Record<string, string>;

const DEFAULT_SETTINGS: PgSettings = { listen_addresses: '127.0.0.1', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' };

export async function startPgCluster(prefix = 'loket-hq-pg-', settings: PgSettings = {}): Promise<PgCluster> {
  return serve(prefix, settings, (bin, user, data) => run(user, join(bin, 'initdb'), ['-D', data, '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']));
}

/**
 * A hot standby of `primary` by PostgreSQL's own streaming replication: pg_basebackup -R (a copy of
 * the primary that follows its WAL) on its own port, `cluster_name` = `name`, the name the primary's
 * `synchronous_standby_names` lists. initdb's default pg_hba.conf lets 127.0.0.1 replicate (trust).
 */
export async function startStandby(primary: PgCluster, name: string, settings: PgSettings = {}): Promise<PgCluster> {
  return serve('loket-hq-standby-', { cluster_name: name, ...settings }, (bin, user, data) =>
    run(user, join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primary.port), '-U', PG_USER, '-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']),
  );
}

async function serve(prefix: string, settings: PgSettings, create: (bin: string, user: { name: string } | null, data: string) => void): Promise<PgCluster> {
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
  const all = { ...DEFAULT_SETTINGS, ...settings };
  const opts = [`-p ${port}`, `-k ${sockets}`, ...Object.entries(all).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  const pgCtl = join(bin, 'pg_ctl');
  const start = () => run(user, pgCtl, ['-D', data, '-o', opts, '-l', logFile, '-w', '-t', '60', 'start']);
  let running = false;
  try {
    create(bin, user, data);
    start();
    running = true;
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    rmSync(base, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
  }
  const urlOf = (database: string) => `postgres://${PG_USER}@127.0.0.1:${port}/${database}`;
  const down = async (mode: 'fast' | 'immediate') => {
    await runAsync(user, pgCtl, ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  const up = async () => {
    await runAsync(user, pgCtl, ['-D', data, '-o', opts, '-l', logFile, '-w', '-t', '60', 'start']);
    running = true;
  };
  return {
    url: urlOf('postgres'),
    urlOf,
    port,
    async restart(downMs = 1_000) {
      await down('fast');
      await new Promise((r) => setTimeout(r, downMs));
      await up();
    },
    down: () => down('fast'),
    up,
    crash: () => down('immediate'),
    promote: () => runAsync(user, pgCtl, ['-D', data, '-w', '-t', '60', 'promote']),
    stop() {
      if (running) {
        try {
          run(user, pgCtl, ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
        } catch {
          // removed below anyway
        }
        running = false;
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * One database address (a TCP forwarder on 127.0.0.1) moved from the primary to the promoted
 * standby, as a virtual IP, a DNS name or pgbouncer would be in production (issue 20 pt 3).
 */
export class MovableAddress {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  constructor(public targetPort: number) {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }
  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }
  /** Points at another server; connections to the old one are cut (its host is gone). */
  move(port: number): void {
    this.targetPort = port;
    for (const s of this.sockets) s.destroy();
  }
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}
