import { assign, createMachine, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { checkPath, type InvariantId } from '@state-machines/invariants';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { refusalReviewMachine } from '@state-machines/refusal-review.machine';
import { ticketMachine } from '@state-machines/ticket.machine';
import { triageMachine } from '@state-machines/triage.machine';
import { officer } from './fixtures';
import { MODELS, type Model } from './models';
import { walk } from './walk';

const model = (flow: string): Model => MODELS.find((m) => m.flow === flow)!;

/** A smaller JHT model (no refusal/transfer/withdraw events) so the mutants walk fast. */
const jhtHappy = (): Model => {
  const m = model('jht-claim');
  return { ...m, events: m.events.filter((e) => !/^(refusal|transfer|case)\./.test(e.type)) };
};

function invariantsBroken(m: Model, machine: AnyStateMachine): Set<InvariantId> {
  const broken = new Set<InvariantId>();
  const seen = new Set<string>();
  for (const p of walk(m, machine)) {
    for (const v of checkPath(m.flow, machine, p.input as never, p.events, { nonReasons: true, nonReasonActor: officer, seen }).violations) {
      broken.add(v.invariant);
    }
  }
  return broken;
}

describe('the invariant suite catches broken machines (mutation check)', () => {
  it('the real machines break nothing (control)', () => {
    expect([...invariantsBroken(model('jmo-reset'), jmoResetMachine)]).toEqual([]);
  });

  it('an unguarded refusal transition is reported', () => {
    const mutant = jmoResetMachine.provide({ guards: { refusalReasonHolds: () => true } });
    const broken = invariantsBroken(model('jmo-reset'), mutant);
    console.log('mutant unguarded refusal →', [...broken].join(', '));
    expect(broken).toContain('refusalOnlyWithValidCatalogReason');
    expect(broken).toContain('securityNeverRefusesOrTransfers');
    expect(broken).toContain('nonReasonNeverAccepted');
  });

  it('a refusal that security may fire is reported', () => {
    const original = jmoResetMachine.implementations.guards.refusalReasonHolds as (a: unknown, p: unknown) => boolean;
    const mutant = jmoResetMachine.provide({
      guards: { refusalReasonHolds: (args, params) => args.event.actor.role === 'security' || original(args, params) },
    });
    const broken = invariantsBroken(model('jmo-reset'), mutant);
    console.log('mutant security refusal →', [...broken].join(', '));
    expect(broken).toContain('securityNeverRefusesOrTransfers');
    expect(broken).toContain('refusalOnlyWithValidCatalogReason');
  });

  it('an invented "08:00–08:30 only" reset window is reported', () => {
    const mutant = jmoResetMachine.provide({
      guards: { refusalReasonHolds: ({ event }) => event.type === 'refusal.requested' && /OUTSIDE_SERVICE_HOURS|RESET_WINDOW/.test(event.code) && event.actor.role === 'officer' },
    });
    const broken = invariantsBroken(model('jmo-reset'), mutant);
    expect(broken).toContain('nonReasonNeverAccepted');
  });

  it('a redirect to another branch without the person asking is reported', () => {
    const mutant = jmoResetMachine.provide({ guards: { transferRequestedByPerson: () => true } });
    const broken = invariantsBroken(model('jmo-reset'), mutant);
    expect(broken).toContain('nonReasonNeverAccepted');
  });

  it('a claim that closes with an unresolved KPJ is reported', () => {
    const mutant = jhtClaimMachine.provide({ guards: { allKpjResolved: () => true } });
    const broken = invariantsBroken(jhtHappy(), mutant);
    console.log('mutant allKpjResolved=true →', [...broken].join(', '));
    expect(broken).toContain('claimNeverClosesWithUnresolvedKpj');
  });

  it('a case that closes without a receipt is reported', () => {
    const mutant = jmoResetMachine.provide({ actions: { issueCompletionReceipt: assign({ receipt: null }) } });
    expect(invariantsBroken(model('jmo-reset'), mutant)).toContain('finalCaseStateHasReceipt');
  });

  it('a triage machine with a refusal event is reported', () => {
    const cfg = triageMachine.config;
    const mutant = createMachine(
      { ...cfg, on: { ...(cfg.on as object), 'refusal.requested': { target: '.answered' } } } as typeof cfg,
      triageMachine.implementations as never,
    ) as AnyStateMachine;
    const broken = invariantsBroken(model('triage'), mutant);
    console.log('mutant triage with refusal →', [...broken].join(', '));
    expect(broken).toContain('noEventForRefusalOrRedirectInTriage');
    expect(broken).toContain('nonReasonNeverAccepted');
  });

  it('a door that ends a stated need by switching to info (issue 16) is reported', () => {
    const mutant = triageMachine.provide({ guards: { noServiceNeedStated: () => true } });
    const broken = invariantsBroken(model('triage'), mutant);
    console.log('mutant triage ends a stated need →', [...broken].join(', '));
    expect(broken).toContain('statedNeedEndsWithTicketAppointmentOrDecline');
    expect([...invariantsBroken(model('triage'), triageMachine)]).toEqual([]);
  });

  it('a door that records a decline for another service than the one stated is reported', () => {
    const mutant = triageMachine.provide({ guards: { declinesStatedService: ({ context }) => context.statedService !== null } });
    expect(invariantsBroken(model('triage'), mutant)).toContain('statedNeedEndsWithTicketAppointmentOrDecline');
  });

  it('a role guard that lets security call tickets or officers decide reviews is reported', () => {
    expect(invariantsBroken(model('ticket'), ticketMachine.provide({ guards: { byCounterStaff: () => true } }))).toContain('roleGuardsHold');
    expect(invariantsBroken(model('refusal-review'), refusalReviewMachine.provide({ guards: { byBranchHead: () => true } }))).toContain('roleGuardsHold');
  });

  it('a machine that does not replay deterministically is reported', () => {
    let n = 0;
    const mutant = jmoResetMachine.provide({
      actions: { recordContact: assign({ contact: () => ({ email: `x${n++}@example.com`, phone: '081234567890' }) }) },
    });
    expect(invariantsBroken(model('jmo-reset'), mutant)).toContain('replayEqualsLive');
  });
});
