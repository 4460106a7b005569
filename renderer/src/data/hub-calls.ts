// The desk's way to the branch hub's "call next" (issue 17 pt 5): `hub.callNext` through main,
// used while main says the hub is connected (`hub.status`, then `hub.changed`). The officer sees no
// difference: the same button, the same result; without a reachable hub the call is claimed in this
// PC's own database (TicketCalls). Each press carries a request id, so a press asked again after a
// lost answer gets the ticket the hub already called, not a second one.
import type { Service } from '@shared/cases/schema';
import type { HubStatus } from '@shared/ipc/contract';
import { loket } from '../bridge';
import type { HubCaller } from './db/ticket-calls';
import type { TicketDoc } from './db/schemas';

/** Thrown when the hub could not decide the call (the desk then claims locally). */
export class HubCallFailed extends Error {
  override readonly name = 'HubCallFailed';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A HubCaller over any status source and call (tests give their own). */
export function hubCaller(o: {
  subscribe: (listener: (s: HubStatus) => void) => () => void;
  initial: () => Promise<HubStatus | null>;
  call: (services: Service[], counter: string, requestId: string) => Promise<{ ok: true; ticket: TicketDoc | null } | { ok: false; code: string; message: string }>;
}): HubCaller & { stop(): void } {
  let connected = false;
  let heard = false;
  const off = o.subscribe((s) => {
    heard = true;
    connected = s.connected;
  });
  void o
    .initial()
    .then((s) => {
      // An event heard meanwhile is newer than this answer.
      if (s && !heard) connected = s.connected;
    })
    .catch(() => undefined);
  return {
    connected: () => connected,
    async callNext(services, counter, requestId) {
      const r = await o.call([...services], counter, requestId);
      if (!r.ok) throw new HubCallFailed(r.code, r.message);
      return r.ticket;
    },
    stop: off,
  };
}

let shared: (HubCaller & { stop(): void }) | null = null;

/** The app's HubCaller over the bridge (one per page: it follows `hub.changed` for the page's lifetime). */
export function bridgeHubCaller(): HubCaller {
  shared ??= hubCaller({
    subscribe: (listener) => loket().on('hub.changed', listener),
    initial: async () => {
      const r = await loket().hub.status();
      return r.ok ? r.value : null;
    },
    call: async (services, counter, requestId) => {
      const r = await loket().hub.callNext({ services, counter, requestId });
      return r.ok ? { ok: true, ticket: r.value.ticket as TicketDoc | null } : { ok: false, code: r.error.code, message: r.error.message };
    },
  });
  return shared;
}
