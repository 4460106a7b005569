import { tryCaseEvent } from '@state-machines';
import type { CaseDoc } from './db/schemas';

// The desk's questions to the case engine (state-machines/case-engine.ts) about a stored case.
// Asked for every button on every render, so they never replay the journal: the answer comes
// from the snapshot stored with it (CaseJournal keeps it the replay of the journal).

export interface Trial {
  accepted: boolean;
  /** The state the case would reach (e.g. 'refused' for a refusal whose guard holds). */
  value: unknown;
  detail: string | null;
}

/** What the machine would do with the case's journal plus `event`: nothing is written. */
export function tryEvent(doc: CaseDoc, event: Record<string, unknown>): Trial {
  const r = tryCaseEvent(doc, event);
  return { accepted: r.accepted, value: r.value, detail: r.rejection ? `${r.rejection.reason}: ${r.rejection.detail}` : null };
}

/** True when the case can take `event` now. */
export function canTake(doc: CaseDoc, event: Record<string, unknown>): boolean {
  return tryCaseEvent(doc, event).accepted;
}
