import { createActor, type ActorScope, type AnyStateMachine, type EventFromLogic, type InputFrom, type SnapshotFrom } from 'xstate';
import { EVENT_SCHEMAS, type Flow } from '@shared/cases/schema';

/** Guards that encode "who may fire this event", one per machine. */
const ROLE_GUARDS = ['byCaseWorker', 'byTriageRole', 'byCounterStaff', 'byBranchHead'] as const;

export type RejectionReason =
  | 'INVALID_EVENT' // fails the flow's event schema
  | 'OUT_OF_ORDER' // earlier than the previous event
  | 'CASE_FINISHED' // the case already reached a final state
  | 'NOT_EXPECTED_IN_STATE' // no transition for this event type here
  | 'ROLE_NOT_ALLOWED' // the actor's role may not fire it
  | 'GUARD_FAILED'; // a rule's guard did not hold

export interface Rejection {
  index: number;
  event: unknown;
  reason: RejectionReason;
  detail: string;
}

export interface ReplayResult<M extends AnyStateMachine> {
  /** Snapshot after the last accepted event (replay stops at the first rejected one). */
  snapshot: SnapshotFrom<M>;
  applied: number;
  rejected: Rejection | null;
  /** Everything the machine emitted on the way (e.g. refusal.rejected for the head's queue). */
  emitted: Array<{ type: string } & Record<string, unknown>>;
}

interface Evt {
  type: string;
  at: string;
  actor: { role: string };
}

type ExecutableAction = { type: string; params?: unknown };
type InertScope = ActorScope<SnapshotFrom<AnyStateMachine>, EventFromLogic<AnyStateMachine>> & { actionExecutor: (a: ExecutableAction) => void };

const scopes = new WeakMap<AnyStateMachine, InertScope>();

/**
 * An actor scope that executes nothing, made once per machine. XState's pure `transition()` builds
 * a fresh one (a whole actor, whose eager initial snapshot throws without input) on every call:
 * 30 µs per event, which made HQ's journal checks the slowest part of a push. Our machines spawn
 * and invoke nothing, so nothing registers in the scope's system and one scope serves every replay.
 */
function inertScope(machine: AnyStateMachine): InertScope {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine); // its initial snapshot fails without input, caught by XState: never started
    scope = {
      self,
      system: self.system,
      id: '',
      sessionId: '',
      defer: () => undefined,
      logger: () => undefined,
      stopChild: () => undefined,
      emit: () => undefined,
      actionExecutor: () => undefined,
    };
    scopes.set(machine, scope);
  }
  return scope;
}

function activeNodesHandle(snapshot: { _nodes: ReadonlyArray<{ on: Record<string, unknown> }> }, type: string): boolean {
  return snapshot._nodes.some((n) => Object.prototype.hasOwnProperty.call(n.on, type));
}

/**
 * Where a replay continues from instead of the machine's start: a snapshot already reached (the
 * case engine's stored one, resolved) and the time of the last event in it (`-Infinity` if none).
 */
export interface ReplayStart<M extends AnyStateMachine> {
  snapshot: SnapshotFrom<M>;
  lastAt: number;
}

/**
 * Rebuilds a case from its journal through the same machine, purely (no actor, no effects). The
 * renderer uses it to restore a case after a crash; HQ to validate a pushed journal. A journal
 * that does not replay is reported, never "fixed".
 */
export function replay<M extends AnyStateMachine>(machine: M, input: InputFrom<M>, events: readonly unknown[], from?: ReplayStart<M>): ReplayResult<M> {
  const schema = (EVENT_SCHEMAS as Record<string, (typeof EVENT_SCHEMAS)[Flow] | undefined>)[machine.id];
  const emitted: ReplayResult<M>['emitted'] = [];
  const scope = inertScope(machine);
  // Replay is synchronous, so the shared scope's executor belongs to this call until it returns.
  scope.actionExecutor = (a) => {
    const p = a.params as { event?: { type: string } & Record<string, unknown> } | undefined;
    if (a.type === 'xstate.emit' && p?.event) emitted.push(p.event);
  };
  let snapshot = from ? from.snapshot : (machine.getInitialSnapshot(scope, input) as SnapshotFrom<M>);
  // A machine that cannot start from this input (e.g. a case on a NIK that fails validation):
  // XState records the error in the snapshot; a replay has nothing to replay it from.
  const started = snapshot as unknown as { status: string; error?: unknown };
  if (started.status === 'error') throw started.error instanceof Error ? started.error : new Error('the machine cannot start from this input');
  let lastAt = from ? from.lastAt : -Infinity;
  const reject = (index: number, event: unknown, reason: RejectionReason, detail: string): ReplayResult<M> => ({
    snapshot,
    applied: index,
    rejected: { index, event, reason, detail },
    emitted,
  });

  for (const [index, raw] of events.entries()) {
    const parsed = schema ? schema.safeParse(raw) : { success: true as const, data: raw };
    if (!parsed.success) return reject(index, raw, 'INVALID_EVENT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const event = parsed.data as Evt;
    const at = Date.parse(event.at);
    if (at < lastAt) return reject(index, raw, 'OUT_OF_ORDER', `${event.at} is before the previous event`);
    const snap = snapshot as unknown as { status: string; value: unknown; context: unknown; can: (e: unknown) => boolean; _nodes: Array<{ on: Record<string, unknown> }> };
    if (snap.status !== 'active') return reject(index, raw, 'CASE_FINISHED', `case is ${JSON.stringify(snap.value)}`);
    if (!snap.can(event)) {
      if (!activeNodesHandle(snap, event.type)) {
        return reject(index, raw, 'NOT_EXPECTED_IN_STATE', `${event.type} in ${JSON.stringify(snap.value)}`);
      }
      const guards = machine.implementations.guards as Record<string, (args: { context: unknown; event: unknown }, params: unknown) => boolean>;
      const roleGuard = ROLE_GUARDS.find((g) => g in guards);
      if (roleGuard && !guards[roleGuard]!({ context: snap.context, event }, undefined)) {
        return reject(index, raw, 'ROLE_NOT_ALLOWED', `${event.actor.role} may not fire ${event.type}`);
      }
      return reject(index, raw, 'GUARD_FAILED', `${event.type} in ${JSON.stringify(snap.value)}: a rule's guard did not hold`);
    }
    snapshot = machine.transition(snapshot, event, scope) as unknown as SnapshotFrom<M>;
    lastAt = at;
  }
  return { snapshot, applied: events.length, rejected: null, emitted };
}
