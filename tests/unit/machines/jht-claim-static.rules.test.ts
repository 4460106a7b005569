import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { jhtClaimMachine, type JhtClaimInput } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import { K1, K3, NIK_56, ev, officer, security, wib } from './fixtures';
import { runLive } from './static-rules-helpers';

// Boundary tests for the JHT claim's module-load configuration (Stryker's static mutants, issue 16):
// after submission a KPJ is added only by a case worker and only once; the completion receipt is
// printed once, only when it is issued, and closes the case for good. Through the machine's public
// interface (a live actor or a replayed journal).

const input: JhtClaimInput = { caseId: 'JHT-STATIC-1', nik: NIK_56, openedAt: wib('2026-03-02', '08:30'), config: DEFAULT_CASE_CONFIG };
const submitted = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
  ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }),
  ev('kpj.searched', { results: [K3] }),
  ev('kpj.listConfirmed', {}),
  ev('document.presented', { documents: ['savingsBook', 'otherTerminationProof'] }),
  ev('documents.confirmed', {}, officer, wib('2026-03-02', '10:30')),
];
const paid = ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'paid' } }, officer, wib('2026-03-02', '10:40'));
const issued = ev('receipt.issued', {}, officer, wib('2026-03-02', '11:00'));

describe('JHT claim: a KPJ added after submission (static mutants)', () => {
  it('is added once, by a case worker', () => {
    expect(replay(jhtClaimMachine, input, submitted).snapshot.value).toBe('submitted');
    const added = replay(jhtClaimMachine, input, [...submitted, ev('kpj.added', { record: K1 }, officer, wib('2026-03-02', '10:35'))]);
    expect(added.rejected).toBeNull();
    expect(added.snapshot.context.kpjs.map((k) => k.kpj)).toEqual([K3.kpj, K1.kpj]);
    expect(replay(jhtClaimMachine, input, [...submitted, ev('kpj.added', { record: K3 }, officer, wib('2026-03-02', '10:35'))]).rejected?.reason).toBe('GUARD_FAILED');
    expect(replay(jhtClaimMachine, input, [...submitted, ev('kpj.added', { record: K1 }, security, wib('2026-03-02', '10:35'))]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('JHT claim: the completion (static mutants)', () => {
  const live = (events: Array<Record<string, unknown>>) => runLive((printReceipt) => createActor(jhtClaimMachine.provide({ actions: { printReceipt } }), { input }), events);

  it('the receipt is printed once, when it is issued, and closes the case', () => {
    expect(live([...submitted, paid])).toMatchObject({ value: 'submitted', status: 'active', printed: 0 });
    const r = live([...submitted, paid, issued]);
    expect(r).toMatchObject({ value: 'closed', status: 'done', printed: 1 });
    expect(r.receipt).toMatchObject({ kind: 'completion' });
  });

  it('a closed case takes nothing more', () => {
    const r = replay(jhtClaimMachine, input, [...submitted, paid, issued, ev('kpj.added', { record: K1 }, officer, wib('2026-03-02', '11:05'))]);
    expect(r.snapshot.status).toBe('done');
    expect(r.rejected).toMatchObject({ index: 8, reason: 'CASE_FINISHED' });
  });
});
