// `hub.callNext` (issue 17 pt 5): the desk's "call next" decided at the branch hub, so two counters
// never call the same ticket while the hub is reachable. Main says who calls (the signed-in
// session, never what the page claims) and the branch's zone (the branch day the hub judges
// "today" on, as the desks do); the hub answers with the ticket it called, or null.
import type { HubCallNext, HubCallNextResponse } from '@shared/ipc/contract';
import { HubCallNextResponse as Answer } from '@shared/ipc/contract';
import type { BranchZone } from '@shared/dates';
import { IpcFailure } from '@shared/ipc/result';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import type { Session } from '@shared/staff/schema';
import type { HubLink } from './link';

/** Asks of one call while the hub says it is busy; each carries the same request id. */
const BUSY_ASKS = 2;
const BUSY_PAUSE_MS = 250;

export async function callNextAtHub(
  link: Pick<HubLink, 'request'>,
  session: Pick<Session, 'staffId' | 'role'>,
  zone: BranchZone,
  req: HubCallNext,
): Promise<HubCallNextResponse> {
  const body = { services: req.services, counter: req.counter, staffId: session.staffId, role: session.role, zone, requestId: req.requestId };
  let raw: { ticket?: unknown };
  for (let ask = 1; ; ask++) {
    try {
      raw = await link.request<{ ticket?: unknown }>('POST', '/v1/hub/calls/next', body, 'call');
      break;
    } catch (e) {
      // A busy hub may have decided the call without its answer reaching us: asked again with the
      // same request id, it gives that same ticket (never a second one), so the call is not lost.
      if (!(e instanceof IpcFailure && e.code === 'HUB_BUSY') || ask >= BUSY_ASKS) throw e;
      await new Promise((r) => setTimeout(r, BUSY_PAUSE_MS));
    }
  }
  const ticket = raw && typeof raw.ticket === 'object' && raw.ticket !== null ? withoutBookkeeping(raw.ticket) : null;
  const answer = Answer.safeParse({ ticket });
  if (!answer.success) throw new IpcFailure('HUB_REJECTED', `The hub answered the call with a ticket this PC does not accept: ${answer.error.issues[0]?.message ?? 'invalid'}`);
  return answer.data;
}
