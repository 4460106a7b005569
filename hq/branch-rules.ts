import { z } from 'zod';
import { ServiceHours } from '@shared/branch/schema';
import { BranchZone, CalendarDateSchema, localDateOf } from '@shared/dates';
import { rulesOn, RulesOverride, type BranchRules, type RulesVersion } from '@shared/cases/branch-rules';
import { Role, StaffId } from '@shared/staff/schema';
import { DEFAULT_CASE_CONFIG, type CaseConfig } from '@shared/cases/config';
import { BRANCH_CONFIG_KEY } from '@shared/sync/protocol';
import type { Sql } from './db';
import { putHqDocument } from './store';

// HQ's own rules for each branch, versioned by the day they take effect (shared/cases/branch-rules).
// A case is judged by the rules of the day it was opened, as HQ holds them, never by the
// `input.config` it brings: a device cannot ship service hours that make a refusal hold. The rules
// = the shared defaults, the branch's published hours (branches.config), then the newest version
// in effect (branch_rules). Devices get them in the branch's `config` document.

interface Loaded {
  rules: BranchRules;
  profile: { code: string; name: string; serviceHours: unknown; counters: number };
  loadedAt: number;
}

/** Rules change rarely and take effect by date; another HQ process's change is seen within this. */
const CACHE_MS = 10_000;
const caches = new WeakMap<Sql, Map<string, Loaded>>();
const cacheOf = (db: Sql) => {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map<string, Loaded>()));
  return c;
};

async function load(db: Sql, branchCode: string): Promise<Loaded | null> {
  const cache = cacheOf(db);
  const hit = cache.get(branchCode);
  if (hit && Date.now() - hit.loadedAt < CACHE_MS) return hit;
  const branch = await db.query<{ name: string; config: { serviceHours?: unknown; counters?: number; zone?: unknown } }>('SELECT name, config FROM branches WHERE code = $1', [branchCode]);
  const row = branch.rows[0];
  if (!row) return null;
  const hours = ServiceHours.safeParse(row.config.serviceHours);
  const { rows } = await db.query<{ effective_from: string; config: unknown }>(
    `SELECT effective_from::text AS effective_from, config FROM branch_rules WHERE branch_code = $1 ORDER BY effective_from`,
    [branchCode],
  );
  // The branch's zone (branches.config.zone; absent = WIB, and left out of the rules so journals
  // from before zones keep matching): its cases' days and hours are judged on that clock.
  const zone = BranchZone.safeParse(row.config.zone);
  const base: CaseConfig = {
    ...DEFAULT_CASE_CONFIG,
    branchCode,
    ...(hours.success ? { serviceHours: hours.data } : {}),
    ...(zone.success && zone.data !== 'WIB' ? { zone: zone.data } : {}),
  };
  const loaded: Loaded = {
    rules: { base, versions: rows.map((r) => ({ effectiveFrom: r.effective_from.slice(0, 10), config: RulesOverride.parse(r.config) })) },
    profile: { code: branchCode, name: row.name, serviceHours: row.config.serviceHours, counters: row.config.counters ?? 1 },
    loadedAt: Date.now(),
  };
  cache.set(branchCode, loaded);
  return loaded;
}

/** The branch's rules changed, maybe through another HQ process (its `config` notice, hq/notify.ts): load them again. */
export function forgetBranchRules(db: Sql, branchCode: string): void {
  caches.get(db)?.delete(branchCode);
}

/** The branch's case rules on `day` (YYYY-MM-DD, the branch's calendar), or null for an unknown branch. */
export async function branchRulesOn(db: Sql, branchCode: string, day: string): Promise<CaseConfig | null> {
  const loaded = await load(db, branchCode);
  return loaded ? rulesOn(loaded.rules, day) : null;
}

/** Every version of a branch's rules, or null for an unknown branch. */
export async function branchRules(db: Sql, branchCode: string): Promise<BranchRules | null> {
  return (await load(db, branchCode))?.rules ?? null;
}

/**
 * The branch configuration as a `config` document (key `hq:branch`), so devices pull it like any
 * other: the profile and the rules with every version, so a device opens cases with HQ's rules.
 */
export async function publishBranchConfig(db: Sql, branchCode: string, now: Date): Promise<number | null> {
  cacheOf(db).delete(branchCode);
  const loaded = await load(db, branchCode);
  if (!loaded) return null;
  return putHqDocument(db, 'config', `${branchCode}:${BRANCH_CONFIG_KEY}`, branchCode, {
    key: BRANCH_CONFIG_KEY,
    value: { ...loaded.profile, rules: loaded.rules },
    updatedAt: now.toISOString(),
  }, now);
}

/** Records a version of a branch's rules from `effectiveFrom` on (replacing one of the same day) and publishes it. */
export async function setBranchRules(db: Sql, branchCode: string, effectiveFrom: string, override: RulesOverride, now = new Date()): Promise<void> {
  const config = RulesOverride.parse(override);
  await db.query(
    `INSERT INTO branch_rules (branch_code, effective_from, config, created_at) VALUES ($1, $2::date, $3::jsonb, $4)
     ON CONFLICT (branch_code, effective_from) DO UPDATE SET config = EXCLUDED.config, created_at = EXCLUDED.created_at`,
    [branchCode, effectiveFrom, JSON.stringify(config), now.toISOString()],
  );
  await publishBranchConfig(db, branchCode, now);
}

/**
 * Sets a branch's time zone (WIB/WITA/WIT) in its profile at HQ (branches.config.zone) and
 * publishes the rules: from then on its cases are judged on that clock, and devices get it.
 */
export async function setBranchZone(db: Sql, branchCode: string, zone: BranchZone, now = new Date()): Promise<void> {
  const z = BranchZone.parse(zone);
  const { rows } = await db.query(`UPDATE branches SET config = config || jsonb_build_object('zone', $2::text) WHERE code = $1 RETURNING code`, [branchCode, z]);
  if (rows.length === 0) throw new Error(`unknown branch ${branchCode}`);
  await publishBranchConfig(db, branchCode, now);
}

/**
 * `PUT /v1/branch/local-closures`: the head's local closures as entered in Settings on a PC of the
 * branch, the whole list (the PC sends it again after every change, or when HQ is back).
 */
export const LocalClosuresBody = z.strictObject({
  actor: z.strictObject({ staffId: StaffId, role: Role }),
  closures: z
    .array(CalendarDateSchema)
    .max(200)
    .refine((list) => new Set(list).size === list.length, { message: 'local closures: one per date' }),
});
export type LocalClosuresBody = z.infer<typeof LocalClosuresBody>;

/**
 * Records the branch's local closures as a version of its rules from `now`'s day (the branch's
 * clock) on, keeping the rest of the version in force that day: a case opened on an earlier day
 * is still judged by that day's rules. Versions dated later get the same list (each version
 * overrides the base whole, so they would otherwise drop it). Published to the devices: `seq` is
 * the config document's new position (null when nothing changed).
 */
export async function setLocalClosures(
  db: Sql,
  branchCode: string,
  closures: readonly string[],
  now = new Date(),
): Promise<{ effectiveFrom: string; localClosures: string[]; seq: number | null }> {
  const rules = await branchRules(db, branchCode);
  if (!rules) throw new Error(`unknown branch ${branchCode}`);
  const day = localDateOf(now.toISOString(), rules.base.zone);
  const sorted = [...closures].sort();
  const withClosures = (config: RulesOverride): RulesOverride => {
    const { localClosures: _old, ...rest } = config;
    return sorted.length > 0 ? { ...rest, localClosures: sorted } : rest;
  };
  let inForce: RulesVersion | undefined;
  for (const v of rules.versions) if (v.effectiveFrom <= day && (!inForce || v.effectiveFrom >= inForce.effectiveFrom)) inForce = v;
  const writes = [
    { effectiveFrom: day, config: withClosures(inForce?.config ?? {}) },
    ...rules.versions.filter((v) => v.effectiveFrom > day).map((v) => ({ effectiveFrom: v.effectiveFrom, config: withClosures(v.config) })),
  ];
  await db.transaction(async (tx) => {
    for (const w of writes) {
      await tx.query(
        `INSERT INTO branch_rules (branch_code, effective_from, config, created_at) VALUES ($1, $2::date, $3::jsonb, $4)
         ON CONFLICT (branch_code, effective_from) DO UPDATE SET config = EXCLUDED.config, created_at = EXCLUDED.created_at`,
        [branchCode, w.effectiveFrom, JSON.stringify(RulesOverride.parse(w.config)), now.toISOString()],
      );
    }
  });
  const seq = await publishBranchConfig(db, branchCode, now);
  return { effectiveFrom: day, localClosures: sorted, seq };
}
