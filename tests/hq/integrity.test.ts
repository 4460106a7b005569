import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBranchRules } from '../../hq/branch-rules';
import { HqErrorBody, type PullResponse } from '@shared/sync/protocol';
import { BranchRules, rulesOn } from '@shared/cases/branch-rules';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { MAX_TEXT_CHARS } from '@shared/records';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { refusalReviewMachine } from '@state-machines/refusal-review.machine';
import { head, makeNik, officer, wib } from '../unit/machines/fixtures';
import { branchCaseConfig, branchNikHash, ticket, twoBranches } from './helpers';
import type { Hq, TestDevice } from './helpers';

// Issue 14: HQ trusts nothing it can check. Each test below failed on the main of 2026-12-06:
// a case judged by the config it brings, NIKs and ids that disagree, refusal records checked for
// shape only, another branch taking a branch's ids, one cut emoji failing a whole push, and
// documents of any size. Generated people only (district 317101, "Peserta Uji").

let hq: Hq;
let a: string;
let b: string;
let devA: TestDevice;
let devB: TestDevice;
const NIK = makeNik('1985-06-15', 'male', 41);
const OTHER_NIK = makeNik('1979-11-02', 'female', 42);
const hashes: Record<string, string> = {};

beforeAll(async () => {
  ({ hq, a, b, devA, devB } = await twoBranches('integrity'));
  for (const branch of [a, b]) hashes[branch] = await branchNikHash(hq.db, branch, NIK);
});
afterAll(async () => {
  await hq.close();
});

type Doc = Record<string, unknown>;
type Row = { assumedMasterState: Doc | null; newDocumentState: Doc };
const fresh = (doc: Doc): Row => ({ assumedMasterState: null, newDocumentState: doc });

const push = (device: TestDevice, collection: string, rows: Row[]) =>
  hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: rows });

async function refused(device: TestDevice, collection: string, rows: Row[]): Promise<Record<string, string>> {
  const res = await push(device, collection, rows);
  expect(res.statusCode, res.body).toBe(422);
  const body = HqErrorBody.parse(res.json());
  return Object.fromEntries((body.error.details as { rejected: { id: string; reason: string }[] }).rejected.map((r) => [r.id, r.reason]));
}

async function accepted(device: TestDevice, collection: string, rows: Row[]): Promise<void> {
  const res = await push(device, collection, rows);
  expect(res.statusCode, res.body).toBe(200);
}

async function stored(collection: string, branch: string, id: string): Promise<Doc | undefined> {
  const { rows } = await hq.db.query<{ data: Doc }>('SELECT data FROM documents WHERE collection = $1 AND branch_code = $2 AND id = $3', [collection, branch, id]);
  return rows[0]?.data;
}

async function pulled(device: TestDevice, collection: string): Promise<Doc[]> {
  const res = await hq.app.inject({ url: `/v1/sync/${collection}/pull?limit=1000`, headers: device.auth });
  expect(res.statusCode).toBe(200);
  return res.json<PullResponse>().documents;
}

// ---- a JMO reset case, built with the real machine as the device builds it --------------------

const MONDAY = '2026-03-02';
const at = (time: string, day = MONDAY) => wib(day, time);
const ev = (type: string, payload: object, time: string, actor = officer, day = MONDAY) => ({ type, at: at(time, day), actor, ...payload });

interface CaseOptions {
  id?: string;
  day?: string;
  config?: unknown;
  nik?: string;
  inputNik?: string;
  inputCaseId?: string;
  nikHash?: string;
  events?: Doc[];
}

function jmoCase(branch: string, o: CaseOptions = {}): Doc {
  const id = o.id ?? `${branch}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const day = o.day ?? MONDAY;
  const openedAt = at('09:10', day);
  const nik = o.nik ?? NIK;
  const input: Doc = { openedAt, caseId: o.inputCaseId ?? id, nik: o.inputNik ?? nik, config: o.config ?? branchCaseConfig(branch) };
  const events = o.events ?? [ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:15', officer, day)];
  const r = replay(CASE_MACHINES['jmo-reset'], input as never, events);
  if (r.rejected) throw new Error(`fixture does not replay: ${r.rejected.reason} ${r.rejected.detail}`);
  const snapshot = storedSnapshot(r.snapshot as never);
  return {
    id,
    branchCode: branch,
    flow: 'jmo-reset',
    status: snapshot.status === 'done' ? 'closed' : 'open',
    nikHash: o.nikHash ?? hashes[branch]!,
    person: { nik, name: 'Peserta Uji Integritas' },
    input,
    events,
    snapshot,
    journalLength: events.length,
    openedAt,
    updatedAt: typeof events.at(-1)?.at === 'string' ? String(events.at(-1)!.at) : openedAt,
  };
}

const outsideHoursRefusal = (time: string) =>
  ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '09:00' } }, time);

describe('HQ judges a case by its own rules of that day, not the rules the case brings', () => {
  it('quarantines a refusal made to hold by forged service hours (closed on a Monday morning)', async () => {
    const forgedHours = { ...branchCaseConfig(a), serviceHours: { ...DEFAULT_CASE_CONFIG.serviceHours, mon: null } };
    const doc = jmoCase(a, { config: forgedHours, events: [outsideHoursRefusal('09:15')] });
    // The forged hours really make the refusal hold in the machine: only HQ's rules catch it.
    expect((doc.snapshot as { context: { refusal: unknown } }).context.refusal).not.toBeNull();
    const reasons = await refused(devA, 'cases', [fresh(doc)]);
    expect(reasons[String(doc.id)]).toBe(`config: serviceHours differ from HQ's rules for branch ${a} on ${MONDAY}`);
    expect(await stored('cases', a, String(doc.id))).toBeUndefined();
  });

  it('quarantines a case without config (the machine would run on another branch’s defaults), and a forged retirement age', async () => {
    const bare = jmoCase(a);
    delete (bare.input as Doc).config;
    const r = replay(CASE_MACHINES['jmo-reset'], bare.input as never, bare.events as never);
    bare.snapshot = storedSnapshot(r.snapshot as never);
    expect((await refused(devA, 'cases', [fresh(bare)]))[String(bare.id)]).toMatch(/^config: branchCode differ from HQ's rules/);
    const younger = jmoCase(a, { config: { ...branchCaseConfig(a), retirementAge: 50 } });
    expect((await refused(devA, 'cases', [fresh(younger)]))[String(younger.id)]).toMatch(/^config: retirementAge differ/);
  });

  it('applies a new version of the rules from its day on, and the old one before it', async () => {
    await setBranchRules(hq.db, a, '2026-04-01', { retirementAge: 57 });
    const before = jmoCase(a, { day: '2026-03-31' });
    await accepted(devA, 'cases', [fresh(before)]);
    const afterOld = jmoCase(a, { day: '2026-04-01' });
    expect((await refused(devA, 'cases', [fresh(afterOld)]))[String(afterOld.id)]).toBe(`config: retirementAge differ from HQ's rules for branch ${a} on 2026-04-01`);
    const afterNew = jmoCase(a, { day: '2026-04-01', config: { ...branchCaseConfig(a), retirementAge: 57 } });
    await accepted(devA, 'cases', [fresh(afterNew)]);
    // The devices get the same rules in the branch's config document, so they open cases with them.
    const config = (await pulled(devA, 'config')).find((d) => d.key === 'hq:branch') as { value: { rules: BranchRules } } | undefined;
    const rules = BranchRules.parse(config?.value.rules);
    expect(rulesOn(rules, '2026-03-31')).toEqual(branchCaseConfig(a));
    expect(rulesOn(rules, '2026-04-01')).toEqual({ ...branchCaseConfig(a), retirementAge: 57 });
  });

  it('a refusal that holds on HQ’s rules (a visit that began on a closed Sunday) is accepted', async () => {
    const sunday = '2026-03-01';
    const doc = jmoCase(a, { day: sunday, events: [ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-02', time: '09:00' } }, '09:15', officer, sunday)] });
    expect((doc.snapshot as { context: { refusal: unknown } }).context.refusal).not.toBeNull();
    await accepted(devA, 'cases', [fresh(doc)]);
  });
});

describe('a case agrees with itself: NIK, NIK hash and ids', () => {
  it('quarantines a machine NIK that is not the person’s, a NIK hash not under the branch key, and a caseId that is not the id', async () => {
    const otherNik = jmoCase(a, { inputNik: OTHER_NIK });
    const badHash = jmoCase(a, { nikHash: 'ab'.repeat(32) });
    const otherBranchHash = jmoCase(a, { nikHash: hashes[b]! });
    const otherId = jmoCase(a, { inputCaseId: `${a}-SOMETHING-ELSE` });
    const reasons = await refused(devA, 'cases', [fresh(otherNik), fresh(badHash), fresh(otherBranchHash), fresh(otherId)]);
    expect(reasons[String(otherNik.id)]).toBe("ids: input.nik is not the person's NIK");
    expect(reasons[String(badHash.id)]).toBe("nikHash: not the keyed hash of the person's NIK under the branch's key");
    expect(reasons[String(otherBranchHash.id)]).toBe("nikHash: not the keyed hash of the person's NIK under the branch's key");
    expect(reasons[String(otherId.id)]).toBe('ids: input.caseId is not the case id');
  });
});

describe('refusal records are checked against the case they come from', () => {
  const refusalCase = () => jmoCase(a, { day: '2026-03-01', events: [ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-02', time: '09:00' } }, '09:15', officer, '2026-03-01')] });
  const refusalOf = (c: Doc, extra: Doc = {}): Doc => {
    const r = (c.snapshot as { context: { refusal: { code: string; at: string; actor: Doc } } }).context.refusal;
    return { id: `${String(c.id)}:refusal:0`, caseId: c.id, branchCode: a, code: r.code, status: 'pending', at: r.at, actor: r.actor, updatedAt: r.at, ...extra };
  };
  const reviewed = (c: Doc, decision: 'upheld' | 'overturned', events: Doc[]): Doc => {
    const base = refusalOf(c);
    return { ...base, status: decision, review: { decision, at: wib('2026-03-02', '10:00'), actor: head, note: null, category: null, followUp: null, events }, updatedAt: wib('2026-03-02', '10:00') };
  };

  it('an "upheld" refusal for a case HQ has never seen is not stored: the push waits for the case (409)', async () => {
    const c = refusalCase();
    const upheld = reviewed(c, 'upheld', [{ type: 'review.upheld', at: wib('2026-03-02', '10:00'), actor: head }]);
    const res = await push(devA, 'refusals', [fresh(upheld)]);
    expect(res.statusCode, res.body).toBe(409);
    expect(HqErrorBody.parse(res.json()).error.code).toBe('NOT_YET_RECEIVED');
    expect(await stored('refusals', a, String(upheld.id))).toBeUndefined();
    // Once the case is at HQ, the same push lands.
    await accepted(devA, 'cases', [fresh(c)]);
    await accepted(devA, 'refusals', [fresh(upheld)]);
  });

  it('quarantines a review whose journal does not decide what the record says, or is missing', async () => {
    const c = refusalCase();
    await accepted(devA, 'cases', [fresh(c)]);
    const noJournal: Doc = { ...reviewed(c, 'upheld', []), review: { decision: 'upheld' } };
    const wrongDecision = reviewed(c, 'overturned', [{ type: 'review.upheld', at: wib('2026-03-02', '10:00'), actor: head }]);
    expect((await refused(devA, 'refusals', [fresh(noJournal)]))[String(noJournal.id)]).toBe('refusal: upheld without its review journal');
    expect((await refused(devA, 'refusals', [fresh(wrongDecision)]))[String(wrongDecision.id)]).toBe('review: the review journal decides upheld, the record says overturned');
    const byOfficer = reviewed(c, 'upheld', [{ type: 'review.upheld', at: wib('2026-03-02', '10:00'), actor: officer }]);
    expect((await refused(devA, 'refusals', [fresh(byOfficer)]))[String(byOfficer.id)]).toMatch(/^review: event 0 does not replay: /);
    // The review machine is the same one the head's PC runs: a valid review replays there too.
    const ok = replay(refusalReviewMachine, { caseId: c.id, flow: 'jmo-reset', refusal: (c.snapshot as { context: { refusal: unknown } }).context.refusal } as never, [
      { type: 'review.upheld', at: wib('2026-03-02', '10:00'), actor: head },
    ] as never);
    expect(ok.rejected).toBeNull();
  });

  it('quarantines a refusal recorded as pending that the case holds as an invalid attempt', async () => {
    // On a Monday morning OUTSIDE_SERVICE_HOURS does not hold: the machine records an invalid attempt.
    const c = jmoCase(a, { events: [outsideHoursRefusal('09:15')] });
    expect((c.snapshot as { context: { invalidRefusals: unknown[] } }).context.invalidRefusals).toHaveLength(1);
    await accepted(devA, 'cases', [fresh(c)]);
    const attempt = (c.snapshot as { context: { invalidRefusals: { code: string; at: string; actor: Doc }[] } }).context.invalidRefusals[0]!;
    const asPending: Doc = { id: `${String(c.id)}:refusal:0`, caseId: c.id, branchCode: a, code: attempt.code, status: 'pending', at: attempt.at, actor: attempt.actor, updatedAt: attempt.at };
    expect((await refused(devA, 'refusals', [fresh(asPending)]))[String(asPending.id)]).toBe('refusal: pending, but the case holds it as an invalid attempt');
    await accepted(devA, 'refusals', [fresh({ ...asPending, status: 'attempted' })]);
  });
});

describe('ids belong to their branch', () => {
  it('a device of B cannot take A’s ticket ids: A’s real tickets still reach HQ, and B learns nothing', async () => {
    const day = '2026-03-03';
    const squatted = Array.from({ length: 3 }, (_, i) => `${a}:${day}:A1-00${i + 1}`);
    // B pushes "its" tickets under A's ids first: stored in B's own space, answered like any push.
    const bRes = await push(devB, 'tickets', squatted.map((id) => fresh(ticket(b, id, { day }))));
    expect(bRes.statusCode, bRes.body).toBe(200);
    // A's PC issues the real tickets the next morning: all accepted, none refused as another branch's.
    await accepted(devA, 'tickets', squatted.map((id) => fresh(ticket(a, id, { day, number: id.slice(-6) }))));
    for (const id of squatted) {
      expect(await stored('tickets', a, id)).toMatchObject({ branchCode: a, number: id.slice(-6) });
    }
    expect((await pulled(devA, 'tickets')).filter((t) => squatted.includes(String(t.id))).every((t) => t.branchCode === a)).toBe(true);
    // A second push by B to the same ids (now also A's) is answered exactly as before: no oracle.
    const again = await push(devB, 'tickets', squatted.map((id) => fresh(ticket(b, id, { day, status: 'called' }))));
    expect(again.statusCode, again.body).toBe(200);
  });

  it('a transfer only for a case HQ holds, from the sending branch, with the branch in its case id', async () => {
    const notAtHq = `${b}-NEVERSEEN`;
    const transfer = (caseId: string): Doc => ({
      id: `${caseId}:transfer`,
      caseId,
      fromBranch: b,
      toBranch: a,
      reason: 'PERSON_REQUESTED',
      slaDeadline: wib('2026-03-03', '15:00'),
      status: 'requested',
      at: wib('2026-03-02', '10:00'),
      updatedAt: wib('2026-03-02', '10:00'),
    });
    const waiting = await push(devB, 'transfers', [fresh(transfer(notAtHq))]);
    expect(waiting.statusCode, waiting.body).toBe(409);
    expect(await stored('transfers', b, `${notAtHq}:transfer`)).toBeUndefined();
    expect((await pulled(devA, 'transfers')).map((t) => t.id)).not.toContain(`${notAtHq}:transfer`);
    const aCaseId = `${a}-TAKEN`;
    expect((await refused(devB, 'transfers', [fresh(transfer(aCaseId))]))[`${aCaseId}:transfer`]).toBe('transfer: the case id does not carry the sending branch (BRANCH-…)');
  });
});

describe('text HQ cannot store is refused per record; the rest of the push lands', () => {
  it('a lone surrogate (an emoji cut in half) and U+0000 are quarantined with a reason, never a 500', async () => {
    const cut = jmoCase(a);
    (cut.person as Doc).name = 'Peserta Uji \uD83D';
    const nul = ticket(a, randomUUID(), { number: 'A1-0\u000001' });
    const good = ticket(a);
    const res = await push(devA, 'tickets', [fresh(nul), fresh(good)]);
    expect(res.statusCode, res.body).toBe(422);
    expect(await stored('tickets', a, String(good.id))).toBeDefined();
    const reasons = await refused(devA, 'cases', [fresh(cut), fresh(jmoCase(a))]);
    expect(Object.keys(reasons)).toEqual([cut.id]);
    expect(reasons[String(cut.id)]).toBe('limits: person.name: contains a lone UTF-16 surrogate (a character cut in half)');
    const { rows } = await hq.db.query<{ reason: string; data: Doc }>(`SELECT reason, data FROM quarantine WHERE id = $1`, [nul.id]);
    expect(rows[0]!.reason).toBe('limits: number: contains U+0000');
    const q = await hq.db.query<{ data: { person: { name: string } } }>(`SELECT data FROM quarantine WHERE id = $1`, [cut.id]);
    expect(q.rows[0]!.data.person.name).toBe('Peserta Uji \uFFFD');
  });
});

describe('size limits, the same on the device and at HQ', () => {
  it('quarantines a document with an oversized text field or beyond the document size', async () => {
    const longName = jmoCase(a);
    (longName.person as Doc).name = 'x'.repeat(MAX_TEXT_CHARS + 1);
    const reasons = await refused(devA, 'cases', [fresh(longName)]);
    expect(reasons[String(longName.id)]).toBe(`limits: person.name: text longer than ${MAX_TEXT_CHARS} characters`);
    const manyEvents = jmoCase(a);
    manyEvents.flag = { reason: 'r', at: 'x', padding: Array.from({ length: 100 }, () => 'y'.repeat(3_000)) };
    expect((await refused(devA, 'cases', [fresh(manyEvents)]))[String(manyEvents.id)]).toMatch(/^limits: \(root\): document is \d+ bytes of JSON, at most 262144$/);
  });

  it('pulls are bounded by bytes: oversized documents stored before the limits still pull, a few MB at a time, HQ under 512 MB', async () => {
    // 145 documents of ~4 MB each, written straight into PostgreSQL (pushes refuse them now).
    const branch = b;
    await hq.db.query(
      `INSERT INTO documents (collection, id, branch_code, server_seq, deleted, data, received_at, device_id, data_bytes)
       SELECT 'refusals', 'big-' || g, $1, nextval('documents_seq'), false, d.data, now(), NULL, octet_length(d.data::text)
         FROM generate_series(1, 145) g,
              LATERAL (SELECT jsonb_build_object('id', 'big-' || g, 'branchCode', $1::text, 'note', repeat(md5(g::text), 125000)) AS data) d`,
      [branch],
    );
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    let checkpoint: { id: string; seq: number } | null = null;
    let documents = 0;
    let largest = 0;
    try {
      for (let page = 0; page < 200; page++) {
        const query: string = checkpoint ? `&id=${encodeURIComponent(checkpoint.id)}&seq=${checkpoint.seq}` : '';
        const res: Awaited<ReturnType<Hq['app']['inject']>> = await hq.app.inject({ url: `/v1/sync/refusals/pull?limit=1000${query}`, headers: devB.auth });
        expect(res.statusCode).toBe(200);
        largest = Math.max(largest, res.rawPayload.length);
        const body: PullResponse = res.json<PullResponse>();
        documents += body.documents.length;
        if (!body.checkpoint || body.documents.length === 0) break;
        checkpoint = body.checkpoint;
      }
    } finally {
      clearInterval(sampler);
    }
    expect(documents).toBe(145);
    expect(largest).toBeLessThan(9 * 1024 * 1024);
    expect(peak).toBeLessThan(512 * 1024 * 1024);
  }, 120_000);
});
