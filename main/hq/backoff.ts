// HQ busy (issue 20 pt 4): HQ answers 503 HQ_BUSY with Retry-After when it takes no more. The
// device then sends nothing to HQ until Retry-After has passed, plus jitter so thousands of PCs
// refused in the same second do not come back in the same second, and waits longer while HQ keeps
// saying busy (doubling, capped). A call made before then fails at once here, without reaching HQ.

/** What HQ asks when it sends no (readable) Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 2_000;
/** A Retry-After larger than this is taken as this (a wrong header must not silence a PC for hours). */
const MAX_RETRY_AFTER_MS = 5 * 60_000;
/** Jitter adds up to this fraction of the wait. */
const JITTER = 0.5;

export interface BusyBackoffOptions {
  /** Longest wait from doubling and jitter (Retry-After itself is always honoured). Default 60 s. */
  capMs?: number;
  now?: () => number;
  /** In [0, 1): the jitter's draw (tests fix it). */
  random?: () => number;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const v = header.trim();
  if (/^\d{1,9}$/.test(v)) return Math.min(MAX_RETRY_AFTER_MS, Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - nowMs));
}

export class BusyBackoff {
  private readonly capMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private until = 0;
  /** Busy answers in a row (reset by any answer that is not busy). */
  private streak = 0;

  constructor(o: BusyBackoffOptions = {}) {
    this.capMs = o.capMs ?? 60_000;
    this.now = o.now ?? (() => Date.now());
    this.random = o.random ?? Math.random;
  }

  /** HQ said busy: returns how long nothing goes to HQ (at least Retry-After, jittered, doubling per busy answer in a row). */
  busy(retryAfterHeader: string | null): number {
    const t = this.now();
    const asked = retryAfterMs(retryAfterHeader, t) ?? DEFAULT_RETRY_AFTER_MS;
    const grown = Math.min(this.capMs, asked * 2 ** Math.min(this.streak, 10));
    const base = Math.max(asked, grown);
    const jittered = Math.min(Math.max(this.capMs, asked), base + this.random() * base * JITTER);
    const wait = Math.max(asked, Math.round(jittered));
    this.streak++;
    this.until = Math.max(this.until, t + wait);
    return wait;
  }

  /** HQ answered (anything but busy): no wait from now on. */
  ok(): void {
    this.streak = 0;
    this.until = 0;
  }

  /** Ms left before the next try may go to HQ (0: now). */
  remainingMs(): number {
    return Math.max(0, this.until - this.now());
  }
}
