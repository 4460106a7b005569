import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { resolutionValid, type KpjLine } from '@shared/cases/rules';
import { checkPending, latestFollowUp } from '@shared/policy';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import { K1, K2, NIK_56, ev, wib } from '../machines/fixtures';

// Issue 16 pts 3 and 10: the follow-up of a pending KPJ is within N working days of the branch,
// and a day the branch is closed (its head's local closures, in its case rules) is no working day:
// the limit moves past it, on the PC and in HQ's replay alike. Generated data only.

const DAY = '2026-03-02'; // Monday; 5 working days later is Monday 9 March
const CLOSED = ['2026-03-04', '2026-03-05']; // a local flood: Wednesday and Thursday closed

describe('pending follow-up: working days skip the local closures', () => {
  it('latestFollowUp and checkPending count a local closure as no working day', () => {
    expect(latestFollowUp(DAY, 5)).toBe('2026-03-09');
    expect(latestFollowUp(DAY, 5, CLOSED)).toBe('2026-03-11');
    expect(latestFollowUp(DAY, 5, [])).toBe('2026-03-09');
    // A closure after the limit changes nothing; one on a weekend changes nothing.
    expect(latestFollowUp(DAY, 5, ['2026-03-10', '2026-03-07'])).toBe('2026-03-09');
    expect(latestFollowUp(DAY, 1, ['2026-03-03'])).toBe('2026-03-04');
    expect(checkPending('BANK_ACCOUNT_VERIFICATION', '2026-03-11', DAY, 5, CLOSED)).toEqual({ ok: true });
    expect(checkPending('BANK_ACCOUNT_VERIFICATION', '2026-03-12', DAY, 5, CLOSED)).toEqual({ ok: false, why: 'FOLLOW_UP_TOO_LATE' });
    expect(checkPending('BANK_ACCOUNT_VERIFICATION', '2026-03-11', DAY, 5)).toEqual({ ok: false, why: 'FOLLOW_UP_TOO_LATE' });
  });

  it('the rules module takes the closures with the pending rule', () => {
    const lines: KpjLine[] = [{ ...K1, outcome: null }];
    const out = { kind: 'pending' as const, reason: 'IDENTITY_DATA_CORRECTION', followUpOn: '2026-03-11' };
    expect(resolutionValid(lines, K1.kpj, out, DAY, { workingDays: 5 })).toBe(false);
    expect(resolutionValid(lines, K1.kpj, out, DAY, { workingDays: 5, localClosures: CLOSED })).toBe(true);
  });

  it("the claim machine judges with the branch's local closures from its case rules", () => {
    const at = wib(DAY);
    const run = (followUpOn: string, localClosures?: string[]) =>
      replay(
        jhtClaimMachine,
        {
          caseId: 'C-16LC',
          nik: NIK_56,
          openedAt: wib(DAY),
          visitStartedAt: wib(DAY, '09:00'),
          config: { ...DEFAULT_CASE_CONFIG, ...(localClosures ? { localClosures } : {}) },
          recordedChecks: true as const,
        },
        [
          ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, undefined, at),
          ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }, undefined, at),
          ev('kpj.searched', { results: [K1, K2] }, undefined, at),
          ev('kpj.listConfirmed', {}, undefined, at),
          ev('document.presented', { documents: ['ektp', 'savingsBook', 'otherTerminationProof', 'npwp'] }, undefined, at),
          ev('documents.confirmed', {}, undefined, at),
          ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }, undefined, at),
          ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'pending', reason: 'EMPLOYER_DATA_CONFIRMATION', followUpOn } }, undefined, at),
        ],
      );
    expect(run('2026-03-11').rejected?.reason).toBe('GUARD_FAILED');
    expect(run('2026-03-11', CLOSED).rejected).toBeNull();
    expect(run('2026-03-12', CLOSED).rejected?.reason).toBe('GUARD_FAILED');
  });
});
