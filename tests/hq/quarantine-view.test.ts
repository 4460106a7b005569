import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../hq/admin';
import { createDevice, type SimDevice } from './device-sim';
import { enrol, makeBranch, ticket, type TestDevice, startListeningHq, type ListeningHq } from './helpers';

// The branch head sees HQ's quarantine for the branch (issue 6 item 4): what any device of the branch
// had refused, from which device, when, how often and why, through main's HQ link (`hq.quarantine`),
// a page at a time. The refused documents stay at HQ: nothing of their content reaches the renderer.

let hq: ListeningHq;
let url = '';
let a = '';
let b = '';
let counterPc: TestDevice;
let headPc: SimDevice;
let otherBranchPc: SimDevice;

const CLIENT = 'sim-page';

beforeAll(async () => {
  hq = await startListeningHq('quarantineview');
  url = hq.url;
  a = await makeBranch(hq.db);
  b = await makeBranch(hq.db);
  counterPc = await enrol(hq.app, hq.db, a);
  headPc = await createDevice({ name: 'qhead', branch: a, slot: 2, hqUrl: url, code: (await createEnrolCode(hq.db, a)).code, collections: ['config'] });
  otherBranchPc = await createDevice({ name: 'qother', branch: b, slot: 1, hqUrl: url, code: (await createEnrolCode(hq.db, b)).code, collections: ['config'] });
}, 60_000);

afterAll(async () => {
  await headPc?.close();
  await otherBranchPc?.close();
  await hq?.close();
}, 60_000);

/** The counter PC pushes tickets claiming branch B: HQ refuses each one into the quarantine. */
async function pushForeign(n: number): Promise<string[]> {
  const docs = Array.from({ length: n }, () => ticket(b, randomUUID(), { number: 'A1-042' }));
  const res = await hq.app.inject({
    method: 'POST',
    url: '/v1/sync/tickets/push',
    headers: counterPc.auth,
    payload: docs.map((d) => ({ assumedMasterState: null, newDocumentState: d })),
  });
  expect(res.statusCode).toBe(403);
  return docs.map((d) => String(d.id));
}

describe('HQ quarantine on the head’s Sync page', () => {
  it('lists what another PC of the branch had refused, with device, reason and attempts, without the document', async () => {
    const [id] = await pushForeign(1);
    const r = await headPc.core.dispatch(CLIENT, 'hq.quarantine', {});
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const page = r.value as { entries: Record<string, unknown>[]; next: number | null };
    const entry = page.entries.find((e) => e.id === id);
    expect(entry).toMatchObject({ collection: 'tickets', deviceId: counterPc.deviceId, attempts: 1 });
    expect(String(entry?.reason)).toMatch(/^branch:/);
    // Only what the head needs to act: the refused document (and its nikHash) stays at HQ.
    expect(Object.keys(entry ?? {}).sort()).toEqual(['attempts', 'collection', 'deviceId', 'id', 'lastReceivedAt', 'qid', 'reason', 'receivedAt']);
    expect(JSON.stringify(page)).not.toContain('ab'.repeat(32));

    // Another branch's head sees none of it.
    const other = await otherBranchPc.core.dispatch(CLIENT, 'hq.quarantine', {});
    expect(other.ok && (other.value as { entries: unknown[] }).entries).toEqual([]);
  });

  it('pages newest first: 50, then the older rest, each entry once', async () => {
    await pushForeign(60);
    const first = await headPc.core.dispatch(CLIENT, 'hq.quarantine', {});
    if (!first.ok) throw new Error(first.error.message);
    const p1 = first.value as { entries: { qid: number; id: string }[]; next: number | null };
    expect(p1.entries).toHaveLength(50);
    expect(p1.next).not.toBeNull();
    const qids = p1.entries.map((e) => e.qid);
    expect(qids).toEqual([...qids].sort((x, y) => y - x));
    const second = await headPc.core.dispatch(CLIENT, 'hq.quarantine', { before: p1.next! });
    if (!second.ok) throw new Error(second.error.message);
    const p2 = second.value as { entries: { qid: number; id: string }[]; next: number | null };
    expect(p2.entries).toHaveLength(11); // 61 refused in all (this test's 60 and the first test's 1)
    expect(p2.next).toBeNull();
    expect(new Set([...p1.entries, ...p2.entries].map((e) => e.id)).size).toBe(61);
  });

  it('is for the head: a bad cursor is refused at the bridge, and a device that is not enrolled says so', async () => {
    const bad = await headPc.core.dispatch(CLIENT, 'hq.quarantine', { before: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('INVALID_PAYLOAD');
    // Without a signed-in head (or admin) nothing is read.
    const signOut = await headPc.core.dispatch(CLIENT, 'staff.signOut', undefined);
    expect(signOut.ok).toBe(true);
    const anonymous = await headPc.core.dispatch(CLIENT, 'hq.quarantine', {});
    expect(anonymous.ok).toBe(false);
    if (!anonymous.ok) expect(anonymous.error.code).toBe('NOT_SIGNED_IN');
  });
});
