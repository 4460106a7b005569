import { useMemo } from 'react';
import type { BranchProfile } from '@shared/branch/schema';
import type { CaseConfig } from '@shared/cases/config';
import type { LocalClosure } from '@shared/calendar';
import { branchClosures, useHqClosures } from '../branch-closures';
import { caseRulesNow } from '../case-rules';
import type { DataState, LocalData } from '../DataProvider';

/** The closures HQ set for this branch (undefined until read, or while the data is not open). */
export function useBranchHqClosures(data: DataState, branchCode: string | undefined): ReturnType<typeof useHqClosures> {
  return useHqClosures(data.phase === 'ready' ? data.db : null, branchCode);
}

/**
 * Every closed day of the branch this PC knows: the ones entered here (`settings.localClosures`)
 * and the ones HQ holds from the head's PC. `hqNote`: the note shown for a day only HQ knows.
 */
export function useBranchClosures(data: DataState, branchCode: string | undefined, own: readonly LocalClosure[] | undefined, hqNote: string): LocalClosure[] {
  const hq = useBranchHqClosures(data, branchCode);
  return useMemo(() => branchClosures(own, hq, hqNote), [own, hq, hqNote]);
}

/** The case rules in force for a case opened at `at` (the branch's rules over the defaults). */
export function caseRulesFor(data: LocalData, branch: BranchProfile, at: string): Promise<CaseConfig> {
  return caseRulesNow(data.db, branch, at);
}
