import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBranch } from '../../hq/admin';
import { buildHq } from '../../hq/app';
import type { HqApp } from '../../hq/app';
import { newDeviceToken, sha256Hex } from '../../hq/crypto';
import { pgliteSql, pgSql } from '../../hq/db';
import type { Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { branchCode, freshDatabase, ticket } from './helpers';
import { conflictHandlerFor } from '../../renderer/src/sync/conflicts';
import { doubleCallsOf } from '@shared/queue/call-order';

// Issue 17 pt 5: "call next" decided at the hub. The next waiting ticket of the desk's services, in
// the desks' own call order (shared/queue/call-order.ts), is chosen and called in one transaction
// holding the hub's write lock, so two counters calling at the same moment never call the same
// ticket; each call gets the next one, none is skipped. On
// the hub's PGlite (what runs on the hub PC) and on PostgreSQL with a pool (real concurrency).

const NOW = new Date('2026-03-02T02:00:00.000Z'); // 09:00 WIB
const DAY = '2026-03-02';
const CALLS_PER_COUNTER = 100;

interface Setup {
  db: Sql;
  app: HqApp;
  branch: string;
  counters: { auth: { authorization: string }; deviceId: string }[];
  close: () => Promise<void>;
}

async function hubOn(db: Sql, close: () => Promise<void>): Promise<Setup> {
  await migrate(db);
  const branch = branchCode();
  await createBranch(db, { code: branch, name: `Cabang Uji ${branch}` });
  const counters = [];
  for (let i = 0; i < 2; i++) {
    const token = newDeviceToken();
    const deviceId = randomUUID();
    await db.query('INSERT INTO devices (device_id, branch_code, name, token_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5)', [
      deviceId,
      branch,
      `Loket ${i + 1}`,
      sha256Hex(token),
      NOW.toISOString(),
    ]);
    counters.push({ deviceId, auth: { authorization: `Bearer ${token}` } });
  }
  const app = buildHq({ db, log: createLogger({ level: 'silent' }), mode: { kind: 'hub', branchCode: branch }, now: () => NOW });
  await app.ready();
  return {
    db,
    app,
    branch,
    counters,
    close: async () => {
      await app.close();
      await close();
    },
  };
}

function waitingTickets(branch: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.parse('2026-03-02T01:00:00.000Z') + i * 1000).toISOString();
    return ticket(branch, randomUUID(), {
      service: 'general',
      number: `D1-${String(i + 1).padStart(3, '0')}`,
      day: DAY,
      seq: i + 1,
      issuedAt: at,
      updatedAt: at,
      history: [{ status: 'waiting', at }],
    });
  });
}

const call = (s: Setup, counter: number) =>
  s.app.inject({
    method: 'POST',
    url: '/v1/hub/calls/next',
    headers: s.counters[counter - 1]!.auth,
    payload: { services: ['general'], counter: String(counter), staffId: `petugas${counter}`, role: 'officer' },
  });

for (const kind of ['pglite', 'pg'] as const) {
  describe(`call next at the hub (${kind})`, () => {
    let s: Setup;
    let tickets: Record<string, unknown>[];
    beforeAll(async () => {
      if (kind === 'pglite') {
        const db = await pgliteSql(undefined);
        s = await hubOn(db, () => db.close());
      } else {
        const { url, drop } = await freshDatabase('hub_calls');
        const db = pgSql(url);
        s = await hubOn(db, async () => {
          await db.close();
          await drop();
        });
      }
      tickets = waitingTickets(s.branch, 2 * CALLS_PER_COUNTER);
      for (let i = 0; i < tickets.length; i += 100) {
        const res = await s.app.inject({
          method: 'POST',
          url: '/v1/sync/tickets/push',
          headers: s.counters[0]!.auth,
          payload: tickets.slice(i, i + 100).map((t) => ({ assumedMasterState: null, newDocumentState: t })),
        });
        expect(res.statusCode).toBe(200);
      }
    }, 180_000);
    afterAll(async () => {
      await s?.close();
    });

    it('calls the oldest waiting ticket to the counter, as the calling PC’s write', async () => {
      const res = await call(s, 1);
      expect(res.statusCode).toBe(200);
      const called = res.json<{ ticket: { id: string; status: string; history: { event?: { type: string; counter: string; actor: { deviceId: string } } }[] } }>().ticket;
      expect(called.id).toBe(tickets[0]!.id);
      expect(called.status).toBe('called');
      expect(called.history.at(-1)!.event).toMatchObject({ type: 'ticket.called', counter: '1', actor: { deviceId: s.counters[0]!.deviceId } });
      const { rows } = await s.db.query<{ device_id: string }>(`SELECT device_id::text AS device_id FROM documents WHERE collection = 'tickets' AND id = $1`, [called.id]);
      expect(rows[0]!.device_id).toBe(s.counters[0]!.deviceId);
    });

    it(`2 counters × ${CALLS_PER_COUNTER} concurrent calls: no ticket called twice, none skipped`, async () => {
      // Each counter keeps `inFlight` calls open at once (bounded: PostgreSQL's pool has 10 connections).
      const inFlight = kind === 'pg' ? 6 : CALLS_PER_COUNTER;
      const counterLoop = async (counter: number) => {
        const out: Awaited<ReturnType<typeof call>>[] = [];
        let left = CALLS_PER_COUNTER;
        const worker = async () => {
          while (left > 0) {
            left--;
            out.push(await call(s, counter));
          }
        };
        await Promise.all(Array.from({ length: inFlight }, worker));
        return out;
      };
      const answers = (await Promise.all([counterLoop(1), counterLoop(2)])).flat();
      expect(answers).toHaveLength(2 * CALLS_PER_COUNTER);
      expect(answers.filter((a) => a.statusCode !== 200).map((a) => a.body)).toEqual([]);
      const ids = answers.map((a) => a.json<{ ticket: { id: string } | null }>().ticket?.id ?? null);
      const got = ids.filter((id): id is string => id !== null);
      // One ticket was called by the test before: 199 left for 200 calls, so exactly one gets none.
      expect(got).toHaveLength(2 * CALLS_PER_COUNTER - 1);
      expect(new Set(got).size).toBe(got.length);
      const { rows } = await s.db.query<{ calls: string }>(
        `SELECT count(*)::text AS calls FROM documents d, jsonb_array_elements(d.data -> 'history') h
          WHERE d.collection = 'tickets' AND (h -> 'event' ->> 'type') = 'ticket.called' GROUP BY d.id HAVING count(*) > 1`,
      );
      expect(rows).toEqual([]);
      const waiting = await s.db.query(`SELECT id FROM documents WHERE collection = 'tickets' AND (data ->> 'status') = 'waiting'`);
      expect(waiting.rows).toEqual([]);
    });

    it('calls in the desks\' order: priority, then checked-in appointments whose slot has come, then walk-ins; never another day, an absent holder or another branch', async () => {
      const at = (hm: string, day = DAY) => `${day}T${hm}:00+07:00`;
      const mk = (number: string, o: Record<string, unknown>) =>
        ticket(s.branch, randomUUID(), { service: 'jht-claim', number, day: DAY, seq: 500 + Number(number.slice(-3)), issuedAt: o.issuedAt, updatedAt: o.issuedAt, history: [{ status: 'waiting', at: o.issuedAt }], ...o });
      const order = [
        mk('A1-101', { issuedAt: at('08:10'), priority: 'elderly' }),
        mk('A1-102', { issuedAt: at('08:40'), priority: 'pregnant' }),
        mk('A1-103', { issuedAt: at('06:00', '2026-02-26'), day: '2026-02-26', appointment: { date: DAY, time: '08:30' }, checkedInAt: at('08:50') }),
        mk('A1-104', { issuedAt: at('06:00', '2026-02-25'), day: '2026-02-25', appointment: { date: DAY, time: '08:45' }, checkedInAt: at('08:20') }),
        mk('A1-105', { issuedAt: at('07:30') }),
        mk('A1-106', { issuedAt: at('07:45') }),
        // Checked in, but the slot (10:00) is after now (09:00): queued as at check-in, behind earlier walk-ins.
        mk('A1-107', { issuedAt: at('06:00', '2026-02-24'), day: '2026-02-24', appointment: { date: DAY, time: '10:00' }, checkedInAt: at('08:55') }),
      ];
      const never = [
        mk('A1-001', { issuedAt: at('07:00', '2026-03-01'), day: '2026-03-01' }), // yesterday's
        mk('A1-002', { issuedAt: at('06:00', '2026-02-20'), day: '2026-02-20', appointment: { date: DAY, time: '08:00' } }), // not checked in
        mk('A1-003', { issuedAt: at('06:00', '2026-02-20'), day: '2026-02-20', appointment: { date: '2026-03-03', time: '08:00' } }), // tomorrow's
      ];
      const pushed = await s.app.inject({
        method: 'POST',
        url: '/v1/sync/tickets/push',
        headers: s.counters[1]!.auth,
        payload: [...[...order].reverse(), ...never].map((t) => ({ assumedMasterState: null, newDocumentState: t })),
      });
      expect(pushed.statusCode).toBe(200);
      expect(pushed.json()).toEqual([]);
      // Another branch's waiting ticket, issued earliest and a priority, in the same database: never called here.
      const other = branchCode();
      await createBranch(s.db, { code: other, name: `Cabang Lain ${other}` });
      const foreign = ticket(other, randomUUID(), { service: 'jht-claim', number: 'A1-100', day: DAY, issuedAt: at('06:00'), updatedAt: at('06:00'), priority: 'disability', history: [{ status: 'waiting', at: at('06:00') }] });
      await s.db.query(`INSERT INTO documents (collection, id, branch_code, server_seq, deleted, data, received_at, data_bytes) VALUES ('tickets', $1, $2, nextval('documents_seq'), false, $3::jsonb, now(), 100)`, [
        foreign.id,
        other,
        JSON.stringify(foreign),
      ]);
      const calls = [];
      for (let i = 0; i < order.length + 1; i++) {
        const res = await s.app.inject({
          method: 'POST',
          url: '/v1/hub/calls/next',
          headers: s.counters[i % 2]!.auth,
          payload: { services: ['jht-claim'], counter: String((i % 2) + 1), staffId: `petugas${(i % 2) + 1}`, role: 'officer', zone: 'WIB' },
        });
        expect(res.statusCode).toBe(200);
        calls.push(res.json<{ ticket: { number: string } | null }>().ticket?.number ?? null);
      }
      expect(calls).toEqual([...order.map((t) => t.number), null]);
    });

    it('offline double call: two PCs that called the same ticket while the hub was away push it; at merge both calls stay, and the double call shows', async () => {
      const issuedAt = '2026-03-02T01:30:00.000Z';
      const waiting = ticket(s.branch, randomUUID(), { service: 'bpu-resignation', number: 'C1-012', day: DAY, seq: 900, issuedAt, updatedAt: issuedAt, history: [{ status: 'waiting', at: issuedAt }] });
      const push = (counter: number, rows: unknown[]) => s.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: s.counters[counter]!.auth, payload: rows });
      expect((await push(0, [{ assumedMasterState: null, newDocumentState: waiting }])).json()).toEqual([]);
      // Both PCs had the waiting ticket before the outage; each called it to its own counter.
      const calledBy = (i: number, counter: string, at: string) => ({
        ...waiting,
        status: 'called',
        updatedAt: at,
        history: [...(waiting.history as unknown[]), { status: 'called', at, event: { type: 'ticket.called', counter, at, actor: { staffId: `petugas${counter}`, role: 'officer', deviceId: s.counters[i]!.deviceId } } }],
      });
      const one = calledBy(0, '1', '2026-03-02T01:40:00.000Z');
      const three = calledBy(1, '3', '2026-03-02T01:41:00.000Z');
      const assumed = { ...waiting, _deleted: false };
      expect((await push(0, [{ assumedMasterState: assumed, newDocumentState: { ...one, _deleted: false } }])).json()).toEqual([]);
      // The second PC meets the first's call as a conflict and merges as its replication does (renderer/src/sync/conflicts.ts).
      const conflicts = (await push(1, [{ assumedMasterState: assumed, newDocumentState: { ...three, _deleted: false } }])).json<Record<string, unknown>[]>();
      expect(conflicts).toHaveLength(1);
      const master = conflicts[0]!;
      const merged = await conflictHandlerFor('tickets', { record: () => undefined }).resolve({ newDocumentState: { ...three, _deleted: false }, realMasterState: master, assumedMasterState: assumed } as never, 'test');
      expect((await push(1, [{ assumedMasterState: master, newDocumentState: merged }])).json()).toEqual([]);
      const { rows } = await s.db.query<{ data: { number: string; history: { status?: string; at?: string; event?: unknown }[] } }>(`SELECT data FROM documents WHERE collection = 'tickets' AND id = $1`, [waiting.id]);
      const atHub = rows[0]!.data;
      const calls = atHub.history.flatMap((h) => (h.event && (h.event as { type: string }).type === 'ticket.called' ? [(h.event as { counter: string }).counter] : []));
      expect(calls).toEqual(['1', '3']);
      expect(doubleCallsOf(atHub).map((d) => d.calls.map((c) => c.counter))).toEqual([['1', '3']]);
      // Not waiting any more: never called a third time.
      const next = await s.app.inject({ method: 'POST', url: '/v1/hub/calls/next', headers: s.counters[0]!.auth, payload: { services: ['bpu-resignation'], counter: '1', staffId: 'petugas1', role: 'officer' } });
      expect(next.json()).toEqual({ ticket: null });
    });

    it('refuses a revoked PC (and calls nothing for it)', async () => {
      const before = await s.db.query(`SELECT id FROM documents WHERE collection = 'tickets' AND (data ->> 'status') = 'waiting'`);
      await s.db.query('UPDATE devices SET revoked_at = $2 WHERE device_id = $1', [s.counters[1]!.deviceId, NOW.toISOString()]);
      const res = await call(s, 2);
      expect(res.statusCode).toBe(401);
      const after = await s.db.query(`SELECT id FROM documents WHERE collection = 'tickets' AND (data ->> 'status') = 'waiting'`);
      expect(after.rows).toEqual(before.rows);
      await s.db.query('UPDATE devices SET revoked_at = NULL WHERE device_id = $1', [s.counters[1]!.deviceId]);
    });

    it('a call repeated with its request id (the answer was lost on the way) gets the same ticket and calls no other', async () => {
      const fresh = waitingTickets(s.branch, 2).map((t, i) => ({ ...t, id: randomUUID(), number: `D9-00${i + 1}` }));
      const push = await s.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: s.counters[0]!.auth, payload: fresh.map((t) => ({ assumedMasterState: null, newDocumentState: t })) });
      expect(push.json()).toEqual([]);
      const requestId = randomUUID();
      const ask = (counter: number) =>
        s.app.inject({ method: 'POST', url: '/v1/hub/calls/next', headers: s.counters[counter - 1]!.auth, payload: { services: ['general'], counter: String(counter), staffId: `petugas${counter}`, role: 'officer', requestId } });
      const first = (await ask(1)).json<{ ticket: { id: string; history: unknown[] } }>().ticket;
      const again = (await ask(1)).json<{ ticket: { id: string; history: unknown[] } }>().ticket;
      expect(first.id).toBe(fresh[0]!.id);
      expect(again).toEqual(first);
      const { rows } = await s.db.query<{ status: string }>(`SELECT data ->> 'status' AS status FROM documents WHERE collection = 'tickets' AND id = $1`, [fresh[1]!.id]);
      expect(rows[0]!.status).toBe('waiting');
      // The same id from another PC is that PC's own request, not a repeat of this one.
      expect((await ask(2)).json<{ ticket: { id: string } }>().ticket.id).toBe(fresh[1]!.id);
      const bad = await s.app.inject({ method: 'POST', url: '/v1/hub/calls/next', headers: s.counters[0]!.auth, payload: { services: ['general'], counter: '1', staffId: 'petugas1', role: 'officer', requestId: 'not-an-id' } });
      expect(bad.statusCode).toBe(400);
    });

    it('answers no ticket when the queue is empty, and refuses a bad request', async () => {
      expect((await call(s, 2)).json()).toEqual({ ticket: null });
      const bad = await s.app.inject({ method: 'POST', url: '/v1/hub/calls/next', headers: s.counters[0]!.auth, payload: { services: [], counter: '0' } });
      expect(bad.statusCode).toBe(400);
      expect((await s.app.inject({ method: 'POST', url: '/v1/hub/calls/next', payload: { services: ['general'], counter: '1', staffId: 'petugas1', role: 'officer' } })).statusCode).toBe(401);
    });
  });
}
