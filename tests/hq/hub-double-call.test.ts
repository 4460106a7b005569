import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doubleCallsOf } from '@shared/queue/call-order';
import { ticket } from './helpers';
import { branchWithHub, fresh } from './hub-helpers';
import type { Branch } from './hub-helpers';

// Issue 17 pt 5, the partial outage: PC 2 cannot reach the hub but reaches HQ, PC 1 reaches the
// hub. Both call the same ticket issued before (PC 2 claims it locally and pushes to HQ, PC 1's
// call goes through the hub). When the hub relays PC 1's call, HQ answers with PC 2's: HQ's copy
// stands, and PC 1's call is added to its history, so HQ, the hub and every PC keep both calls
// (the head's conflict log then flags the double call) and the PC's version stays in hub_conflicts.

let br: Branch;
beforeAll(async () => {
  br = await branchWithHub('hub_double_call');
}, 180_000);
afterAll(async () => {
  await br?.close();
});

const calledBy = (base: Record<string, unknown>, counter: string, deviceId: string, at: string) => ({
  ...base,
  status: 'called',
  updatedAt: at,
  history: [...(base.history as unknown[]), { status: 'called', at, event: { type: 'ticket.called', counter, at, actor: { staffId: `petugas${counter}`, role: 'officer', deviceId } } }],
});

type Stored = { number: string; status: string; history: { status?: string; at?: string; event?: { type: string; counter?: string } }[] };
const calls = (t: Stored) => t.history.flatMap((h) => (h.event?.type === 'ticket.called' ? [h.event.counter] : []));

describe('a ticket called through the hub and straight at HQ', () => {
  it('keeps both calls at HQ and at the hub, authored by the PCs, and keeps the PC’s version in hub_conflicts', async () => {
    const base = ticket(br.a, undefined, { number: 'A1-012', service: 'jmo-reset' });
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(base)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    const assumed = { ...base, _deleted: false };
    // PC 2 (no hub) called it to counter 3 and pushed to HQ; PC 1 called it to counter 1 through the hub.
    const direct = await br.hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: br.pc2.auth, payload: [{ assumedMasterState: assumed, newDocumentState: calledBy(base, '3', br.pc2.deviceId, '2026-01-01T08:05:00.000Z') }] });
    expect(direct.json()).toEqual([]);
    const viaHub = await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [{ assumedMasterState: assumed, newDocumentState: calledBy(base, '1', br.pc1.deviceId, '2026-01-01T08:06:00.000Z') }]);
    expect(viaHub).toEqual({ status: 200, json: [] });

    await br.hub.upstream.syncOnce();
    const atHq = await br.hq.db.query<{ data: Stored; device_id: string }>(`SELECT data, device_id::text AS device_id FROM documents WHERE collection = 'tickets' AND id = $1`, [base.id]);
    expect(calls(atHq.rows[0]!.data)).toEqual(['3', '1']);
    expect(atHq.rows[0]!.data.status).toBe('called');
    expect(atHq.rows[0]!.device_id).toBe(br.pc1.deviceId);
    expect(doubleCallsOf(atHq.rows[0]!.data).map((d) => d.calls.map((c) => c.counter))).toEqual([['3', '1']]);
    const atHub = await br.hub.db.query<{ data: Stored }>(`SELECT data FROM documents WHERE collection = 'tickets' AND id = $1`, [base.id]);
    expect(calls(atHub.rows[0]!.data)).toEqual(['3', '1']);
    const kept = await br.hub.db.query<{ device_id: string; data: Stored }>('SELECT device_id::text AS device_id, data FROM hub_conflicts WHERE id = $1', [base.id]);
    expect(kept.rows.map((r) => [r.device_id, calls(r.data)])).toEqual([[br.pc1.deviceId, ['1']]]);
    // Settled: another round changes nothing.
    await br.hub.upstream.syncOnce();
    const again = await br.hq.db.query<{ data: Stored }>(`SELECT data FROM documents WHERE collection = 'tickets' AND id = $1`, [base.id]);
    expect(again.rows[0]!.data).toEqual(atHq.rows[0]!.data);
  });

  it('a conflict without a double call is settled as before: HQ’s copy as it is', async () => {
    const base = ticket(br.a, undefined, { number: 'A1-013', service: 'jmo-reset' });
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(base)])).status).toBe(200);
    await br.hub.upstream.syncOnce();
    const assumed = { ...base, _deleted: false };
    const called = calledBy(base, '3', br.pc2.deviceId, '2026-01-01T08:05:00.000Z');
    expect((await br.hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: br.pc2.auth, payload: [{ assumedMasterState: assumed, newDocumentState: called }] })).json()).toEqual([]);
    // PC 1 only changed something else (no call of its own).
    await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [{ assumedMasterState: assumed, newDocumentState: { ...base, updatedAt: '2026-01-01T08:06:00.000Z' } }]);
    await br.hub.upstream.syncOnce();
    const atHub = await br.hub.db.query<{ data: Stored; device_id: string | null }>(`SELECT data, device_id::text AS device_id FROM documents WHERE collection = 'tickets' AND id = $1`, [base.id]);
    expect(atHub.rows[0]!.device_id).toBeNull();
    expect(calls(atHub.rows[0]!.data)).toEqual(['3']);
  });
});
