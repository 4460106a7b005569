import { z } from 'zod';

/** Every error a bridge call can return. The renderer maps each code to a message. */
export const IPC_ERROR_CODES = [
  'INVALID_PAYLOAD', // the request does not match the channel's schema
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER', // the call did not come from the app's own page
  'NOT_SIGNED_IN',
  'SESSION_LOCKED', // auto-lock: the PIN must be entered again
  'FORBIDDEN_ROLE',
  'SETUP_REQUIRED', // first run has not created the branch yet
  'ALREADY_SET_UP',
  'PIN_WRONG',
  'LOCKED_OUT', // too many wrong PINs; see details.retryAt
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'HQ_NOT_ENROLLED', // this device has no HQ link yet ("Hubungkan ke HQ")
  'HQ_UNREACHABLE', // network error, timeout or a 5xx from HQ: try again later
  'HQ_REJECTED', // HQ answered 4xx: see details.hq for its error code and details
  'HUB_UNREACHABLE', // no branch hub known, no connection to it could be made, or it failed (5xx but 503): try again later, or use HQ
  'HUB_BUSY', // the hub is there but did not answer in time, or answered 503: try again (nothing is lost)
  'HUB_REJECTED', // the hub answered 4xx, or is not this branch's hub (wrong certificate, another branch)
  'HUB_CODE_WRONG', // pairing: the code typed is not the one of the certificate at that address (nothing pinned)
  'STATE_REFUSED', // a state file of this PC was edited, is damaged or missing: refused until IT restores it (issue 18)
  'INTERNAL',
] as const;
export const IpcErrorCode = z.enum(IPC_ERROR_CODES);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z.object({
  code: IpcErrorCode,
  message: z.string(),
  /** Field-level problems for INVALID_PAYLOAD; retry time for LOCKED_OUT, and so on. */
  details: z
    .object({
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      retryAt: z.string().optional(),
      attemptsLeft: z.number().int().optional(),
      /** Decommission refused: how many of the records checked are not yet at HQ. */
      notAtHq: z.number().int().nonnegative().optional(),
      checked: z.number().int().nonnegative().optional(),
      /** HQ_/HUB_REJECTED, HQ_/HUB_UNREACHABLE: what HQ (or the hub, same service) answered (status 0 = no answer at all). */
      hq: z
        .object({ status: z.number().int(), code: z.string().optional(), details: z.record(z.string(), z.unknown()).optional() })
        .optional(),
    })
    .optional(),
});
export type IpcError = z.infer<typeof IpcError>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail(code: IpcErrorCode, message: string, details?: IpcError['details']): { ok: false; error: IpcError } {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** Thrown inside handlers; the dispatcher turns it into a typed failure, never a throw across the bridge. */
export class IpcFailure extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly details?: IpcError['details'],
  ) {
    super(message);
    this.name = 'IpcFailure';
  }
}
