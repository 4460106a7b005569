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
import { appointmentSlotProblem, branchCalendar } from '../shared/calendar';
import { rulesOn, type BranchRules } from '../shared/cases/branch-rules';
import { pendingFollowUpWorkingDays } from '../shared/cases/rules';
import { FollowUp, HourMinute } from '../shared/cases/schema';
import { CalendarDateSchema, localDateOf } from '../shared/dates';
import { latestFollowUp } from '../shared/policy/pending';
import type { AuditEntry } from '../shared/audit/chain';
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
