import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import type { TicketDoc } from '../../../renderer/src/data/db/schemas';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { HUB_COPY_WAIT_MS, TicketCalls, ticketEvents, type HubCaller } from '../../../renderer/src/data/db/ticket-calls';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { hubCaller } from '../../../renderer/src/data/hub-calls';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import type { HubStatus } from '@shared/ipc/contract';
import { makeNik, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// Issue 17 pt 5 on the desk: while the branch hub is reachable, "call next" is decided at the hub
// (one transaction for the whole branch); the desk shows the hub's ticket, writes its own audit
// entry, and does not claim anything in its own database. Without the hub, the local claim.

const guard = { staffId: security.staffId, role: security.role };
const desk1 = { staffId: 'petugas.satu', role: 'officer' as const };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function branch() {
  let minute = 0;
  const clock = () => new Date(Date.parse(wib('2026-03-02', '08:00')) + minute++ * 60_000);
  const db = await openTestDb(uniqueName('hubcalls'));
  open.push(db);
  const audit = new AuditLog(db.audit, 'dev-counter-1');
  const allocator = createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 1, now: clock });
  const door = new TicketDesk(db, await createNikHasher(TEST_KEY), allocator, audit, 'UJI01', clock);
  const issue = (i: number) => door.issue({ service: 'jmo-reset', nik: makeNik('1990-02-03', 'male', 300 + i) }, guard);
  return { db, audit, issue, clock };
}

/** What the hub writes when it calls `t` to `counter` (hq/hub/calls.ts): the call event on its history, as this PC's. */
function calledAtHub(t: TicketDoc, counter: string, at: string): TicketDoc {
  const event = { type: 'ticket.called', counter, at, actor: { ...desk1, deviceId: 'dev-counter-1' } };
  const plain = Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('_'))) as TicketDoc;
  return { ...plain, status: 'called', updatedAt: at, history: [...t.history, { status: 'called', at, event } as TicketDoc['history'][number]] };
}

const fakeHub = (o: { connected: boolean; callNext: HubCaller['callNext'] }): HubCaller & { asked: number } => {
  const hub = {
    asked: 0,
    connected: () => o.connected,
    callNext: (services: Parameters<HubCaller['callNext']>[0], counter: string, requestId: string) => {
      hub.asked += 1;
      return o.callNext(services, counter, requestId);
    },
  };
  return hub;
};

describe('call next through the branch hub', () => {
  it('takes the ticket the hub called, waits for its copy from the pull (no local write), and audits the call', async () => {
    const { db, audit, issue, clock } = await branch();
    const a = await issue(1);
    const b = await issue(2);
    const at = new Date(Date.parse(wib('2026-03-02', '08:30'))).toISOString();
    // The hub called B (another counter took A there a moment before); its copy comes by the pull.
    const hubCopy = calledAtHub(b, '4', at);
    const hub = fakeHub({
      connected: true,
      callNext: () => {
        setTimeout(() => void db.tickets.upsert(hubCopy), 50);
        return Promise.resolve(hubCopy);
      },
    });
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock, undefined, hub);
    const started = Date.now();
    const r = await calls.callNext(['jmo-reset'], '4', desk1);
    expect(Date.now() - started).toBeLessThan(HUB_COPY_WAIT_MS);
    expect(hub.asked).toBe(1);
    expect(r.ok && r.ticket.id).toBe(b.id);
    // A was not claimed here: the hub decides while it is reachable.
    expect((await calls.get(a.id))!.status).toBe('waiting');
    const stored = (await calls.get(b.id))!;
    expect(ticketEvents(stored).filter((e) => e.type === 'ticket.called')).toHaveLength(1);
    const entry = (await audit.entries()).findLast((e) => e.action === 'ticket.called');
    expect(entry).toMatchObject({ subject: { kind: 'ticket', id: b.id }, details: { number: b.number, counter: '4', via: 'hub' } });
    expect((await audit.verify()).ok).toBe(true);
  });

  it("writes the hub's copy itself when the pull does not bring it in time", async () => {
    const { db, audit, issue, clock } = await branch();
    const a = await issue(1);
    const hubCopy = calledAtHub(a, '2', new Date(Date.parse(wib('2026-03-02', '08:30'))).toISOString());
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock, undefined, fakeHub({ connected: true, callNext: () => Promise.resolve(hubCopy) }));
    const r = await calls.callNext(['jmo-reset'], '2', desk1);
    expect(r.ok && r.ticket.status).toBe('called');
    const stored = (await calls.get(a.id))!;
    expect(stored.status).toBe('called');
    expect(stored.history).toEqual(hubCopy.history);
  });

  it("says the queue is empty when the hub has nothing waiting, even if this PC's copy still shows a waiting ticket", async () => {
    const { db, audit, issue, clock } = await branch();
    const a = await issue(1);
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock, undefined, fakeHub({ connected: true, callNext: () => Promise.resolve(null) }));
    const r = await calls.callNext(['jmo-reset'], '1', desk1);
    expect(r).toMatchObject({ ok: false, reason: 'QUEUE_EMPTY' });
    expect((await calls.get(a.id))!.status).toBe('waiting');
  });

  it('claims locally when the hub is not connected, or when it went away during the call', async () => {
    const { db, audit, issue, clock } = await branch();
    const a = await issue(1);
    const b = await issue(2);
    const away = fakeHub({ connected: false, callNext: () => Promise.reject(new Error('never asked')) });
    const first = await new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock, undefined, away).callNext(['jmo-reset'], '1', desk1);
    expect(away.asked).toBe(0);
    expect(first.ok && first.ticket.id).toBe(a.id);
    const o = { connected: true };
    const lost = fakeHub({
      get connected() {
        return o.connected;
      },
      callNext: () => {
        o.connected = false; // the hub's stream ended while we asked: it is gone, not slow
        return Promise.reject(new Error('HUB_UNREACHABLE'));
      },
    });
    const second = await new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock, undefined, lost).callNext(['jmo-reset'], '1', desk1);
    expect(lost.asked).toBe(1);
    expect(second.ok && second.ticket.id).toBe(b.id);
  });

  it('a hub that is connected but slow to answer: no local claim (the hub may have called someone); the press is asked again with the same request id, and the hub’s ticket is shown', async () => {
    const { db, audit, issue, clock } = await branch();
    const a = await issue(1);
    const b = await issue(2);
    const ids: string[] = [];
    let answered = false;
    // The hub called A on the first ask, but the answer did not come back in time; the next press asks again and gets it.
    const hubCopy = calledAtHub(a, '3', new Date(Date.parse(wib('2026-03-02', '08:30'))).toISOString());
    const slow = fakeHub({
      connected: true,
      callNext: (_services, _counter, requestId) => {
        ids.push(requestId);
        if (ids.length === 1) return Promise.reject(new Error('HUB_UNREACHABLE: timed out'));
        answered = true;
        return Promise.resolve(hubCopy);
      },
    });
    const calls = new TicketCalls(db, audit, 'UJI01', 'dev-counter-1', clock, undefined, slow);
    const first = await calls.callNext(['jmo-reset'], '3', desk1);
    expect(first).toMatchObject({ ok: false, reason: 'HUB_BUSY' });
    expect(ids).toHaveLength(1); // one ask per press: main asks a busy hub again itself
    expect(answered).toBe(false);
    // Nothing was claimed here meanwhile: B still waits, A is the hub's to call.
    expect((await calls.get(a.id))!.status).toBe('waiting');
    expect((await calls.get(b.id))!.status).toBe('waiting');
    const second = await calls.callNext(['jmo-reset'], '3', desk1);
    expect(second.ok && second.ticket.id).toBe(a.id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    // The next press is a new request.
    await calls.callNext(['jmo-reset'], '3', desk1).catch(() => undefined);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('hubCaller (the bridge side)', () => {
  const status = (connected: boolean): HubStatus => ({ role: 'client', hub: { url: 'https://10.0.0.5:47600', fingerprint: 'ab', source: 'hq' }, connected, lastContactAt: null, lastError: null, hosting: null });

  it('follows hub.changed (a later event beats the first status answer) and throws when the hub could not decide', async () => {
    let listener: ((s: HubStatus) => void) | null = null;
    let answer: (s: HubStatus) => void = () => undefined;
    const call = vi.fn<(s: string[], c: string, r: string) => Promise<{ ok: true; ticket: null } | { ok: false; code: string; message: string }>>();
    const caller = hubCaller({
      subscribe: (l) => {
        listener = l;
        return () => (listener = null);
      },
      initial: () => new Promise((resolve) => (answer = resolve)),
      call,
    });
    expect(caller.connected()).toBe(false);
    listener!(status(true));
    answer(status(false));
    await Promise.resolve();
    expect(caller.connected()).toBe(true);
    listener!(status(false));
    expect(caller.connected()).toBe(false);
    call.mockResolvedValueOnce({ ok: true, ticket: null });
    await expect(caller.callNext(['jmo-reset'], '3', '0b7c2a4e-1d3f-4e5a-9b6c-7d8e9f0a1b2c')).resolves.toBeNull();
    expect(call).toHaveBeenCalledWith(['jmo-reset'], '3', '0b7c2a4e-1d3f-4e5a-9b6c-7d8e9f0a1b2c');
    call.mockResolvedValueOnce({ ok: false, code: 'HUB_UNREACHABLE', message: 'gone' });
    await expect(caller.callNext(['jmo-reset'], '3', '0b7c2a4e-1d3f-4e5a-9b6c-7d8e9f0a1b2c')).rejects.toMatchObject({ name: 'HubCallFailed', code: 'HUB_UNREACHABLE' });
    caller.stop();
    expect(listener).toBeNull();
  });
});
