import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqErrorBody } from '@shared/sync/protocol';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { K1, K2, makeNik, officer, wib } from '../unit/machines/fixtures';
import { branchCaseConfig, branchNikHash, twoBranches } from './helpers';
import type { Hq, TestDevice } from './helpers';

// Issue 16, points 3, 4 and 12, at HQ on real PostgreSQL: HQ replays the journal through the same
// machine with the rules of the case's day, so a pending KPJ without a catalog reason, or with a
// follow-up beyond the working-day limit, is refused — even when the device's own (outdated or
// dishonest) replay said it was fine. Generated people only.

let hq: Hq;
let a: string;
let devA: TestDevice;
const NIK = makeNik('1966-04-12', 'male', 62);

beforeAll(async () => {
  ({ hq, a, devA } = await twoBranches('pending-kpj'));
});
afterAll(async () => {
  await hq.close();
});

type Doc = Record<string, unknown>;
const DAY = '2026-03-02'; // Monday, default hours 08:00–15:00
const ev = (type: string, payload: object, time: string) => ({ type, at: wib(DAY, time), actor: officer, ...payload });
const UNDER_RULE = { visitStartedAt: wib(DAY, '09:00'), recordedChecks: true };

/** A JHT case as a device builds it; `forgeFrom` is the input the device replayed to get its snapshot. */
async function caseDoc(o: { nik?: string; events: Array<Doc & { at: string }>; forgeFrom?: Doc; config?: Doc }): Promise<Doc> {
  const id = `${a}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const nik = o.nik ?? NIK;
  const openedAt = wib(DAY, '09:10');
  const input: Doc = { openedAt, caseId: id, nik, config: o.config ?? branchCaseConfig(a), ...UNDER_RULE };
  const r = replay(CASE_MACHINES['jht-claim'], { ...input, ...o.forgeFrom }, o.events);
  if (r.rejected) throw new Error(`fixture does not replay: ${r.rejected.reason} ${r.rejected.detail}`);
  const snapshot = storedSnapshot(r.snapshot as never) as unknown as Doc;
  return {
    id,
    branchCode: a,
    flow: 'jht-claim',
    status: (snapshot.status as string) === 'done' ? 'closed' : 'open',
    nikHash: await branchNikHash(hq.db, a, nik),
    person: { nik, name: 'Peserta Uji Tertunda' },
    input,
    events: o.events,
    snapshot,
    journalLength: o.events.length,
    openedAt,
    updatedAt: o.events.at(-1)?.at ?? openedAt,
  };
}

async function push(doc: Doc): Promise<{ status: number; reason?: string }> {
  const res = await hq.app.inject({ method: 'POST', url: '/v1/sync/cases/push', headers: devA.auth, payload: [{ assumedMasterState: null, newDocumentState: doc }] });
  if (res.statusCode === 200) return { status: 200 };
  const body = HqErrorBody.parse(res.json());
  return { status: res.statusCode, reason: (body.error.details as { rejected: { reason: string }[] }).rejected[0]?.reason };
}

const submitted = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, '09:12'),
  ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }, '09:13'),
  ev('kpj.searched', { results: [K1, K2] }, '09:14'),
  ev('kpj.listConfirmed', {}, '09:15'),
  ev('document.presented', { documents: ['savingsBook', 'otherTerminationProof', 'npwp'] }, '09:16'),
  ev('documents.confirmed', {}, '09:17'),
  ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }, '09:18'),
];
const pending = (reason: string, followUpOn: string) => ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'pending', reason, followUpOn } }, '09:19');
const close = ev('receipt.issued', {}, '09:20');

describe('HQ replays the pending-KPJ rule (issue 16 pt 3)', () => {
  it('accepts a claim closed with a KPJ pending for a catalog reason, followed up on the 5th working day', async () => {
    const doc = await caseDoc({ events: [...submitted, pending('EMPLOYER_DATA_CONFIRMATION', '2026-03-09'), close] });
    expect((doc.snapshot as { value: string }).value).toBe('closed');
    expect((await push(doc)).status).toBe(200);
  });

  it.each([
    { label: 'a free-text reason ("system down, come back next month")', reason: 'sistem sedang gangguan, kembali bulan depan', followUpOn: '2026-03-05' },
    { label: 'a follow-up on the 6th working day', reason: 'BALANCE_RECONCILIATION', followUpOn: '2026-03-10' },
    { label: 'a follow-up next month', reason: 'BALANCE_RECONCILIATION', followUpOn: '2026-04-02' },
  ])('refuses a journal with a KPJ left pending with $label', async ({ reason, followUpOn }) => {
    // The device replayed under the old rule (no recordedChecks), so its snapshot says "closed".
    const forged = await caseDoc({ events: [...submitted, pending(reason, followUpOn), close], forgeFrom: { recordedChecks: undefined } });
    expect((forged.snapshot as { value: string }).value).toBe('closed');
    const r = await push(forged);
    expect(r.status).toBe(422);
    expect(r.reason).toBe('journal: event 7 (kpj.resolved) does not replay: GUARD_FAILED: kpj.resolved in "submitted": a rule\'s guard did not hold');
  });

  it('the working-day limit is HQ’s rule of the day: a device bringing a longer limit of its own is refused', async () => {
    const config = { ...branchCaseConfig(a), pendingFollowUpWorkingDays: 30 };
    const doc = await caseDoc({ config, events: [...submitted, pending('BALANCE_RECONCILIATION', '2026-04-02'), close] });
    expect((doc.snapshot as { value: string }).value).toBe('closed');
    const r = await push(doc);
    expect(r.status).toBe(422);
    expect(r.reason).toMatch(/^config: pendingFollowUpWorkingDays differ from HQ's rules/);
  });
});

describe('HQ replays "not yet ends with a date" and the NPWP on the amount paid (issue 16 pts 4, 12)', () => {
  it('refuses AGE_NOT_REACHED for a person already 56; accepts it, with the birthday on the slip, the day before', async () => {
    const turns56 = makeNik('1970-03-03', 'female', 8); // 56 on Tuesday 3 March 2026
    const start = [ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, '09:12'), ev('cause.selected', { cause: 'age56' }, '09:13')];
    const refuse = ev('refusal.requested', { code: 'AGE_NOT_REACHED', appointment: { date: '2026-03-03', time: '08:00' } }, '09:14');
    const ok = await caseDoc({ nik: turns56, events: [...start, refuse] });
    expect((ok.snapshot as { value: string }).value).toBe('refused');
    expect(JSON.stringify(ok.snapshot)).toContain('Anda berusia 56 tahun pada Selasa, 3 Maret 2026');
    expect((await push(ok)).status).toBe(200);

    // Already 56 (born 2 March 1970): the device's snapshot says refused; HQ's replay does not.
    const already = makeNik('1970-03-02', 'female', 9);
    const forged = await caseDoc({ nik: turns56, events: [...start, refuse] });
    forged.person = { nik: already, name: 'Peserta Uji Tertunda' };
    forged.input = { ...(forged.input as Doc), nik: already };
    forged.nikHash = await branchNikHash(hq.db, a, already);
    (forged.snapshot as { context: Doc }).context.nik = already;
    (forged.snapshot as { context: Doc }).context.birthDate = '1970-03-02';
    const r = await push(forged);
    expect(r.status).toBe(422);
    expect(r.reason).toBe('snapshot: differs from the replay of the journal (value, status, context)');
  });

  it('accepts a 10% partial claim of Rp500,000,000 closed without an NPWP, with the tax line on its receipt', async () => {
    const kpj = { kpj: '12000000031', balance: 500_000_000 };
    const events = [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, '09:12'),
      ev('cause.selected', { cause: 'partial', partial: { percent: 10, membershipSince: '2010-01-01', stillWorking: true, earlierPartialClaim: false } }, '09:13'),
      ev('kpj.searched', { results: [kpj] }, '09:14'),
      ev('kpj.listConfirmed', {}, '09:15'),
      ev('document.presented', { documents: ['savingsBook'] }, '09:16'),
      ev('documents.confirmed', {}, '09:17'),
      ev('kpj.resolved', { kpj: kpj.kpj, outcome: { kind: 'paid' } }, '09:18'),
      close,
    ];
    const doc = await caseDoc({ events });
    const receipt = (doc.snapshot as { context: { receipt: { lumpSum: unknown } } }).context.receipt;
    expect(receipt.lumpSum).toEqual({ amount: 50_000_000, tax: 0, freeUpTo: 50_000_000, percentAbove: 5 });
    expect((await push(doc)).status).toBe(200);
    // Judged on the whole balance (the rule before issue 16), the same journal stops at documents.confirmed.
    const { recordedChecks: _, ...legacy } = doc.input as Doc;
    expect(replay(CASE_MACHINES['jht-claim'], legacy as never, events).rejected?.index).toBe(5);
  });
});
