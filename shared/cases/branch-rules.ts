import { z } from 'zod';
import { CalendarDateSchema, type CalendarDate } from '../dates';
import { CaseConfig } from './config';

// A branch's case rules as HQ holds them (DOMAIN.md's *(config)* figures), versioned by the day
// they take effect. HQ judges every case by the rules of the day it was opened; the devices open
// cases with the same rules (pulled in the branch's `config` document), so the two agree.

/** What a version may override: every rule but the branch code. */
export const RulesOverride = CaseConfig.omit({ branchCode: true }).partial().strict();
export type RulesOverride = z.infer<typeof RulesOverride>;

export const RulesVersion = z.object({ effectiveFrom: CalendarDateSchema, config: RulesOverride });
export type RulesVersion = z.infer<typeof RulesVersion>;

/** The shared defaults with the branch's code and published hours, then the versions, oldest first. */
export const BranchRules = z.object({ base: CaseConfig, versions: z.array(RulesVersion) });
export type BranchRules = z.infer<typeof BranchRules>;

/** The rules in effect on `day` (the branch's calendar): the newest version from that day or before. */
export function rulesOn(rules: BranchRules, day: CalendarDate): CaseConfig {
  let version: RulesVersion | undefined;
  for (const v of rules.versions) if (v.effectiveFrom <= day && (!version || v.effectiveFrom >= version.effectiveFrom)) version = v;
  return version ? { ...rules.base, ...version.config } : rules.base;
}
