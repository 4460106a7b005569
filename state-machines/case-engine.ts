import type { CaseFlow } from '@shared/cases/schema';
import { storedSnapshot, type StoredSnapshot } from './merge';
import { CASE_REGISTRY, type CaseInput, type CaseMachine } from './registry';
import { replay, type Rejection, type ReplayResult, type ReplayStart } from './replay';

// The case engine (issue 19 pt 1): every question about a case goes through here, with the
// flow's machine from the one registry. "Can it take this event?" is answered from the stored
// snapshot (resolved, then one step), never by replaying the journal; an append replays the
// journal once, which is also what checks it; a restore and HQ's check replay it once.

/** A case as it is stored: its flow, the machine input it was opened with, its journal. */
export interface CaseJournalLike {
  flow: CaseFlow;
  input: Readonly<Record<string, unknown>>;
  events: readonly unknown[];
}

/** ...and the snapshot stored with the journal (`storedSnapshot`: always the replay of the journal, see CaseJournal). */
export interface StoredCase extends CaseJournalLike {
  snapshot: Readonly<Record<string, unknown>>;
}

export type CaseReplay = ReplayResult<CaseMachine>;

/**
 * The stored input as the flow's machine input. It is what the case was opened with; the machine
 * checks it when it starts (`caseStart` throws on a NIK or visit start that is not valid), so a
 * bad one fails the replay instead of passing unchecked.
 */
function inputOf<F extends CaseFlow>(flow: F, input: Readonly<Record<string, unknown>>): CaseInput<F> {
  void flow;
  return input as CaseInput<F>;
}

/** The case's snapshot before any event. Throws when the machine cannot start from this input. */
export function startCase(flow: CaseFlow, input: Readonly<Record<string, unknown>>): StoredSnapshot {
  return storedSnapshot(replay(CASE_REGISTRY[flow], inputOf(flow, input), []).snapshot);
}

/** The whole journal through the flow's machine: to restore a case, derive its records, or check it (HQ). */
export function replayCase(c: CaseJournalLike): CaseReplay {
  return replay(CASE_REGISTRY[c.flow], inputOf(c.flow, c.input), c.events);
}

export type CaseAppend =
  | { ok: true; events: Record<string, unknown>[]; snapshot: StoredSnapshot; emitted: CaseReplay['emitted'] }
  | { ok: false; rejection: Rejection };

/**
 * The journal plus `event`, replayed once: the new journal and snapshot if the machine accepts the
 * event, else why not. Everything emitted on the way (the whole journal's) is returned, since the
 * derived records' ids are their position in it.
 */
export function appendToCase(c: CaseJournalLike, event: unknown): CaseAppend {
  const events = [...c.events, event] as Record<string, unknown>[];
  const result = replayCase({ ...c, events });
  if (result.rejected) return { ok: false, rejection: result.rejected };
  return { ok: true, events, snapshot: storedSnapshot(result.snapshot), emitted: result.emitted };
}

export interface CaseTrial {
  accepted: boolean;
  /** The state the case would reach (its current one when the event is refused). */
  value: unknown;
  rejection: Rejection | null;
}

// The resolved snapshot of a stored one: a case view asks once per button per render.
const resolved = new WeakMap<StoredCase['snapshot'], ReplayStart<CaseMachine>>();

function resolveStored(c: StoredCase): ReplayStart<CaseMachine> | null {
  let start = resolved.get(c.snapshot);
  if (!start) {
    const machine = CASE_REGISTRY[c.flow];
    const s = c.snapshot;
    try {
      // The stored value and context are the JSON of this flow's machine snapshot (the machines differ in type, hence never).
      const snapshot = machine.resolveState({ value: s.value as never, context: s.context as never, ...(s.status === 'active' || s.status === 'done' ? { status: s.status } : {}) });
      const last = c.events[c.events.length - 1] as { at?: unknown } | undefined;
      start = { snapshot, lastAt: last ? Date.parse(String(last.at)) : -Infinity };
    } catch {
      return null; // a stored value the machine does not know: only a replay can say
    }
    resolved.set(c.snapshot, start);
  }
  return start;
}

/**
 * What the machine would do with `event` now, from the stored snapshot and nothing written: the
 * same checks as a replay of the journal plus `event` (event schema, order in time, case finished,
 * role, guards), with one step instead of the whole journal.
 */
export function tryCaseEvent(c: StoredCase, event: unknown): CaseTrial {
  const start = resolveStored(c);
  if (!start) {
    const r = replayCase({ ...c, events: [...c.events, event] });
    return { accepted: r.rejected === null, value: r.snapshot.value, rejection: r.rejected };
  }
  const r = replay(CASE_REGISTRY[c.flow], inputOf(c.flow, c.input), [event], start);
  const rejection = r.rejected ? { ...r.rejected, index: r.rejected.index + c.events.length } : null;
  return { accepted: rejection === null, value: r.snapshot.value, rejection };
}

/** True when the case can take `event` now (see `tryCaseEvent`). */
export function canTakeEvent(c: StoredCase, event: unknown): boolean {
  return tryCaseEvent(c, event).accepted;
}
