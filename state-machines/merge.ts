import type { AnyStateMachine, InputFrom } from 'xstate';
import { canonicalJson } from '@shared/canonical-json';
import type { CaseFlow } from '@shared/cases/schema';
import { CASE_REGISTRY, isCaseFlow } from './registry';
import { replay, type Rejection } from './replay';

// Cases are journals (DESIGN.md): two devices that edited one case merge by the union of their
// events in a stable order, then replay through the same machine. A union that does not replay is a
// conflict for the branch head: never "fixed", never "server wins".

/** The registry's machines (registry.ts), typed loosely for callers that pick one by a runtime flow. */
export const CASE_MACHINES: Record<CaseFlow, AnyStateMachine> = CASE_REGISTRY;
export { isCaseFlow };

/** What a case document keeps of a machine snapshot (as the renderer's case journal stores it). */
export type StoredSnapshot = { value: unknown; status: string; context: unknown };

export function storedSnapshot(snapshot: { value: unknown; status: string; context: unknown }): StoredSnapshot {
  return JSON.parse(JSON.stringify({ value: snapshot.value, status: snapshot.status, context: snapshot.context })) as StoredSnapshot;
}

/** A journal event as far as ordering is concerned. */
type JournalEvent = Record<string, unknown>;

/**
 * The identity of an event: its canonical JSON (after a JSON round trip, so an absent field and an
 * `undefined` one are the same event). The same event on two devices is one event.
 */
export function eventIdentity(event: unknown): string {
  return canonicalJson(JSON.parse(JSON.stringify(event ?? null)) as unknown);
}

interface Keyed {
  event: JournalEvent;
  id: string;
  at: number;
  atText: string;
  device: string;
}

/**
 * Keys a journal's events. An event that occurs twice in one journal (same content, same instant:
 * a double click) is two events: the k-th occurrence is keyed `#k`, so the union keeps as many
 * copies as the journal that has the most, and merging a journal with itself changes nothing.
 */
function keyedJournal(events: readonly unknown[]): Keyed[] {
  const occurrences = new Map<string, number>();
  return events.map((raw) => {
    const event = raw as JournalEvent;
    const content = eventIdentity(event);
    const k = (occurrences.get(content) ?? 0) + 1;
    occurrences.set(content, k);
    const atText = typeof event.at === 'string' ? event.at : '';
    const at = Date.parse(atText);
    const actor = event.actor as { deviceId?: unknown } | undefined;
    return { event, id: `${content}#${k}`, at: Number.isNaN(at) ? Infinity : at, atText, device: typeof actor?.deviceId === 'string' ? actor.deviceId : '' };
  });
}

const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The stable order: by `at` (as an instant), then the actor's device, then the canonical JSON. A total order on distinct events. */
function compareEvents(a: Keyed, b: Keyed): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return cmpText(a.atText, b.atText) || cmpText(a.device, b.device) || cmpText(a.id, b.id);
}

/**
 * The union of two journals without duplicates, in the stable order. Each journal keeps its own
 * order (the order its machine accepted the events in: events of one device may share a timestamp);
 * between the two, the smaller head by `compareEvents` goes first. Every step is symmetric in `a`
 * and `b`, so the union is the same in either order, and a journal merged with itself is itself.
 * For journals that replay (their `at` never decreases) this is the order by `at`, then device,
 * then canonical JSON.
 */
export function unionOfJournals(a: readonly unknown[], b: readonly unknown[]): JournalEvent[] {
  const left = keyedJournal(a);
  const right = keyedJournal(b);
  const seen = new Set<string>();
  const out: JournalEvent[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    while (i < left.length && seen.has(left[i]!.id)) i++;
    while (j < right.length && seen.has(right[j]!.id)) j++;
    const l = left[i];
    const r = right[j];
    if (!l && !r) break;
    let next: Keyed;
    if (l && r && l.id === r.id) {
      next = l;
      i++;
      j++;
    } else if (l && (!r || compareEvents(l, r) < 0)) {
      next = l;
      i++;
    } else {
      next = r!;
      j++;
    }
    seen.add(next.id);
    out.push(next.event);
  }
  return out;
}

export type JournalMerge =
  | { ok: true; events: JournalEvent[]; snapshot: StoredSnapshot }
  /** The union does not replay: a conflict for the branch head, with the event that failed. */
  | { ok: false; rejected: Rejection; events: JournalEvent[] };

/** Union of two journals of one case (same machine, same input), then replay. */
export function mergeCaseJournals<M extends AnyStateMachine>(machine: M, input: InputFrom<M>, a: readonly unknown[], b: readonly unknown[]): JournalMerge {
  const events = unionOfJournals(a, b);
  const result = replay(machine, input, events);
  if (result.rejected) return { ok: false, rejected: result.rejected, events };
  return { ok: true, events, snapshot: storedSnapshot(result.snapshot) };
}

/** The case document fields the merge reads and writes (renderer/src/data/db/schemas.ts `CaseDoc`). */
export interface MergeableCase {
  id: string;
  flow: string;
  status: string;
  input: Record<string, unknown>;
  events: Record<string, unknown>[];
  snapshot: Record<string, unknown>;
  journalLength: number;
  updatedAt: string;
  [key: string]: unknown;
}

export type CaseConflictReason = 'DIFFERENT_CASE' | 'UNKNOWN_FLOW' | 'DIFFERENT_INPUT' | 'FLAGGED' | 'DOES_NOT_REPLAY';

export type CaseMerge<D extends MergeableCase> =
  | { ok: true; doc: D }
  | { ok: false; reason: CaseConflictReason; detail: string; rejected?: Rejection; events: JournalEvent[] };

/** The later of two ISO timestamps (by instant, then text): symmetric. */
function later(a: string, b: string): string {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta > tb ? a : b;
  return cmpText(a, b) >= 0 ? a : b;
}

/**
 * Merges two versions of one case document: same case, same flow, same input; the journals' union
 * replayed through the flow's machine gives the events, snapshot, length and status. The other
 * fields come from the later version (by `updatedAt`, then canonical JSON, so the result does not
 * depend on which side is local). A flagged case (status `conflict`) is not merged: the head
 * decides it.
 */
export function mergeCaseDocs<D extends MergeableCase>(local: D, remote: D): CaseMerge<D> {
  const conflict = (reason: CaseConflictReason, detail: string, extra: { rejected?: Rejection; events?: JournalEvent[] } = {}): CaseMerge<D> => ({
    ok: false,
    reason,
    detail,
    events: extra.events ?? [],
    ...(extra.rejected ? { rejected: extra.rejected } : {}),
  });
  if (local.id !== remote.id) return conflict('DIFFERENT_CASE', `${local.id} and ${remote.id} are different cases`);
  if (local.flow !== remote.flow || !isCaseFlow(local.flow)) return conflict('UNKNOWN_FLOW', `flows ${local.flow} and ${remote.flow}`);
  if (eventIdentity(local.input) !== eventIdentity(remote.input)) return conflict('DIFFERENT_INPUT', 'the two versions were opened with different machine input');
  if (local.status === 'conflict' || remote.status === 'conflict') return conflict('FLAGGED', 'a version is flagged for the branch head');

  const merged = mergeCaseJournals(CASE_MACHINES[local.flow], local.input as never, local.events, remote.events);
  if (!merged.ok) {
    const r = merged.rejected;
    return conflict('DOES_NOT_REPLAY', `the union of the journals does not replay: event ${r.index} ${r.reason} (${r.detail})`, { rejected: r, events: merged.events });
  }
  const lu = Date.parse(local.updatedAt);
  const ru = Date.parse(remote.updatedAt);
  const base =
    lu !== ru && !Number.isNaN(lu) && !Number.isNaN(ru) ? (lu > ru ? local : remote) : eventIdentity(local) >= eventIdentity(remote) ? local : remote;
  const doc = {
    ...base,
    events: merged.events,
    snapshot: merged.snapshot,
    journalLength: merged.events.length,
    status: merged.snapshot.status === 'done' ? 'closed' : 'open',
    updatedAt: later(local.updatedAt, remote.updatedAt),
  } as D;
  return { ok: true, doc };
}
