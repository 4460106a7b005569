import type { AnyStateMachine } from 'xstate';
import type { CaseFlow } from '../../../../shared/cases/schema';
import type { RefusalFacts } from '../../../../shared/policy/facts';
import {
  bpuRefusalFacts,
  bpuResignationMachine,
  jhtClaimMachine,
  jhtRefusalFacts,
  jmoRefusalFacts,
  jmoResetMachine,
  replay,
  type BpuResignationContext,
  type JhtClaimContext,
  type JmoResetContext,
} from '../../../../state-machines';
import type { CaseDoc } from '../../data/db/schemas';

/** The machine of each case flow: the same ones the case journal and HQ replay. */
export const CASE_MACHINES: Record<CaseFlow, AnyStateMachine> = {
  'jht-claim': jhtClaimMachine,
  'bpu-resignation': bpuResignationMachine,
  'jmo-reset': jmoResetMachine,
};

/** The facts the policy catalog's guards look at, from the case's current snapshot, at `at`. */
export function refusalFactsOf(doc: CaseDoc, at: string): RefusalFacts {
  const context = doc.snapshot.context;
  switch (doc.flow) {
    case 'jht-claim':
      return jhtRefusalFacts(context as JhtClaimContext, at);
    case 'bpu-resignation':
      return bpuRefusalFacts(context as BpuResignationContext, at);
    case 'jmo-reset':
      return jmoRefusalFacts(context as JmoResetContext, at);
  }
}

export interface Trial {
  accepted: boolean;
  /** The state the case would reach (e.g. 'refused' for a refusal whose guard holds). */
  value: unknown;
  detail: string | null;
}

/** What the machine would do with the journal plus `event`: nothing is written. */
export function tryEvent(doc: CaseDoc, event: Record<string, unknown>): Trial {
  const r = replay(CASE_MACHINES[doc.flow], doc.input as never, [...doc.events, event]);
  return { accepted: r.rejected === null, value: r.snapshot.value, detail: r.rejected ? `${r.rejected.reason}: ${r.rejected.detail}` : null };
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
