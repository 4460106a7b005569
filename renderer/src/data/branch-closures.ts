import { useEffect, useState } from 'react';
import { BranchRules, rulesOn } from '@shared/cases/branch-rules';
import type { LocalClosure } from '@shared/calendar';
import { localDateOf, type CalendarDate } from '@shared/dates';
import { BRANCH_CONFIG_KEY } from '@shared/sync/protocol';
import type { LoketDatabase } from './db/database';

/**
 * The branch's local closures as HQ holds them today (issue 16 pt 10): the head entered them on a
 * PC of the branch, HQ put them in the branch's rules and every PC pulls them in the `config`
 * document. Undefined while this PC has no rules from HQ (never connected).
 */
export function hqClosuresOf(configValue: unknown, branchCode: string, at: string): CalendarDate[] | undefined {
  const rules = BranchRules.safeParse((configValue as { rules?: unknown } | null | undefined)?.rules);
  if (!rules.success || rules.data.base.branchCode !== branchCode) return undefined;
  return rulesOn(rules.data, localDateOf(at, rules.data.base.zone)).localClosures ?? [];
}

/**
 * The closed days this PC plans with: the ones entered here (with their notes) and the ones HQ
 * sent from the branch's head PC. A date HQ holds that is not entered here carries `hqNote`.
 * Both are kept: a closed day is never offered for an appointment, whichever side knows it.
 */
export function branchClosures(local: readonly LocalClosure[] | undefined, hq: readonly CalendarDate[] | undefined, hqNote: string): LocalClosure[] {
  const byDate = new Map((local ?? []).map((c) => [c.date, c]));
  for (const date of hq ?? []) if (!byDate.has(date)) byDate.set(date, { date, note: hqNote });
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** HQ's closures for this branch today, following the pulled config document (undefined: none from HQ yet). */
export function useHqClosures(db: LoketDatabase | null, branchCode: string | undefined): CalendarDate[] | undefined {
  const [dates, setDates] = useState<CalendarDate[] | undefined>(undefined);
  useEffect(() => {
    if (!db || !branchCode) return;
    const sub = db.config.findOne(BRANCH_CONFIG_KEY).$.subscribe((doc) => {
      const next = hqClosuresOf(doc?.toMutableJSON().value, branchCode, new Date().toISOString());
      setDates((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    });
    return () => sub.unsubscribe();
  }, [db, branchCode]);
  return dates;
}
