import type { Receipt } from '@shared/cases/receipt';

// Shared by the case flows' static-mutant tests (*-static.rules.test.ts): a live actor of the
// machine, with its printReceipt action counted, fed a journal's events.

interface LiveActor {
  start(): unknown;
  send(event: never): void;
  getSnapshot(): { value: unknown; status: string; context: { receipt: Receipt | null } };
  stop(): unknown;
}

/**
 * Runs `events` on the actor `start` makes (given the printReceipt action to provide), and says
 * how many receipts it printed, where it stopped and the receipt it holds.
 */
export function runLive(start: (printReceipt: () => void) => LiveActor, events: ReadonlyArray<Record<string, unknown>>) {
  let printed = 0;
  const actor = start(() => void (printed += 1));
  actor.start();
  for (const e of events) actor.send(e as never);
  const snap = actor.getSnapshot();
  actor.stop();
  return { printed, value: snap.value, status: snap.status, receipt: snap.context.receipt };
}
