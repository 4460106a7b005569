import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { bpuResignationMachine } from '@state-machines/bpu-resignation.machine';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { replay } from '@state-machines/replay';
import { ev, makeNik, officer, security, wib } from './fixtures';

/**
 * What every case flow records and tells the head when a case is refused, a refusal is rejected,
 * a case is transferred or withdrawn (state-machines/case-common.ts): the record, the receipt and
 * the emitted event carry exactly the request's who, when and what.
 */
const NIK = makeNik('1980-04-12', 'male', 3);
const OPENED = wib('2026-03-02', '08:00');
const FLOWS = [
  { flow: 'jht-claim', machine: jhtClaimMachine },
  { flow: 'bpu-resignation', machine: bpuResignationMachine },
  { flow: 'jmo-reset', machine: jmoResetMachine },
] as const;

type Events = Array<Record<string, unknown>>;
const run = (machine: (typeof FLOWS)[number]['machine'], events: Events, extra: Record<string, unknown> = {}) =>
  replay(machine as typeof jmoResetMachine, { caseId: 'CASE-REC-1', nik: NIK, openedAt: OPENED, config: DEFAULT_CASE_CONFIG, ...extra }, events);

// Saturday 7 March 2026: outside the default service hours; the next opening is Monday 9 March.
const SATURDAY = wib('2026-03-07', '10:00');
const outsideHours = ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-09', time: '10:00' } }, officer, SATURDAY);

describe.each(FLOWS)('$flow: what a case records (case-common)', ({ flow, machine }) => {
  it('a refusal the catalog allows: the refusal with its facts, the slip, and the notice for the head', () => {
    const r = run(machine, [outsideHours]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('refused');
    const c = r.snapshot.context;
    expect(c.refusal).toMatchObject({ code: 'OUTSIDE_SERVICE_HOURS', at: SATURDAY, actor: officer });
    expect(c.refusal?.facts).toMatchObject({ flow, at: SATURDAY, serviceHours: DEFAULT_CASE_CONFIG.serviceHours, identity: null });
    expect(c.receipt).toMatchObject({ caseId: 'CASE-REC-1', flow, kind: 'refusalSlip', issuedAt: SATURDAY, issuedBy: officer.staffId, refusal: { code: 'OUTSIDE_SERVICE_HOURS' } });
    expect(c.receipt?.nextStep.id).toContain('9 Maret 2026');
    expect(c.receipt?.surveyUrl).toBe(DEFAULT_CASE_CONFIG.receipt.surveyUrl);
    expect(c.invalidRefusals).toEqual([]);
    expect(r.emitted).toStrictEqual([{ type: 'refusal.recorded', caseId: 'CASE-REC-1', flow, refusal: c.refusal }]);
  });

  it('refusals the catalog does not allow are recorded one after another, each with why, and each goes to the head', () => {
    const first = ev('refusal.requested', { code: 'QUOTA_FULL' }, officer, wib('2026-03-02', '09:00'));
    const second = ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '09:00' } }, officer, wib('2026-03-02', '09:30'));
    const r = run(machine, [first, second]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.status).toBe('active');
    const c = r.snapshot.context;
    expect(c.refusal).toBeNull();
    expect(c.receipt).toBeNull();
    expect(c.invalidRefusals).toStrictEqual([
      { code: 'QUOTA_FULL', at: first.at, actor: officer, why: 'UNKNOWN_CODE' },
      { code: 'OUTSIDE_SERVICE_HOURS', at: second.at, actor: officer, why: 'GUARD_NOT_HELD' },
    ]);
    expect(r.emitted).toStrictEqual([
      { type: 'refusal.rejected', caseId: 'CASE-REC-1', flow, attempt: c.invalidRefusals[0] },
      { type: 'refusal.rejected', caseId: 'CASE-REC-1', flow, attempt: c.invalidRefusals[1] },
    ]);
  });

  it('a warm transfer asked for by the person: the transfer and its receipt', () => {
    const t = ev('transfer.requested', { targetBranch: 'SBY01', reason: 'PERSON_REQUESTED', slaDeadline: wib('2026-03-03', '15:00') });
    const r = run(machine, [t]);
    expect(r.snapshot.value).toBe('transferred');
    const c = r.snapshot.context;
    expect(c.transfer).toStrictEqual({ targetBranch: 'SBY01', reason: 'PERSON_REQUESTED', slaDeadline: t.slaDeadline, at: t.at, actor: officer });
    expect(c.receipt).toMatchObject({ caseId: 'CASE-REC-1', flow, kind: 'transfer', issuedAt: t.at, issuedBy: officer.staffId });
    expect(c.receipt?.nextStep.id).toContain('SBY01');
    expect(r.emitted).toEqual([]);
  });

  it.each([
    { label: 'to another branch, deadline one minute ahead', targetBranch: 'SBY01', sla: wib('2026-03-02', '10:01'), reason: 'PERSON_REQUESTED', ok: true },
    { label: 'to this very branch', targetBranch: DEFAULT_CASE_CONFIG.branchCode, sla: wib('2026-03-03', '15:00'), reason: 'PERSON_REQUESTED', ok: false },
    { label: 'with a deadline at the request itself', targetBranch: 'SBY01', sla: wib('2026-03-02', '10:00'), reason: 'PERSON_REQUESTED', ok: false },
    { label: 'with a deadline already passed', targetBranch: 'SBY01', sla: wib('2026-03-02', '09:59'), reason: 'PERSON_REQUESTED', ok: false },
    { label: 'for a reason other than the person asking', targetBranch: 'SBY01', sla: wib('2026-03-03', '15:00'), reason: 'OFFICER_BUSY', ok: false },
  ])('transfer $label → accepted: $ok', ({ targetBranch, sla, reason, ok }) => {
    const r = run(machine, [ev('transfer.requested', { targetBranch, reason, slaDeadline: sla }, officer, wib('2026-03-02', '10:00'))]);
    expect(r.rejected?.reason ?? null).toBe(ok ? null : 'GUARD_FAILED');
    expect(r.snapshot.context.transfer !== null).toBe(ok);
  });

  it('only case workers transfer or end a case', () => {
    const t = ev('transfer.requested', { targetBranch: 'SBY01', reason: 'PERSON_REQUESTED', slaDeadline: wib('2026-03-03', '15:00') }, security);
    expect(run(machine, [t]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run(machine, [ev('case.withdrawn', {}, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });

  it('a withdrawal: when, its receipt, and the notice', () => {
    const w = ev('case.withdrawn', {}, officer, wib('2026-03-02', '11:15'));
    const r = run(machine, [w]);
    expect(r.snapshot.value).toBe('withdrawn');
    const c = r.snapshot.context;
    expect(c.withdrawnAt).toBe(w.at);
    expect(c.receipt).toMatchObject({ caseId: 'CASE-REC-1', flow, kind: 'withdrawal', issuedAt: w.at, issuedBy: officer.staffId });
    expect(r.emitted).toStrictEqual([{ type: 'case.withdrawn', caseId: 'CASE-REC-1', flow, at: w.at, actor: officer }]);
  });
});

describe.each(FLOWS)('$flow: how a case starts (case-common caseStart)', ({ machine }) => {
  it('keeps the visit start and the recorded-checks mark when given, and adds neither when not', () => {
    const visitStartedAt = wib('2026-03-02', '07:55');
    const withBoth = run(machine, [], { visitStartedAt, recordedChecks: true }).snapshot.context;
    expect(withBoth.visitStartedAt).toBe(visitStartedAt);
    expect(withBoth.recordedChecks).toBe(true);
    const without = run(machine, []).snapshot.context;
    expect('visitStartedAt' in without).toBe(false);
    expect('recordedChecks' in without).toBe(false);
  });

  it('a visit start that is not a time, or a NIK that fails validation, cannot open a case', () => {
    expect(() => run(machine, [], { visitStartedAt: 'pagi tadi' })).toThrow('visitStartedAt: not a timestamp');
    expect(() => run(machine, [], { nik: '3171010101900000' })).toThrow('NIK_SERIAL');
  });

  it('without a branch config the defaults apply', () => {
    const r = replay(machine as typeof jmoResetMachine, { caseId: 'CASE-REC-2', nik: NIK, openedAt: OPENED }, []);
    expect(r.snapshot.context.config).toStrictEqual(DEFAULT_CASE_CONFIG);
  });
});

describe('the visit start goes into the refusal facts (case-common visitFacts)', () => {
  it.each(FLOWS)('$flow: a ticket taken in hours is served after closing; the facts say when the visit began', ({ machine }) => {
    const visitStartedAt = wib('2026-03-02', '14:57');
    const late = ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '09:00' } }, officer, wib('2026-03-02', '15:02'));
    const r = run(machine, [late], { visitStartedAt });
    expect(r.snapshot.status).toBe('active');
    expect(r.snapshot.context.invalidRefusals[0]?.why).toBe('GUARD_NOT_HELD');
    // The same request on a visit that began after closing is a refusal whose facts carry the start.
    const after = run(machine, [late], { visitStartedAt: wib('2026-03-02', '15:01') });
    expect(after.snapshot.value).toBe('refused');
    expect(after.snapshot.context.refusal?.facts.visitStartedAt).toBe(wib('2026-03-02', '15:01'));
    expect('visitStartedAt' in (run(machine, [outsideHours]).snapshot.context.refusal?.facts ?? {})).toBe(false);
  });
});

describe('the case day resolves the NIK (case-common caseStart with openedAt and the branch zone)', () => {
  // Born 3 March 2026 by the digits: on 2 March 2026 (WIB) that is 1926; on 3 March (WIT) it is 2026.
  const nik = makeNik('2026-03-03', 'male', 9);
  const lateEvening = '2026-03-02T23:30:00+07:00';

  it('the two-digit year is read on the branch’s own clock when the case opens', () => {
    const wibCase = replay(jhtClaimMachine, { caseId: 'Z-1', nik, openedAt: lateEvening, config: DEFAULT_CASE_CONFIG }, []);
    expect(wibCase.snapshot.context.birthDate).toBe('1926-03-03');
    const witCase = replay(jhtClaimMachine, { caseId: 'Z-2', nik, openedAt: lateEvening, config: { ...DEFAULT_CASE_CONFIG, zone: 'WIT' } }, []);
    expect(witCase.snapshot.context.birthDate).toBe('2026-03-03');
    const noConfig = replay(jhtClaimMachine, { caseId: 'Z-3', nik, openedAt: lateEvening }, []);
    expect(noConfig.snapshot.context.birthDate).toBe('1926-03-03');
  });

  it('a case opened without its day judges the NIK in either century', () => {
    const r = replay(jmoResetMachine, { caseId: 'Z-4', nik, config: DEFAULT_CASE_CONFIG }, []);
    expect(r.snapshot.status).toBe('active');
  });
});
