import { describe, expect, it } from 'vitest';
import { CaseConfig, DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { RulesOverride, rulesOn } from '@shared/cases/branch-rules';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { replay } from '@state-machines/replay';
import { ev, makeNik, wib } from '../machines/fixtures';

// Issue 16 pt 10: the head's local closures are part of the branch's case rules (CaseConfig, versioned
// at HQ like the other rules), so a "not yet" or "outside hours" appointment never lands on one, on
// the PC and in HQ's replay alike. Generated NIKs only.

const DAY = '2026-03-02';
const NIK = makeNik('1966-04-12', 'male', 61);
// Resigned 20 Feb: first claim date 20 Mar, closed 18–24 Mar (Nyepi, Idul Fitri): 25 Mar is the first open day.
const notYet = (date: string, localClosures?: string[]) =>
  replay(jhtClaimMachine, { caseId: 'C-LC', nik: NIK, openedAt: wib(DAY), config: { ...DEFAULT_CASE_CONFIG, ...(localClosures ? { localClosures } : {}) } }, [
    ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
    ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-02-20' }),
    ev('refusal.requested', { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date, time: '09:00' } }),
  ]);

describe('case rules carry the branch local closures', () => {
  it('CaseConfig and a rules version accept a list of dates, and refuse anything else', () => {
    expect(CaseConfig.parse({ ...DEFAULT_CASE_CONFIG, localClosures: ['2026-03-25'] }).localClosures).toEqual(['2026-03-25']);
    expect(RulesOverride.parse({ localClosures: ['2026-03-25'] })).toEqual({ localClosures: ['2026-03-25'] });
    expect(RulesOverride.safeParse({ localClosures: ['25-03-2026'] }).success).toBe(false);
    const rules = { base: { ...DEFAULT_CASE_CONFIG }, versions: [{ effectiveFrom: '2026-03-01', config: { localClosures: ['2026-03-25'] } }] };
    expect(rulesOn(rules, '2026-02-28').localClosures).toBeUndefined();
    expect(rulesOn(rules, DAY).localClosures).toEqual(['2026-03-25']);
  });

  it('a waiting-period appointment on a local closure is refused (APPOINTMENT_ON_CLOSED_DAY); the next open day is accepted', () => {
    expect(notYet('2026-03-25').snapshot.value).toBe('refused');
    const closed = notYet('2026-03-25', ['2026-03-25']);
    expect(closed.snapshot.value).not.toBe('refused');
    expect((closed.snapshot.context as { invalidRefusals: Array<{ why: string }> }).invalidRefusals.at(-1)?.why).toBe('APPOINTMENT_ON_CLOSED_DAY');
    expect(notYet('2026-03-26', ['2026-03-25']).snapshot.value).toBe('refused');
  });

  it('outside service hours: the next opening skips a local closure', () => {
    const run = (date: string, localClosures?: string[]) =>
      replay(jmoResetMachine, { caseId: 'J-LC', nik: makeNik('1992-11-23', 'male', 3), config: { ...DEFAULT_CASE_CONFIG, ...(localClosures ? { localClosures } : {}) } }, [
        ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date, time: '08:00' } }, undefined, wib(DAY, '16:00')),
      ]);
    expect(run('2026-03-03').snapshot.value).toBe('refused');
    expect(run('2026-03-03', ['2026-03-03']).snapshot.value).not.toBe('refused');
    const next = run('2026-03-04', ['2026-03-03']);
    expect(next.snapshot.value).toBe('refused');
    // The slip names the next opening after the closure, in Indonesian.
    expect(JSON.stringify((next.snapshot.context as { receipt: unknown }).receipt)).toContain('Rabu, 4 Maret 2026');
  });
});
