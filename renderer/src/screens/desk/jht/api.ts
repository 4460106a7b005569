import type { JhtClaimContext } from '@state-machines';

/** What every JHT step gets from the panel: the case's facts and the two ways to talk to the machine. */
export interface StepApi {
  ctx: JhtClaimContext;
  /** The branch's calendar date of `now()`. */
  today: string;
  busy: boolean;
  /** Would the machine accept this event now? (at/actor are stamped here) */
  can(payload: Record<string, unknown>): boolean;
  /** Sends the event; false when the journal refused it (the panel shows why). */
  fire(payload: Record<string, unknown>): Promise<boolean>;
}

