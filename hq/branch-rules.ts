import type { z } from 'zod';
import { ServiceHours } from '../shared/branch/schema';
import { CaseConfig, DEFAULT_CASE_CONFIG } from '../shared/cases/config';
import type { Sql } from './db';

// HQ's own rules for each branch (DOMAIN.md's *(config)* figures), versioned by the day they take
// effect. A case is judged by the rules of the day it was opened, as HQ holds them, never by the
// `input.config` the case brings: a device cannot ship service hours that make a refusal hold.
// The rules of a day = the shared defaults, the branch's published hours (branches.config), then
// the overrides of the newest version in effect that day (branch_rules).

/** What a version may override: every rule but the branch code. */
export const RulesOverride = CaseConfig.omit({ branchCode: true }).partial().strict();
export type RulesOverride = z.infer<typeof RulesOverride>;

export interface RulesVersion {
  effectiveFrom: string;
  config: RulesOverride;
}

interface BranchRules {
  base: CaseConfig;
  versions: RulesVersion[]; // oldest first
  loadedAt: number;
}

/** Rules change rarely and take effect by date; another HQ process's change is seen within this. */
const CACHE_MS = 10_000;
const caches = new WeakMap<Sql, Map<string, BranchRules>>();
const cacheOf = (db: Sql) => {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map<string, BranchRules>()));
  return c;
};

async function load(db: Sql, branchCode: string): Promise<BranchRules | null> {
  const cache = cacheOf(db);
  const hit = cache.get(branchCode);
  if (hit && Date.now() - hit.loadedAt < CACHE_MS) return hit;
  const branch = await db.query<{ config: { serviceHours?: unknown } }>('SELECT config FROM branches WHERE code = $1', [branchCode]);
  const row = branch.rows[0];
  if (!row) return null;
  const hours = ServiceHours.safeParse(row.config.serviceHours);
  const { rows } = await db.query<{ effective_from: string | Date; config: RulesOverride }>(
    `SELECT effective_from::text AS effective_from, config FROM branch_rules WHERE branch_code = $1 ORDER BY effective_from`,
    [branchCode],
  );
  const rules: BranchRules = {
    base: { ...DEFAULT_CASE_CONFIG, branchCode, ...(hours.success ? { serviceHours: hours.data } : {}) },
    versions: rows.map((r) => ({ effectiveFrom: String(r.effective_from).slice(0, 10), config: r.config })),
    loadedAt: Date.now(),
  };
  cache.set(branchCode, rules);
  return rules;
}

/** The branch's case rules on `day` (YYYY-MM-DD, the branch's calendar), or null for an unknown branch. */
export async function branchRulesOn(db: Sql, branchCode: string, day: string): Promise<CaseConfig | null> {
  const rules = await load(db, branchCode);
  if (!rules) return null;
  const version = rules.versions.filter((v) => v.effectiveFrom <= day).at(-1);
  return version ? { ...rules.base, ...version.config } : rules.base;
}

/** Every version of a branch's rules, oldest first (what devices are sent). */
export async function branchRulesVersions(db: Sql, branchCode: string): Promise<{ base: CaseConfig; versions: RulesVersion[] } | null> {
  const rules = await load(db, branchCode);
  return rules ? { base: rules.base, versions: rules.versions } : null;
}

/** Records a version of a branch's rules from `effectiveFrom` on (replacing one of the same day). */
export async function setBranchRules(db: Sql, branchCode: string, effectiveFrom: string, override: RulesOverride, now = new Date()): Promise<void> {
  const config = RulesOverride.parse(override);
  await db.query(
    `INSERT INTO branch_rules (branch_code, effective_from, config, created_at) VALUES ($1, $2::date, $3::jsonb, $4)
     ON CONFLICT (branch_code, effective_from) DO UPDATE SET config = EXCLUDED.config, created_at = EXCLUDED.created_at`,
    [branchCode, effectiveFrom, JSON.stringify(config), now.toISOString()],
  );
  cacheOf(db).delete(branchCode);
}
