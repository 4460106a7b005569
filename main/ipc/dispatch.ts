import type { z } from 'zod';
import { contract, type Access, type Channel, type ParsedRequestOf, type ResponseOf } from '@shared/ipc/contract';
import { fail, IpcFailure, ok, type IpcResult } from '@shared/ipc/result';
import type { Session } from '@shared/staff/schema';
import type { Logger } from '../log';
import { StateRefused } from '../integrity';

/** Who is calling: a window (Electron) or a browser page (browser mode), and its session. */
export interface CallContext {
  clientId: string;
  session: Session | null;
}

export type Handler<C extends Channel> = (
  request: ParsedRequestOf<C>,
  ctx: CallContext,
) => ResponseOf<C> | Promise<ResponseOf<C>>;

/** The typed handler map: one plain function per channel, the same for both transports. */
export type Handlers = { [C in Channel]: Handler<C> };

export interface DispatchDeps {
  handlers: Handlers;
  /** The caller's session as of now (main's own timeouts applied; `channel` may count as activity). */
  sessionOf(clientId: string, channel: Channel): Session | null;
  setupComplete(): boolean;
  log: Logger;
  /** A state file was refused (main/integrity.ts): every call fails with STATE_REFUSED; reported here. */
  refused?(e: StateRefused): void;
}

export type Dispatch = (clientId: string, channel: unknown, request: unknown) => Promise<IpcResult<unknown>>;

function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

function checkAccess(access: Access, session: Session | null, setupComplete: boolean): IpcResult<never> | null {
  if (access === 'public') return null;
  if (access === 'setup') return setupComplete ? fail('ALREADY_SET_UP', 'This device is already set up.') : null;
  if (!setupComplete) return fail('SETUP_REQUIRED', 'Set up the branch first.');
  if (!session) return fail('NOT_SIGNED_IN', 'Sign in first.');
  if (access === 'session') return null;
  // A PIN the head reset must be replaced before anything else (staff.changePin is 'session').
  if (session.mustChangePin) return fail('SESSION_LOCKED', 'Set a new PIN first: the branch head reset yours.');
  if (session.locked) return fail('SESSION_LOCKED', 'The screen is locked: enter your PIN.');
  if (access === 'unlocked') return null;
  return access.includes(session.role) ? null : fail('FORBIDDEN_ROLE', `This action needs one of: ${access.join(', ')}.`);
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * Validates, authorises and runs one call. Never throws: every failure, including a bug in a
 * handler, comes back as a typed `{ ok: false, error }`.
 */
export function createDispatch(deps: DispatchDeps): Dispatch {
  return async (clientId, channel, request) => {
    if (!isChannel(channel)) return fail('UNKNOWN_CHANNEL', `Unknown channel: ${String(channel).slice(0, 64)}`);
    const def = contract[channel];
    const parsed = def.request.safeParse(request);
    if (!parsed.success) {
      return fail('INVALID_PAYLOAD', `Invalid request for ${channel}.`, { issues: issuesOf(parsed.error) });
    }
    try {
      const session = deps.sessionOf(clientId, channel);
      const denied = checkAccess(def.access, session, deps.setupComplete());
      if (denied) return denied;
      const handler = deps.handlers[channel] as Handler<Channel>;
      const value = await handler(parsed.data, { clientId, session });
      // Responses are checked too: a handler bug must not leak a PIN hash or a malformed record.
      const checked = def.response.safeParse(value);
      if (!checked.success) {
        deps.log.error('handler returned an invalid response', { channel, issues: issuesOf(checked.error) });
        return fail('INTERNAL', 'Internal error; see the log.');
      }
      return ok(checked.data);
    } catch (e) {
      if (e instanceof IpcFailure) return fail(e.code, e.message, e.details);
      if (e instanceof StateRefused) {
        deps.refused?.(e);
        return fail('STATE_REFUSED', e.message);
      }
      deps.log.error('handler failed', { channel, error: e instanceof Error ? e.message : String(e) });
      return fail('INTERNAL', 'Internal error; see the log.');
    }
  };
}
