import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgSql, type Sql } from '../../hq/db';
import { HqError } from '../../hq/errors';
import { freshDatabase } from './helpers';

// A database too slow to answer in time is overload, answered 503 HQ_BUSY with Retry-After, not a
// 500 (issue 20 pt 4, found by the hq-scale bench: pushes of one branch queued on its lock past the
// statement timeout and were answered 500 INTERNAL). Same for a database that went away (the
// standby failover, tests/hq/standby-failover.test.ts).

let url: string;
let drop: () => Promise<void>;
let db: Sql;
let holder: pg.Client;

beforeAll(async () => {
  ({ url, drop } = await freshDatabase('db-overload'));
  db = pgSql(url, undefined, 2, 3_000, 300); // 300 ms statement timeout
  holder = new pg.Client({ connectionString: url });
  await holder.connect();
});

afterAll(async () => {
  await holder?.end();
  await db?.close();
  await drop?.();
});

async function refusal(p: Promise<unknown>): Promise<HqError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HqError);
  return err as HqError;
}

describe('HQ database errors that mean "not now"', () => {
  it('a transaction waiting on a held lock past the statement timeout is 503 HQ_BUSY, and the lock is free again afterwards', async () => {
    await holder.query('SELECT pg_advisory_lock(4242)');
    const err = await refusal(db.transaction((tx) => tx.query('SELECT pg_advisory_xact_lock(4242)')));
    expect({ status: err.status, code: err.code }).toEqual({ status: 503, code: 'HQ_BUSY' });
    expect(err.details).toMatchObject({ retryAfterSeconds: expect.any(Number) as number });
    await holder.query('SELECT pg_advisory_unlock(4242)');
    await expect(db.transaction((tx) => tx.query('SELECT pg_advisory_xact_lock(4242)'))).resolves.toBeDefined();
  });

  it('a single statement past the timeout is 503 HQ_BUSY; other errors stay what they are', async () => {
    const slow = await refusal(db.query('SELECT pg_sleep(2)'));
    expect(slow.status).toBe(503);
    const bad = await db.query('SELECT * FROM no_such_table').then(
      () => null,
      (e: unknown) => e,
    );
    expect(bad).not.toBeInstanceOf(HqError);
    expect((bad as { code?: string }).code).toBe('42P01');
  });
});
