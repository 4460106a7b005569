import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

/** The whole database surface HQ uses, so PostgreSQL (pg) and embedded PGlite are interchangeable. */
export interface Sql {
  readonly kind: 'pg' | 'pglite';
  /** One statement, parameters as $1..$n. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
  /** Several statements without parameters (migration files). */
  exec(text: string): Promise<void>;
  /** Runs fn in one transaction; nested calls join the outer transaction. */
  transaction<R>(fn: (tx: Sql) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

export function pgSql(connectionString: string, log?: Logger, max = 10): Sql {
  const pool = new pg.Pool({
    connectionString,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 15_000, // every query bounded
    application_name: 'loket-hq',
  });
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
    query: async <T>(text: string, params?: readonly unknown[]) => {
      const res = await pool.query(text, params as unknown[] | undefined);
      return { rows: res.rows as T[] };
    },
    exec: async (text) => {
      await pool.query(text);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
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
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw err;
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
  exec(text: string): Promise<unknown>;
  transaction<R>(fn: (tx: { query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>; exec(text: string): Promise<unknown> }) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/**
 * Embedded PostgreSQL (WASM) for a single HQ process without a server. `dataDir` undefined = in memory.
 * A lock file keeps a second process (say, the admin CLI while `npm run hq` runs) out of the same folder.
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
    close: async () => {
      await db.close();
      if (lockFile) rmSync(lockFile, { force: true });
    },
  };
}

function claimLock(file: string): void {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new Error(`HQ data folder is in use by process ${pid}; stop it first (or set DATABASE_URL)`);
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

/** pg when DATABASE_URL is set, PGlite in HQ_DATA_DIR (default .hq-data/) otherwise. */
export async function openDatabase(env: NodeJS.ProcessEnv, log?: Logger): Promise<Sql> {
  const url = env.DATABASE_URL?.trim();
  if (url) return pgSql(url, log);
  return pgliteSql(env.HQ_DATA_DIR?.trim() || '.hq-data');
}
