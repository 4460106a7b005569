import type { Actor } from '@shared/cases/schema';
import type { AppendResult } from '../../data/db/case-journal';
import type { CaseDoc } from '../../data/db/schemas';

/**
 * What the case host (Workbench's case view) hands to a flow's own panel. The host also renders the
 * parts common to every flow (refusal, transfer at the person's request, receipt and close), so a
 * flow panel shows only its own steps. A flow panel offers an event only when `canTake` says the
 * machine would accept it now, and shows why an unavailable one is unavailable.
 */
export interface FlowProps {
  caseDoc: CaseDoc;
  /** Who acts, stamped on every event (`actor` field of the case events). */
  actor: Actor;
  /** The time stamped on the next event (`at`), ISO string. */
  now(): string;
  /** Appends an event through the case journal (the machine decides); resolves with the outcome. */
  send(event: Record<string, unknown>): Promise<AppendResult>;
  /** True when replaying the journal plus `event` is accepted by the flow's machine. */
  canTake(event: Record<string, unknown>): boolean;
}
