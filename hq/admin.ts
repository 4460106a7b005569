import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { BranchCode, BranchProfile, DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { Role, StaffId, StaffName } from '@shared/staff/schema';
import type { Sql } from './db';
import { DataFolderInUse, openDatabase } from './db';
import { formatEnrolCode, newEnrolCode, sha256Hex } from './crypto';
import { migrate } from './migrate';
import { publishBranchConfig, setBranchRules } from './branch-rules';
import { RulesOverride } from '@shared/cases/branch-rules';
import { CalendarDateSchema } from '@shared/dates';
import { listQuarantine, putHqDocument } from './store';
import type { QuarantineEntry } from './store';
import { DEVICE_REVOKED_CHANNEL } from './stream';
import { assignBranchHub } from './hub/hq-side';
import { authorlessFlagAfterMs, branchAuditFlags } from './audit-flags';
import { AUDIT_FLAGS_MAX_LIMIT } from '@shared/sync/audit-flags';
import { redactIdentifiers } from '@shared/log/redact';

// HQ administration: plain functions (used by tests) and a CLI over them (`npm run hq:admin -- …`).
// What it prints that can hold a NIK or a KPJ number (a device's name, a refused record's id and
// reason, a flag's wording, an error) goes through the redaction every logger uses
// (shared/log/redact.ts); an enrolment code is printed whole (it is the output's purpose).

export const ENROL_CODE_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_COUNTERS = 4;

export class AdminError extends Error {
  override name = 'AdminError';
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AdminError(`${what}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}

async function requireBranch(db: Sql, code: string): Promise<void> {
  const { rows } = await db.query('SELECT 1 FROM branches WHERE code = $1', [code]);
  if (rows.length === 0) throw new AdminError(`unknown branch ${code}`);
}

export async function createBranch(db: Sql, input: { code: string; name: string }, now = new Date()): Promise<BranchProfile> {
  const profile = parse(
    BranchProfile,
    { code: input.code, name: input.name, serviceHours: DEFAULT_SERVICE_HOURS, counters: DEFAULT_COUNTERS },
    'branch',
  );
  const { rows } = await db.query(
    'INSERT INTO branches (code, name, config, created_at) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (code) DO NOTHING RETURNING code',
    [profile.code, profile.name, JSON.stringify({ serviceHours: profile.serviceHours, counters: profile.counters }), now.toISOString()],
  );
  if (rows.length === 0) throw new AdminError(`branch ${profile.code} exists`);
  await publishBranchConfig(db, profile.code, now);
  return profile;
}

/** A one-time code, valid 24 h; only its hash is stored. */
export async function createEnrolCode(db: Sql, branchCode: string, now = new Date()): Promise<{ code: string; expiresAt: string }> {
  const code = parse(BranchCode, branchCode, 'branch code');
  await requireBranch(db, code);
  const raw = newEnrolCode();
  const expiresAt = new Date(now.getTime() + ENROL_CODE_TTL_MS).toISOString();
  await db.query('INSERT INTO enrol_codes (code_hash, branch_code, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    sha256Hex(raw),
    code,
    now.toISOString(),
    expiresAt,
  ]);
  return { code: formatEnrolCode(raw), expiresAt };
}

export interface DeviceListing {
  deviceId: string;
  name: string;
  enrolledAt: string;
  revokedAt: string | null;
}

export async function listDevices(db: Sql, branchCode: string): Promise<DeviceListing[]> {
  const code = parse(BranchCode, branchCode, 'branch code');
  await requireBranch(db, code);
  const { rows } = await db.query<{ device_id: string; name: string; enrolled_at: Date | string; revoked_at: Date | string | null }>(
    'SELECT device_id, name, enrolled_at, revoked_at FROM devices WHERE branch_code = $1 ORDER BY enrolled_at, device_id',
    [code],
  );
  const iso = (d: Date | string) => new Date(d).toISOString();
  return rows.map((r) => ({
    deviceId: r.device_id,
    name: r.name,
    enrolledAt: iso(r.enrolled_at),
    revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
  }));
}

/**
 * Revoking is immediate: the next request with the device's token gets 401, and every HQ process
 * ends the device's open streams when it hears the notice sent with the update (hq/stream.ts).
 */
export async function revokeDevice(db: Sql, deviceId: string, now = new Date()): Promise<void> {
  const id = parse(z.uuid(), deviceId, 'device id');
  // One statement: the notice is delivered when the update commits, never without it.
  const { rows } = await db.query(
    `WITH revoked AS (
       UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE device_id = $1 RETURNING device_id::text AS device_id)
     SELECT device_id, pg_notify($3, device_id) FROM revoked`,
    [id, now.toISOString(), DEVICE_REVOKED_CHANNEL],
  );
  if (rows.length === 0) throw new AdminError(`unknown device ${id}`);
}

/**
 * Makes an enrolled, not revoked device of the branch its hub (issue 17): only that device may read
 * the branch's device list and relay the branch's records (hq/hub/hq-side.ts). Moving the role is
 * the same call with another device; the previous hub is refused from then on.
 */
export async function setBranchHub(db: Sql, branchCode: string, deviceId: string): Promise<void> {
  const code = parse(BranchCode, branchCode, 'branch code');
  const id = parse(z.uuid(), deviceId, 'device id');
  await requireBranch(db, code);
  if (!(await assignBranchHub(db, code, id))) throw new AdminError(`device ${id} is not an active device of branch ${code}`);
}

/** Adds or updates a staff member of the branch directory (devices pull it from `staff`). */
export async function addStaff(
  db: Sql,
  input: { branchCode: string; staffId: string; name: string; role: string; active?: boolean },
  now = new Date(),
): Promise<void> {
  const code = parse(BranchCode, input.branchCode, 'branch code');
  const staffId = parse(StaffId, input.staffId, 'staff id');
  const name = parse(StaffName, input.name, 'name');
  const role = parse(Role, input.role, 'role');
  await requireBranch(db, code);
  await putHqDocument(db, 'staff', `${code}:${staffId}`, code, {
    staffId,
    name,
    role,
    active: input.active ?? true,
    updatedAt: now.toISOString(),
  }, now);
}

/** Quarantined documents with their reasons, newest first: one branch, or every branch. */
export async function quarantineEntries(db: Sql, branchCode?: string, limit = 100): Promise<QuarantineEntry[]> {
  if (branchCode === undefined) return (await listQuarantine(db, { limit })).entries;
  const code = parse(BranchCode, branchCode, 'branch code');
  await requireBranch(db, code);
  return (await listQuarantine(db, { branchCode: code, limit })).entries;
}

const USAGE = `usage: npm run hq:admin -- <command>
  create-branch <CODE> <name…>
  enrol-code <CODE>
  list-devices <CODE>
  revoke-device <deviceId>
  set-hub <CODE> <deviceId>                    (the branch's hub: the one PC its branch's PCs sync with on the LAN)
  add-staff <CODE> <staffId> <name…> <role>   (role: ${Role.options.join('|')})
  quarantine [CODE]                           (refused documents with the reason, newest 100)
  audit-flags <CODE>                          (what HQ flagged for the branch's review, newest ${AUDIT_FLAGS_MAX_LIMIT})
  set-rules <CODE> <YYYY-MM-DD> <json>         (the branch's case rules from that day on, e.g. '{"retirementAge":57}')`;

/** Runs one CLI command; returns the text to print. */
export async function runAdminCommand(db: Sql, argv: readonly string[], now = new Date()): Promise<string> {
  const [command, ...args] = argv;
  switch (command) {
    case 'create-branch': {
      const [code, ...name] = args;
      if (!code || name.length === 0) throw new AdminError(USAGE);
      const b = await createBranch(db, { code, name: name.join(' ') }, now);
      return `branch ${b.code} created`;
    }
    case 'enrol-code': {
      if (!args[0]) throw new AdminError(USAGE);
      const { code, expiresAt } = await createEnrolCode(db, args[0], now);
      return `${code}\n(one use, valid until ${expiresAt})`;
    }
    case 'list-devices': {
      if (!args[0]) throw new AdminError(USAGE);
      const devices = await listDevices(db, args[0]);
      if (devices.length === 0) return 'no devices';
      return redactIdentifiers(devices.map((d) => `${d.deviceId}  ${d.revokedAt ? 'REVOKED' : 'active '}  ${d.enrolledAt}  ${d.name}`).join('\n'));
    }
    case 'revoke-device': {
      if (!args[0]) throw new AdminError(USAGE);
      await revokeDevice(db, args[0], now);
      return `device ${args[0]} revoked`;
    }
    case 'set-hub': {
      const [branchCode, deviceId] = args;
      if (!branchCode || !deviceId) throw new AdminError(USAGE);
      await setBranchHub(db, branchCode, deviceId);
      return `device ${deviceId} is now the hub of ${branchCode}`;
    }
    case 'add-staff': {
      const [branchCode, staffId, ...rest] = args;
      const role = rest.at(-1);
      const name = rest.slice(0, -1);
      if (!branchCode || !staffId || !role || name.length === 0) throw new AdminError(USAGE);
      await addStaff(db, { branchCode, staffId, role, name: name.join(' ') }, now);
      return `staff ${staffId} saved in ${branchCode}`;
    }
    case 'quarantine': {
      const entries = await quarantineEntries(db, args[0]);
      if (entries.length === 0) return 'quarantine is empty';
      // Ids and reasons only: the documents themselves may hold personal data.
      return redactIdentifiers(
        entries.map((q) => `${q.receivedAt}  ${q.branchCode}  ${q.collection}/${q.id}  device ${q.deviceId}  x${q.attempts}\n    ${q.reason}`).join('\n'),
      );
    }
    case 'audit-flags': {
      if (!args[0]) throw new AdminError(USAGE);
      const code = parse(BranchCode, args[0], 'branch code');
      await requireBranch(db, code);
      const { flags } = await branchAuditFlags(db, code, { now, limit: AUDIT_FLAGS_MAX_LIMIT, authorlessAfterMs: authorlessFlagAfterMs(process.env) });
      if (flags.length === 0) return `no audit flags for ${code}`;
      return redactIdentifiers(
        flags.map((f) => `${f.flaggedAt}  ${f.kind}  ${f.chain === 'record' ? f.subject : `device ${f.deviceId} ${f.chain} seq ${f.seq}`}\n    ${f.reason}`).join('\n'),
      );
    }
    case 'set-rules': {
      const [branchCode, from, json] = args;
      if (!branchCode || !from || !json) throw new AdminError(USAGE);
      const code = parse(BranchCode, branchCode, 'branch code');
      await requireBranch(db, code);
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch {
        throw new AdminError('rules: not JSON');
      }
      await setBranchRules(db, code, parse(CalendarDateSchema, from, 'effective date'), parse(RulesOverride, value, 'rules'), now);
      return `rules of ${code} from ${from} saved and published to its devices`;
    }
    default:
      throw new AdminError(USAGE);
  }
}


/** Where a running HQ on PGlite takes admin commands (hq/admin-endpoint.ts): `<data folder>/admin-endpoint.json`, mode 0600. */
export const ADMIN_ENDPOINT_FILE = 'admin-endpoint.json';
export const AdminEndpointInfo = z.object({
  host: z.literal('127.0.0.1'),
  port: z.number().int().min(1).max(65_535),
  token: z.string().min(32),
  pid: z.number().int(),
});
export type AdminEndpointInfo = z.infer<typeof AdminEndpointInfo>;
const AdminEndpointAnswer = z.union([z.object({ output: z.string() }), z.object({ error: z.string() })]);

/** Runs one admin command on the HQ that runs on `dataDir`; returns its output, or throws AdminError with HQ's message. */
export async function callAdminEndpoint(dataDir: string, argv: readonly string[]): Promise<string> {
  let info: AdminEndpointInfo;
  try {
    info = AdminEndpointInfo.parse(JSON.parse(readFileSync(join(dataDir, ADMIN_ENDPOINT_FILE), 'utf8')));
  } catch {
    throw new AdminError(`the HQ running on ${dataDir} has no admin endpoint (${ADMIN_ENDPOINT_FILE} missing or unreadable); stop it, or run this command as its user`);
  }
  const res = await fetch(`http://${info.host}:${info.port}/admin/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${info.token}` },
    body: JSON.stringify({ argv }),
    signal: AbortSignal.timeout(30_000),
  }).catch((err: unknown) => {
    throw new AdminError(`cannot reach the running HQ's admin endpoint: ${err instanceof Error ? err.message : String(err)}`);
  });
  const answer = AdminEndpointAnswer.safeParse(await res.json().catch(() => null));
  if (!answer.success) throw new AdminError(`admin endpoint answered ${res.status}`);
  if ('error' in answer.data) throw new AdminError(answer.data.error);
  return answer.data.output;
}

/** What the CLI prints for a failed command: the message, redacted (a database error can quote a value). */
export function adminErrorText(err: unknown): string {
  return redactIdentifiers(err instanceof Error ? err.message : String(err));
}

async function cli(): Promise<void> {
  let db: Sql | undefined;
  const argv = process.argv.slice(2);
  try {
    try {
      db = await openDatabase(process.env);
    } catch (err) {
      // PGlite is single-process: while HQ runs on the folder, it takes the command itself.
      if (!(err instanceof DataFolderInUse)) throw err;
      console.log(await callAdminEndpoint(err.dataDir, argv));
      return;
    }
    await migrate(db);
    console.log(await runAdminCommand(db, argv));
  } catch (err) {
    console.error(adminErrorText(err));
    process.exitCode = 1;
  } finally {
    await db?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void cli();
