import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { pendingKpjsByStaff, pendingKpjsOf, type CaseLike } from '../../../renderer/src/data/reports/pending-kpjs';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import { K1, K2, K3, NIK_56, ev, head, officer, wib } from '../machines/fixtures';

// Issue 16 pt 3: every pending KPJ reaches the head (review list) and the dashboard (per staff
// member), read from real journals replayed through the machine. Generated people only.

type Ev = ReturnType<typeof ev>;
const DAY = '2026-03-02';
function claim(id: string, resolutions: Ev[]): CaseLike {
  const events: Ev[] = [
    ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
    ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }),
    ev('kpj.searched', { results: [K1, K2, K3] }),
    ev('kpj.listConfirmed', {}),
    ev('document.presented', { documents: ['savingsBook', 'otherTerminationProof', 'npwp'] }),
    ev('documents.confirmed', {}),
    ...resolutions,
  ];
  const input = { caseId: id, nik: NIK_56, openedAt: wib(DAY), visitStartedAt: wib(DAY, '09:00'), recordedChecks: true as const, config: DEFAULT_CASE_CONFIG };
  const r = replay(jhtClaimMachine, input, events);
  if (r.rejected) throw new Error(r.rejected.reason);
  return { id, flow: 'jht-claim', events, snapshot: { value: r.snapshot.value, context: r.snapshot.context } };
}
const pending = (kpj: string, reason: string, followUpOn: string, actor = officer, at = wib(DAY, '10:00'), note?: string) =>
  ev('kpj.resolved', { kpj, outcome: { kind: 'pending', reason, followUpOn, ...(note ? { note } : {}) } }, actor, at);

describe('pending KPJs for the head', () => {
  const a = claim('C-A', [pending(K1.kpj, 'EMPLOYER_DATA_CONFIRMATION', '2026-03-09', officer, wib(DAY, '10:00'), 'HRD dihubungi'), ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'paid' } })]);
  // K2 was pending, then paid: not pending any more. K3 pending by the head.
  const b = claim('C-B', [
    pending(K2.kpj, 'BALANCE_RECONCILIATION', '2026-03-04'),
    ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'paid' } }),
    pending(K3.kpj, 'BANK_ACCOUNT_VERIFICATION', '2026-03-03', head, wib(DAY, '11:00')),
  ]);

  it('lists every KPJ pending now, with who left it pending, the reason, the date and whether it is overdue', () => {
    const items = pendingKpjsOf([a, b, { id: 'J-1', flow: 'jmo-reset', events: [], snapshot: {} }], '2026-03-04');
    expect(items).toEqual([
      { caseId: 'C-B', kpj: K3.kpj, reason: 'BANK_ACCOUNT_VERIFICATION', followUpOn: '2026-03-03', staffId: head.staffId, at: wib(DAY, '11:00'), overdue: true },
      { caseId: 'C-A', kpj: K1.kpj, reason: 'EMPLOYER_DATA_CONFIRMATION', followUpOn: '2026-03-09', note: 'HRD dihubungi', staffId: officer.staffId, at: wib(DAY, '10:00'), overdue: false },
    ]);
    // On its follow-up day a pending KPJ is not overdue yet.
    expect(pendingKpjsOf([b], '2026-03-03')[0]?.overdue).toBe(false);
  });

  it('counts them per staff member in the range, most first', () => {
    const items = pendingKpjsOf([a, b], '2026-03-04');
    expect(pendingKpjsByStaff(items, { fromDay: DAY, toDay: '2026-03-04' }, 'WIB')).toEqual([
      { staffId: head.staffId, pending: 1, overdue: 1 },
      { staffId: officer.staffId, pending: 1, overdue: 0 },
    ]);
    expect(pendingKpjsByStaff(items, { fromDay: '2026-03-03', toDay: '2026-03-04' }, 'WIB')).toEqual([]);
  });
});
