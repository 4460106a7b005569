import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { busy } from './admission';

/** The whole database surface HQ uses, so PostgreSQL (pg) and embedded PGlite are interchangeable. */
export interface Sql {
  readonly kind: 'pg' | 'pglite';
  /** One statement, parameters as $1..$n. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
  /** Several statements without parameters (migration files). */
  exec(text: string): Promise<void>;
  /** Runs fn in one transaction; nested calls join the outer transaction. */
  transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel` (pg: on a dedicated connection,
   * reconnected when lost, `onLost` called when the connection is lost and `onGap` after the
   * reconnect, since notices may have been missed between the two; PGlite: in this process).
   * Resolves once listening; the returned function stops. Absent on a transaction's Sql.
   */
  listen?(channel: string, onMessage: (payload: string) => void, onGap?: () => void, onLost?: () => void): Promise<() => Promise<void>>;
  /** The pool's use now (pg only; for the metrics): connections open, idle, requests waiting, the bound. */
  poolUse?(): { total: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

/** LISTEN takes an identifier, not a parameter: only plain lower-case names. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
}

const LISTEN_RETRY_MS = 1000;
/** A connect to the listening server is given up after this, and tried again (a server being promoted was seen to leave it hanging). */
const LISTEN_CONNECT_MS = 3000;

interface ListenHandler {
  onMessage: (payload: string) => void;
  onGap: (() => void) | undefined;
  onLost: (() => void) | undefined;
}

/**
 * LISTEN for every channel of this process on ONE dedicated pg client (a pooled one would be handed
 * to others): one listening connection per HQ process, whatever listens (revocations, changes).
 * Reconnects when lost, then LISTENs again on every channel and calls every `onGap`.
 */
class PgListener {
  private readonly handlers = new Map<string, Set<ListenHandler>>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly log?: Logger,
  ) {}

  async listen(channel: string, onMessage: (payload: string) => void, onGap: (() => void) | undefined, onLost: (() => void) | undefined): Promise<() => Promise<void>> {
    checkChannel(channel);
    const handler: ListenHandler = { onMessage, onGap, onLost };
    let set = this.handlers.get(channel);
    const fresh = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    try {
      if (this.client) {
        if (fresh) await this.client.query(`LISTEN ${channel}`);
      } else {
        await (this.connecting ??= this.connect().finally(() => (this.connecting = undefined)));
      }
    } catch (err) {
      this.remove(channel, handler);
      throw err;
    }
    return async () => {
      this.remove(channel, handler);
      if (this.handlers.size === 0) {
        clearTimeout(this.retry);
        const c = this.client;
        this.client = undefined;
        await c?.end().catch(() => undefined);
      } else if (!this.handlers.has(channel)) {
        await this.client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  private remove(channel: string, handler: ListenHandler): void {
    const set = this.handlers.get(channel);
    set?.delete(handler);
    if (set?.size === 0) this.handlers.delete(channel);
  }

  private async connect(): Promise<void> {
    const c = new pg.Client({ connectionString: this.connectionString, application_name: 'loket-hq-listen', keepAlive: true, connectionTimeoutMillis: LISTEN_CONNECT_MS });
    c.on('notification', (n) => {
      for (const h of this.handlers.get(n.channel) ?? []) h.onMessage(n.payload ?? '');
    });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === c) this.client = undefined;
      if (this.handlers.size === 0) return;
      this.log?.warn({ err: err ? { message: err.message } : undefined }, 'notification connection lost; reconnecting');
      for (const set of [...this.handlers.values()]) for (const h of [...set]) h.onLost?.();
      void c.end().catch(() => undefined);
      this.retry = setTimeout(() => void this.reconnect(), LISTEN_RETRY_MS);
      this.retry.unref();
    };
    // Until it listens, a failure rejects connect(); afterwards, a lost connection reconnects.
    const early = () => undefined;
    c.on('error', early);
    try {
      await c.connect();
      for (const channel of this.handlers.keys()) await c.query(`LISTEN ${channel}`);
    } catch (err) {
      void c.end().catch(() => undefined);
      throw err;
    }
    c.off('error', early);
    c.on('error', onLost);
    c.on('end', () => onLost());
    this.client = c;
    if (this.handlers.size === 0) {
      this.client = undefined;
      await c.end().catch(() => undefined);
    }
  }

  private async reconnect(): Promise<void> {
    if (this.handlers.size === 0) return;
    try {
      await this.connect();
      for (const set of [...this.handlers.values()]) for (const h of [...set]) h.onGap?.();
    } catch (err) {
      this.log?.warn({ err: { message: (err as Error).message } }, 'notification connection failed; retrying');
      this.retry = setTimeout(() => void this.reconnect(), LISTEN_RETRY_MS);
      this.retry.unref();
    }
  }
}

/** How long a request may wait for one of the pool's connections before HQ answers 503 HQ_BUSY. */
export const POOL_WAIT_MS = 3_000;

/** pg-pool's error when no connection came free in time: overload, answered as 503 with Retry-After. */
function busyIfPoolTimeout(err: unknown): never {
  if (err instanceof Error && /timeout exceeded when trying to connect/i.test(err.message)) throw busy('all database connections in use');
  throw unavailableIfLost(err);
}

// The database gone or not (yet) the primary: the server stopped or crashed (57P01-57P03, class 08,
// a refused or cut socket), or HQ reached a standby still read-only (25006) while a promotion moves
// the address. An answer HQ cannot give now, not a bug: 503 with Retry-After, and the device retries
// (a retry of a push whose commit did land is a no-op: equal to the master).
const LOST_CODES = new Set(['57P01', '57P02', '57P03', '25006', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const LOST_MESSAGE = /connection terminated|connection (is )?closed|connection error|not queryable/i;

// A statement that ran out of time (57014: statement_timeout; 55P03: lock_timeout), typically a
// push waiting behind its branch's lock on an overloaded database: overload too, not a 500. The
// transaction was rolled back, so the device's retry is safe.
const SLOW_CODES = new Set(['57014', '55P03']);

function unavailableIfLost(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && SLOW_CODES.has(code)) return busy('database too slow');
  const lost = typeof code === 'string' ? LOST_CODES.has(code) || code.startsWith('08') : LOST_MESSAGE.test(err.message);
  return lost ? busy('database unreachable') : err;
}

/**
 * PostgreSQL through a bounded pool: `max` connections (HQ_DB_POOL_MAX, default 10), and a request
 * waits at most `poolWaitMs` for one, then gets 503 HQ_BUSY instead of a 500. Every statement is
 * bounded by `statementTimeoutMs`; a COMMIT's wait for a synchronous standby is not (see `transaction`).
 */
export function pgSql(connectionString: string, log?: Logger, max = 10, poolWaitMs = POOL_WAIT_MS, statementTimeoutMs = 15_000): Sql {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: poolWaitMs,
    statement_timeout: statementTimeoutMs,
    application_name: 'loket-hq',
  });
  const listener = new PgListener(connectionString, log);
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', (err) => log?.warn({ err: { message: err.message } }, 'idle database connection lost'));

  function clientSql(client: pg.PoolClient): Sql {
    const self: Sql = {
      kind: 'pg',
      query: async <T>(text: string, params?: readonly unknown[]) => {
        const res = await client.query(text, params as unknown[] | undefined);
        return { rows: res.rows as T[] };
      },
      exec: async (text) => {
        await client.query(text);
      },
      transaction: (fn) => fn(self),
      close: () => Promise.resolve(),
    };
    return self;
  }

  return {
    kind: 'pg',
    listen: (channel, onMessage, onGap, onLost) => listener.listen(channel, onMessage, onGap, onLost),
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    query: async <T>(text: string, params?: readonly unknown[]) => {
      const res = await pool.query(text, params as unknown[] | undefined).catch(busyIfPoolTimeout);
      return { rows: res.rows as T[] };
    },
    exec: async (text) => {
      await pool.query(text).catch(busyIfPoolTimeout);
    },
    transaction: async (fn) => {
      const client = await pool.connect().catch(busyIfPoolTimeout);
      let broken = false;
      // A checked-out client whose server goes away (PostgreSQL restart) emits 'error'; without a
      // listener that crashes the process. The query in flight rejects on its own, so log and
      // drop the client.
      const onError = (err: Error) => {
        broken = true;
        log?.warn({ err: { message: err.message } }, 'database connection lost during a transaction');
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(clientSql(client));
        // With a synchronous standby (synchronous_standby_names), COMMIT returns once the standby
        // has the transaction; statement_timeout does not end that wait (PostgreSQL disables it
        // before committing; tests/hq/standby-failover.test.ts). A standby that stays away holds
        // the pushes until it is back or is taken out of synchronous_standby_names; meanwhile the
        // pool fills and HQ answers 503 HQ_BUSY (hq/README.md, "A standby that takes over").
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw unavailableIfLost(err);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

interface PgliteLike {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  exec(text: string): Promise<unknown>;
  transaction<R>(fn: (tx: { query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>; exec(text: string): Promise<unknown> }) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/**
 * Embedded PostgreSQL (WASM) for a single HQ process without a server. `dataDir` undefined = in memory.
 * A lock file keeps a second process (say, the admin CLI while `npm run hq` runs) out of the same folder:
 * PGlite 0.5 itself does not (its postmaster.pid holds a fake pid, -42); a second process opens the
 * folder, and what the two write is silently lost or the database broken.
 */
export async function pgliteSql(dataDir: string | undefined): Promise<Sql> {
  const { PGlite } = await import('@electric-sql/pglite');
  let lockFile: string | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    lockFile = join(dataDir, '.loket-hq.lock');
    claimLock(lockFile);
  }
  let db: PgliteLike;
  try {
    db = await PGlite.create(dataDir);
  } catch (err) {
    if (lockFile) rmSync(lockFile, { force: true });
    throw err;
  }
  function txSql(tx: Parameters<Parameters<PgliteLike['transaction']>[0]>[0]): Sql {
    const self: Sql = {
      kind: 'pglite',
      query: async <T>(text: string, params?: readonly unknown[]) => tx.query<T>(text, params as unknown[] | undefined),
      exec: async (text) => {
        await tx.exec(text);
      },
      transaction: (fn) => fn(self),
      close: () => Promise.resolve(),
    };
    return self;
  }
  return {
    kind: 'pglite',
    query: async <T>(text: string, params?: readonly unknown[]) => db.query<T>(text, params as unknown[] | undefined),
    exec: async (text) => {
      await db.exec(text);
    },
    transaction: (fn) => db.transaction((tx) => fn(txSql(tx))),
    // NOTIFY reaches listeners of this instance only: PGlite has one connection, in this process.
    listen: async (channel, onMessage) => {
      checkChannel(channel);
      const stop = await db.listen(channel, onMessage);
      return async () => {
        await stop();
      };
    },
    close: async () => {
      await db.close();
      if (lockFile) rmSync(lockFile, { force: true });
    },
  };
}

/** The PGlite data folder is held by another live process (a running HQ, say). */
export class DataFolderInUse extends Error {
  override name = 'DataFolderInUse';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`HQ data folder is in use by process ${pid}; stop it first (or set DATABASE_URL)`);
  }
}

function claimLock(file: string): void {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new DataFolderInUse(dirname(file), pid);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeFileSync(file, String(process.pid));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PGlite data folder `openDatabase` uses: null when DATABASE_URL points at PostgreSQL. */
export function pgliteDataDir(env: NodeJS.ProcessEnv): string | null {
  if (env.DATABASE_URL?.trim()) return null;
  return env.HQ_DATA_DIR?.trim() || '.hq-data';
}

/** pg when DATABASE_URL is set, PGlite in HQ_DATA_DIR (default .hq-data/) otherwise. */
export async function openDatabase(env: NodeJS.ProcessEnv, log?: Logger): Promise<Sql> {
  const dataDir = pgliteDataDir(env);
  if (dataDir === null) return pgSql(env.DATABASE_URL!.trim(), log, positiveInt(env.HQ_DB_POOL_MAX, 10, 'HQ_DB_POOL_MAX'));
  return pgliteSql(dataDir);
}

/** A positive integer from the environment, or `fallback` when unset. */
export function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}
