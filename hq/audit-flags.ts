// Issue 16 ("no one sent away"), the head's follow-up of an overturned pending KPJ at HQ.
//
// The head's decision on a pending KPJ is an entry of the PC's audit chain (renderer
// pending-kpj-reviews.ts, action `pendingKpj.reviewed`), not a case event, so no replay judges it
// and HQ cannot refuse it without stopping that PC's chain for good. HQ keeps the entry and flags
// it (audit_flags, as for an actor who is not staff: hq/device-audit.ts) for the branch's review
// when its follow-up breaks a rule the PC applies, judged by HQ's own rules for the branch:
//  - an appointment on a closed day: a weekend, a national holiday or joint leave day
//    (shared/calendar) or a local closure HQ holds for the branch;
//  - an appointment outside the branch's published service hours of that day;
//  - a follow-up due later than the configured number of working days (default 5) after the
//    decision, on the branch's clock (a pending KPJ is followed up within that limit).
// Reasons name the case, dates and times, never the KPJ or other personal data.
import { z } from 'zod';
import { appointmentSlotProblem, branchCalendar } from '@shared/calendar';
import { rulesOn, type BranchRules } from '@shared/cases/branch-rules';
import { pendingFollowUpWorkingDays } from '@shared/cases/rules';
import { FollowUp, HourMinute } from '@shared/cases/schema';
import { CalendarDateSchema, localDateOf } from '@shared/dates';
import { latestFollowUp } from '@shared/policy/pending';
import type { AuditEntry } from '@shared/audit/chain';
import { AUDIT_FLAGS_DEFAULT_LIMIT, AUDIT_FLAGS_MAX_LIMIT, type AuditFlagKind, type AuditFlagPage, type AuditFlagView } from '@shared/sync/audit-flags';
import { WRITABLE_COLLECTIONS } from '@shared/sync/protocol';
import { branchRules } from './branch-rules';
import type { Sql } from './db';

/** The renderer's PENDING_KPJ_REVIEW_ACTION (HQ does not import the renderer; a test keeps them equal). */
export const PENDING_KPJ_REVIEWED = 'pendingKpj.reviewed';

/** What an overturn's details say about its follow-up (an upheld pending opens none). */
const OverturnDetails = z.object({
  decision: z.literal('overturned'),
  followUp: FollowUp,
  dueDate: CalendarDateSchema,
  dueTime: HourMinute.optional(),
});

/**
 * Why the follow-up of a head's pending-KPJ decision breaks the branch's rules (empty when it does
 * not, or when the entry is no overturn with a follow-up). Pure.
 */
export function pendingFollowUpProblems(entry: Pick<AuditEntry, 'action' | 'at' | 'subject' | 'details'>, rules: BranchRules): string[] {
  if (entry.action !== PENDING_KPJ_REVIEWED) return [];
  const parsed = OverturnDetails.safeParse(entry.details);
  if (!parsed.success) return [];
  const { followUp, dueDate, dueTime } = parsed.data;
  const what = `pending KPJ follow-up (${followUp}) of case ${entry.subject.id}`;
  const out: string[] = [];
  const onDue = rulesOn(rules, dueDate);
  if (followUp === 'appointment') {
    const problem = appointmentSlotProblem({ date: dueDate, time: dueTime ?? '' }, onDue.serviceHours, branchCalendar(onDue.localClosures ?? []));
    if (problem?.why === 'CLOSED_DAY') out.push(`${what} on ${dueDate}, a day the branch is closed (${problem.closedDay?.name ?? 'weekend'})`);
    else if (problem) out.push(`${what} at ${dueTime ?? '(no time)'} on ${dueDate}, outside the branch's service hours`);
  }
  const decided = localDateOf(entry.at, rules.base.zone);
  const onDecision = rulesOn(rules, decided);
  const days = pendingFollowUpWorkingDays(onDecision);
  const latest = latestFollowUp(decided, days, onDecision.localClosures ?? []);
  if (dueDate > latest) out.push(`${what} due ${dueDate}, beyond ${days} working days after the decision on ${decided} (latest ${latest})`);
  return out;
}

/** Flags (once each) what is wrong with a head's pending-KPJ follow-up in an intact renderer audit entry. */
export async function flagPendingFollowUp(tx: Sql, device: { deviceId: string; branchCode: string }, entry: AuditEntry, now: Date): Promise<void> {
  if (entry.action !== PENDING_KPJ_REVIEWED) return;
  const rules = await branchRules(tx, device.branchCode);
  if (!rules) return;
  for (const reason of pendingFollowUpProblems(entry, rules)) {
    await tx.query(
      `INSERT INTO audit_flags (branch_code, device_id, chain, seq, reason, flagged_at) VALUES ($1, $2, 'renderer', $3, $4, $5)
       ON CONFLICT (device_id, chain, seq, reason) DO NOTHING`,
      [device.branchCode, device.deviceId, entry.seq, reason, now.toISOString()],
    );
  }
}

// ---- Records without an author (issue 17) ------------------------------------------------------
//
// A record whose writer never pushed it reaches HQ only as rows other PCs marked `pulled` or a hub
// relayed, and HQ stores it without an author (hq/store.ts `PushOptions`); its writer's own push
// claims it later. Stored so for a few minutes is normal (another PC was faster), so a flag at the
// moment of storing would mostly be wrong: a record is flagged once it has been held without an
// author for longer than `afterMs` (HQ_AUTHORLESS_FLAG_AFTER_H; default 3 days: a PC switched off
// over a long weekend is not yet suspect). The check runs whenever the branch's flags are read (the head's screen, HQ's
// operator), so what they see is true at that moment, with no timer; a flag whose record has an
// author again (its writer came back) is no longer shown.

/** How long HQ holds a record without an author before it flags it (3 days). */
export const DEFAULT_AUTHORLESS_FLAG_AFTER_MS = 3 * 86_400_000;

/** `HQ_AUTHORLESS_FLAG_AFTER_H` (hours, may be fractional) in ms, or the default; anything else is refused. */
export function authorlessFlagAfterMs(env: Record<string, string | undefined>): number {
  const raw = env.HQ_AUTHORLESS_FLAG_AFTER_H;
  if (raw === undefined || raw === '') return DEFAULT_AUTHORLESS_FLAG_AFTER_MS;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error('HQ_AUTHORLESS_FLAG_AFTER_H must be a positive number of hours');
  return Math.round(hours * 3_600_000);
}

/** Flags (once each) the branch's records held without an author since before `now - afterMs`; answers how many are new. */
export async function flagAuthorless(db: Sql, branchCode: string, now: Date, afterMs = DEFAULT_AUTHORLESS_FLAG_AFTER_MS): Promise<number> {
  const { rows } = await db.query<{ collection: string; id: string; received_at: Date | string }>(
    `SELECT d.collection, d.id, d.received_at FROM documents d
      WHERE d.branch_code = $1 AND d.device_id IS NULL AND d.received_at < $2 AND d.collection = ANY($3::text[])
        AND NOT EXISTS (SELECT 1 FROM audit_flags f WHERE f.chain = 'record' AND f.branch_code = d.branch_code AND f.collection = d.collection AND f.record_id = d.id)`,
    [branchCode, new Date(now.getTime() - afterMs).toISOString(), [...WRITABLE_COLLECTIONS]], // staff and config are HQ's own, never authored by a PC
  );
  let added = 0;
  for (const r of rows) {
    const since = new Date(r.received_at).toISOString();
    const reason = `${r.collection}/${r.id} has been held at HQ without an author since ${since}: other PCs passed it on, the PC that wrote it never sent it itself`;
    const { rows: inserted } = await db.query(
      `INSERT INTO audit_flags (branch_code, device_id, chain, seq, collection, record_id, reason, flagged_at) VALUES ($1, NULL, 'record', NULL, $2, $3, $4, $5)
       ON CONFLICT (branch_code, collection, record_id) WHERE chain = 'record' DO NOTHING RETURNING flag_id`,
      [branchCode, r.collection, r.id, reason, now.toISOString()],
    );
    added += inserted.length;
  }
  return added;
}

// ---- Reading a branch's flags ---------------------------------------------------------------------

/**
 * The kind of a flag, and what it is about, from HQ's wording: the writers (device-audit.ts
 * flagUnlessStaff, `pendingFollowUpProblems` above, `flagAuthorless`) are the only ones, and
 * tests/hq/audit-flags-route.test.ts raises each through them, so a change of wording shows there.
 */
const KINDS: readonly { kind: Exclude<AuditFlagKind, 'authorless' | 'other'>; re: RegExp }[] = [
  { kind: 'notStaff', re: /^actor (?<subject>\S+) is not staff of branch / },
  { kind: 'deactivated', re: /^actor (?<subject>\S+) is deactivated in branch / },
  { kind: 'wrongRole', re: /^actor (?<subject>\S+) acts as \S+ but is \S+ in branch / },
  { kind: 'closedDay', re: /^pending KPJ follow-up \(\w+\) of case (?<subject>\S+) on (?<date>\d{4}-\d{2}-\d{2}), a day the branch is closed/ },
  { kind: 'outsideHours', re: /^pending KPJ follow-up \(\w+\) of case (?<subject>\S+) at .* on (?<date>\d{4}-\d{2}-\d{2}), outside the branch's service hours/ },
  { kind: 'tooLate', re: /^pending KPJ follow-up \(\w+\) of case (?<subject>\S+) due (?<date>\d{4}-\d{2}-\d{2}), beyond / },
];

/** A stored flag as the head and HQ's operator see it. Pure. */
export function describeFlag(row: { chain: string; collection: string | null; recordId: string | null; reason: string }): Pick<AuditFlagView, 'kind' | 'subject' | 'date'> {
  if (row.chain === 'record') return { kind: 'authorless', subject: `${row.collection ?? '?'}/${row.recordId ?? '?'}`, date: null };
  for (const { kind, re } of KINDS) {
    const m = re.exec(row.reason);
    if (m) return { kind, subject: m.groups?.subject ?? null, date: m.groups?.date ?? null };
  }
  return { kind: 'other', subject: null, date: null };
}

/**
 * A page of the branch's flags, newest first, after flagging its records held too long without an
 * author. A record's flag is left out once the record has an author again or is gone.
 */
export async function branchAuditFlags(
  db: Sql,
  branchCode: string,
  o: { now: Date; limit?: number; before?: number; authorlessAfterMs?: number },
): Promise<AuditFlagPage> {
  await flagAuthorless(db, branchCode, o.now, o.authorlessAfterMs);
  const limit = Math.min(o.limit ?? AUDIT_FLAGS_DEFAULT_LIMIT, AUDIT_FLAGS_MAX_LIMIT);
  const { rows } = await db.query<{
    flag_id: string;
    device_id: string | null;
    chain: 'renderer' | 'main' | 'record';
    seq: string | null;
    collection: string | null;
    record_id: string | null;
    reason: string;
    flagged_at: Date | string;
  }>(
    `SELECT f.flag_id::text AS flag_id, f.device_id::text AS device_id, f.chain, f.seq::text AS seq, f.collection, f.record_id, f.reason, f.flagged_at
       FROM audit_flags f
      WHERE f.branch_code = $1 AND ($2::bigint IS NULL OR f.flag_id < $2::bigint)
        AND (f.chain <> 'record' OR EXISTS (SELECT 1 FROM documents d
              WHERE d.collection = f.collection AND d.branch_code = f.branch_code AND d.id = f.record_id AND d.device_id IS NULL))
      ORDER BY f.flag_id DESC LIMIT $3`,
    [branchCode, o.before ?? null, limit + 1],
  );
  const flags = rows.slice(0, limit).map((r) => ({
    flagId: Number(r.flag_id),
    ...describeFlag({ chain: r.chain, collection: r.collection, recordId: r.record_id, reason: r.reason }),
    deviceId: r.device_id,
    chain: r.chain,
    seq: r.seq === null ? null : Number(r.seq),
    reason: r.reason,
    flaggedAt: new Date(r.flagged_at).toISOString(),
  }));
  return { flags, next: rows.length > limit ? (flags.at(-1)?.flagId ?? null) : null };
}
