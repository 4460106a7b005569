import type { BranchProfile } from '../../../../shared/branch/schema';
import type { CaseConfig } from '../../../../shared/cases/config';
import { useHqClosures } from '../branch-closures';
import { caseRulesNow } from '../case-rules';
import type { DataState, LocalData } from '../DataProvider';

/** The closures HQ set for this branch (undefined until read, or while the data is not open). */
export function useBranchHqClosures(data: DataState, branchCode: string | undefined): ReturnType<typeof useHqClosures> {
  return useHqClosures(data.phase === 'ready' ? data.db : null, branchCode);
}

/** The case rules in force for a case opened at `at` (the branch's rules over the defaults). */
export function caseRulesFor(data: LocalData, branch: BranchProfile, at: string): Promise<CaseConfig> {
  return caseRulesNow(data.db, branch, at);
}
