import type { RefusalFacts } from '@shared/policy/facts';
import { refusalFactsOf as machineRefusalFacts } from '@state-machines';
import type { CaseDoc } from '../../data/db/schemas';

// The machines are registered once (state-machines/registry.ts); the desk asks the case engine
// through the data layer (data/cases.ts), which answers from the stored snapshot.
export { tryEvent, type Trial } from '../../data/cases';

/** The facts the policy catalog's guards look at, from the case's current snapshot, at `at`. */
export function refusalFactsOf(doc: CaseDoc, at: string): RefusalFacts {
  return machineRefusalFacts(doc.flow, doc.snapshot.context, at);
}

/** The case's current machine state name (top-level string for these flat machines). */
export function stateOf(doc: CaseDoc): string {
  const v = doc.snapshot.value;
  if (typeof v === 'string') return v;
  // A nested state ({ cause: 'choosing' }) is named after its outer step, which is what staff see.
  const outer = v && typeof v === 'object' ? Object.keys(v)[0] : undefined;
  return outer ?? JSON.stringify(v);
}

/** True when the case reached a final state (closed, refused, transferred, withdrawn). */
export function isFinal(doc: CaseDoc): boolean {
  return doc.snapshot.status === 'done';
}
