import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { normalizeNik, parseNik } from '@shared/identity/nik';
import { bpuResignationMachine, jhtClaimAfterBpu } from '@state-machines/bpu-resignation.machine';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { replay } from '@state-machines/replay';
import { K3, NIK_56, ev, makeNik, officer, wib } from './fixtures';

// Issue 16 ("close every remaining way to send a person away"), points 1, 2 and 11.

const DAY = '2026-03-02'; // a Monday; default hours 08:00–15:00
const outsideHours = (at: string, appt = { date: '2026-03-03', time: '08:00' }) =>
  ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: appt }, officer, at);

const MACHINES = [
  { name: 'jht-claim', machine: jhtClaimMachine },
  { name: 'bpu-resignation', machine: bpuResignationMachine },
  { name: 'jmo-reset', machine: jmoResetMachine },
] as const;

const inputOf = (extra: Record<string, unknown> = {}, nik = NIK_56) => ({
  caseId: 'C-16',
  nik,
  openedAt: wib(DAY, '15:02'),
  config: DEFAULT_CASE_CONFIG,
  ...extra,
});
const runOn = (machine: (typeof MACHINES)[number]['machine'], input: Record<string, unknown>, events: ReturnType<typeof ev>[]) =>
  replay(machine as typeof jhtClaimMachine, input as never, events);

describe('service hours are judged when the person arrived (DOMAIN.md Queue; UU 25/2009)', () => {
  it.each(MACHINES)('$name: a ticket taken at 14:57 and called at 15:02 is served, not refused', ({ machine }) => {
    const r = runOn(machine, inputOf({ visitStartedAt: wib(DAY, '14:57') }), [outsideHours(wib(DAY, '15:02'))]);
    expect(r.snapshot.value).not.toBe('refused');
    expect((r.snapshot.context as { invalidRefusals: Array<{ why: string }> }).invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
  });

  it.each(MACHINES)('$name: a visit that began after closing time may be refused, with the next opening', ({ machine }) => {
    const r = runOn(machine, inputOf({ visitStartedAt: wib(DAY, '15:01') }), [outsideHours(wib(DAY, '15:05'))]);
    expect(r.snapshot.value).toBe('refused');
    const refusal = (r.snapshot.context as { refusal: { facts: { visitStartedAt?: string } } }).refusal;
    expect(refusal.facts.visitStartedAt).toBe(wib(DAY, '15:01'));
  });

  it.each(MACHINES)('$name: a visit begun in hours cannot be refused later in the day either', ({ machine }) => {
    const r = runOn(machine, inputOf({ visitStartedAt: wib(DAY, '09:00'), openedAt: wib(DAY, '16:30') }), [outsideHours(wib(DAY, '16:45'))]);
    expect(r.snapshot.value).not.toBe('refused');
  });

  it.each(MACHINES)('$name: a journal without visitStartedAt (opened before this rule) replays as it did: judged at the event', ({ machine }) => {
    const r = runOn(machine, inputOf(), [outsideHours(wib(DAY, '15:02'))]);
    expect(r.snapshot.value).toBe('refused');
  });

  it('a JHT claim continued from a BPU stop keeps the visit start', () => {
    const bpu = replay(bpuResignationMachine, inputOf({ visitStartedAt: wib(DAY, '14:57'), recordedChecks: true }) as never, []);
    const { input } = jhtClaimAfterBpu(bpu.snapshot.context, 'C-17', wib(DAY, '15:20'));
    expect(input.visitStartedAt).toBe(wib(DAY, '14:57'));
    expect(input.recordedChecks).toBe(true);
  });
});

describe('documents are never presumed missing (DOMAIN.md Refusals: checks are recorded)', () => {
  const identityOk = ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true });
  const toDocuments = [
    identityOk,
    ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }),
    ev('kpj.searched', { results: [K3] }),
    ev('kpj.listConfirmed', {}),
  ];
  const input = { caseId: 'C-16', nik: NIK_56, openedAt: wib(DAY), visitStartedAt: wib(DAY, '09:00'), recordedChecks: true as const, config: DEFAULT_CASE_CONFIG };
  const run = (events: ReturnType<typeof ev>[]) => replay(jhtClaimMachine, input, events);
  const refuse = (documents?: string[]) => ev('refusal.requested', { code: 'DOCUMENT_MISSING', ...(documents ? { documents } : {}) });

  it('DOCUMENT_MISSING does not hold the moment the documents step opens', () => {
    const r = run([...toDocuments, refuse()]);
    expect(r.snapshot.value).toBe('documents');
    expect(r.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
  });

  it('it holds only for the documents the officer recorded, one by one, as not presented', () => {
    const notPresented = ev('document.notPresented', { documents: ['terminationProof'] });
    const named = run([...toDocuments, notPresented, refuse(['savingsBook'])]);
    expect(named.snapshot.value).toBe('documents');
    const r = run([...toDocuments, notPresented, refuse()]);
    expect(r.snapshot.value).toBe('refused');
    expect(r.snapshot.context.refusal?.facts.missingDocuments).toEqual(['terminationProof']);
    expect(r.snapshot.context.receipt?.nextStep.id).toContain('paklaring atau bukti lain');
    expect(r.snapshot.context.receipt?.nextStep.id).not.toContain('buku tabungan');
  });

  it('a document recorded as not presented and then presented no longer counts as missing', () => {
    const r = run([
      ...toDocuments,
      ev('document.notPresented', { documents: ['savingsBook'] }),
      ev('document.presented', { documents: ['savingsBook'] }),
      refuse(),
    ]);
    expect(r.snapshot.value).toBe('documents');
  });

  it('only a requirement of the chosen cause that is not presented can be recorded as not presented', () => {
    expect(run([...toDocuments, ev('document.notPresented', { documents: ['deathCertificate'] })]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([...toDocuments, ev('document.presented', { documents: ['savingsBook'] }), ev('document.notPresented', { documents: ['savingsBook'] })]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([...toDocuments, ev('document.notPresented', { documents: ['ektp'] })]).rejected?.reason).toBe('GUARD_FAILED'); // checked at identity
  });

  it('a journal opened before the rule (no recordedChecks) replays as it did', () => {
    const { recordedChecks: _, ...legacy } = input;
    const r = replay(jhtClaimMachine, legacy, [...toDocuments, refuse()]);
    expect(r.snapshot.value).toBe('refused');
  });
});

describe('identity refusals need a recorded check outcome', () => {
  const jmo = (recorded: boolean) => ({ caseId: 'J-16', nik: NIK_56, config: DEFAULT_CASE_CONFIG, ...(recorded ? { recordedChecks: true as const } : {}) });
  const refuse = ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' });

  it('JMO: a KPJ match that was never answered is not a failed check', () => {
    const unanswered = ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true });
    const r = replay(jmoResetMachine, jmo(true), [unanswered, refuse]);
    expect(r.snapshot.value).toBe('identity');
    const answered = replay(jmoResetMachine, jmo(true), [ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false }), refuse]);
    expect(answered.snapshot.value).toBe('refused');
  });

  it('JMO: a journal opened before the rule replays as it did', () => {
    const r = replay(jmoResetMachine, jmo(false), [ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }), refuse]);
    expect(r.snapshot.value).toBe('refused');
  });

  it.each(MACHINES)('$name: no identity refusal before any check is recorded', ({ machine }) => {
    expect(runOn(machine, inputOf({ recordedChecks: true }), [refuse]).snapshot.value).toBe('identity');
  });
});

describe('NIK rules in the machines (DOMAIN.md Identifiers)', () => {
  const bad = [
    { nik: '9971011005690001', label: 'unknown province' },
    { nik: '3100011005690001', label: 'regency 00' },
    { nik: '3171001005690001', label: 'district 00' },
    { nik: '3171013202900001', label: '32 February' },
    { nik: '3171011005690000', label: 'serial 0000' },
    { nik: '317101100569001', label: '15 digits' },
  ];
  for (const { name, machine } of MACHINES) {
    it.each(bad)(`${name}: does not start on an NIK with $label`, ({ nik }) => {
      expect(() => runOn(machine, inputOf({}, nik), [])).toThrow(/NIK/);
    });
    it(`${name}: starts on a valid NIK`, () => {
      expect(runOn(machine, inputOf({}, makeNik('1985-07-01', 'female', 2)), []).snapshot.status).toBe('active');
    });
  }

  it('the two-digit year resolves to the century that puts the birth date in the past', () => {
    // Born 26 June: on 2 March 2026, "26" can only be 1926 (2026-06-26 is still ahead).
    const r = parseNik('3171012606260001', '2026-03-02');
    expect(r.ok && r.value.birthDate).toBe('1926-06-26');
    const earlier = parseNik('3171010101260001', '2026-03-02');
    expect(earlier.ok && earlier.value.birthDate).toBe('2026-01-01');
  });

  it('a JHT claim for a person born in 1926 knows they reached 56', () => {
    const r = replay(jhtClaimMachine, { caseId: 'C', nik: '3171012606260001', openedAt: wib(DAY), config: DEFAULT_CASE_CONFIG }, []);
    expect(r.snapshot.context.birthDate).toBe('1926-06-26');
  });

  it('a pasted NIK with spaces or dashes is normalised before the length is checked', () => {
    expect(normalizeNik(' 3171-0115-0685-0041 ')).toBe('3171011506850041');
    expect(normalizeNik('3171 0115 0685 0041')).toBe('3171011506850041');
    expect(normalizeNik('317101.150685.0041')).toBe('3171011506850041');
  });
});
