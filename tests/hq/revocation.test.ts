import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq } from '../../hq/app';
import type { HqApp } from '../../hq/app';
import { revokeDevice } from '../../hq/admin';
import { pgSql } from '../../hq/db';
import type { Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { enrol, freshDatabase, makeBranch } from './helpers';
import type { TestDevice } from './helpers';
import { endsWithin, openStream } from './sse-client';

// Issue 14.6 on PostgreSQL: revoking a device ends its open event streams at once, whichever
// process revokes it (HQ hears it through LISTEN/NOTIFY), and a periodic recheck ends them even
// when a revocation came without a notice (say, an UPDATE typed in psql).

const END_BOUND_MS = 2000;

let drop: () => Promise<void>;
let url: string;
let db: Sql; // HQ's pool
let operator: Sql; // another process's pool, as the admin CLI would open it
let app: HqApp;
let base: string;

beforeAll(async () => {
  ({ url, drop } = await freshDatabase('revocation'));
  db = pgSql(url);
  await migrate(db);
  operator = pgSql(url, undefined, 2);
  // A long recheck interval: within the bound only the notice can end the stream.
  app = buildHq({ db, log: createLogger({ level: 'silent' }), revocationRecheckMs: 60_000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await app.close();
  await operator.close();
  await db.close();
  await drop();
});

async function device(): Promise<TestDevice> {
  return enrol(app, db, await makeBranch(db));
}

describe('revoking a device ends its open streams (PostgreSQL)', () => {
  it('through the admin function in another process: streams end within 2 s, reconnecting is 401, other devices keep theirs', async () => {
    const dev = await device();
    const other = await device();
    const streams = [await openStream(base, dev.auth), await openStream(base, dev.auth)];
    const bystander = await openStream(base, other.auth);
    try {
      for (const s of [...streams, bystander]) {
        expect(s.status).toBe(200);
        await s.first;
      }
      const t0 = performance.now();
      await revokeDevice(operator, dev.deviceId);
      const took = await Promise.all(streams.map((s) => endsWithin(s, t0, END_BOUND_MS)));
      console.log(`revocation → streams ended (NOTIFY, PostgreSQL): ${took.map((t) => t.toFixed(0)).join(', ')} ms`);

      const again = await fetch(`${base}/v1/sync/stream`, { headers: dev.auth });
      expect(again.status).toBe(401);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      // The other device's stream is untouched.
      expect(bystander.res.readableEnded).toBe(false);
      expect((await fetch(`${base}/v1/sync/tickets/pull`, { headers: other.auth })).status).toBe(200);
    } finally {
      [...streams, bystander].forEach((s) => s.close());
    }
  });

  it('when the LISTEN connection is lost, HQ reconnects and rechecks: a revocation made meanwhile still ends the stream', async () => {
    const dev = await device();
    const stream = await openStream(base, dev.auth);
    try {
      await stream.first;
      const killed = await operator.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'loket-hq-listen'`,
      );
      expect(killed.rows.map((r) => r.ok)).toEqual([true]);
      // Revoked while nobody listens: the notice is lost; the recheck after reconnecting (1 s) catches it.
      const t0 = performance.now();
      await revokeDevice(operator, dev.deviceId);
      const took = await endsWithin(stream, t0, END_BOUND_MS + 1000);
      console.log(`revocation while the LISTEN connection was down → stream ended after reconnect + recheck: ${took.toFixed(0)} ms`);
      // Listening again: the next revocation ends streams by its notice.
      const next = await device();
      const s2 = await openStream(base, next.auth);
      await s2.first;
      const t1 = performance.now();
      await revokeDevice(operator, next.deviceId);
      expect(await endsWithin(s2, t1, END_BOUND_MS)).toBeLessThan(END_BOUND_MS);
    } finally {
      stream.close();
    }
  });

  it('a revocation made without a notice (plain UPDATE) is caught by the periodic recheck', async () => {
    const second = buildHq({ db, log: createLogger({ level: 'silent' }), revocationRecheckMs: 300 });
    await second.listen({ host: '127.0.0.1', port: 0 });
    const addr = second.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const dev = await device();
    const stream = await openStream(`http://127.0.0.1:${addr.port}`, dev.auth);
    try {
      await stream.first;
      const t0 = performance.now();
      await operator.query('UPDATE devices SET revoked_at = now() WHERE device_id = $1', [dev.deviceId]);
      const took = await endsWithin(stream, t0, END_BOUND_MS);
      console.log(`revocation without a notice → stream ended by the 300 ms recheck: ${took.toFixed(0)} ms`);
    } finally {
      stream.close();
      await second.close();
    }
  });
});
