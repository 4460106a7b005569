import { HqError } from './errors';

// Overload is an answer, not an error (issue 20 pt 4). HQ says early that it takes no more, with
// 503 HQ_BUSY and Retry-After, instead of queueing work until something times out as a 500:
//  - pushes: at most `max` in flight per process, counted before the body is read or the device
//    looked up (so a refused push costs next to nothing);
//  - database: a request that waits longer than the pool's bound for a connection (db.ts) is
//    answered the same way.
// Devices retry after Retry-After, with jitter of their own.

/** Seconds a refused client is asked to wait (the device adds jitter). */
export const BUSY_RETRY_AFTER_S = 2;

export function busy(what: string): HqError {
  return new HqError(503, 'HQ_BUSY', `HQ is busy (${what}); retry later`, { retryAfterSeconds: BUSY_RETRY_AFTER_S });
}

/** A counter of work in flight with a bound; `enter` is false when full. */
export class Admission {
  private inFlight = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error('admission bound must be a positive integer');
  }

  get count(): number {
    return this.inFlight;
  }

  /** Takes a place, or returns null when all are taken; the returned function gives it back (once). */
  enter(): (() => void) | null {
    if (this.inFlight >= this.max) return null;
    this.inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
    };
  }
}

/**
 * Default pushes in flight per HQ process: enough for bursts (a device sends a few calls at once),
 * bounded so the queue for the pool's connections stays short; past it, 503 at once.
 */
export const DEFAULT_MAX_PUSHES_IN_FLIGHT = 64;
