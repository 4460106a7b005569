import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { bpuResignationMachine } from '@state-machines/bpu-resignation.machine';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import { K3, NIK_56, ev, makeNik, officer, wib } from './fixtures';

// Issue 16 pt 14: dates in the sentences people read are Indonesian dates ("Jumat, 13 Maret 2026"),
// not ISO. Cases opened before the rule (no recordedChecks) keep their receipt text, so their
// journals replay at HQ to the snapshot they stored. Generated NIKs only.

const DAY = '2026-03-06';
const recorded = { visitStartedAt: wib(DAY, '09:00'), recordedChecks: true as const };
type Receipt = { nextStep: { id: string; en: string } };

describe('JHT completion receipt: the payment due date', () => {
  const run = (extra: object) => {
    const r = replay(jhtClaimMachine, { caseId: 'JHT-D1', nik: NIK_56, openedAt: wib(DAY), config: DEFAULT_CASE_CONFIG, ...extra }, [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, officer, wib(DAY, '09:05')),
      ev('cause.selected', { cause: 'age56' }, officer, wib(DAY, '09:06')),
      ev('kpj.searched', { results: [K3] }, officer, wib(DAY, '09:07')),
      ev('kpj.listConfirmed', {}, officer, wib(DAY, '09:08')),
      ev('document.presented', { documents: ['savingsBook'] }, officer, wib(DAY, '09:09')),
      ev('documents.confirmed', {}, officer, wib(DAY, '09:10')),
      ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'paid' } }, officer, wib(DAY, '09:11')),
      ev('receipt.issued', {}, officer, wib(DAY, '09:12')),
    ]);
    expect(r.rejected).toBeNull();
    return (r.snapshot.context as { receipt: Receipt }).receipt.nextStep;
  };

  it('says the day in words: submitted Friday 6 March, 5 working days → Friday 13 March 2026', () => {
    const next = run(recorded);
    expect(next.id).toContain('paling lambat Jumat, 13 Maret 2026 (5 hari kerja)');
    expect(next.en).toContain('by Friday 13 March 2026 (5 working days)');
    expect(next.id).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('a case opened before the rule keeps its receipt text (its journal replays as stored)', () => {
    expect(run({}).id).toContain('paling lambat 2026-03-13 (5 hari kerja)');
  });
});

describe('BPU resignation receipt: the stop date', () => {
  const run = (extra: object) => {
    const r = replay(bpuResignationMachine, { caseId: 'BPU-D1', nik: makeNik('1985-07-01', 'female', 2), config: DEFAULT_CASE_CONFIG, ...extra }, [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, officer, wib(DAY, '09:05')),
      ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels: [] }, officer, wib(DAY, '09:06')),
      ev('stop.recorded', { stopDate: DAY }, officer, wib(DAY, '09:07')),
      ev('jht.declined', {}, officer, wib(DAY, '09:08')),
      ev('receipt.issued', {}, officer, wib(DAY, '09:09')),
    ]);
    expect(r.rejected).toBeNull();
    return (r.snapshot.context as { receipt: Receipt }).receipt.nextStep;
  };

  it('says the day in words: "berhenti per Jumat, 6 Maret 2026"', () => {
    const next = run(recorded);
    expect(next.id).toContain(`(KPJ ${K3.kpj}) berhenti per Jumat, 6 Maret 2026.`);
    expect(next.en).toContain('stopped as of Friday 6 March 2026.');
    expect(next.id).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('a case opened before the rule keeps its receipt text', () => {
    expect(run({}).id).toContain('berhenti per 2026-03-06.');
  });
});
