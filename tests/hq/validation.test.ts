import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../hq/admin';
import type { QuarantinePage } from '../../hq/store';
import { nodeSha256Hex } from '../../hq/validate';
import { appendEntry, computeEntryHash, type AuditEntry } from '@shared/audit/chain';
import { HqErrorBody, type PullResponse } from '@shared/sync/protocol';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { makeNik, officer, security, wib } from '../unit/machines/fixtures';
import { branchCaseConfig, branchNikHash, ticket, twoBranches } from './helpers';
import type { Hq, TestDevice } from './helpers';

// HQ validates what devices push (issue 6, point 4): the shared record schemas, case journals
// replayed through the same machines, audit chains continued from what HQ stores. Anything refused
// is quarantined with a precise reason (422 DOCUMENT_REFUSED), shown at GET /v1/quarantine to the
// branch's devices, never pulled, and never blocks the device's next valid push.
// Generated data only: made-up NIKs (district 317101) and names.

let hq: Hq;
let a: string;
let b: string;
let devA: TestDevice;
let devA2: TestDevice;
let devB: TestDevice;

const nikHashes: Record<string, string> = {};
beforeAll(async () => {
  ({ hq, a, b, devA, devA2, devB } = await twoBranches('validation'));
  for (const branch of [a, b]) nikHashes[branch] = await branchNikHash(hq.db, branch, NIK);
});
afterAll(async () => {
  await hq.close();
});

type Doc = Record<string, unknown>;
type Row = { assumedMasterState: Doc | null; newDocumentState: Doc };

async function pushRows(device: TestDevice, collection: string, rows: Row[]) {
  return hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: rows });
}
const fresh = (doc: Doc): Row => ({ assumedMasterState: null, newDocumentState: doc });

/** Pushes and expects 422 DOCUMENT_REFUSED naming exactly these ids; returns the reasons by id. */
async function expectRefused(device: TestDevice, collection: string, rows: Row[], ids: string[]): Promise<Record<string, string>> {
  const res = await pushRows(device, collection, rows);
  expect(res.statusCode, res.body).toBe(422);
  const body = HqErrorBody.parse(res.json());
  expect(body.error.code).toBe('DOCUMENT_REFUSED');
  const rejected = (body.error.details as { rejected: { id: string; reason: string }[] }).rejected;
  expect(rejected.map((r) => r.id).sort()).toEqual([...ids].sort());
  return Object.fromEntries(rejected.map((r) => [r.id, r.reason]));
}

async function expectAccepted(device: TestDevice, collection: string, rows: Row[]): Promise<void> {
  const res = await pushRows(device, collection, rows);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toEqual([]);
}

async function pulledIds(device: TestDevice, collection: string): Promise<string[]> {
  const res = await hq.app.inject({ url: `/v1/sync/${collection}/pull?limit=1000`, headers: device.auth });
  expect(res.statusCode).toBe(200);
  return res.json<PullResponse>().documents.map((d) => d.id);
}

async function quarantinePage(device: TestDevice, query = ''): Promise<QuarantinePage> {
  const res = await hq.app.inject({ url: `/v1/quarantine${query}`, headers: device.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<QuarantinePage>();
}

// ---- case documents built with the real machines (as the renderer's case journal builds them) -----

const NIK = makeNik('1988-08-17', 'female', 31);
const person = { nik: NIK, name: 'Peserta Validasi Uji', phone: '081200000031' };
const at = (time: string) => wib('2026-03-02', time);
const ev = (type: string, payload: object, time: string, actor = officer) => ({ type, at: at(time), actor, ...payload });
const resetJourney = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:15'),
  ev('contact.updated', { email: 'peserta.validasi@example.org', phone: '081200000031' }, '09:17'),
  ev('reset.requested', {}, '09:18'),
  ev('reset.confirmed', {}, '09:20'),
  ev('receipt.issued', {}, '09:21'),
];

function jmoCase(branch: string, events: Doc[], id = `CASE-${randomUUID()}`): Doc {
  const openedAt = at('09:10');
  const input = { openedAt, caseId: id, nik: NIK, config: branchCaseConfig(branch) };
  const r = replay(CASE_MACHINES['jmo-reset'], input as never, events);
  const snapshot = storedSnapshot(r.snapshot as never);
  return {
    id,
    branchCode: branch,
    flow: 'jmo-reset',
    status: snapshot.status === 'done' ? 'closed' : 'open',
    nikHash: nikHashes[branch]!,
    person,
    input,
    events,
    snapshot,
    journalLength: events.length,
    openedAt,
    updatedAt: events.length ? String(events.at(-1)!.at) : openedAt,
  };
}

// ---- audit chains built with the shared chain module ----------------------------------------------

const auditId = (deviceId: string, seq: number) => `${deviceId}:${String(seq).padStart(10, '0')}`;
const auditDoc = (e: AuditEntry): Doc => ({ id: auditId(e.deviceId, e.seq), ...e });

async function chainOf(deviceId: string, n: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await appendEntry(nodeSha256Hex, out.at(-1) ?? null, {
        deviceId,
        at: at(`10:${String(i).padStart(2, '0')}`),
        actor: { staffId: 'officer01', role: 'officer' },
        action: 'case.event',
        subject: { kind: 'case', id: `CASE-A-${i}` },
        details: { type: 'identity.checked', journalLength: i + 1 },
      }),
    );
  }
  return out;
}

describe('cases: journal replayed at HQ', () => {
  it('accepts a valid case and each valid continuation of its journal', async () => {
    const opened = jmoCase(a, resetJourney.slice(0, 2));
    await expectAccepted(devA, 'cases', [fresh(opened)]);
    const continued = jmoCase(a, resetJourney, String(opened.id));
    await expectAccepted(devA2, 'cases', [{ assumedMasterState: opened, newDocumentState: continued }]);
    expect(await pulledIds(devA2, 'cases')).toContain(opened.id);
    const pulled = (await hq.app.inject({ url: '/v1/sync/cases/pull?limit=1000', headers: devA.auth })).json<PullResponse>();
    expect(pulled.documents.find((d) => d.id === opened.id)).toMatchObject({ status: 'closed', journalLength: 5, snapshot: { status: 'done' } });
  });

  it('quarantines a case whose snapshot does not match its journal', async () => {
    const doc = jmoCase(a, resetJourney.slice(0, 3));
    const snapshot = doc.snapshot as { value: unknown; status: string; context: Record<string, unknown> };
    const forged = { ...doc, snapshot: { ...snapshot, value: 'resetting', context: { ...snapshot.context, contact: null } } };
    const reasons = await expectRefused(devA, 'cases', [fresh(forged)], [String(doc.id)]);
    expect(reasons[String(doc.id)]).toMatch(/^snapshot: differs from the replay of the journal \(value, context\)$/);
  });

  it('quarantines a journal that does not replay (security staff cannot act in a case)', async () => {
    const bySecurity = [ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:15', security)];
    const doc: Doc = { ...jmoCase(a, []), events: bySecurity, journalLength: 1 };
    const reasons = await expectRefused(devA, 'cases', [fresh(doc)], [String(doc.id)]);
    expect(reasons[String(doc.id)]).toBe('journal: event 0 (identity.checked) does not replay: ROLE_NOT_ALLOWED: security may not fire identity.checked');
  });

  it('quarantines a journal with an event that breaks a rule, and one out of order', async () => {
    const badContact: Doc = { ...jmoCase(a, []), events: [resetJourney[0], ev('contact.updated', { email: 'x', phone: '0812' }, '09:16')], journalLength: 2 };
    const backwards: Doc = { ...jmoCase(a, []), events: [resetJourney[0], ev('contact.updated', { email: 'peserta@example.org', phone: '081200000031' }, '09:14')], journalLength: 2 };
    const reasons = await expectRefused(devA, 'cases', [fresh(badContact), fresh(backwards)], [String(badContact.id), String(backwards.id)]);
    expect(reasons[String(badContact.id)]).toMatch(/^journal: event 1 \(contact\.updated\) does not replay: GUARD_FAILED/);
    expect(reasons[String(backwards.id)]).toMatch(/^journal: event 1 \(contact\.updated\) does not replay: OUT_OF_ORDER/);
  });

  it('quarantines an update that drops events HQ has, or changes the input, or miscounts the journal', async () => {
    const full = jmoCase(a, resetJourney.slice(0, 3));
    await expectAccepted(devA, 'cases', [fresh(full)]);
    const shorter = jmoCase(a, resetJourney.slice(0, 2), String(full.id));
    const reasons = await expectRefused(devA, 'cases', [{ assumedMasterState: full, newDocumentState: shorter }], [String(full.id)]);
    expect(reasons[String(full.id)]).toBe('journal: drops 1 event(s) HQ already has (a journal only grows)');

    const otherInput = { ...full, input: { ...(full.input as Doc), openedBy: 'officer99' } };
    expect((await expectRefused(devA, 'cases', [{ assumedMasterState: full, newDocumentState: otherInput }], [String(full.id)]))[String(full.id)]).toBe(
      'journal: input differs from the stored case',
    );
    const miscounted: Doc = { ...jmoCase(a, resetJourney.slice(0, 2)), journalLength: 3 };
    expect((await expectRefused(devA, 'cases', [fresh(miscounted)], [String(miscounted.id)]))[String(miscounted.id)]).toBe(
      'journal: journalLength is 3 but the journal has 2 events',
    );
    const closedTooEarly: Doc = { ...jmoCase(a, resetJourney.slice(0, 2)), status: 'closed' };
    expect((await expectRefused(devA, 'cases', [fresh(closedTooEarly)], [String(closedTooEarly.id)]))[String(closedTooEarly.id)]).toBe(
      'status: closed but the replayed machine is active',
    );
  });
});

describe('record schemas at HQ', () => {
  it('quarantines a ticket with a bad status, and keeps the valid rest of the batch', async () => {
    const bad = ticket(a, randomUUID(), { status: 'finished' });
    const good = ticket(a);
    const reasons = await expectRefused(devA, 'tickets', [fresh(bad), fresh(good)], [String(bad.id)]);
    expect(reasons[String(bad.id)]).toMatch(/^schema: status: Invalid option: expected one of "waiting"\|"called"/);
    const ids = await pulledIds(devA, 'tickets');
    expect(ids).toContain(good.id);
    expect(ids).not.toContain(bad.id);
  });

  it('names every problem of a malformed document (up to five)', async () => {
    const bad: Doc = { ...ticket(a), slot: 12, status: 'finished', person: { name: 'Peserta Uji' } };
    const reasons = await expectRefused(devA, 'tickets', [fresh(bad)], [String(bad.id)]);
    expect(reasons[String(bad.id)]).toMatch(/^schema: /);
    expect(reasons[String(bad.id)]).toContain('slot:');
    expect(reasons[String(bad.id)]).toContain('status:');
    // v2 tickets hold no person at all: one is an unknown key, refused.
    expect(reasons[String(bad.id)]).toContain('person');
  });
});

describe('audit chains continued at HQ', () => {
  let chain: AuditEntry[];

  beforeAll(async () => {
    chain = await chainOf(devA.deviceId, 8);
    await expectAccepted(devA, 'audit', chain.slice(0, 3).map((e) => fresh(auditDoc(e))));
  });

  it('accepts a batch in any order (checked in seq order) and an identical retry', async () => {
    await expectAccepted(devA, 'audit', [fresh(auditDoc(chain[4]!)), fresh(auditDoc(chain[3]!))]);
    await expectAccepted(devA, 'audit', [fresh(auditDoc(chain[3]!))]);
  });

  it('quarantines an entry whose prevHash does not continue the chain', async () => {
    // Entry 6 linked to entry 4 instead of 5, its own hash recomputed: only the link is wrong.
    const relinked = { ...chain[5]!, prevHash: chain[3]!.hash };
    const doc = auditDoc({ ...relinked, hash: await computeEntryHash(nodeSha256Hex, relinked) });
    const reasons = await expectRefused(devA, 'audit', [fresh(doc)], [String(doc.id)]);
    expect(reasons[String(doc.id)]).toBe(`audit: prevHash is not the hash of the previous entry at seq 6 (HQ has this device's chain up to seq 5)`);
  });

  it('quarantines a gap in seq', async () => {
    const doc = auditDoc(chain[6]!); // seq 7 while HQ has up to 5
    const reasons = await expectRefused(devA, 'audit', [fresh(doc)], [String(doc.id)]);
    expect(reasons[String(doc.id)]).toBe("audit: gap in seq: entry 7 but HQ has this device's chain up to seq 5, so the next is 6");
  });

  it('quarantines an entry whose details were edited after hashing', async () => {
    const doc: Doc = { ...auditDoc(chain[5]!), details: { type: 'kpj.removed', journalLength: 1 } };
    const reasons = await expectRefused(devA, 'audit', [fresh(doc)], [String(doc.id)]);
    expect(reasons[String(doc.id)]).toBe("audit: hash does not match the entry (edited?) at seq 6 (HQ has this device's chain up to seq 5)");
  });

  it('quarantines an edit of a stored entry, a fork at a taken seq, a deletion, and another device’s chain', async () => {
    const stored = auditDoc(chain[1]!);
    const edited = { ...stored, details: { type: 'tampered' } };
    expect((await expectRefused(devA, 'audit', [{ assumedMasterState: stored, newDocumentState: edited }], [String(stored.id)]))[String(stored.id)]).toBe(
      'audit: an entry HQ already has cannot change',
    );
    const fork: Doc = { ...auditDoc(chain[2]!), id: `${devA.deviceId}:fork-3` };
    // A fork needs another id for a taken seq; ids are the chain position, so it is refused as such.
    expect((await expectRefused(devA, 'audit', [fresh(fork)], [String(fork.id)]))[String(fork.id)]).toBe(
      'audit: id is not deviceId:seq (10 digits)',
    );
    const deleted = { ...stored, _deleted: true };
    expect((await expectRefused(devA, 'audit', [{ assumedMasterState: stored, newDocumentState: deleted }], [String(stored.id)]))[String(stored.id)]).toBe(
      'audit: entries are append-only; a deletion is refused',
    );
    const foreign = auditDoc((await chainOf(devA2.deviceId, 1))[0]!);
    expect((await expectRefused(devA, 'audit', [fresh(foreign)], [String(foreign.id)]))[String(foreign.id)]).toBe(
      'audit: deviceId is not the pushing device (each device pushes its own chain)',
    );
  });

  it('still accepts the device’s next valid entries afterwards', async () => {
    await expectAccepted(devA, 'audit', chain.slice(5).map((e) => fresh(auditDoc(e))));
    const ids = await pulledIds(devA, 'audit');
    for (const e of chain) expect(ids).toContain(auditId(e.deviceId, e.seq));
    expect(ids).not.toContain(`${devA.deviceId}:fork-3`);
  });
});

describe('quarantine is visible, not pulled, and does not block the device', () => {
  it('lists the branch’s refused documents with reasons, newest first, paged; another branch sees none', async () => {
    const first = await quarantinePage(devA, '?limit=200');
    expect(first.next).toBeNull();
    const reasons = first.entries.map((q) => q.reason);
    for (const pattern of [/^snapshot: differs/, /ROLE_NOT_ALLOWED/, /^schema: status/, /^audit: prevHash/, /^audit: gap in seq/, /^audit: hash does not match/]) {
      expect(reasons.some((r) => pattern.test(r)), String(pattern)).toBe(true);
    }
    expect(first.entries.every((q) => q.branchCode === a)).toBe(true);
    const qids = first.entries.map((q) => q.qid);
    expect(qids).toEqual([...qids].sort((x, y) => y - x));
    expect(first.entries[0]!.attempts).toBe(1);
    expect(first.entries.every((q) => q.deviceId === devA.deviceId && typeof q.data === 'object')).toBe(true);

    // Paging: the pages together are the whole list, in order, without overlap.
    const paged: number[] = [];
    let query = '?limit=3';
    for (let i = 0; i < 100; i++) {
      const page = await quarantinePage(devA2, query);
      paged.push(...page.entries.map((q) => q.qid));
      if (page.next === null) break;
      query = `?limit=3&before=${page.next}`;
    }
    expect(paged).toEqual(qids);

    expect((await quarantinePage(devB)).entries).toEqual([]);
    expect((await hq.app.inject({ url: `/v1/branches/${a}/quarantine`, headers: devB.auth })).statusCode).toBe(403);
    expect((await hq.app.inject({ url: `/v1/branches/${a}/quarantine?limit=1`, headers: devA.auth })).json<QuarantinePage>().entries).toHaveLength(1);
    for (const bad of ['?limit=0', '?limit=201', '?limit=x', '?before=-1', '?other=1']) {
      const res = await hq.app.inject({ url: `/v1/quarantine${bad}`, headers: devA.auth });
      expect(res.statusCode, bad).toBe(400);
      expect(HqErrorBody.parse(res.json()).error.code).toBe('INVALID_PAYLOAD');
    }
    expect((await hq.app.inject({ url: '/v1/quarantine' })).statusCode).toBe(401);
  });

  it('never pulls a quarantined document, and a retried refused push is one entry with more attempts', async () => {
    const { entries } = await quarantinePage(devA, '?limit=200');
    for (const collection of ['cases', 'tickets']) {
      const pulled = new Set(await pulledIds(devA, collection));
      const neverStored = entries.filter((q) => q.collection === collection && !/drops|input differs/.test(q.reason));
      for (const q of neverStored) expect(pulled.has(q.id), `${collection}/${q.id}`).toBe(false);
    }
    const bad = ticket(a, randomUUID(), { status: 'lost' });
    await expectRefused(devA, 'tickets', [fresh(bad)], [String(bad.id)]);
    await expectRefused(devA, 'tickets', [fresh(bad)], [String(bad.id)]);
    const again = (await quarantinePage(devA)).entries.filter((q) => q.id === bad.id);
    expect(again).toHaveLength(1);
    expect(again[0]!.attempts).toBe(2);
  });

  it('the device pushes valid documents right after refusals', async () => {
    await expectAccepted(devA, 'tickets', [fresh(ticket(a))]);
    await expectAccepted(devA, 'cases', [fresh(jmoCase(a, resetJourney.slice(0, 1)))]);
  });

  it('the admin CLI lists the quarantine with reasons, per branch or for all', async () => {
    const text = await runAdminCommand(hq.db, ['quarantine', a]);
    expect(text).toMatch(/cases\/CASE-.*\n {4}journal: event 0 \(identity\.checked\) does not replay: ROLE_NOT_ALLOWED/);
    expect(text).toContain('audit: gap in seq');
    expect(text).not.toContain(NIK);
    expect(await runAdminCommand(hq.db, ['quarantine', b])).toBe('quarantine is empty');
    expect(await runAdminCommand(hq.db, ['quarantine'])).toContain(a);
    await expect(runAdminCommand(hq.db, ['quarantine', 'NOPE99'])).rejects.toThrow(/unknown branch/);
  });

  it('keeps personal data out of the logs', () => {
    const text = hq.log.lines.join('\n');
    expect(text).toContain('"msg":"push"');
    expect(text).not.toContain(NIK);
    expect(text).not.toContain(person.name);
    expect(text).not.toContain(person.phone);
  });
});
