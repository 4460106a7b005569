import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import type { KpjRecord } from '@shared/cases/schema';
import { jhtClaimMachine, type JhtClaimInput } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import { K1, K2, K3, NIK_56, ev, makeNik, officer, security, wib } from './fixtures';

/**
 * JHT claim, step by step: what each step records (identity, cause, KPJ list, documents,
 * submission, outcomes, receipt) and the boundary each guard is judged on.
 */
type Loose = Record<string, unknown>;
const OPENED = wib('2026-03-02', '08:30');
const input = (extra: Partial<JhtClaimInput> = {}): JhtClaimInput => ({ caseId: 'JHT-R1', nik: NIK_56, openedAt: OPENED, config: DEFAULT_CASE_CONFIG, ...extra });
const run = (events: Loose[], extra: Partial<JhtClaimInput> = {}) => replay(jhtClaimMachine, input(extra), events);
const identityOk = ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true });
const cause = (payload: Loose, at?: string) => ev('cause.selected', payload, officer, at);
const resignation = cause({ cause: 'resignation', effectiveDate: '2026-01-15' });
const searched = (results: KpjRecord[]) => ev('kpj.searched', { results });
const confirmed = ev('kpj.listConfirmed', {});
const docs = (documents: string[]) => ev('document.presented', { documents });
const termination = docs(['savingsBook', 'otherTerminationProof']);

describe('JHT claim: identity', () => {
  it.each([
    { p: true, m: true, next: { cause: 'choosing' } },
    { p: false, m: true, next: 'identity' },
    { p: true, m: false, next: 'identity' },
  ])('e-KTP presented $p, matching $m → $next, recorded as given', ({ p, m, next }) => {
    const r = run([ev('identity.checked', { ektpPresented: p, ektpMatchesNik: m })]);
    expect(r.snapshot.value).toEqual(next);
    expect(r.snapshot.context.identity).toStrictEqual({ ektpPresented: p, ektpMatchesNik: m });
  });

  it.each([
    { p: true, m: true, next: { cause: 'choosing' } },
    { p: false, m: true, next: 'identity' },
    { p: true, m: false, next: 'identity' },
  ])('prefilled by a BPU stop (presented $p, matching $m) → $next', ({ p, m, next }) => {
    expect(run([], { prefill: { identity: { ektpPresented: p, ektpMatchesNik: m } } }).snapshot.value).toEqual(next);
  });
});

describe('JHT claim: cause', () => {
  it('records the cause, its effective date and the first claim date', () => {
    const c = run([identityOk, resignation]).snapshot.context;
    expect([c.cause, c.effectiveDate, c.partial, c.firstClaimDate]).toEqual(['resignation', '2026-01-15', null, '2026-02-15']);
  });

  it('a cause without an effective date or waiting period records none', () => {
    const r = run([identityOk, cause({ cause: 'death' })]);
    expect(r.snapshot.value).toBe('kpjListing');
    const c = r.snapshot.context;
    expect([c.cause, c.effectiveDate, c.partial, c.firstClaimDate]).toStrictEqual(['death', null, null, null]);
  });

  it('a partial claim records its facts', () => {
    const partial = { percent: 10, membershipSince: '2015-01-05', stillWorking: true, earlierPartialClaim: false };
    const r = run([identityOk, cause({ cause: 'partial', partial })]);
    expect(r.snapshot.value).toBe('kpjListing');
    expect(r.snapshot.context.partial).toStrictEqual(partial);
  });

  it.each([
    { label: 'contract end effective today', payload: { cause: 'contractEnd', effectiveDate: '2026-03-02' }, ok: true },
    { label: 'contract end effective tomorrow', payload: { cause: 'contractEnd', effectiveDate: '2026-03-03' }, ok: false },
    { label: 'contract end without a date', payload: { cause: 'contractEnd' }, ok: false },
    { label: 'age 56 without a date', payload: { cause: 'age56' }, ok: true },
    { label: 'partial without its facts', payload: { cause: 'partial' }, ok: false },
    { label: 'death with partial facts', payload: { cause: 'death', partial: { percent: 30, membershipSince: '2010-01-01', stillWorking: true, earlierPartialClaim: false } }, ok: false },
  ])('$label → accepted: $ok', ({ payload, ok }) => {
    expect(run([identityOk, cause(payload)]).rejected?.reason ?? null).toBe(ok ? null : 'GUARD_FAILED');
  });

  it.each([
    { label: '10 years of membership today, still working, no earlier partial claim', partial: { membershipSince: '2016-03-02', stillWorking: true, earlierPartialClaim: false }, next: 'kpjListing' },
    { label: 'a day short of 10 years', partial: { membershipSince: '2016-03-03', stillWorking: true, earlierPartialClaim: false }, next: { cause: 'notYetEligible' } },
    { label: 'no longer working', partial: { membershipSince: '2010-03-02', stillWorking: false, earlierPartialClaim: false }, next: { cause: 'notYetEligible' } },
    { label: 'after an earlier partial claim', partial: { membershipSince: '2010-03-02', stillWorking: true, earlierPartialClaim: true }, next: { cause: 'notYetEligible' } },
  ])('partial claim: $label → $next', ({ partial, next }) => {
    const r = run([identityOk, cause({ cause: 'partial', partial: { percent: 30, ...partial } })]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toEqual(next);
  });

  it('age 56 not reached is "not yet", not the claim', () => {
    const young = makeNik('1975-06-01', 'male', 2);
    expect(run([identityOk, cause({ cause: 'age56' })], { nik: young }).snapshot.value).toEqual({ cause: 'notYetEligible' });
  });

  it('only a case worker selects the cause; the door cannot', () => {
    expect(run([identityOk, ev('cause.selected', { cause: 'death' }, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('JHT claim: the KPJ list', () => {
  it('the NIK search adds what was not typed already, each still open; it runs once', () => {
    const typed = ev('kpj.added', { record: K1 });
    const r = run([identityOk, resignation, typed, searched([{ ...K1, balance: 1 }, K2])]);
    expect(r.snapshot.context.kpjs).toStrictEqual([
      { ...K1, outcome: null },
      { ...K2, outcome: null },
    ]);
    expect(r.snapshot.context.kpjSearchDone).toBe(true);
    expect(run([identityOk, resignation, searched([K1]), searched([K2])]).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('a KPJ already listed is not added twice, in any step', () => {
    expect(run([identityOk, resignation, searched([K1]), ev('kpj.added', { record: K1 })]).rejected?.reason).toBe('GUARD_FAILED');
    const added = run([identityOk, resignation, searched([K1]), ev('kpj.added', { record: K2 })]);
    expect(added.snapshot.context.kpjs.map((k) => k.kpj)).toEqual([K1.kpj, K2.kpj]);
    expect(added.snapshot.context.kpjs[1]?.outcome).toBeNull();
  });

  it('the list is confirmed only when some KPJ can still be paid', () => {
    const paid = { ...K1, paidBefore: { paidOn: '2024-05-06', reference: 'PAY-1' } };
    expect(run([identityOk, resignation, searched([paid]), confirmed]).rejected?.reason).toBe('GUARD_FAILED');
    const r = run([identityOk, resignation, searched([paid, K3]), confirmed]);
    expect(r.snapshot.value).toBe('documents');
    expect(r.snapshot.context.documentsStage).toBe(true);
  });

  it('a KPJ found after the list was confirmed is added while documents are checked', () => {
    const r = run([identityOk, resignation, searched([K3]), confirmed, ev('kpj.added', { record: K1 })]);
    expect(r.snapshot.context.kpjs.map((k) => k.kpj)).toEqual([K3.kpj, K1.kpj]);
    expect(run([identityOk, resignation, searched([K3]), confirmed, ev('kpj.added', { record: K3 })]).rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('JHT claim: documents', () => {
  const atDocuments = [identityOk, resignation, searched([K3]), confirmed];

  it('documents presented are kept once each', () => {
    const r = run([...atDocuments, docs(['savingsBook', 'paklaring']), docs(['paklaring', 'savingsBook'])]);
    expect(r.snapshot.context.documents).toEqual(['savingsBook', 'paklaring']);
  });

  it('documents recorded as not presented are kept once each', () => {
    const r = run([...atDocuments, ev('document.notPresented', { documents: ['savingsBook'] }), ev('document.notPresented', { documents: ['terminationProof', 'savingsBook'] })]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.context.notPresented).toEqual(['savingsBook', 'terminationProof']);
  });

  it('every document recorded as not presented must be a requirement still missing', () => {
    // kk is not required for a resignation: the whole record is refused, not just that document.
    expect(run([...atDocuments, ev('document.notPresented', { documents: ['savingsBook', 'kk'] })]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([...atDocuments, docs(['savingsBook']), ev('document.notPresented', { documents: ['savingsBook'] })]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([...atDocuments, { ...ev('document.notPresented', { documents: ['savingsBook'] }), actor: security }]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });

  it('submission records when, and is the case worker’s', () => {
    const submit = ev('documents.confirmed', {}, officer, wib('2026-03-02', '10:30'));
    const r = run([...atDocuments, termination, submit]);
    expect(r.snapshot.value).toBe('submitted');
    expect(r.snapshot.context.submittedAt).toBe(submit.at);
    expect(run([...atDocuments, termination, { ...submit, actor: security }]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([...atDocuments, { ...termination, actor: security }]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });

  it('NPWP presented lets a claim above the threshold through', () => {
    const big: KpjRecord = { kpj: '12000000021', balance: 60_000_000 };
    const at = [identityOk, resignation, searched([big]), confirmed, termination];
    expect(run([...at, ev('documents.confirmed', {})]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([...at, docs(['npwp']), ev('documents.confirmed', {})]).snapshot.value).toBe('submitted');
  });
});

describe('JHT claim: outcomes and the receipt', () => {
  const submitAt = wib('2026-03-06', '10:00'); // a Friday: 5 working days later is Friday 13 March
  const submitted = (kpjs: KpjRecord[]) => {
    const npwp = kpjs.reduce((s, k) => s + (k.paidBefore ? 0 : k.balance), 0) > 50_000_000 ? [docs(['npwp'])] : [];
    return [identityOk, resignation, searched(kpjs), confirmed, termination, ...npwp, ev('documents.confirmed', {}, officer, submitAt)];
  };

  it('each KPJ resolved is recorded on that KPJ only', () => {
    const r = run([...submitted([K1, K3]), ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'paid' } }, officer, wib('2026-03-06', '10:05'))]);
    expect(r.snapshot.context.kpjs.map((k) => [k.kpj, k.outcome])).toEqual([
      [K1.kpj, null],
      [K3.kpj, { kind: 'paid' }],
    ]);
    expect(run([...submitted([K3]), ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'paid' } }, security, wib('2026-03-06', '10:05'))]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });

  it('the receipt: payment due after the SLA in working days from submission, each KPJ’s outcome (paid before, pending, paid)', () => {
    const paidBefore = { ...K2, paidBefore: { paidOn: '2024-05-06', reference: 'PAY-9' } };
    const pending = { kind: 'pending', reason: 'menunggu konfirmasi pemberi kerja', followUpOn: '2026-03-10' };
    const issued = ev('receipt.issued', {}, officer, wib('2026-03-09', '09:00'));
    const r = run([
      ...submitted([K3, paidBefore, K1]),
      ev('kpj.resolved', { kpj: K3.kpj, outcome: pending }, officer, wib('2026-03-06', '10:05')),
      ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }, officer, wib('2026-03-06', '10:06')),
      issued,
    ]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('closed');
    const receipt = r.snapshot.context.receipt!;
    expect(receipt).toMatchObject({ caseId: 'JHT-R1', flow: 'jht-claim', kind: 'completion', issuedAt: issued.at, issuedBy: officer.staffId });
    expect(receipt.nextStep.id).toBe(
      'Klaim JHT diterima. Pembayaran ke rekening Anda paling lambat 2026-03-13 (5 hari kerja). KPJ yang tertunda akan ditindaklanjuti pada tanggal yang tertera.',
    );
    expect(receipt.nextStep.en).toBe('JHT claim accepted. Payment to your account by 2026-03-13 (5 working days). Pending KPJs are followed up on the dates shown.');
    expect(receipt.kpjOutcomes).toStrictEqual([
      { kpj: K3.kpj, outcome: pending },
      { kpj: K2.kpj, outcome: { kind: 'paidBefore', paidOn: '2024-05-06', reference: 'PAY-9' } },
      { kpj: K1.kpj, outcome: { kind: 'paid' } },
    ]);
    expect('lumpSum' in receipt).toBe(false);
  });
});

describe('JHT claim: refusal facts before the documents step', () => {
  const late = (code: string, extra: Loose = {}) => ev('refusal.requested', { code, ...extra }, officer, wib('2026-03-02', '15:30'));
  const closing = { appointment: { date: '2026-03-03', time: '09:00' } };

  it('no document counts as missing before the documents step opens, in cases opened before recorded checks too', () => {
    const atListing = [identityOk, resignation, searched([K3])];
    const refused = run([...atListing, late('DOCUMENT_MISSING')]);
    expect(refused.snapshot.value).toBe('kpjListing');
    expect(refused.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
    const outside = run([...atListing, late('OUTSIDE_SERVICE_HOURS', closing)]);
    expect(outside.snapshot.value).toBe('refused');
    expect(outside.snapshot.context.refusal?.facts.missingDocuments).toBeNull();
    expect(run([late('OUTSIDE_SERVICE_HOURS', closing)]).snapshot.context.refusal?.facts.missingDocuments).toBeNull();
  });

  it('a participant is found once the search listed a KPJ: NOT_A_PARTICIPANT does not hold', () => {
    const r = run([identityOk, resignation, searched([K3]), late('NOT_A_PARTICIPANT')]);
    expect(r.snapshot.value).toBe('kpjListing');
    expect(r.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
    const outside = run([identityOk, resignation, searched([K3]), late('OUTSIDE_SERVICE_HOURS', closing)]);
    expect(outside.snapshot.context.refusal?.facts.participantFound).toBe(true);
    expect(run([identityOk, resignation, late('OUTSIDE_SERVICE_HOURS', closing)]).snapshot.context.refusal?.facts.participantFound).toBeNull();
  });
});

describe('JHT claim: only the resignation and dismissal wait one month', () => {
  it('an effective date sent with an age-56 claim does not make a person under 56 eligible', () => {
    const young = makeNik('1975-06-01', 'male', 2);
    const r = run([identityOk, cause({ cause: 'age56', effectiveDate: '2025-12-01' })], { nik: young });
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toEqual({ cause: 'notYetEligible' });
  });

  it('an effective date sent with a partial claim does not replace its conditions', () => {
    const partial = { percent: 10, membershipSince: '2020-01-01', stillWorking: true, earlierPartialClaim: false };
    const r = run([identityOk, cause({ cause: 'partial', partial, effectiveDate: '2025-12-01' })]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toEqual({ cause: 'notYetEligible' });
  });
});
