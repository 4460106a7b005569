import { createActor, initialTransition, transition, type AnyStateMachine, type EventFromLogic, type InputFrom, type SnapshotFrom } from 'xstate';
import { receiptComplete, type Receipt } from '@shared/cases/receipt';
import {
  CASE_WORKER_ROLES,
  REVIEW_ROLES,
  TRIAGE_ROLES,
  claimableBalance,
  kpjResolved,
  npwpRequired,
  terminationProofPresented,
  type KpjLine,
} from '@shared/cases/rules';
import { CASE_FLOWS, type Actor, type CaseFlow, type Flow } from '@shared/cases/schema';
import { addDays, localDateOf } from '@shared/dates';
import { PENDING_CODES } from '@shared/policy/pending';
import { branchCalendar, isOpenDay, NATIONAL_CALENDAR } from '@shared/calendar/open-days';
import type { Role } from '@shared/staff/schema';
import { checkRefusal } from '@shared/policy/catalog';
import { isWithinServiceHours } from '@shared/policy/hours';
import type { CaseContextBase } from './case-common';
import type { RefusalFacts } from '@shared/policy/facts';
import { NON_REASONS, type NonReason } from '@shared/policy/non-reasons';
import { bpuRefusalFacts, type BpuResignationContext } from './bpu-resignation.machine';
import { jhtRefusalFacts, type JhtClaimContext } from './jht-claim.machine';
import { jmoRefusalFacts, type JmoResetContext } from './jmo-reset.machine';
import { replay } from './replay';

/**
 * The invariants of DESIGN.md §2, checked on machine snapshots. Used by the model-based tests on
 * every reachable state, by the mutation test (a broken machine must be reported), and usable by
 * HQ on replayed journals.
 */
export type InvariantId =
  | 'noEventForRefusalOrRedirectInTriage' // triage has no refuse or redirect event at all
  | 'refusalOnlyWithValidCatalogReason' // (a)
  | 'securityNeverRefusesOrTransfers' // (b)
  | 'finalCaseStateHasReceipt' // (c)
  | 'claimNeverClosesWithUnresolvedKpj' // (d)
  | 'nonReasonNeverAccepted' // (e)
  | 'replayEqualsLive' // (f)
  | 'transferOnlyAtPersonsRequest'
  | 'refusalOnRecordedFactsOnly' // issue 16: visit start, recorded document and identity checks
  | 'noPendingWithoutCatalogReason' // issue 16: a pending KPJ has a catalog reason and a near follow-up
  | 'statedNeedEndsWithTicketAppointmentOrDecline' // issue 16: the door never ends a stated need otherwise
  | 'noAppointmentOnClosedDay' // issue 16: weekends, national holidays, joint leave, the branch's local closures
  | 'roleGuardsHold';

export interface Violation {
  invariant: InvariantId;
  step: number;
  message: string;
}

type AnySnap = {
  value: unknown;
  status: string;
  context: Record<string, unknown>;
};

const isCaseFlow = (flow: string): flow is CaseFlow => (CASE_FLOWS as readonly string[]).includes(flow);

/** The refusal facts of a case machine's context, as its own guard sees them. */
export function refusalFactsOf(flow: CaseFlow, context: unknown, at: string): RefusalFacts {
  switch (flow) {
    case 'jht-claim':
      return jhtRefusalFacts(context as JhtClaimContext, at);
    case 'bpu-resignation':
      return bpuRefusalFacts(context as BpuResignationContext, at);
    case 'jmo-reset':
      return jmoRefusalFacts(context as JmoResetContext, at);
  }
}

/** Whether a conditional non-reason is a non-reason in this state (see NON_REASONS.onlyWhen). */
export function nonReasonApplies(flow: CaseFlow, nr: NonReason, context: unknown): boolean {
  if (!nr.onlyWhen) return true;
  if (flow !== 'jht-claim') return true;
  const c = context as JhtClaimContext;
  if (nr.onlyWhen === 'npwpNotRequired') return !npwpRequired(claimableBalance(c.kpjs), c.config.npwpThreshold);
  return terminationProofPresented(c.documents);
}

const valueOf = (s: AnySnap): string => (typeof s.value === 'string' ? s.value : JSON.stringify(s.value));

/** Static shape: triage knows no refusal or transfer event. */
export function checkMachineShape(flow: Flow, machine: AnyStateMachine): Violation[] {
  if (flow !== 'triage') return [];
  const types = new Set<string>();
  const visit = (node: { on: Record<string, unknown>; states: Record<string, unknown> }) => {
    for (const t of Object.keys(node.on)) types.add(t);
    for (const child of Object.values(node.states)) visit(child as typeof node);
  };
  visit(machine.root);
  return [...types]
    .filter((t) => /^(refusal|transfer|redirect)\./.test(t) || t === '*')
    .map((t) => ({ invariant: 'noEventForRefusalOrRedirectInTriage' as const, step: -1, message: `triage handles ${t}` }));
}

/** Invariants of one snapshot on its own: (a) state part, (c), (d). */
export function checkState(flow: Flow, snap: AnySnap, step: number): Violation[] {
  const out: Violation[] = [];
  if (!isCaseFlow(flow)) return out;
  const c = snap.context;
  if (valueOf(snap) === 'refused') {
    const r = c.refusal as { code: string; facts: RefusalFacts; at: string; actor: Actor } | null;
    if (!r) out.push({ invariant: 'refusalOnlyWithValidCatalogReason', step, message: 'refused without a refusal record' });
    else if (!checkRefusal(r.facts, { code: r.code }, r.actor.role).ok && !checkRefusalLoose(r)) {
      out.push({ invariant: 'refusalOnlyWithValidCatalogReason', step, message: `refused with ${r.code}, whose guard does not hold on the recorded facts` });
    }
  }
  if (snap.status === 'done' && !receiptComplete(c.receipt as Receipt | null)) {
    out.push({ invariant: 'finalCaseStateHasReceipt', step, message: `final state ${valueOf(snap)} without a complete receipt` });
  }
  if (flow === 'jht-claim' && valueOf(snap) === 'closed') {
    const kpjs = c.kpjs as KpjLine[];
    const open = kpjs.filter((k) => !kpjResolved(k)).map((k) => k.kpj);
    if (kpjs.length === 0 || open.length) out.push({ invariant: 'claimNeverClosesWithUnresolvedKpj', step, message: `closed with unresolved KPJ: ${open.join(', ') || '(none listed)'}` });
  }
  return out;
}

// The recorded facts do not carry the request's appointment/documents; only the guard is re-checked.
function checkRefusalLoose(r: { code: string; facts: RefusalFacts; actor: Actor }): boolean {
  const res = checkRefusal(r.facts, { code: r.code, documents: [] }, r.actor.role);
  return res.ok || res.why === 'APPOINTMENT_REQUIRED';
}

/** Who may change each flow; anyone else's event must leave the snapshot as it was. */
export const FLOW_ROLES: Record<Flow, readonly Role[]> = {
  triage: TRIAGE_ROLES,
  ticket: CASE_WORKER_ROLES,
  'jht-claim': CASE_WORKER_ROLES,
  'bpu-resignation': CASE_WORKER_ROLES,
  'jmo-reset': CASE_WORKER_ROLES,
  'refusal-review': REVIEW_ROLES,
};

/** Invariants of one transition prev --event--> next: (a), (b), transfers, roles. */
export function checkStep(flow: Flow, prev: AnySnap, event: { type: string; at: string; actor: Actor } & Record<string, unknown>, next: AnySnap, step: number): Violation[] {
  const out: Violation[] = [];
  if (!FLOW_ROLES[flow].includes(event.actor.role)) {
    // An invalid refusal attempt is recorded (context changes), but the step must not.
    const same = (s: AnySnap) => JSON.stringify(event.type === 'refusal.requested' ? s.value : { v: s.value, c: s.context });
    if (same(prev) !== same(next)) out.push({ invariant: 'roleGuardsHold', step, message: `${event.actor.role} changed ${flow} with ${event.type}` });
  }
  out.push(...checkAppointmentDay(flow, prev, event, next, step));
  if (!isCaseFlow(flow)) return out;
  const entered = (v: string) => valueOf(next) === v && valueOf(prev) !== v;
  if (entered('refused')) {
    if (event.type !== 'refusal.requested') {
      out.push({ invariant: 'refusalOnlyWithValidCatalogReason', step, message: `refused by ${event.type}` });
    } else {
      const facts = refusalFactsOf(flow, prev.context, event.at);
      const check = checkRefusal(facts, event as unknown as { code: string }, event.actor.role);
      if (!check.ok) out.push({ invariant: 'refusalOnlyWithValidCatalogReason', step, message: `refused with ${String(event.code)} by ${event.actor.role}: ${check.why}` });
    }
  }
  if (flow === 'jht-claim') out.push(...checkPendingKpjs(prev.context, next.context, localDateOf(event.at), step));
  if (entered('refused')) out.push(...checkRecordedFacts(prev.context as unknown as CaseContextBase & Record<string, unknown>, next.context, step));
  if (event.actor.role === 'security' && (entered('refused') || entered('transferred'))) {
    out.push({ invariant: 'securityNeverRefusesOrTransfers', step, message: `security reached ${valueOf(next)}` });
  }
  if (entered('transferred') && (event.type !== 'transfer.requested' || event.reason !== 'PERSON_REQUESTED')) {
    out.push({ invariant: 'transferOnlyAtPersonsRequest', step, message: `transferred by ${event.type} (${String(event.reason)})` });
  }
  return out;
}

/**
 * Issue 16 pt 10: an appointment the step gave (the door's booking, a "not yet" or outside-hours
 * refusal's slot, an overturned refusal's follow-up) is on an open day: Monday to Friday, not a
 * national holiday or joint leave day (shared/calendar's data), not one of the branch's local
 * closures (its queue or case config). Read from the event and config, not from the machine's guard.
 */
function checkAppointmentDay(flow: Flow, prev: AnySnap, event: { type: string } & Record<string, unknown>, next: AnySnap, step: number): Violation[] {
  if (valueOf(prev) === valueOf(next) && prev.context === next.context) return [];
  const slot = (event.appointment as { date?: unknown } | undefined)?.date;
  const booked =
    (flow === 'triage' && event.type === 'appointment.booked' && valueOf(next) === 'appointmentBooked') ||
    (isCaseFlow(flow) && event.type === 'refusal.requested' && valueOf(next) === 'refused') ||
    (flow === 'refusal-review' && event.type === 'review.overturned' && valueOf(next) === 'overturned');
  if (!booked || typeof slot !== 'string') return [];
  const config = prev.context.config as { localClosures?: readonly string[] } | undefined;
  const calendar = config ? branchCalendar(config.localClosures) : NATIONAL_CALENDAR;
  if (isOpenDay(slot, calendar)) return [];
  return [{ invariant: 'noAppointmentOnClosedDay', step, message: `${event.type} gave an appointment on ${slot}, a closed day` }];
}

/**
 * Issue 16, read from the context itself rather than through the machine's own facts function (a
 * machine that forgot the rule in its facts would pass the catalog check): OUTSIDE_SERVICE_HOURS
 * only for a visit that began outside hours; with recorded checks, DOCUMENT_MISSING only for
 * documents recorded as not presented, IDENTITY_NOT_VERIFIED only on a recorded negative answer.
 */
function checkRecordedFacts(prev: CaseContextBase & Record<string, unknown>, next: Record<string, unknown>, step: number): Violation[] {
  const refusal = next.refusal as { code: string; facts: RefusalFacts } | null;
  if (!refusal) return [];
  const v = (message: string): Violation[] => [{ invariant: 'refusalOnRecordedFactsOnly', step, message }];
  if (refusal.code === 'OUTSIDE_SERVICE_HOURS' && prev.visitStartedAt !== undefined && isWithinServiceHours(prev.config.serviceHours, prev.visitStartedAt)) {
    return v('OUTSIDE_SERVICE_HOURS for a visit that began within service hours');
  }
  if (!prev.recordedChecks) return [];
  if (refusal.code === 'DOCUMENT_MISSING') {
    const recorded = (prev.notPresented as string[] | undefined) ?? [];
    const named = refusal.facts.missingDocuments ?? [];
    if (named.length === 0 || named.some((d) => !recorded.includes(d))) return v(`DOCUMENT_MISSING naming [${named.join(', ')}] but recorded as not presented: [${recorded.join(', ')}]`);
  }
  if (refusal.code === 'IDENTITY_NOT_VERIFIED') {
    const id = prev.identity as { ektpPresented: boolean; ektpMatchesNik: boolean; kpjMatchesNik?: boolean } | null | undefined;
    if (!id || !(id.ektpPresented === false || id.ektpMatchesNik === false || id.kpjMatchesNik === false)) return v('IDENTITY_NOT_VERIFIED without a recorded failed check');
  }
  return [];
}

/** How a door visit may end once a service need was stated, and where the outcome names its service. */
const STATED_NEED_OUTCOMES: Record<string, 'ticket' | 'appointment' | 'declined'> = {
  ticketIssued: 'ticket',
  checkedIn: 'ticket',
  appointmentBooked: 'appointment',
  declined: 'declined',
};

/**
 * Issue 16: a triage visit in which the person stated a service need (`stated`: the last service
 * stated on an accepted event, followed by the walk itself, not read from the machine's context)
 * ends only with a ticket or an appointment for that service, or with "declined by the person".
 */
export function checkVisitOutcome(stated: string | null, snap: AnySnap, step: number): Violation[] {
  if (stated === null || snap.status !== 'done') return [];
  const kind = STATED_NEED_OUTCOMES[valueOf(snap)];
  const record = kind ? (snap.context[kind] as { service?: string } | null | undefined) : undefined;
  if (kind && record?.service === stated) return [];
  return [{ invariant: 'statedNeedEndsWithTicketAppointmentOrDecline', step, message: `need ${stated} stated, visit ended in ${valueOf(snap)}${record ? ` for ${String(record.service)}` : ''}` }];
}

/**
 * Issue 16: a KPJ that became pending (in a case opened under the rule) has a reason from the
 * catalog of pending reasons and a follow-up from today to the configured working days (default 5,
 * Mon–Fri). Judged from the contexts, not through the rules module it checks.
 */
function checkPendingKpjs(prev: Record<string, unknown>, next: Record<string, unknown>, today: string, step: number): Violation[] {
  if (!prev.recordedChecks) return [];
  type Line = { kpj: string; outcome: { kind: string; reason?: string; followUpOn?: string } | null };
  const before = new Map((prev.kpjs as Line[]).map((k) => [k.kpj, JSON.stringify(k.outcome)]));
  const config = prev.config as { pendingFollowUpWorkingDays?: number; localClosures?: string[] };
  // Working days counted here on their own (Mon–Fri, not a national closed day, not one of the
  // branch's local closures), not via the rules module.
  let latest = today;
  for (let left = config.pendingFollowUpWorkingDays ?? 5; left > 0; ) {
    latest = addDays(latest, 1);
    if (isOpenDay(latest, NATIONAL_CALENDAR) && !(config.localClosures ?? []).includes(latest)) left -= 1;
  }
  const out: Violation[] = [];
  for (const k of next.kpjs as Line[]) {
    const o = k.outcome;
    if (o?.kind !== 'pending' || before.get(k.kpj) === JSON.stringify(o)) continue;
    if (!(PENDING_CODES as readonly string[]).includes(o.reason ?? '')) out.push({ invariant: 'noPendingWithoutCatalogReason', step, message: `KPJ ${k.kpj} pending without a catalog reason` });
    else if (!o.followUpOn || o.followUpOn < today || o.followUpOn > latest) out.push({ invariant: 'noPendingWithoutCatalogReason', step, message: `KPJ ${k.kpj} pending with follow-up ${String(o.followUpOn)} outside ${today}..${latest}` });
  }
  return out;
}

/** An event that says a non-reason, as `actor` would fire it in the state reached at `at`. */
export function nonReasonEvent(nr: NonReason, at: string, actor: Actor): { type: string; at: string; actor: Actor } & Record<string, unknown> {
  const when = nr.localTime ? `${localDateOf(at)}T${nr.localTime}:00+07:00` : at;
  if (nr.attempt.type === 'transfer.requested') {
    return { type: 'transfer.requested', at: when, actor, targetBranch: 'SBY01', reason: nr.attempt.reason, slaDeadline: new Date(Date.parse(when) + 86_400_000).toISOString() };
  }
  return { type: 'refusal.requested', at: when, actor, code: nr.attempt.code, ...(nr.attempt.documents ? { documents: [...nr.attempt.documents] } : {}) };
}

/** (e): feed every non-reason to `snap`; none may refuse or transfer. */
export function checkNonReasons<M extends AnyStateMachine>(flow: Flow, machine: M, snap: SnapshotFrom<M>, at: string, actor: Actor, step: number): Violation[] {
  const s = snap as unknown as AnySnap;
  if (s.status !== 'active') return [];
  const out: Violation[] = [];
  for (const nr of NON_REASONS) {
    if (isCaseFlow(flow) && !nonReasonApplies(flow, nr, s.context)) continue;
    const ev = nonReasonEvent(nr, at, actor);
    const [next] = transition(machine, snap, ev as EventFromLogic<M>);
    const n = next as unknown as AnySnap;
    const moved = valueOf(n) !== valueOf(s);
    const refusedOrGone = ['refused', 'transferred'].includes(valueOf(n)) && moved;
    if (refusedOrGone || (flow === 'triage' && moved)) {
      out.push({ invariant: 'nonReasonNeverAccepted', step, message: `${nr.id} accepted in ${valueOf(s)} → ${valueOf(n)}` });
    }
  }
  return out;
}

export interface PathCheck {
  violations: Violation[];
  /** Snapshots after each event (pure transitions), starting with the initial one. */
  snapshots: unknown[];
}

/**
 * Runs `events` through `machine` and checks every invariant on every state on the way, the
 * non-reasons in every state (when `nonReasons`), and (f) replay == live actor at the end.
 */
export function checkPath<M extends AnyStateMachine>(
  flow: Flow,
  machine: M,
  input: InputFrom<M>,
  events: ReadonlyArray<{ type: string; at: string; actor: Actor } & Record<string, unknown>>,
  opts: { nonReasons?: boolean; nonReasonActor?: Actor; seen?: Set<string> } = {},
): PathCheck {
  const violations: Violation[] = [...checkMachineShape(flow, machine)];
  let [snap] = initialTransition(machine, ...([input] as [InputFrom<M>]));
  const snapshots: unknown[] = [snap];
  const probe = (s: SnapshotFrom<M>, at: string, step: number) => {
    if (!opts.nonReasons || !opts.nonReasonActor) return;
    const key = JSON.stringify({ v: (s as unknown as AnySnap).value, c: (s as unknown as AnySnap).context });
    if (opts.seen?.has(key)) return;
    opts.seen?.add(key);
    violations.push(...checkNonReasons(flow, machine, s, at, opts.nonReasonActor, step));
  };
  violations.push(...checkState(flow, snap, 0));
  if (events[0]) probe(snap, events[0].at, 0);
  let statedNeed: string | null = null;
  for (const [i, event] of events.entries()) {
    const prev = snap;
    if ((prev as unknown as AnySnap).status !== 'active') break;
    [snap] = transition(machine, prev, event as EventFromLogic<M>);
    snapshots.push(snap);
    violations.push(...checkStep(flow, prev, event, snap, i + 1));
    violations.push(...checkState(flow, snap, i + 1));
    probe(snap, event.at, i + 1);
    if (flow === 'triage' && event.type === 'need.stated' && event.need !== 'info' && (prev as unknown as AnySnap).context !== (snap as unknown as AnySnap).context) {
      statedNeed = String(event.need);
    }
    if (flow === 'triage') violations.push(...checkVisitOutcome(statedNeed, snap, i + 1));
  }
  // (f) the live actor and the pure replay of the same journal agree.
  const actor = createActor(machine, { input });
  actor.start();
  for (const e of events) actor.send(e as EventFromLogic<M>);
  const live = actor.getSnapshot() as unknown as AnySnap;
  actor.stop();
  const replayed = replay(machine, input, events).snapshot as unknown as AnySnap;
  const pick = (s: AnySnap) => JSON.stringify({ value: s.value, status: s.status, context: s.context });
  if (pick(live) !== pick(replayed)) {
    violations.push({ invariant: 'replayEqualsLive', step: events.length, message: `replay ${valueOf(replayed)} ≠ live ${valueOf(live)}` });
  }
  return { violations, snapshots };
}
