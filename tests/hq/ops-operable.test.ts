import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq } from '../../hq/app';
import { pgSql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { captureLog, enrol, freshDatabase, makeBranch, startHq, ticket } from './helpers';
import type { Hq, TestDevice } from './helpers';

// Issue 20 pt 5, HQ is operable, on real PostgreSQL: /healthz and /readyz (the database answers
// and every migration is applied; no standby: replication lag null), Prometheus metrics (latency by
// route, pushes, quarantined records, open streams, pool use), request ids in every log line of a
// request, and a graceful shutdown that finishes the pushes in flight and ends the streams telling
// devices to reconnect, while taking no new requests.

let hq: Hq;
let branch: string;
let device: TestDevice;

beforeAll(async () => {
  hq = await startHq('ops_operable');
  branch = await makeBranch(hq.db);
  device = await enrol(hq.app, hq.db, branch);
}, 60_000);
afterAll(async () => {
  await hq.close();
});

const push = (docs: Record<string, unknown>[]) =>
  hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: docs.map((d) => ({ assumedMasterState: null, newDocumentState: d })) });

/** The value of one sample line of the Prometheus text, e.g. `hq_open_streams` or `hq_pushes_total{collection="tickets",outcome="ok"}`. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

/** An event stream over real HTTP: its raw text, and when it ended. */
function openStream(baseUrl: string, auth: Record<string, string>) {
  let raw = '';
  let ended = false;
  const opened = new Promise<void>((resolve, reject) => {
    const req = request(`${baseUrl}/v1/sync/stream`, { headers: { ...auth, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream refused: ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        raw += c;
        if (raw.includes('RESYNC')) resolve();
      });
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
    });
    req.on('error', reject);
    req.end();
  });
  return { opened, text: () => raw, ended: () => ended };
}

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('health and readiness', () => {
  it('/healthz answers while the process runs; /readyz says ready with the migrations and no standby', async () => {
    expect((await hq.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await hq.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', standbys: 0, replicationLagSeconds: null });
    expect(ready.json<{ migrations: number }>().migrations).toBeGreaterThan(10);
  });

  it('/readyz is 503 NOT_READY on a database whose migrations are not applied, with Retry-After', async () => {
    const { url, drop } = await freshDatabase('ops_not_ready');
    const db = pgSql(url);
    const app = buildHq({ db, log: createLogger({ level: 'silent' }) });
    try {
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('NOT_READY');
      expect(res.headers['retry-after']).toBeDefined();
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.close();
      await drop();
    }
  });
});

describe('Prometheus metrics', () => {
  it('counts pushes by outcome and quarantined records, latency by route pattern, pool use; no ids in labels', async () => {
    expect((await push([ticket(branch)])).statusCode).toBe(200);
    const refused = await push([ticket(branch), { ...ticket(branch), status: 'not-a-status' }]);
    expect(refused.statusCode).toBe(422);
    const res = await hq.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/plain/);
    const text = res.body;
    expect(sample(text, 'hq_pushes_total{collection="tickets",outcome="ok"}')).toBe(1);
    expect(sample(text, 'hq_pushes_total{collection="tickets",outcome="refused"}')).toBe(1);
    expect(sample(text, 'hq_quarantined_records_total{collection="tickets"}')).toBe(1);
    expect(sample(text, 'hq_http_request_duration_seconds_count{method="POST",route="/v1/sync/:collection/push",status="200"}')).toBe(1);
    expect(sample(text, 'hq_http_request_duration_seconds_count{method="POST",route="/v1/sync/:collection/push",status="422"}')).toBe(1);
    expect(sample(text, 'hq_db_pool_connections{state="max"}')).toBe(10);
    expect(sample(text, 'hq_db_pool_connections{state="waiting"}')).toBe(0);
    expect(sample(text, 'hq_open_streams')).toBe(0);
    expect(text).toContain('hq_replication_lag_seconds');
    expect(text).not.toMatch(/hq_replication_lag_seconds\{/); // no standby: no series
    expect(text).toContain('hq_process_resident_memory_bytes');
    // Labels carry route patterns, never a device id, token or document id.
    expect(text).not.toContain(device.deviceId);
    expect(text).not.toContain(device.token);
  });

  it('open streams are counted', async () => {
    const url = await hq.app.listen({ host: '127.0.0.1', port: 0 });
    const s = openStream(url, device.auth);
    await s.opened;
    expect(sample((await hq.app.inject({ url: '/metrics' })).body, 'hq_open_streams')).toBe(1);
  });
});

describe('structured logs with request ids', () => {
  it('every log line of a request carries its id, the same as the answer’s x-request-id; ids differ per request', async () => {
    const before = hq.log.lines.length;
    const a = await push([ticket(branch)]);
    const b = await hq.app.inject({ url: '/v1/branch', headers: device.auth });
    const idA = String(a.headers['x-request-id']);
    const idB = String(b.headers['x-request-id']);
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idB).not.toBe(idA);
    const lines = hq.log.lines.slice(before).map((l) => JSON.parse(l) as { reqId?: string; msg: string; service?: string });
    const ofA = lines.filter((l) => l.reqId === idA).map((l) => l.msg);
    expect(ofA).toEqual(expect.arrayContaining(['incoming request', 'push', 'request completed']));
    expect(lines.every((l) => l.service === 'loket-hq')).toBe(true);
    // The token never reaches the log (the shared redaction).
    expect(hq.log.lines.slice(before).join('\n')).not.toContain(device.token);
  });
});

describe('graceful shutdown', () => {
  it('stops taking requests, finishes the push in flight, ends the streams telling devices to reconnect', async () => {
    const { url: dbUrl, drop } = await freshDatabase('ops_shutdown');
    const own = await startOwn(dbUrl);
    const blocker = new pg.Client({ connectionString: dbUrl });
    await blocker.connect();
    try {
      const s = openStream(own.url, own.device.auth);
      await s.opened;
      // Every write waits while this session holds the all-branches lock exclusively: a push in flight.
      await blocker.query('SELECT pg_advisory_lock(4790002)');
      const doc = ticket(own.branch);
      const inFlight = fetch(`${own.url}/v1/sync/tickets/push`, {
        method: 'POST',
        headers: { ...own.device.auth, 'content-type': 'application/json' },
        body: JSON.stringify([{ assumedMasterState: null, newDocumentState: doc }]),
      });
      await until('the push waiting on the lock', async () => {
        const { rows } = await blocker.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
        return Number(rows[0]!.n) > 0;
      });

      let closed = false;
      const closing = own.app.close().then(() => (closed = true));
      // The stream ends at once with SSE's reconnect hint; the push is still waiting.
      await until('the stream ended', () => s.ended());
      expect(s.text()).toMatch(/retry: 1000\n\n$/);
      // No new requests: the listening socket is closed (or HQ answers 503 while closing).
      const late = await fetch(`${own.url}/healthz`).then((r) => r.status, () => 'refused');
      expect(['refused', 503]).toContain(late);
      expect(closed).toBe(false);

      await blocker.query('SELECT pg_advisory_unlock(4790002)');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      await closing;
      const { rows } = await blocker.query<{ n: string }>(`SELECT count(*)::text AS n FROM documents WHERE collection = 'tickets' AND id = $1`, [doc.id]);
      expect(rows[0]!.n).toBe('1');
    } finally {
      await blocker.end();
      await own.app.close();
      await own.db.close();
      await drop();
    }
  }, 30_000);
});

async function startOwn(dbUrl: string) {
  const db = pgSql(dbUrl);
  const { migrate } = await import('../../hq/migrate');
  await migrate(db);
  const app = buildHq({ db, log: createLogger({ level: 'warn', destination: captureLog().stream }) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const b = await makeBranch(db);
  return { db, app, url, branch: b, device: await enrol(app, db, b) };
}
