import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq } from '../../hq/app';
import { createLogger } from '../../hq/log';
import type { StreamEvent } from '@shared/sync/protocol';
import { enrol, makeBranch, pushValidCase, startHq, ticket } from './helpers';
import type { Hq, TestDevice } from './helpers';

// SSE over real HTTP on loopback (inject() cannot hold a stream open).

let hq: Hq;
let base: string;
beforeAll(async () => {
  hq = await startHq('stream');
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = hq.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await hq.close();
});

interface Stream {
  status: number;
  events: StreamEvent[];
  res: IncomingMessage;
  /** Resolves once `n` events arrived (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<StreamEvent[]>;
  close(): void;
}

function openStream(device: TestDevice): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/v1/sync/stream`, { headers: { ...device.auth, accept: 'text/event-stream' } }, (res) => {
      const events: StreamEvent[] = [];
      let buffer = '';
      const waiters: (() => void)[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut = buffer.indexOf('\n\n');
        while (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          for (const line of block.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as StreamEvent);
          cut = buffer.indexOf('\n\n');
        }
        waiters.splice(0).forEach((w) => w());
      });
      resolve({
        status: res.statusCode ?? 0,
        events,
        res,
        waitFor: (n, ms = 3000) =>
          new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`only ${events.length} of ${n} events`)), ms);
            const check = () => {
              if (events.length >= n) {
                clearTimeout(timer);
                ok(events);
              } else waiters.push(check);
            };
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function push(device: TestDevice, collection: string, doc: Record<string, unknown>) {
  const res = await fetch(`${base}/v1/sync/${collection}/push`, {
    method: 'POST',
    headers: { ...device.auth, 'content-type': 'application/json' },
    body: JSON.stringify([{ assumedMasterState: null, newDocumentState: doc }]),
  });
  expect(res.status).toBe(200);
}

describe('event stream', () => {
  it('says RESYNC on connect and "changed" only to devices of the affected branch', async () => {
    const a = await makeBranch(hq.db);
    const b = await makeBranch(hq.db);
    const [devA, devA2, devB] = [await enrol(hq.app, hq.db, a), await enrol(hq.app, hq.db, a), await enrol(hq.app, hq.db, b)];
    const caseId = await pushValidCase(hq.app, hq.db, devA); // a transfer is only for a case HQ holds
    const [sA, sA2, sB] = [await openStream(devA), await openStream(devA2), await openStream(devB)];
    try {
      expect(sA.status).toBe(200);
      expect(sA.res.headers['content-type']).toContain('text/event-stream');
      for (const s of [sA, sA2, sB]) expect(await s.waitFor(1)).toEqual([{ type: 'RESYNC' }]);

      await push(devA, 'tickets', ticket(a));
      const [, changed] = await sA2.waitFor(2);
      expect(changed).toMatchObject({ type: 'changed', collection: 'tickets' });
      expect((changed as { seq: number }).seq).toBeGreaterThan(0);
      await sA.waitFor(2);

      // A transfer addressed to B tells B too.
      await push(devA, 'transfers', { id: `${caseId}:transfer`, caseId, fromBranch: a, toBranch: b, reason: 'PERSON_REQUESTED', status: 'requested', slaDeadline: '2026-01-02T08:00:00.000Z', at: '2026-01-01T08:00:00.000Z', updatedAt: '2026-01-01T08:00:00.000Z' });
      // …and its case travels with it (re-sequenced for B's case pull).
      const eventsB = await sB.waitFor(3);
      expect(eventsB.map((e) => e.type)).toEqual(['RESYNC', 'changed', 'changed']);
      expect(eventsB.slice(1).map((e) => (e as { collection: string }).collection).sort()).toEqual(['cases', 'transfers']);
      expect(sB.events.some((e) => e.type === 'changed' && e.collection === 'tickets')).toBe(false);
    } finally {
      [sA, sA2, sB].forEach((s) => s.close());
    }
  });

  it('needs a token, and caps streams per device', async () => {
    const unauth = await fetch(`${base}/v1/sync/stream`);
    expect(unauth.status).toBe(401);
    const a = await makeBranch(hq.db);
    const dev = await enrol(hq.app, hq.db, a);
    const open = [await openStream(dev), await openStream(dev), await openStream(dev)];
    try {
      await Promise.all(open.map((s) => s.waitFor(1)));
      const fourth = await fetch(`${base}/v1/sync/stream`, { headers: dev.auth });
      expect(fourth.status).toBe(429);
      expect(((await fourth.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_STREAMS');
    } finally {
      open.forEach((s) => s.close());
    }
  });

  it('graceful close ends open streams instead of waiting for them forever', async () => {
    const second = buildHq({ db: hq.db, log: createLogger({ level: 'silent' }) });
    await second.listen({ host: '127.0.0.1', port: 0 });
    const addr = second.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const dev = await enrol(hq.app, hq.db, await makeBranch(hq.db));
    const ended = new Promise<void>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${addr.port}/v1/sync/stream`, { headers: dev.auth }, (res) => {
        res.once('data', () => void second.close());
        res.on('end', resolve);
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    await ended;
  });
});
