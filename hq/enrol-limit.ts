import type { Sql } from './db';

// Enrolment attempts per client address (issue 14.7), counted in PostgreSQL (issue 20 pt 2): any
// number of HQ processes on one database share one count per address. A fixed window that starts
// at the address's first attempt; the attempt that makes the count pass `max` is refused, with
// the seconds left in the window as Retry-After. Refused attempts count too.

export interface EnrolRateLimit {
  max: number;
  windowMs: number;
}

/** Expired windows are deleted on one attempt in this many (the table holds recent addresses only). */
const PURGE_EVERY = 100;
let sincePurge = 0;

/** Counts one attempt from `address`; null when allowed, else the seconds to wait. */
export async function enrolAttempt(db: Sql, address: string, limit: EnrolRateLimit, now: Date): Promise<number | null> {
  const windowFloor = new Date(now.getTime() - limit.windowMs).toISOString();
  // One statement: concurrent attempts from two processes serialise on the row, none is lost.
  const { rows } = await db.query<{ attempts: number; start_ms: number }>(
    `INSERT INTO enrol_attempts (address, window_start, attempts) VALUES ($1, $2, 1)
     ON CONFLICT (address) DO UPDATE SET
       attempts = CASE WHEN enrol_attempts.window_start > $3 THEN enrol_attempts.attempts + 1 ELSE 1 END,
       window_start = CASE WHEN enrol_attempts.window_start > $3 THEN enrol_attempts.window_start ELSE EXCLUDED.window_start END
     RETURNING attempts, (extract(epoch FROM window_start) * 1000)::float8 AS start_ms`,
    [address, now.toISOString(), windowFloor],
  );
  if (++sincePurge >= PURGE_EVERY) {
    sincePurge = 0;
    await db.query('DELETE FROM enrol_attempts WHERE window_start <= $1', [windowFloor]);
  }
  const row = rows[0]!;
  if (Number(row.attempts) <= limit.max) return null;
  return Math.max(1, Math.ceil((Number(row.start_ms) + limit.windowMs - now.getTime()) / 1000));
}
