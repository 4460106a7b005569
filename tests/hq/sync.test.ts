import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqErrorBody } from '@shared/sync/protocol';
import type { PullResponse, SyncDocument } from '@shared/sync/protocol';
import { push, validateIncoming, type Validator } from '../../hq/store';
import { countRows, enrol, makeBranch, pushValidCase, ticket, twoBranches } from './helpers';
import type { Hq, TestDevice } from './helpers';

let hq: Hq;
let a: string;
let b: string;
let devA: TestDevice;
let devA2: TestDevice;
let devB: TestDevice;

beforeAll(async () => {
  ({ hq, a, b, devA, devA2, devB } = await twoBranches('sync'));
});
afterAll(async () => {
  await hq.close();
});

type Row = { assumedMasterState: Record<string, unknown> | null; newDocumentState: Record<string, unknown> };

async function pushRows(device: TestDevice, collection: string, rows: Row[]) {
  return hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: rows });
}

async function pullPage(device: TestDevice, collection: string, cp: { id: string; seq: number } | null, limit?: number): Promise<PullResponse> {
  const q = new URLSearchParams();
  if (cp) {
    q.set('id', cp.id);
    q.set('seq', String(cp.seq));
  }
  if (limit) q.set('limit', String(limit));
  const res = await hq.app.inject({ url: `/v1/sync/${collection}/pull?${q.toString()}`, headers: device.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PullResponse>();
}

/** Pulls everything from a checkpoint, page by page (bounded). */
async function pullAll(device: TestDevice, collection: string, limit = 100, from: { id: string; seq: number } | null = null) {
  const docs: SyncDocument[] = [];
  let cp = from;
  for (let page = 0; page < 1000; page++) {
    const res = await pullPage(device, collection, cp, limit);
    docs.push(...res.documents);
    if (res.documents.length < limit) return { docs, checkpoint: res.checkpoint ?? cp };
    cp = res.checkpoint;
  }
  throw new Error('pull did not finish');
}

async function seqOf(collection: string, id: string): Promise<number | undefined> {
  const { rows } = await hq.db.query<{ s: string }>('SELECT server_seq::text AS s FROM documents WHERE collection = $1 AND id = $2', [collection, id]);
  return rows[0] ? Number(rows[0].s) : undefined;
}

describe('push and pull', () => {
  it('pages by checkpoint in server order, whatever the devices clocks say', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const id = `order-${String(i).padStart(2, '0')}-${randomUUID()}`;
      ids.push(id);
      // Device clocks run backwards on purpose: updatedAt must not order anything.
      const doc = ticket(a, id, { updatedAt: new Date(Date.UTC(2030, 0, 1) - i * 60_000).toISOString() });
      const res = await pushRows(i % 2 ? devA : devA2, 'tickets', [{ assumedMasterState: null, newDocumentState: doc }]);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual([]);
    }
    const { docs } = await pullAll(devA2, 'tickets', 7);
    const mine = docs.filter((d) => d.id.startsWith('order-'));
    expect(mine.map((d) => d.id)).toEqual(ids);
    expect(mine.every((d) => d._deleted === false)).toBe(true);

    // Checkpoint paging: every page's checkpoint is its last document, pages do not overlap.
    const p1 = await pullPage(devA, 'tickets', null, 3);
    const p2 = await pullPage(devA, 'tickets', p1.checkpoint, 3);
    expect(p1.documents).toHaveLength(3);
    expect(p1.checkpoint?.id).toBe(p1.documents[2]?.id);
    expect(p2.documents[0]?.id).not.toBe(p1.documents[2]?.id);
    expect(p2.checkpoint!.seq).toBeGreaterThan(p1.checkpoint!.seq);

    // At the end: empty page, null checkpoint.
    const { checkpoint } = await pullAll(devA, 'tickets', 50);
    const end = await pullPage(devA, 'tickets', checkpoint, 50);
    expect(end).toEqual({ documents: [], checkpoint: null });
  });

  it('an update moves the document after everything older; only the latest state is pulled', async () => {
    const { checkpoint } = await pullAll(devA, 'tickets');
    const doc = ticket(a);
    await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: doc }]);
    const other = ticket(a);
    await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: other }]);
    const updated = { ...doc, status: 'called' };
    const res = await pushRows(devA, 'tickets', [{ assumedMasterState: { ...doc, _deleted: false }, newDocumentState: updated }]);
    expect(res.json()).toEqual([]);
    const { docs } = await pullAll(devA2, 'tickets', 100, checkpoint);
    expect(docs.map((d) => d.id)).toEqual([other.id, doc.id]);
    expect(docs[1]).toMatchObject({ status: 'called', _deleted: false });
  });

  it('returns the master as a conflict and writes nothing when assumedMasterState is stale', async () => {
    const doc = ticket(a);
    await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: doc }]);
    const byA2 = { ...doc, status: 'serving' };
    expect((await pushRows(devA2, 'tickets', [{ assumedMasterState: doc, newDocumentState: byA2 }])).json()).toEqual([]);
    const seq = await seqOf('tickets', doc.id as string);

    // devA still believes the master is `doc`.
    const stale = await pushRows(devA, 'tickets', [{ assumedMasterState: doc, newDocumentState: { ...doc, status: 'no-show' } }]);
    expect(stale.statusCode).toBe(200);
    expect(stale.json()).toEqual([{ ...byA2, _deleted: false }]);
    // A fresh insert of an id that exists is a conflict too.
    const blind = await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: { ...doc, status: 'done' } }]);
    expect(blind.json()).toEqual([{ ...byA2, _deleted: false }]);
    expect(await seqOf('tickets', doc.id as string)).toBe(seq);
  });

  it('a retried push is a no-op: same row count, same seq, no conflict (bookkeeping fields ignored)', async () => {
    const doc = ticket(a);
    const first = await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: doc }]);
    expect(first.json()).toEqual([]);
    const rows = await countRows(hq.db, 'documents');
    const seq = await seqOf('tickets', doc.id as string);
    const lastSeq = (await hq.db.query<{ v: string }>('SELECT last_value::text AS v FROM documents_seq')).rows[0]?.v;

    // Retry after a timeout, with RxDB bookkeeping that differs and keys in another order.
    const retried = Object.fromEntries(Object.entries({ ...doc, _meta: { lwt: 123 }, _rev: '2-x', _attachments: {}, _deleted: false }).reverse());
    for (let i = 0; i < 3; i++) {
      const res = await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: retried }]);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([]);
    }
    // And the retry of an update whose first attempt did land.
    const updated = { ...doc, status: 'done' };
    await pushRows(devA, 'tickets', [{ assumedMasterState: doc, newDocumentState: updated }]);
    const updSeq = await seqOf('tickets', doc.id as string);
    expect((await pushRows(devA, 'tickets', [{ assumedMasterState: doc, newDocumentState: updated }])).json()).toEqual([]);
    expect(await seqOf('tickets', doc.id as string)).toBe(updSeq);
    expect(updSeq).toBeGreaterThan(seq!);
    expect(await countRows(hq.db, 'documents')).toBe(rows);
    const after = (await hq.db.query<{ v: string }>('SELECT last_value::text AS v FROM documents_seq')).rows[0]?.v;
    expect(Number(after)).toBe(Number(lastSeq) + 1);
    const stored = await hq.db.query<{ data: Record<string, unknown> }>('SELECT data FROM documents WHERE id = $1', [doc.id]);
    expect(Object.keys(stored.rows[0]!.data).filter((k) => k.startsWith('_'))).toEqual([]);
  });

  it('deletions replicate as _deleted', async () => {
    const doc = ticket(a);
    await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: doc }]);
    const { checkpoint } = await pullAll(devA2, 'tickets');
    await pushRows(devA, 'tickets', [{ assumedMasterState: doc, newDocumentState: { ...doc, _deleted: true } }]);
    const { docs } = await pullAll(devA2, 'tickets', 100, checkpoint);
    expect(docs).toEqual([{ ...doc, _deleted: true }]);
  });

  it('staff and config come down read-only', async () => {
    const staff = await pullAll(devA, 'staff');
    expect(staff.docs.length).toBeGreaterThan(0);
    const config = await pullAll(devA, 'config');
    expect(config.docs).toHaveLength(1);
    expect(config.docs[0]).toMatchObject({ key: 'hq:branch', value: { code: a } });
    const res = await pushRows(devA, 'staff', [{ assumedMasterState: null, newDocumentState: { id: 'x', staffId: 'x' } }]);
    expect(res.statusCode).toBe(403);
    expect(HqErrorBody.parse(res.json()).error.code).toBe('READ_ONLY_COLLECTION');
  });
});

describe('branch isolation', () => {
  it('403 on every path of another branch, before any body is read', async () => {
    for (const [method, url] of [
      ['GET', `/v1/branches/${b}`],
      ['GET', `/v1/branches/${b}/sync/tickets/pull`],
      ['POST', `/v1/branches/${b}/sync/tickets/push`],
      ['GET', `/v1/branches/${b}/sync/stream`],
    ] as const) {
      const res = await hq.app.inject({ method, url, headers: devA.auth, payload: method === 'POST' ? [{ assumedMasterState: null, newDocumentState: ticket(b) }] : undefined });
      expect(res.statusCode, url).toBe(403);
      expect(HqErrorBody.parse(res.json()).error.code).toBe('FORBIDDEN_BRANCH');
    }
    // The own branch's explicit paths work.
    expect((await hq.app.inject({ url: `/v1/branches/${a}/sync/tickets/pull`, headers: devA.auth })).statusCode).toBe(200);
  });

  it('a pushed document claiming another branch is refused, quarantined, and the rest of the batch is kept', async () => {
    const docsBefore = await countRows(hq.db, 'documents');
    const foreign = ticket(b);
    const noBranch = { id: randomUUID(), status: 'waiting' };
    const own = ticket(a);
    const res = await pushRows(devA, 'tickets', [
      { assumedMasterState: null, newDocumentState: foreign },
      { assumedMasterState: null, newDocumentState: own },
      { assumedMasterState: null, newDocumentState: noBranch },
    ]);
    expect(res.statusCode).toBe(403);
    const err = HqErrorBody.parse(res.json()).error;
    expect(err.code).toBe('FORBIDDEN_BRANCH');
    expect((err.details?.rejected as { id: string }[]).map((r) => r.id)).toEqual([foreign.id, noBranch.id]);
    expect(await countRows(hq.db, 'documents')).toBe(docsBefore + 1);
    const q = await hq.db.query<{ id: string; branch_code: string; device_id: string; reason: string; attempts: number }>(
      'SELECT id, branch_code, device_id, reason, attempts FROM quarantine WHERE id = ANY($1) ORDER BY id',
      [[foreign.id, noBranch.id]],
    );
    expect(q.rows).toHaveLength(2);
    expect(q.rows.every((r) => r.branch_code === a && r.device_id === devA.deviceId && r.reason.startsWith('branch:'))).toBe(true);

    // A retry does not pile up rows: the same quarantine entry counts attempts.
    await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: foreign }]);
    const again = await hq.db.query<{ attempts: number }>('SELECT attempts FROM quarantine WHERE id = $1', [foreign.id]);
    expect(again.rows.map((r) => r.attempts)).toEqual([2]);
  });

  it('an id used by another branch is the pushing branch’s own: neither overwritten, nor refused, nor leaked', async () => {
    const docB = ticket(b);
    await pushRows(devB, 'tickets', [{ assumedMasterState: null, newDocumentState: docB }]);
    const mine = { ...docB, branchCode: a, status: 'done' };
    const res = await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: mine }]);
    // Ids are per branch (issue 14): A's document is stored in A's space, and the answer says nothing of B's.
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
    const stored = await hq.db.query<{ branch_code: string; data: { status: string } }>('SELECT branch_code, data FROM documents WHERE id = $1 ORDER BY branch_code', [docB.id]);
    expect(stored.rows.map((r) => [r.branch_code, r.data.status]).sort()).toEqual([[a, 'done'], [b, 'waiting']].sort());
  });

  it('pull never returns another branch’s documents, in any collection', async () => {
    await pushRows(devB, 'cases', [{ assumedMasterState: null, newDocumentState: { id: randomUUID(), branchCode: b, status: 'open' } }]);
    await pushRows(devB, 'audit', [{ assumedMasterState: null, newDocumentState: { id: randomUUID(), deviceId: devB.deviceId, seq: 1 } }]);
    for (const collection of ['tickets', 'cases', 'refusals', 'audit', 'staff', 'config']) {
      const { docs } = await pullAll(devA, collection);
      const dump = JSON.stringify(docs);
      expect(dump, collection).not.toContain(`"branchCode":"${b}"`);
      expect(dump, collection).not.toContain(devB.deviceId);
      expect(dump, collection).not.toContain(b.toLowerCase());
    }
  });

  it('transfers: the sender owns them, the addressed branch pulls them and may accept, nobody else sees them', async () => {
    const c = await makeBranch(hq.db);
    const devC = await enrol(hq.app, hq.db, c);
    const caseId = await pushValidCase(hq.app, hq.db, devA);
    const transfer = { id: `${caseId}:transfer`, caseId, fromBranch: a, toBranch: b, reason: 'own-request', status: 'requested', slaDeadline: '2026-01-02T08:00:00.000Z', at: '2026-01-01T08:00:00.000Z', updatedAt: '2026-01-01T08:00:00.000Z' };
    expect((await pushRows(devA, 'transfers', [{ assumedMasterState: null, newDocumentState: transfer }])).statusCode).toBe(200);
    // B cannot create a transfer in A's name.
    const forged = { ...transfer, id: randomUUID() };
    expect((await pushRows(devB, 'transfers', [{ assumedMasterState: null, newDocumentState: forged }])).statusCode).toBe(403);

    const atB = await pullAll(devB, 'transfers');
    expect(atB.docs.map((d) => d.id)).toEqual([transfer.id]);
    expect((await pullAll(devC, 'transfers')).docs).toEqual([]);

    // B accepts; A sees the acceptance. B may not re-address it.
    const accepted = { ...transfer, status: 'accepted', decidedAt: '2026-01-01T09:00:00.000Z', decidedBy: { staffId: 'kepala.b', role: 'head', deviceId: devB.deviceId }, updatedAt: '2026-01-01T09:00:00.000Z' };
    expect((await pushRows(devB, 'transfers', [{ assumedMasterState: transfer, newDocumentState: accepted }])).json()).toEqual([]);
    const atA = await pullAll(devA, 'transfers');
    expect(atA.docs.find((d) => d.id === transfer.id)).toMatchObject({ status: 'accepted' });
    const readdressed = { ...accepted, toBranch: c };
    expect((await pushRows(devB, 'transfers', [{ assumedMasterState: accepted, newDocumentState: readdressed }])).statusCode).toBe(403);
  });
});

describe('concurrent writers', () => {
  it('a pull running alongside parallel pushes never skips a document (commits follow seq order)', async () => {
    const start = (await pullAll(devA2, 'tickets')).checkpoint;
    const pushed: string[] = [];
    let writing = true;
    const writer = async (device: TestDevice) => {
      const batches = Array.from({ length: 15 }, () => Array.from({ length: 4 }, () => ticket(a)));
      await Promise.all(
        batches.map(async (batch) => {
          pushed.push(...batch.map((d) => d.id as string));
          const res = await pushRows(device, 'tickets', batch.map((d) => ({ assumedMasterState: null, newDocumentState: d })));
          expect(res.statusCode).toBe(200);
        }),
      );
    };
    const seen: string[] = [];
    const reader = async () => {
      let cp = start;
      for (let i = 0; i < 10_000; i++) {
        const done = !writing;
        const page = await pullPage(devA2, 'tickets', cp, 7);
        seen.push(...page.documents.map((d) => d.id));
        cp = page.checkpoint ?? cp;
        if (done && page.documents.length === 0) return;
      }
      throw new Error('reader did not finish');
    };
    const readerDone = reader();
    await Promise.all([writer(devA), writer(devA2)]);
    writing = false;
    await readerDone;
    expect(seen.length).toBe(pushed.length);
    expect(new Set(seen)).toEqual(new Set(pushed));
  });

  it('a push checked before the write lock is checked again if another device changed the master meanwhile', async () => {
    const id = randomUUID();
    const v1 = ticket(a, id, { status: 'waiting' });
    expect((await pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: v1 }])).statusCode).toBe(200);
    const seqV1 = await seqOf('tickets', id);
    // Device A's push of v2 is checked (outside the lock) against v1, then waits while device A2 writes v3.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let checkedBeforeLock!: () => void;
    const firstCheck = new Promise<void>((r) => (checkedBeforeLock = r));
    const seen: (number | null)[] = [];
    const gated: Validator = async (collection, doc, device, context) => {
      seen.push(context.master?.seq ?? null);
      if (seen.length === 1) {
        checkedBeforeLock();
        await gate;
      }
      return validateIncoming(collection, doc, device, context);
    };
    const deviceA = { deviceId: devA.deviceId, branchCode: a, name: 'A' };
    const v2 = ticket(a, id, { status: 'called' });
    const pending = push(hq.db, 'tickets', deviceA, [{ assumedMasterState: v1 as SyncDocument, newDocumentState: v2 as SyncDocument }], new Date(), gated);
    await firstCheck;
    const v3 = ticket(a, id, { status: 'serving' });
    expect((await pushRows(devA2, 'tickets', [{ assumedMasterState: v1, newDocumentState: v3 }])).statusCode).toBe(200);
    const seqV3 = await seqOf('tickets', id);
    release();
    const result = await pending;
    expect(seqV3).toBeGreaterThan(seqV1!);
    // Checked twice: before the lock against v1, under it against v3; v2 assumed v1, so it is a conflict.
    expect(seen).toEqual([seqV1, seqV3]);
    expect(result.conflicts.map((d) => d.status)).toEqual(['serving']);
    expect(result.written).toEqual([]);
    expect(await seqOf('tickets', id)).toBe(seqV3);
  });

  it('the same new document from two devices at once: one write, the other a no-op or conflict, never an error', async () => {
    for (let round = 0; round < 10; round++) {
      const id = randomUUID();
      const [r1, r2] = await Promise.all([
        pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: ticket(a, id, { status: 'waiting' }) }]),
        pushRows(devA2, 'tickets', [{ assumedMasterState: null, newDocumentState: ticket(a, id, { status: 'called' }) }]),
      ]);
      expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
      const conflicts = [...r1.json<unknown[]>(), ...r2.json<unknown[]>()];
      expect(conflicts).toHaveLength(1);
      expect(await seqOf('tickets', id)).toBeGreaterThan(0);
    }
  });
});

