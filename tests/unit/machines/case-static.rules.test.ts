import { createActor, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { bpuResignationMachine } from '@state-machines/bpu-resignation.machine';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { replay } from '@state-machines/replay';
import { NIK_56, ev, officer, security, wib } from './fixtures';

// Boundary tests for the configuration the three case machines share (the module-load, "static"
// mutants of Stryker, issue 16): the case-wide refusal, transfer and withdrawal transitions, what
// each prints and tells the head, who may fire them, that their outcomes are final, that a case
// starts at the identity check, and that a replay checks events against the flow's own schema
// (found by the machine's id). Through the machines' public interface only, so the tests hold
// whatever way the shared blocks are written in the source.

const at = (time: string) => wib('2026-03-02', time);
const input = { caseId: 'CASE-STATIC-1', nik: NIK_56, config: { ...DEFAULT_CASE_CONFIG, branchCode: 'JKT01' }, recordedChecks: true as const };

const FLOWS: Array<{ flow: string; machine: AnyStateMachine; failedCheck: Record<string, boolean>; passedCheck: Record<string, boolean>; next: unknown }> = [
  { flow: 'jht-claim', machine: jhtClaimMachine, failedCheck: { ektpPresented: false, ektpMatchesNik: false }, passedCheck: { ektpPresented: true, ektpMatchesNik: true }, next: { cause: 'choosing' } },
  { flow: 'bpu-resignation', machine: bpuResignationMachine, failedCheck: { ektpPresented: false, ektpMatchesNik: false }, passedCheck: { ektpPresented: true, ektpMatchesNik: true }, next: 'membership' },
  {
    flow: 'jmo-reset',
    machine: jmoResetMachine,
    failedCheck: { ektpPresented: false, ektpMatchesNik: false, kpjMatchesNik: false },
    passedCheck: { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true },
    next: 'contact',
  },
];

const failedCheck = (f: (typeof FLOWS)[number]) => ev('identity.checked', f.failedCheck, officer, at('09:01'));
const refuse = (actor = officer) => ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' }, actor, at('09:02'));
const transfer = (o: { actor?: typeof officer; targetBranch?: string; slaDeadline?: string; reason?: string } = {}) =>
  ev('transfer.requested', { targetBranch: o.targetBranch ?? 'SBY01', reason: o.reason ?? 'PERSON_REQUESTED', slaDeadline: o.slaDeadline ?? wib('2026-03-03', '15:00') }, o.actor ?? officer, at('09:03'));
const withdraw = (actor = officer) => ev('case.withdrawn', {}, actor, at('09:04'));
const later = () => ev('receipt.issued', {}, officer, at('09:30'));

/** Runs the events on a live actor, counting the receipt prints and collecting what it tells the head. */
function live(machine: AnyStateMachine, events: ReturnType<typeof ev>[]) {
  let printed = 0;
  const emitted: Array<{ type: string }> = [];
  const actor = createActor(
    machine.provide({
      actions: {
        printReceipt: () => {
          printed += 1;
        },
      },
    }),
    { input },
  );
  actor.on('*', (e: { type: string }) => emitted.push(e));
  actor.start();
  for (const e of events) actor.send(e);
  const current: unknown = actor.getSnapshot();
  const snap = current as { value: unknown; status: string; context: Record<string, unknown> };
  actor.stop();
  return { printed, emitted, value: snap.value, status: snap.status, context: snap.context };
}

describe.each(FLOWS)('$flow: case-wide transitions (static mutants)', (f) => {
  it('a case starts at the identity check; a verified identity moves on', () => {
    expect(live(f.machine, []).value).toBe('identity');
    expect(live(f.machine, [ev('identity.checked', f.passedCheck, officer, at('09:01'))]).value).toEqual(f.next);
    // A failed check is recorded, and the case stays at the identity step.
    const failed = live(f.machine, [failedCheck(f)]);
    expect(failed.value).toBe('identity');
    expect(failed.context.identity).toMatchObject({ ektpPresented: false, ektpMatchesNik: false });
  });

  it('a refusal the catalog allows ends the case refused: the refusal goes to the head once and the slip is printed once', () => {
    const r = live(f.machine, [failedCheck(f), refuse()]);
    expect(r).toMatchObject({ value: 'refused', status: 'done', printed: 1 });
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]).toMatchObject({ type: 'refusal.recorded', caseId: input.caseId, flow: f.flow, refusal: { code: 'IDENTITY_NOT_VERIFIED', actor: officer } });
    expect(r.context.receipt).toMatchObject({ kind: 'refusalSlip', refusal: { code: 'IDENTITY_NOT_VERIFIED' } });
  });

  it('a refusal the catalog does not allow is recorded as an attempt and told to the head; the case goes on, nothing is printed', () => {
    const r = live(f.machine, [failedCheck(f), refuse(security)]);
    expect(r).toMatchObject({ value: 'identity', status: 'active', printed: 0 });
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]).toMatchObject({ type: 'refusal.rejected', caseId: input.caseId, flow: f.flow, attempt: { code: 'IDENTITY_NOT_VERIFIED', why: 'ROLE_NOT_ALLOWED' } });
    expect(r.context.refusal).toBeNull();
  });

  it('a warm transfer the person asked for ends the case transferred, with its receipt printed once', () => {
    const r = live(f.machine, [transfer()]);
    expect(r).toMatchObject({ value: 'transferred', status: 'done', printed: 1 });
    expect(r.context.transfer).toMatchObject({ targetBranch: 'SBY01', reason: 'PERSON_REQUESTED' });
    expect(r.context.receipt).toMatchObject({ kind: 'transfer' });
    expect(r.emitted).toEqual([]);
  });

  it('a transfer is taken only from a case worker, at the person’s request, to another branch, with its deadline ahead', () => {
    for (const bad of [transfer({ actor: security }), transfer({ reason: 'BRANCH_FULL' }), transfer({ targetBranch: 'JKT01' }), transfer({ slaDeadline: at('09:00') })]) {
      const r = live(f.machine, [bad]);
      expect(r).toMatchObject({ value: 'identity', printed: 0 });
      expect(r.context.transfer).toBeNull();
    }
  });

  it('a withdrawal ends the case withdrawn: told to the head once, its receipt printed once; only a case worker withdraws', () => {
    const r = live(f.machine, [withdraw()]);
    expect(r).toMatchObject({ value: 'withdrawn', status: 'done', printed: 1 });
    expect(r.emitted).toEqual([{ type: 'case.withdrawn', caseId: input.caseId, flow: f.flow, at: at('09:04'), actor: officer }]);
    expect(r.context.withdrawnAt).toBe(at('09:04'));
    expect(r.context.receipt).toMatchObject({ kind: 'withdrawal' });
    const bySecurity = live(f.machine, [withdraw(security)]);
    expect(bySecurity).toMatchObject({ value: 'identity', status: 'active', printed: 0, emitted: [] });
  });

  it('refused, transferred and withdrawn are final: nothing more is taken', () => {
    for (const events of [[failedCheck(f), refuse()], [transfer()], [withdraw()]]) {
      const r = replay(f.machine, input, [...events, later()]);
      expect(r.snapshot.status).toBe('done');
      expect(r.rejected).toMatchObject({ index: events.length, reason: 'CASE_FINISHED' });
    }
  });

  it('a replay checks events against the flow’s schema: an identity check without its answers is invalid', () => {
    const r = replay(f.machine, input, [ev('identity.checked', { ektpPresented: 'ya' }, officer, at('09:01'))]);
    expect(r.rejected).toMatchObject({ index: 0, reason: 'INVALID_EVENT' });
  });
});

describe('jmo-reset: the completion (static mutants)', () => {
  const f = FLOWS[2]!;
  const steps = [
    ev('identity.checked', f.passedCheck, officer, at('09:01')),
    ev('contact.updated', { email: 'peserta.jmo@example.com', phone: '081298765432' }, officer, at('09:02')),
    ev('reset.requested', {}, officer, at('09:03')),
    ev('reset.confirmed', {}, officer, at('09:04')),
  ];

  it('each step moves on once; the receipt is printed once, when it is issued, and closes the case', () => {
    expect(live(f.machine, steps).value).toBe('receiptPending');
    expect(live(f.machine, steps).printed).toBe(0);
    const r = live(f.machine, [...steps, ev('receipt.issued', {}, officer, at('09:05'))]);
    expect(r).toMatchObject({ value: 'closed', status: 'done', printed: 1, emitted: [] });
    expect(r.context.receipt).toMatchObject({ kind: 'completion' });
  });

  it('a closed case takes nothing more', () => {
    const r = replay(f.machine, input, [...steps, ev('receipt.issued', {}, officer, at('09:05')), later()]);
    expect(r.rejected).toMatchObject({ index: 5, reason: 'CASE_FINISHED' });
  });
});
