import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq, type HqApp } from '../../hq/app';
import { pgSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { checkPersonKeys, newPersonKeyFile, parsePersonKeys, resealPersonFieldsIfNeeded, type PersonKeys } from '../../hq/person-crypto';
import { appendEntry, type AuditEntry } from '@shared/audit/chain';
import type { PullResponse } from '@shared/sync/protocol';
import { DeviceAuditLog } from '../../main/audit/device-log';
import { nodeSha256Hex } from '../../main/audit/device-key';
import { fileVault } from '../../main/secrets';
import { handcarrySigningKey } from '../../main/storage/handcarry-key';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { head, officer, wib } from '../unit/machines/fixtures';
import { memoryLog, tempDir } from '../unit/main/helpers';
import { branchCaseConfig, branchNikHash, captureLog, enrol, freshDatabase, makeBranch, pushValidCase, type TestDevice } from './helpers';

// Issue 18 pt 8, the rest of "HQ encrypts person fields": besides a case, what HQ stores can carry
// a person's name, phone, KPJ number or a head's free-text note about them: a refusal's review
// (the head's note), a renderer audit entry's details (a pending-KPJ review holds the KPJ and the
// note), a declined transfer's reason, main's audit entries' details, and the same documents when
// refused (quarantine). Read straight from PostgreSQL none of them shows; HQ's own checks (the
// review journal replay, both audit chains, transfer rules) and the pulls work as before. The
// re-seal at start runs only when a complete one has not finished for this key and layout.
// Generated NIKs, names and numbers only.

const NIK = '3171011506850041'; // generated: as pushValidCase
const NAME = 'Siti Peserta Contoh';
const PHONE = '081298765432';
const KPJ = '19012345678';
const NOTE = `Dihubungi ${NAME} di ${PHONE}, KPJ ${KPJ}`;
const SECRETS = [NAME, PHONE, KPJ];

let db: Sql;
let drop: () => Promise<void>;
let keys: PersonKeys;
let sealed: HqApp;
let clear: HqApp;
let a: string;
let b: string;
let devA: TestDevice;
let devB: TestDevice;

type Doc = Record<string, unknown>;
const logger = () => createLogger({ level: 'warn', destination: captureLog().stream });

beforeAll(async () => {
  let url: string;
  ({ url, drop } = await freshDatabase('person_seal_records'));
  db = pgSql(url);
  await migrate(db);
  keys = parsePersonKeys(newPersonKeyFile('k1'));
  await checkPersonKeys(db, keys);
  sealed = buildHq({ db, log: logger(), personKeys: keys });
  clear = buildHq({ db, log: logger() }); // as HQ stored rows before sealing them
  await sealed.ready();
  await clear.ready();
  a = await makeBranch(db);
  b = await makeBranch(db);
  devA = await enrol(sealed, db, a);
  devB = await enrol(sealed, db, b);
});
afterAll(async () => {
  await sealed.close();
  await clear.close();
  await db.close();
  await drop();
});

const push = (app: HqApp, device: TestDevice, collection: string, rows: { assumedMasterState: Doc | null; newDocumentState: Doc }[]) =>
  app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: rows });
const fresh = (doc: Doc) => ({ assumedMasterState: null, newDocumentState: doc });

async function accepted(app: HqApp, device: TestDevice, collection: string, docs: Doc[]): Promise<void> {
  const res = await push(app, device, collection, docs.map(fresh));
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toEqual([]);
}

async function rawText(table: 'documents' | 'quarantine', collection: string, id: string): Promise<string> {
  const { rows } = await db.query<{ text: string }>(`SELECT data::text AS text FROM ${table} WHERE collection = $1 AND id = $2`, [collection, id]);
  expect(rows.length, `${table} ${collection} ${id}`).toBeGreaterThan(0);
  return rows.map((r) => r.text).join('\n');
}

function expectNoSecret(text: string): void {
  for (const secret of [...SECRETS, NIK]) expect(text).not.toContain(secret);
}

async function pulled(app: HqApp, device: TestDevice, collection: string, id: string): Promise<Doc> {
  const res = await app.inject({ url: `/v1/sync/${collection}/pull?limit=1000`, headers: device.auth });
  expect(res.statusCode, res.body).toBe(200);
  const doc = res.json<PullResponse>().documents.find((d) => d.id === id);
  expect(doc, `${collection} ${id} pulled`).toBeDefined();
  return doc!;
}

/** A JMO reset case of branch `a` refused outside service hours on a Sunday (a refusal that holds). */
async function refusalCase(): Promise<Doc> {
  const id = `${a}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const day = '2026-03-01';
  const openedAt = wib(day, '09:10');
  const input = { openedAt, caseId: id, nik: NIK, config: branchCaseConfig(a) };
  const events = [{ type: 'refusal.requested', at: wib(day, '09:15'), actor: officer, code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-02', time: '09:00' } }];
  const r = replay(CASE_MACHINES['jmo-reset'], input as never, events);
  if (r.rejected) throw new Error(`fixture does not replay: ${r.rejected.reason}`);
  const snapshot = storedSnapshot(r.snapshot as never);
  return {
    id,
    branchCode: a,
    flow: 'jmo-reset',
    status: snapshot.status === 'done' ? 'closed' : 'open',
    nikHash: await branchNikHash(db, a, NIK),
    person: { nik: NIK, name: NAME, phone: PHONE },
    input,
    events,
    snapshot,
    journalLength: events.length,
    openedAt,
    updatedAt: wib(day, '09:15'),
  };
}

/** An entry of the renderer's audit chain of `device` (`prev`: its previous one). */
async function auditEntry(device: TestDevice, prev: AuditEntry | null, details: Doc) {
  const e = await appendEntry(nodeSha256Hex, prev, {
    deviceId: device.deviceId,
    at: wib('2026-03-02', '10:00'),
    actor: { staffId: `staf1.${device.branchCode.toLowerCase()}`, role: 'head' },
    action: 'pendingKpj.reviewed',
    subject: { kind: 'case', id: `${device.branchCode}-CASE` },
    details: details as never,
  });
  return { ...e, id: `${e.deviceId}:${String(e.seq).padStart(10, '0')}` };
}

describe('records besides cases that carry person data are sealed at HQ (issue 18 pt 8)', () => {
  it("a refusal's review (the head's note) is not in the table; the review still replays and pulls back opened", async () => {
    const c = await refusalCase();
    await accepted(sealed, devA, 'cases', [c]);
    const r = (c.snapshot as { context: { refusal: { code: string; at: string; actor: Doc } } }).context.refusal;
    const at = wib('2026-03-02', '10:00');
    const refusal = {
      id: `${String(c.id)}:refusal:0`,
      caseId: c.id,
      branchCode: a,
      code: r.code,
      status: 'upheld',
      at: r.at,
      actor: r.actor,
      review: { decision: 'upheld', at, actor: head, note: NOTE, category: null, followUp: null, events: [{ type: 'review.upheld', at, actor: head, note: NOTE }] },
      updatedAt: at,
    };
    await accepted(sealed, devA, 'refusals', [refusal]);
    const text = await rawText('documents', 'refusals', refusal.id);
    expectNoSecret(text);
    const raw = JSON.parse(text) as Doc;
    expect(raw).toMatchObject({ id: refusal.id, caseId: c.id, status: 'upheld', code: r.code, branchCode: a });
    expect(raw.review).toBeUndefined();
    const back = await pulled(sealed, devA, 'refusals', refusal.id);
    expect(back.review).toEqual(refusal.review);
    // A retry of the same review is a no-op against the opened master.
    await accepted(sealed, devA, 'refusals', [refusal]);
  });

  it("an audit entry's details (a pending-KPJ review: KPJ and note) are not in the table; the chain goes on", async () => {
    const first = await auditEntry(devA, null, { kpj: KPJ, note: NOTE, decision: 'overturned' });
    await accepted(sealed, devA, 'audit', [first]);
    const text = await rawText('documents', 'audit', first.id);
    expectNoSecret(text);
    const raw = JSON.parse(text) as Doc;
    // What the chain check and retention read stays in clear.
    expect(raw).toMatchObject({ deviceId: devA.deviceId, seq: 1, hash: first.hash, prevHash: first.prevHash, action: 'pendingKpj.reviewed' });
    expect(raw.details).toBeUndefined();
    // The next entry continues the chain HQ holds; the same entry again is a no-op; an edit is refused.
    const second = await auditEntry(devA, first, { note: `Telepon ${PHONE}` });
    await accepted(sealed, devA, 'audit', [first, second]);
    expect((await pulled(sealed, devA, 'audit', first.id)).details).toEqual(first.details);
    const edited = { ...second, details: { note: `Alamat ${NAME}` } };
    const res = await push(sealed, devA, 'audit', [fresh(edited)]);
    expect(res.statusCode, res.body).toBe(422);
    // Refused, it is kept sealed in the quarantine too.
    expectNoSecret(await rawText('quarantine', 'audit', second.id));
  });

  it("a declined transfer's reason is not in the table; both branches pull it opened", async () => {
    const caseId = await pushValidCase(sealed, db, devA);
    const at = '2026-03-02T03:00:00.000Z';
    const transfer = { id: randomUUID(), caseId, fromBranch: a, toBranch: b, reason: 'OTHER_BRANCH', slaDeadline: '2026-03-04T03:00:00.000Z', status: 'requested', at, updatedAt: at };
    await accepted(sealed, devA, 'transfers', [transfer]);
    const master = await pulled(sealed, devB, 'transfers', transfer.id);
    const { _deleted, ...content } = master;
    const declined = {
      ...content,
      status: 'declined',
      decidedAt: '2026-03-02T04:00:00.000Z',
      decidedBy: { staffId: `staf1.${b.toLowerCase()}`, role: 'head', deviceId: devB.deviceId },
      declineReason: `Alamat ${NAME} bukan wilayah kami, telepon ${PHONE}`,
      updatedAt: '2026-03-02T04:00:00.000Z',
    };
    const res = await push(sealed, devB, 'transfers', [{ assumedMasterState: master, newDocumentState: declined }]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual([]);
    const raw = JSON.parse(await rawText('documents', 'transfers', transfer.id)) as Doc;
    expectNoSecret(JSON.stringify(raw));
    expect(raw).toMatchObject({ caseId, fromBranch: a, toBranch: b, status: 'declined' });
    expect((await pulled(sealed, devA, 'transfers', transfer.id)).declineReason).toBe(declined.declineReason);
  });

  it("main's audit entries' details are not in device_audit; a retry is a no-op and the chain goes on", async () => {
    const vault = fileVault(tempDir(), memoryLog());
    let clock = Date.parse('2026-03-02T02:00:00Z');
    const log = new DeviceAuditLog({ dir: path.join(tempDir(), 'audit'), deviceId: devB.deviceId, key: () => handcarrySigningKey(vault), now: () => new Date((clock += 1000)) });
    const upload = (entries: unknown[]) =>
      sealed.inject({ method: 'POST', url: '/v1/audit/device', headers: devB.auth, payload: { publicKey: handcarrySigningKey(vault).publicKey, entries } });
    await log.record('staff.signInFailed', null, { staffId: NAME, code: 'PIN_WRONG' });
    await log.record('staff.created', { staffId: `staf1.${b.toLowerCase()}`, role: 'head' }, { staffId: 'petugas.baru', name: NAME, phone: PHONE });
    expect((await upload(log.entries())).statusCode).toBe(200);
    const { rows } = await db.query<{ text: string; data: Doc }>('SELECT data::text AS text, data FROM device_audit WHERE device_id = $1 ORDER BY seq', [devB.deviceId]);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expectNoSecret(r.text);
      expect(r.data.details).toBeUndefined();
      expect(r.data).toMatchObject({ deviceId: devB.deviceId, hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string });
    }
    const retry = await upload(log.entries());
    expect(retry.statusCode, retry.body).toBe(200);
    await log.record('staff.signIn', { staffId: `staf1.${b.toLowerCase()}`, role: 'head' });
    const next = await upload(log.entries());
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json()).toMatchObject({ seq: 3 });
  });
});

/** The handle as HQ's start uses it, counting the statements sent. */
function counting(inner: Sql): { db: Sql; texts: string[] } {
  const texts: string[] = [];
  const wrapped: Sql = {
    kind: inner.kind,
    query: (text, params) => {
      texts.push(text);
      return inner.query(text, params);
    },
    exec: (text) => inner.exec(text),
    transaction: (fn) => inner.transaction(fn),
    close: () => inner.close(),
  };
  return { db: wrapped, texts };
}

describe('re-sealing at start runs only when needed (issue 18 pt 8)', () => {
  it('seals rows stored in clear once, then a start reads no stored row; a new layout scans again', async () => {
    // Rows as HQ stored them before: an audit entry, main's chain and a refused entry, in clear.
    const devC = await enrol(sealed, db, a);
    const entry = await auditEntry(devC, null, { kpj: KPJ, note: NOTE });
    await accepted(clear, devC, 'audit', [entry]);
    const refusedEntry = { ...(await auditEntry(devC, entry, { note: NOTE })), seq: 5 };
    expect((await push(clear, devC, 'audit', [fresh(refusedEntry)])).statusCode).toBe(422);
    expect(await rawText('documents', 'audit', entry.id)).toContain(KPJ);
    expect(await rawText('quarantine', 'audit', refusedEntry.id)).toContain(NAME);

    const first = await resealPersonFieldsIfNeeded(db, keys);
    expect(first.skipped).toBe(false);
    expect(first.resealed).toBeGreaterThanOrEqual(2);
    expectNoSecret(await rawText('documents', 'audit', entry.id));
    expectNoSecret(await rawText('quarantine', 'audit', refusedEntry.id));
    expect((await pulled(sealed, devC, 'audit', entry.id)).details).toEqual(entry.details);
    const view = await sealed.inject({ method: 'GET', url: '/v1/quarantine', headers: devC.auth });
    expect(view.json<{ entries: { id: string; data: Doc }[] }>().entries.find((e) => e.id === refusedEntry.id)!.data.details).toEqual(refusedEntry.details);

    // The next start: one look at the marker, no stored row read.
    const next = counting(db);
    expect((await resealPersonFieldsIfNeeded(next.db, keys)).skipped).toBe(true);
    expect(next.texts).toHaveLength(1);
    expect(next.texts.join('\n')).not.toMatch(/documents|quarantine|device_audit/);

    // A marker of another layout (what was sealed before this version) does not count: it scans.
    await db.query(`UPDATE person_seal_runs SET layout = 'an-older-layout'`);
    const devD = await enrol(sealed, db, a);
    const later = await auditEntry(devD, null, { note: NOTE });
    await accepted(clear, devD, 'audit', [later]);
    const again = counting(db);
    const report = await resealPersonFieldsIfNeeded(again.db, keys);
    expect(report.skipped).toBe(false);
    expect(report.resealed).toBeGreaterThanOrEqual(1);
    expect(again.texts.join('\n')).toMatch(/FROM documents/);
    expectNoSecret(await rawText('documents', 'audit', later.id));
    expect((await resealPersonFieldsIfNeeded(db, keys)).skipped).toBe(true);
  });
});
