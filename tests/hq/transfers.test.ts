import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseJournal } from '../../renderer/src/data/db/case-journal';
import type { CaseDoc, TransferDoc } from '../../renderer/src/data/db/schemas';
import { AuditLog } from '../../renderer/src/data/db/stores';
import { TransferDesk } from '../../renderer/src/data/db/transfers';
import { createNikHasher, type NikKeySource } from '../../renderer/src/data/nik-hash';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import type { PullResponse, SyncDocument } from '@shared/sync/protocol';
import { makeNik } from '../unit/machines/fixtures';
import { createEnrolCode } from '../../hq/admin';
import { enrol, makeBranch, startHq } from './helpers';
import type { Hq, TestDevice } from './helpers';
import { createDevice, type SimDevice } from './device-sim';

// A transfer between branches through HQ, end to end on real PostgreSQL: two branch PCs (main's HQ
// link + the renderer's replication, RxDB memory storage) and a third branch's PC. Branch A's case
// records a transfer at the person's request → it reaches HQ → B's PC pulls the transfer and the
// case (read-only) → B's head accepts → A's PC pulls the acceptance. HQ refuses (and quarantines,
// with the reason) B creating a transfer in A's name, A deciding its own transfer, and B editing
// A's case; C sees none of it. Generated branches and people only.

let hq: Hq;
let url: string;
let a: string;
let b: string;
let c: string;
const sims: SimDevice[] = [];
let devA: SimDevice;
let devB: SimDevice;
let devC: SimDevice;
// Raw HTTP devices of the same branches, for what the app itself would never send.
let rawA: TestDevice;
let rawB: TestDevice;
let rawC: TestDevice;

const SYNCED: ('cases' | 'transfers' | 'audit')[] = ['cases', 'transfers', 'audit'];

beforeAll(async () => {
  hq = await startHq('transfers');
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = hq.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${addr.port}`;
  [a, b, c] = [await makeBranch(hq.db), await makeBranch(hq.db), await makeBranch(hq.db)];
  devA = await createDevice({ name: 'a', branch: a, slot: 1, hqUrl: url, code: (await createEnrolCode(hq.db, a)).code, collections: SYNCED, pollMs: 1_000 });
  devB = await createDevice({ name: 'b', branch: b, slot: 1, hqUrl: url, code: (await createEnrolCode(hq.db, b)).code, collections: SYNCED, pollMs: 1_000 });
  devC = await createDevice({ name: 'c', branch: c, slot: 1, hqUrl: url, code: (await createEnrolCode(hq.db, c)).code, collections: ['cases', 'transfers'], pollMs: 1_000 });
  sims.push(devA, devB, devC);
  for (const d of sims) await d.startSync();
  rawA = await enrol(hq.app, hq.db, a);
  rawB = await enrol(hq.app, hq.db, b);
  rawC = await enrol(hq.app, hq.db, c);
}, 120_000);

afterAll(async () => {
  for (const d of sims) await d.close();
  await hq?.close();
}, 60_000);

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Row = { assumedMasterState: Record<string, unknown> | null; newDocumentState: Record<string, unknown> };
const pushRaw = (device: TestDevice, collection: string, rows: Row[]) =>
  hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: rows });

async function pullRaw(device: TestDevice, collection: string, cp: { id: string; seq: number } | null = null): Promise<PullResponse> {
  const q = cp ? `?id=${encodeURIComponent(cp.id)}&seq=${cp.seq}&limit=1000` : '?limit=1000';
  const res = await hq.app.inject({ url: `/v1/sync/${collection}/pull${q}`, headers: device.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PullResponse>();
}

async function hqDoc(collection: string, id: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await hq.db.query<{ data: Record<string, unknown> }>('SELECT data FROM documents WHERE collection = $1 AND id = $2', [collection, id]);
  return rows[0]?.data;
}

async function quarantined(id: string): Promise<{ reason: string; device_id: string }[]> {
  const { rows } = await hq.db.query<{ reason: string; device_id: string }>('SELECT reason, device_id FROM quarantine WHERE id = $1 ORDER BY qid', [id]);
  return rows;
}

const officer = (d: SimDevice) => ({ staffId: `petugas.${d.name}`, role: 'officer' as const, deviceId: d.deviceId });
const headOf = (d: SimDevice) => ({ staffId: `kepala.${d.name}`, role: 'head' as const });

/** Opens a case on A's PC whose person asks to be served at B; returns the case id. */
async function requestTransfer(journal: CaseJournal, to: string, from: string): Promise<string> {
  const id = `${from}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const now = Date.now();
  const at = (min: number) => new Date(now + min * 60_000).toISOString();
  await journal.open({
    id,
    flow: 'jmo-reset',
    person: { nik: makeNik('1988-02-03', 'female', 7), name: 'Peserta Uji Pindah' },
    input: { config: { ...DEFAULT_CASE_CONFIG, branchCode: from } },
    openedBy: { staffId: 'petugas.a', role: 'officer' },
  });
  const r = await journal.append(id, {
    type: 'transfer.requested',
    targetBranch: to,
    reason: 'PERSON_REQUESTED',
    slaDeadline: at(24 * 60),
    at: at(1),
    actor: officer(devA),
  });
  if (!r.ok) throw new Error(`transfer not recorded: ${JSON.stringify(r.rejection)}`);
  return id;
}

describe('a transfer travels through HQ', () => {
  let caseId: string;
  let transferId: string;

  it('A requests → HQ → B pulls the transfer and the case; C sees nothing', async () => {
    const key = await devA.core.dispatch('sim-page', 'secrets.dbKey', undefined);
    if (!key.ok) throw new Error('no key');
    const auditA = new AuditLog(devA.db.audit, devA.deviceId);
    const journal = new CaseJournal(devA.db, await createNikHasher(key.value as NikKeySource), a, () => new Date(), auditA);
    caseId = await requestTransfer(journal, b, a);
    transferId = `${caseId}:transfer`;

    const atHq = await until('HQ stores the transfer and the case', async () => (await hqDoc('cases', caseId)) && hqDoc('transfers', transferId));
    expect(atHq).toMatchObject({ fromBranch: a, toBranch: b, status: 'requested' });

    // B's PC has the transfer and the case it carries.
    const atB = await until('B pulls the transfer', () => devB.db.transfers.findOne(transferId).exec());
    expect(atB.toJSON()).toMatchObject({ fromBranch: a, toBranch: b, status: 'requested' });
    // The case travels too, as A wrote it last (the journal with the transfer event; closed).
    const caseAtB = await until('B pulls the case with its journal', async () => {
      const d = await devB.db.cases.findOne(caseId).exec();
      return d?.journalLength === 1 ? d : null;
    });
    expect(caseAtB.toJSON()).toMatchObject({ branchCode: a, flow: 'jmo-reset', status: 'closed' });
    expect((caseAtB.toJSON() as CaseDoc).events.map((e) => e.type)).toEqual(['transfer.requested']);

    const deskB = new TransferDesk(devB.db, b, new AuditLog(devB.db.audit, devB.deviceId));
    const incoming = await deskB.incoming();
    expect(incoming).toHaveLength(1);
    expect(incoming[0]).toMatchObject({ id: transferId, fromBranch: a, overdue: false, caseSummary: { flow: 'jmo-reset' } });

    // C: neither the transfer nor the case, on its PC or from HQ.
    await devC.replication!.awaitInSync();
    expect(await devC.db.transfers.find().exec()).toHaveLength(0);
    expect(await devC.db.cases.find().exec()).toHaveLength(0);
    expect((await pullRaw(rawC, 'transfers')).documents).toEqual([]);
    expect((await pullRaw(rawC, 'cases')).documents).toEqual([]);
  }, 60_000);

  it('HQ refuses, with the reason in quarantine: B creating a transfer from A, A accepting its own, B editing A’s case', async () => {
    const master = (await hqDoc('transfers', transferId))! as unknown as TransferDoc;

    // B forges a transfer in A's name (of A's case, to C).
    const forged = { ...master, id: `${randomUUID()}:transfer`, toBranch: c };
    const f = await pushRaw(rawB, 'transfers', [{ assumedMasterState: null, newDocumentState: forged }]);
    expect(f.statusCode, f.body).toBe(403);
    const forgedQ = await quarantined(forged.id);
    expect(forgedQ.map((q) => q.device_id)).toEqual([rawB.deviceId]);
    expect(forgedQ[0]!.reason).toMatch(/only the sending branch/);

    // A accepts its own outgoing transfer.
    const selfAccepted = { ...master, status: 'accepted', decidedAt: new Date().toISOString(), decidedBy: { staffId: 'kepala.a', role: 'head', deviceId: rawA.deviceId }, updatedAt: new Date().toISOString() };
    const s = await pushRaw(rawA, 'transfers', [{ assumedMasterState: master as never, newDocumentState: selfAccepted }]);
    expect(s.statusCode, s.body).toBe(403);
    expect(s.json<{ error: { details: { rejected: { reason: string }[] } } }>().error.details.rejected[0]!.reason).toMatch(/only the receiving branch/);
    const selfQ = await quarantined(transferId);
    expect(selfQ.map((q) => q.device_id)).toEqual([rawA.deviceId]);
    expect(selfQ[0]!.reason).toMatch(/only the receiving branch/);

    // B's copy of A's case is read-only: an edit is refused by the case's branch scope.
    const theCase = (await hqDoc('cases', caseId))!;
    const edited = { ...theCase, updatedAt: new Date().toISOString() };
    const e = await pushRaw(rawB, 'cases', [{ assumedMasterState: theCase, newDocumentState: edited }]);
    expect(e.statusCode, e.body).toBe(403);
    const caseQ = await quarantined(caseId);
    expect(caseQ).toHaveLength(1);
    expect(caseQ[0]!.reason).toMatch(/branch/);

    // A decision without who decided is refused too (the person is told by whom).
    const anonymous = { ...master, status: 'accepted', updatedAt: new Date().toISOString() };
    const n = await pushRaw(rawB, 'transfers', [{ assumedMasterState: master as never, newDocumentState: anonymous }]);
    expect(n.statusCode, n.body).toBe(422);

    // Nothing of that reached HQ's copy.
    expect(await hqDoc('transfers', transferId)).toEqual(master);
    expect(await hqDoc('transfers', forged.id)).toBeUndefined();
  });

  it('B accepts → pushed by B → A pulls "accepted", by whom and when', async () => {
    const deskB = new TransferDesk(devB.db, b, new AuditLog(devB.db.audit, devB.deviceId));
    const r = await deskB.accept(transferId, headOf(devB));
    expect(r.ok, JSON.stringify(r)).toBe(true);

    const atHq = await until('HQ stores the acceptance', async () => {
      const d = await hqDoc('transfers', transferId);
      return d?.status === 'accepted' ? d : null;
    });
    expect(atHq).toMatchObject({ decidedBy: { staffId: 'kepala.b', role: 'head', deviceId: devB.deviceId } });

    const atA = await until('A pulls the acceptance', async () => {
      const d = await devA.db.transfers.findOne(transferId).exec();
      return d?.status === 'accepted' ? d : null;
    });
    expect(atA.toJSON()).toMatchObject({ status: 'accepted', decidedBy: { staffId: 'kepala.b' }, decidedAt: atHq.decidedAt });
    const deskA = new TransferDesk(devA.db, a, new AuditLog(devA.db.audit, devA.deviceId));
    expect((await deskA.outgoing()).map((t) => [t.id, t.status])).toEqual([[transferId, 'accepted']]);

    // B's decision is in B's audit chain, and that chain reached HQ intact.
    await until('B is in sync', () => Promise.resolve(devB.status.getSnapshot().pendingCount === 0 ? true : null));
    const { rows } = await hq.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM documents WHERE collection = 'audit' AND (data ->> 'action') = 'transfer.accepted' AND (data ->> 'deviceId') = $1`,
      [devB.deviceId],
    );
    expect(Number(rows[0]!.n)).toBe(1);
    // A decision is final: B cannot turn it into a decline afterwards.
    const again = await pushRaw(rawB, 'transfers', [{ assumedMasterState: atHq, newDocumentState: { ...atHq, status: 'declined', declineReason: 'Berubah pikiran', decidedBy: { staffId: 'kepala.b', role: 'head', deviceId: rawB.deviceId } } }]);
    expect(again.statusCode, again.body).toBe(422);
    expect(again.json<{ error: { details: { rejected: { reason: string }[] } } }>().error.details.rejected[0]!.reason).toMatch(/final/);
  }, 60_000);

  it('the case reaches B even when B’s case checkpoint is already past it (HQ re-sequences it with the transfer)', async () => {
    const base = (await pullRaw(rawB, 'cases')).checkpoint;
    // A's case (from A's PC, not yet transferred) reaches HQ first…
    const key = await devA.core.dispatch('sim-page', 'secrets.dbKey', undefined);
    if (!key.ok) throw new Error('no key');
    await devA.stopSync();
    const journal = new CaseJournal(devA.db, await createNikHasher(key.value as NikKeySource), a);
    const id = await requestTransfer(journal, b, a);
    const caseDoc = stripBookkeeping((await devA.db.cases.findOne(id).exec())!.toJSON());
    const transfer = stripBookkeeping((await devA.db.transfers.findOne(`${id}:transfer`).exec())!.toJSON());
    expect((await pushRaw(rawA, 'cases', [{ assumedMasterState: null, newDocumentState: caseDoc }])).statusCode).toBe(200);
    // …then one of B's own records moves B's case checkpoint past it (B's own case, written at HQ by B).
    const keyB = await devB.core.dispatch('sim-page', 'secrets.dbKey', undefined);
    if (!keyB.ok) throw new Error('no key');
    await devB.stopSync();
    const bId = `${b}-${randomUUID().slice(0, 8).toUpperCase()}`;
    await new CaseJournal(devB.db, await createNikHasher(keyB.value as NikKeySource), b).open({
      id: bId,
      flow: 'jmo-reset',
      person: { nik: makeNik('1990-04-05', 'male', 9), name: 'Peserta Uji Cabang B' },
      input: { config: { ...DEFAULT_CASE_CONFIG, branchCode: b } },
      openedBy: { staffId: 'petugas.b', role: 'officer' },
    });
    const bCase = stripBookkeeping((await devB.db.cases.findOne(bId).exec())!.toJSON());
    const ownB = await pushRaw(rawB, 'cases', [{ assumedMasterState: null, newDocumentState: bCase }]);
    expect(ownB.statusCode, ownB.body).toBe(200);
    const before = await pullRaw(rawB, 'cases', base);
    expect(before.documents.map((d) => d.id)).toEqual([bCase.id]);
    // The transfer arrives: A's case comes after B's checkpoint.
    expect((await pushRaw(rawA, 'transfers', [{ assumedMasterState: null, newDocumentState: transfer }])).statusCode).toBe(200);
    const after = await pullRaw(rawB, 'cases', before.checkpoint);
    expect(after.documents.map((d) => d.id)).toEqual([id]);
    expect(stripBookkeeping(after.documents[0] as SyncDocument)).toEqual(caseDoc);
    await devA.startSync();
    await devB.startSync();
  }, 60_000);
});

function stripBookkeeping(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));
}
