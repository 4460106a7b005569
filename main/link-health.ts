// What a link to an upstream (HQ: main/hq-link.ts; the branch hub: main/hub/link.ts) says of its
// health in the status bar: its last contact and last error. A change is reported at once; a
// contact alone (a call answered) at most once a second.
import { IpcFailure, type IpcError, type IpcErrorCode } from '@shared/ipc/result';

/** Contact-only status updates are sent at most this often. */
const CONTACT_EMIT_MS = 1_000;

export interface LinkError {
  code: string;
  message: string;
  at: string;
}

export class LinkHealth<Code extends IpcErrorCode> {
  lastContactAt: string | null = null;
  lastError: LinkError | null = null;
  private lastEmit = 0;

  constructor(
    private readonly now: () => Date,
    /** Sends the link's status (the owner's `status()`) to the status bar. */
    private readonly report: () => void,
  ) {}

  /** Records a failed request as the last error (`code:HQ's code`) and answers the IPC failure to throw. */
  failure(code: Code, message: string, hq: NonNullable<IpcError['details']>['hq']): IpcFailure {
    this.lastError = { code: hq?.code ? `${code}:${hq.code}` : code, message, at: this.now().toISOString() };
    this.emit(true);
    return new IpcFailure(code, message, { hq });
  }

  /** Records an error of the event stream (not reported by itself: the stream's state change is). */
  error(code: string, message: string): void {
    this.lastError = { code, message, at: this.now().toISOString() };
  }

  /** The upstream answered; `success`: with what was asked, which ends the last error. */
  contact(success: boolean): void {
    this.lastContactAt = this.now().toISOString();
    let changed = false;
    if (success && this.lastError) {
      this.lastError = null;
      changed = true;
    }
    this.emit(changed);
  }

  emit(force: boolean): void {
    const t = Date.now();
    if (!force && t - this.lastEmit < CONTACT_EMIT_MS) return;
    this.lastEmit = t;
    this.report();
  }
}
