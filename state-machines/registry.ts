import type { AnyStateMachine, InputFrom } from 'xstate';
import type { CaseFlow } from '@shared/cases/schema';
import { bpuResignationMachine } from './bpu-resignation.machine';
import { jhtClaimMachine } from './jht-claim.machine';
import { jmoResetMachine } from './jmo-reset.machine';

/**
 * The machine of each case flow, the only place they are registered: the case engine
 * (case-engine.ts), which the renderer's case journal, the desk and HQ's journal check go
 * through, and the merge all pick the machine from here by the case's `flow`.
 */
export const CASE_REGISTRY = {
  'jht-claim': jhtClaimMachine,
  'bpu-resignation': bpuResignationMachine,
  'jmo-reset': jmoResetMachine,
} as const satisfies Record<CaseFlow, AnyStateMachine>;

/** The machine of a flow, with its own types (`CaseMachine<'jht-claim'>` is `typeof jhtClaimMachine`). */
export type CaseMachine<F extends CaseFlow = CaseFlow> = (typeof CASE_REGISTRY)[F];

/** The input a flow's machine starts from. */
export type CaseInput<F extends CaseFlow = CaseFlow> = InputFrom<CaseMachine<F>>;

export function isCaseFlow(flow: unknown): flow is CaseFlow {
  return typeof flow === 'string' && Object.prototype.hasOwnProperty.call(CASE_REGISTRY, flow);
}
