import { branchZoneOf, type BranchProfile } from '@shared/branch/schema';
import { BranchRules, rulesOn } from '@shared/cases/branch-rules';
import { DEFAULT_CASE_CONFIG, type CaseConfig } from '@shared/cases/config';
import { localDateOf } from '@shared/dates';
import { BRANCH_CONFIG_KEY } from '@shared/sync/protocol';
import type { LoketDatabase } from './db/database';

/**
 * The rules a case opened now runs on. HQ judges every case by its own rules of the day it was
 * opened (hq/branch-rules.ts) and sends them in the branch's `config` document: once pulled, those
 * are the rules. Before the first pull (a PC not yet connected), the branch's published hours on
 * the shared defaults, as HQ itself starts a branch.
 */
export async function caseRulesNow(db: LoketDatabase, branch: BranchProfile, at: string): Promise<CaseConfig> {
  const doc = await db.config.findOne(BRANCH_CONFIG_KEY).exec();
  const rules = BranchRules.safeParse((doc?.value as { rules?: unknown } | undefined)?.rules);
  if (rules.success && rules.data.base.branchCode === branch.code) return rulesOn(rules.data, localDateOf(at, rules.data.base.zone));
  // The zone only when not WIB, as HQ writes it (journals from before zones carry none).
  const zone = branchZoneOf(branch);
  return { ...DEFAULT_CASE_CONFIG, branchCode: branch.code, serviceHours: branch.serviceHours, ...(zone !== 'WIB' ? { zone } : {}) };
}
