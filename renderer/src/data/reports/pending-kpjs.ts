import { localDateOf, type BranchZone, type CalendarDate } from '@shared/dates';
import { branchZone } from '../branch-zone';

// Issue 16 pt 3: a KPJ left pending is a refusal in disguise unless it is controlled, so every one
// goes to the head's review and is counted per staff member on the dashboard. Read from the cases
// (the machine's snapshot says which KPJs are pending now; the journal says who left them pending).

/** The fields of a case these reports read (CaseDoc satisfies it). */
export interface CaseLike {
  id: string;
  flow: string;
  events: Record<string, unknown>[];
  snapshot: Record<string, unknown>;
}

export interface PendingKpjItem {
  caseId: string;
  kpj: string;
  /** A code of the catalog of pending reasons (or the free text of a case opened before the rule). */
  reason: string;
  followUpOn: CalendarDate;
  note?: string;
  /** Who left it pending, and when (the last `kpj.resolved` that made it pending). */
  staffId: string;
  at: string;
  /** The follow-up date has passed and the KPJ is still pending. */
  overdue: boolean;
}

type Outcome = { kind?: string; reason?: string; followUpOn?: string; note?: string } | null | undefined;

/** Every KPJ pending now in the JHT claims given, follow-up date first (overdue ones lead). */
export function pendingKpjsOf(cases: readonly CaseLike[], today: CalendarDate): PendingKpjItem[] {
  const out: PendingKpjItem[] = [];
  for (const c of cases) {
    if (c.flow !== 'jht-claim') continue;
    const kpjs = ((c.snapshot.context as { kpjs?: Array<{ kpj: string; outcome?: Outcome }> } | undefined)?.kpjs ?? []);
    for (const k of kpjs) {
      const o = k.outcome;
      if (o?.kind !== 'pending' || !o.reason || !o.followUpOn) continue;
      const by = [...c.events].reverse().find((e) => e.type === 'kpj.resolved' && e.kpj === k.kpj && (e.outcome as Outcome)?.kind === 'pending');
      const actor = (by?.actor as { staffId?: string } | undefined)?.staffId ?? '';
      out.push({
        caseId: c.id,
        kpj: k.kpj,
        reason: o.reason,
        followUpOn: o.followUpOn,
        ...(o.note ? { note: o.note } : {}),
        staffId: actor,
        at: typeof by?.at === 'string' ? by.at : '',
        overdue: o.followUpOn < today,
      });
    }
  }
  return out.sort((a, b) => a.followUpOn.localeCompare(b.followUpOn) || a.caseId.localeCompare(b.caseId) || a.kpj.localeCompare(b.kpj));
}

export interface PendingKpjRow {
  staffId: string;
  pending: number;
  overdue: number;
}

/** KPJs left pending in the range (branch days from–to), per staff member, most first. */
export function pendingKpjsByStaff(items: readonly PendingKpjItem[], range: { fromDay: string; toDay: string }, zone: BranchZone = branchZone()): PendingKpjRow[] {
  const rows = new Map<string, PendingKpjRow>();
  for (const i of items) {
    if (!i.at || Number.isNaN(Date.parse(i.at))) continue;
    const day = localDateOf(i.at, zone);
    if (day < range.fromDay || day > range.toDay) continue;
    const row = rows.get(i.staffId) ?? rows.set(i.staffId, { staffId: i.staffId, pending: 0, overdue: 0 }).get(i.staffId)!;
    row.pending++;
    if (i.overdue) row.overdue++;
  }
  return [...rows.values()].sort((a, b) => b.pending - a.pending || a.staffId.localeCompare(b.staffId));
}
