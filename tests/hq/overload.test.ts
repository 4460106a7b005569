import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq } from '../../hq/app';
import type { HqApp } from '../../hq/app';
import { pgSql } from '../../hq/db';
import type { Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { validateIncoming, type Validator } from '../../hq/store';
import { StreamHub } from '../../hq/stream';
import { captureLog, enrol, freshDatabase, makeBranch, ticket } from './helpers';
import type { TestDevice } from './helpers';

// Issue 20 pt 4: overload is an answer, not an error. Over its bounds HQ says 503 HQ_BUSY with
// Retry-After, early, and takes the retry; a stream whose reader stopped reading is cut.

let url: string;
let drop: () => Promise<void>;
let db: Sql;
let app: HqApp;
let device: TestDevice;
let branch: string;
let gate: Promise<void> = Promise.resolve();
const logged = captureLog();
let entered = 0;

beforeAll(async () => {
  ({ url, drop } = await freshDatabase('overload'));
  // A small pool that waits briefly: exhausting it is easy here.
  db = pgSql(url, undefined, 3, 300);
  await migrate(db);
  // Pushes of tickets wait at `gate` inside their check: they stay in flight while the test looks.
  const gated: Validator = async (collection, doc, dev, context) => {
    entered++;
    await gate;
    return validateIncoming(collection, doc, dev, context);
  };
  app = buildHq({ db, log: createLogger({ level: 'warn', destination: logged.stream }), validate: gated, maxPushesInFlight: 2 });
  await app.ready();
  branch = await makeBranch(db);
  device = await enrol(app, db, branch);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
  await drop?.();
});

const pushOne = () => app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: ticket(branch) }] });

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('overload', () => {
  it('a push over the in-flight bound is answered 503 HQ_BUSY with Retry-After at once, and accepted when retried later', async () => {
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    entered = 0;
    const held = [pushOne(), pushOne()];
    await until(() => entered === 2);
    const t0 = performance.now();
    const refused = await pushOne();
    expect(performance.now() - t0).toBeLessThan(500);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(refused.json()).toMatchObject({ error: { code: 'HQ_BUSY' } });
    expect(entered).toBe(2); // refused before any work
    // An overload answer is expected under load: one warn line, no error, no stack trace.
    const busy = logged.lines.map((l) => JSON.parse(l) as { level: number; code?: string; err?: unknown }).filter((l) => l.code === 'HQ_BUSY');
    expect(busy.length).toBeGreaterThan(0);
    for (const line of busy) {
      expect(line.level).toBe(40);
      expect(line.err).toBeUndefined();
    }
    release();
    for (const r of await Promise.all(held)) expect(r.statusCode).toBe(200);
    gate = Promise.resolve();
    expect((await pushOne()).statusCode).toBe(200);
  });

  it('when every database connection stays taken, a request is answered 503 HQ_BUSY with Retry-After, never 500', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const holders = Array.from({ length: 3 }, () => db.transaction(() => hold));
    try {
      const res = await app.inject({ url: '/v1/sync/tickets/pull', headers: device.auth });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(res.json()).toMatchObject({ error: { code: 'HQ_BUSY' } });
    } finally {
      release();
      await Promise.all(holders);
    }
    expect((await app.inject({ url: '/v1/sync/tickets/pull', headers: device.auth })).statusCode).toBe(200);
  });
});

describe('a stream whose reader stops reading', () => {
  it('gets no more than one buffer and is cut after the stall bound; a reading stream is untouched', async () => {
    const hub = new StreamHub(60_000, 300);
    const held: ServerResponse[] = [];
    const server = createServer((req, res) => {
      held.push(res);
      hub.open('B01', req.url === '/slow' ? 'slow' : 'fast', res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const open = (path: string) =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path }, resolve);
        req.on('error', reject);
        req.end();
      });
    try {
      const slow = await open('/slow');
      slow.pause(); // stops reading
      const fast = await open('/fast');
      let fastBytes = 0;
      fast.on('data', (c: Buffer) => (fastBytes += c.length));
      await until(() => hub.size === 2);
      const slowRes = held[0]!;
      // Notices keep coming (a busy branch), far more than any socket buffer holds, until it is cut.
      let maxBuffered = 0;
      let sent = 0;
      const t0 = Date.now();
      for (let round = 0; hub.size === 2 && Date.now() - t0 < 5_000; round++) {
        for (let i = 0; i < 2_000; i++) hub.publish('B01', { type: 'changed', collection: 'tickets', seq: round * 10_000 + i });
        sent += 2_000 * 60;
        maxBuffered = Math.max(maxBuffered, slowRes.writableLength);
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(sent).toBeGreaterThan(4 * 1024 * 1024);
      // Cut on HQ's side (its 'close' took it out of the hub), whatever the paused client has noticed.
      await until(() => slowRes.destroyed, 5_000);
      slow.destroy();
      // What HQ held for the stalled reader stayed about one round's worth (2,000 notices ≈ 130 KB), not all that was sent.
      expect(maxBuffered).toBeLessThan(1024 * 1024);
      await until(() => hub.size === 1);
      expect(fastBytes).toBeGreaterThan(1024 * 1024); // the reading stream got everything meanwhile
      fast.destroy();
    } finally {
      hub.closeAll();
      await new Promise((r) => server.close(r));
    }
  }, 30_000);
});
