// Main's own audit chain (issue 18, point 7): written by the trusted side (main), not the renderer.
// Each entry is hash-chained like the renderer's chain (chain.ts: SHA-256 over the canonical JSON
// of every field but `hash` and `signature`) and, on top, signed with the device key (ECDSA P-256,
// the key main keeps in safeStorage: main/storage/handcarry-key.ts). A chain alone can be rewritten
// by whoever holds the file; the signature needs the key, which never leaves main.
//
// Pure: hashing and signature checking are injected (node:crypto in main and at HQ).

import { z } from 'zod';
import { ROLES, type Role } from '../staff/schema';
import { canonicalJson, type JsonObject, type JsonValue } from '../canonical-json';
import { GENESIS_PREV_HASH, assertNoNik, type Sha256Hex } from './chain';

/** What main records: sign-in, failed PIN, lock/unlock, staff and settings changes, enrolment, exports, key hand-outs, anchors. */
export const DEVICE_AUDIT_ACTIONS = [
  'staff.signIn',
  'staff.signInFailed',
  'staff.signOut',
  'staff.lock',
  'staff.unlock',
  'staff.unlockFailed',
  'staff.created',
  'staff.activeChanged',
  'staff.pinReset',
  'staff.pinChanged',
  'branch.setUp',
  'branch.zoneChanged',
  'settings.changed',
  'device.enrolled',
  'device.decommissioned',
  'key.handedOut',
  'handcarry.exported',
  'renderer.anchored',
] as const;
export type DeviceAuditAction = (typeof DEVICE_AUDIT_ACTIONS)[number];

/** Actions that may have no signed-in actor (a failed sign-in names only the id that was typed, in details). */
export const ACTORLESS_ACTIONS: readonly DeviceAuditAction[] = ['staff.signInFailed'];

const HEX64 = /^[0-9a-f]{64}$/;
const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

export const DeviceAuditActor = z.strictObject({ staffId: z.string().min(1).max(32), role: z.enum(ROLES) });
export type DeviceAuditActor = { staffId: string; role: Role };

export const DeviceAuditEntrySchema = z.strictObject({
  deviceId: z.string().min(1).max(64),
  seq: z.number().int().min(1),
  at: z.iso.datetime({ offset: true }),
  actor: DeviceAuditActor.nullable(),
  action: z.enum(DEVICE_AUDIT_ACTIONS),
  details: z.record(z.string(), JsonValueSchema),
  prevHash: z.string().regex(HEX64),
  hash: z.string().regex(HEX64),
  /** ECDSA P-256 / SHA-256 over the UTF-8 of `hash`, IEEE P1363 (r‖s, 64 bytes), base64url. */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
});
export type DeviceAuditEntry = z.infer<typeof DeviceAuditEntrySchema>;

/** The most entries one upload carries. */
export const MAX_DEVICE_AUDIT_BATCH = 200;

export type DeviceChainBreak = 'malformed' | 'device-mismatch' | 'seq-gap' | 'prev-mismatch' | 'hash-mismatch' | 'bad-signature' | 'no-actor';
export type DeviceChainVerdict = { ok: true; count: number } | { ok: false; brokenAt: number; reason: DeviceChainBreak };

/** The body that is hashed: every field but `hash` and `signature`, as canonical JSON. */
export function deviceEntryHash(sha256Hex: Sha256Hex, entry: Omit<DeviceAuditEntry, 'hash' | 'signature'> | DeviceAuditEntry): Promise<string> {
  const { hash: _h, signature: _s, ...body } = entry as DeviceAuditEntry;
  return sha256Hex(canonicalJson(body));
}

export interface DeviceAuditInput {
  deviceId: string;
  at: string;
  actor: DeviceAuditActor | null;
  action: DeviceAuditAction;
  details: JsonObject;
}

/** The next entry after `prev` (null: the first), signed by `sign` (over the hash's text). Refuses a NIK in details. */
export async function nextDeviceEntry(
  sha256Hex: Sha256Hex,
  sign: (text: string) => string,
  prev: DeviceAuditEntry | null,
  input: DeviceAuditInput,
): Promise<DeviceAuditEntry> {
  assertNoNik(input.details);
  const body = {
    deviceId: input.deviceId,
    seq: prev === null ? 1 : prev.seq + 1,
    at: input.at,
    actor: input.actor === null ? null : { staffId: input.actor.staffId, role: input.actor.role },
    action: input.action,
    details: JSON.parse(canonicalJson(input.details)) as JsonObject,
    prevHash: prev === null ? GENESIS_PREV_HASH : prev.hash,
  };
  const hash = await deviceEntryHash(sha256Hex, body);
  const entry = { ...body, hash, signature: sign(hash) };
  return DeviceAuditEntrySchema.parse(entry);
}

/**
 * Checks a segment of a device's main chain in order (after `after`, or from the genesis) and names
 * the first broken entry: shape, device, seq, prevHash, hash, signature, actor. Never throws.
 */
export async function verifyDeviceChain(
  sha256Hex: Sha256Hex,
  verifySignature: (text: string, signature: string) => boolean,
  entries: readonly unknown[],
  options: { deviceId: string; after?: { seq: number; hash: string } | null },
): Promise<DeviceChainVerdict> {
  let expectedSeq = (options.after?.seq ?? 0) + 1;
  let expectedPrev = options.after?.hash ?? GENESIS_PREV_HASH;
  for (const raw of entries) {
    const parsed = DeviceAuditEntrySchema.safeParse(raw);
    if (!parsed.success) return { ok: false, brokenAt: expectedSeq, reason: 'malformed' };
    const entry = parsed.data;
    if (entry.deviceId !== options.deviceId) return { ok: false, brokenAt: expectedSeq, reason: 'device-mismatch' };
    if (entry.seq !== expectedSeq) return { ok: false, brokenAt: expectedSeq, reason: 'seq-gap' };
    if (entry.prevHash !== expectedPrev) return { ok: false, brokenAt: expectedSeq, reason: 'prev-mismatch' };
    let hash: string | null;
    try {
      hash = await deviceEntryHash(sha256Hex, entry);
    } catch {
      hash = null;
    }
    if (hash !== entry.hash) return { ok: false, brokenAt: expectedSeq, reason: 'hash-mismatch' };
    let signed: boolean;
    try {
      signed = verifySignature(entry.hash, entry.signature);
    } catch {
      signed = false;
    }
    if (!signed) return { ok: false, brokenAt: expectedSeq, reason: 'bad-signature' };
    if (entry.actor === null && !ACTORLESS_ACTIONS.includes(entry.action)) return { ok: false, brokenAt: expectedSeq, reason: 'no-actor' };
    expectedPrev = entry.hash;
    expectedSeq++;
  }
  return { ok: true, count: entries.length };
}
