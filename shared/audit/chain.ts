// The audit log: append-only and hash-chained per device (issue 5, point 5; DOMAIN.md "PDP": the
// log must answer who saw what, when). This is the pure part, shared by the renderer (WebCrypto,
// renderer/src/data/audit-chain.ts) and HQ (node:crypto): the SHA-256 function is injected.
//
// Each device keeps one chain. Entry n carries `prevHash` = entry n−1's `hash` (64 zeros for the
// first) and `hash` = SHA-256 (hex) of the canonical JSON (canonical-json.ts) of the entry
// without `hash` (and without `signature`, the device key's signature of the hash, made by main).
// Editing, deleting, reordering or inserting an entry therefore breaks a link, and `verifyChain`
// names the first broken one.
//
// What a chain alone cannot show: someone who rewrites the whole tail after an edit, or cuts the
// tail off, leaves a chain that is valid on its own. Sync closes that gap by anchoring the head
// (seq + hash) at HQ; `verifyChain(entries, { head })` checks against such an anchor.
//
// A NIK never enters the log: it is referenced only by its keyed hash (the renderer's nik-hash.ts,
// 64 hex characters). `assertNoNik` refuses details holding anything that looks like a NIK.
//
// Appending is pure: the caller (the database layer) must serialise appends per device (one
// writer), store the returned entry, and pass it back as `prev` for the next one.

import { z } from 'zod';
import { ROLES, type Role } from '../staff/schema';
import { canonicalJson, type JsonObject, type JsonValue } from '../canonical-json';

export const GENESIS_PREV_HASH = '0'.repeat(64);

/** Actions the app writes today; any `noun.verb` (dot-separated, camelCase words) is accepted. */
export const AUDIT_ACTIONS = [
  'case.event',
  'case.opened',
  'case.restored',
  'case.replayMismatch',
  'database.restored',
  'database.casesPurged',
  'person.viewed',
  'person.searched',
  'ticket.issued',
  'refusal.reviewed',
  'staff.signIn',
  'staff.signOut',
  'staff.signInFailed',
  'staff.created',
  'device.enrolled',
  'handcarry.exported',
  'handcarry.imported',
] as const;
export type KnownAuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditAction = KnownAuditAction | `${string}.${string}`;

const ACTION_RE = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;
const HEX64_RE = /^[0-9a-f]{64}$/;
/** A P-256 signature in IEEE P1363 form (r‖s, 64 bytes) as base64url without padding. */
export const AUDIT_SIGNATURE_RE = /^[A-Za-z0-9_-]{86}$/;

/**
 * What the device key signs for a renderer audit entry: its hash with a prefix of its own, so a
 * signature made for this can never stand for anything else the same key signs (main's chain, a
 * hand-carry file).
 */
export const auditSignedText = (hash: string): string => `loket/audit-entry/v1:${hash}`;

export interface AuditActor {
  staffId: string;
  role: Role;
}

export interface AuditSubject {
  /** e.g. 'case', 'person', 'ticket', 'staff' */
  kind: string;
  /** The subject's id; for a person, the NIK's keyed hash, never the NIK. */
  id: string;
}

export interface AuditEntry {
  deviceId: string;
  /** 1 for the device's first entry, then +1 each. */
  seq: number;
  /** ISO-8601 timestamp of the device clock. */
  at: string;
  actor: AuditActor;
  action: AuditAction;
  subject: AuditSubject;
  details: JsonObject;
  prevHash: string;
  hash: string;
  /**
   * The device key's signature of the entry (issue 18 pt 7): ECDSA P-256 / SHA-256 over the UTF-8
   * of `auditSignedText(hash)`, IEEE P1363, base64url. Made by main, which holds the key; outside
   * the hash. It shows who wrote the entry, so a PC relaying another PC's entry cannot forge one.
   * Absent on entries of older PCs (and when main would not sign): those are taken only from their own device.
   */
  signature?: string;
}

export type AuditEntryInput = Pick<AuditEntry, 'deviceId' | 'at' | 'actor' | 'action' | 'subject' | 'details'>;

export type ChainBreakReason = 'hash-mismatch' | 'prev-mismatch' | 'seq-gap' | 'device-mismatch';

export type ChainVerdict = { ok: true; count: number } | { ok: false; brokenAt: number; reason: ChainBreakReason };

const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

/** The stored shape of an entry (for reading back from storage or a sync payload). */
export const AuditEntrySchema = z.strictObject({
  deviceId: z.string().min(1).max(64),
  seq: z.number().int().min(1),
  at: z.iso.datetime({ offset: true }),
  actor: z.strictObject({ staffId: z.string().min(1).max(32), role: z.enum(ROLES) }),
  action: z.string().regex(ACTION_RE) as z.ZodType<AuditAction>,
  subject: z.strictObject({ kind: z.string().min(1).max(32), id: z.string().min(1).max(128) }),
  details: z.record(z.string(), JsonValueSchema),
  prevHash: z.string().regex(HEX64_RE),
  hash: z.string().regex(HEX64_RE),
  signature: z.string().regex(AUDIT_SIGNATURE_RE).optional(),
});

const InputSchema = AuditEntrySchema.omit({ seq: true, prevHash: true, hash: true, signature: true });

export class AuditInputError extends TypeError {
  override readonly name = 'AuditInputError';
}

/** Thrown when audit details hold something that looks like a NIK. The message never holds it. */
export class NikInAuditDetailsError extends Error {
  override readonly name = 'NikInAuditDetailsError';
  readonly code = 'NIK_IN_AUDIT_DETAILS';
  /** Where it was found, e.g. `details.note` (the value itself is never repeated). */
  readonly path: string;
  constructor(path: string) {
    super(`Audit details must not contain a NIK (a 16-digit number was found at ${path}); reference the person by the NIK's keyed hash.`);
    this.path = path;
  }
}

// A run of 16+ digits, or 16 digits written in the usual groups (4-4-4-4 or 6-6-4, the NIK's
// PPKKCC DDMMYY SSSS) with spaces, dots or dashes between them.
const NIK_LIKE = [/\d{16}/, /(?<!\d)\d{4}[ .-]\d{4}[ .-]\d{4}[ .-]\d{4}(?!\d)/, /(?<!\d)\d{6}[ .-]\d{6}[ .-]\d{4}(?!\d)/];

function looksLikeNik(text: string): boolean {
  // A keyed hash (64 lowercase hex characters, nik-hash.ts) may contain a run of digits by chance.
  if (HEX64_RE.test(text)) return false;
  return NIK_LIKE.some((re) => re.test(text));
}

/** Refuses (NikInAuditDetailsError) any key, string or number in `value` that looks like a NIK. */
export function assertNoNik(value: unknown, path = 'details'): void {
  if (typeof value === 'string') {
    if (looksLikeNik(value)) throw new NikInAuditDetailsError(path);
  } else if (typeof value === 'number') {
    if (Number.isFinite(value) && looksLikeNik(value.toFixed(0))) throw new NikInAuditDetailsError(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => assertNoNik(item, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (looksLikeNik(key)) throw new NikInAuditDetailsError(`${path} (a key)`);
      assertNoNik(item, `${path}.${key}`);
    }
  }
}

/** SHA-256 of the UTF-8 text, lowercase hex: WebCrypto in the renderer, node:crypto at HQ. */
export type Sha256Hex = (text: string) => Promise<string>;

/** The hash an entry must carry: SHA-256 over the canonical JSON of every field but `hash` and `signature`. */
export async function computeEntryHash(sha256Hex: Sha256Hex, entry: Omit<AuditEntry, 'hash'> | AuditEntry): Promise<string> {
  const { hash: _ignored, signature: _signature, ...rest } = entry as AuditEntry;
  return sha256Hex(canonicalJson(rest));
}

/**
 * The next entry of a device's chain. `prev` is the device's last stored entry (null for its first).
 * @throws AuditInputError on an invalid input or a `prev` of another device;
 *         NikInAuditDetailsError when the details look like they hold a NIK;
 *         CanonicalJsonError when the details hold something JSON cannot carry (undefined, NaN…).
 */
export async function appendEntry(sha256Hex: Sha256Hex, prev: AuditEntry | null, input: AuditEntryInput): Promise<AuditEntry> {
  assertNoNik(input.details);
  assertNoNik(input.subject.id, 'subject.id');
  canonicalJson(input.details); // precise error (with path) for undefined, NaN, functions, …
  const parsed = InputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AuditInputError(`Invalid audit entry: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  if (prev !== null && prev.deviceId !== input.deviceId) {
    throw new AuditInputError(`Each device has its own chain: cannot append an entry of device "${input.deviceId}" after one of "${prev.deviceId}".`);
  }
  const body: Omit<AuditEntry, 'hash'> = {
    deviceId: input.deviceId,
    seq: prev === null ? 1 : prev.seq + 1,
    at: input.at,
    actor: { staffId: input.actor.staffId, role: input.actor.role },
    action: input.action,
    subject: { kind: input.subject.kind, id: input.subject.id },
    details: JSON.parse(JSON.stringify(input.details)) as JsonObject, // a deep copy: the details are plain JSON (checked above)
    prevHash: prev === null ? GENESIS_PREV_HASH : prev.hash,
  };
  return { ...body, hash: await computeEntryHash(sha256Hex, body) };
}

export interface VerifyChainOptions {
  /** The device the chain must belong to (default: the first entry's). */
  deviceId?: string;
  /**
   * Verify a segment that continues a chain already verified up to `after` (its last seq and hash),
   * instead of from the genesis.
   */
  after?: { seq: number; hash: string };
  /** An anchored head (e.g. acknowledged by HQ): the chain must reach it, with this hash at this seq. */
  head?: { seq: number; hash: string };
}

/**
 * Checks a device's chain in stored order and reports the FIRST broken link: for each entry, in
 * this order, its device, its seq (must be previous + 1; a missing or displaced entry is reported
 * at the seq that was expected), its prevHash (must be the previous entry's hash) and its own hash.
 * An entry that cannot even be hashed (malformed) counts as a hash mismatch. Never throws.
 */
export async function verifyChain(sha256Hex: Sha256Hex, entries: readonly AuditEntry[], options: VerifyChainOptions = {}): Promise<ChainVerdict> {
  const deviceId = options.deviceId ?? entries[0]?.deviceId;
  let expectedSeq = (options.after?.seq ?? 0) + 1;
  let expectedPrev = options.after?.hash ?? GENESIS_PREV_HASH;
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) return { ok: false, brokenAt: expectedSeq, reason: 'hash-mismatch' };
    if (entry.deviceId !== deviceId) return { ok: false, brokenAt: expectedSeq, reason: 'device-mismatch' };
    if (entry.seq !== expectedSeq) return { ok: false, brokenAt: expectedSeq, reason: 'seq-gap' };
    if (entry.prevHash !== expectedPrev) return { ok: false, brokenAt: expectedSeq, reason: 'prev-mismatch' };
    let actual: string | null;
    try {
      actual = AuditEntrySchema.safeParse(entry).success ? await computeEntryHash(sha256Hex, entry) : null;
    } catch {
      actual = null;
    }
    if (actual === null || actual !== entry.hash) return { ok: false, brokenAt: expectedSeq, reason: 'hash-mismatch' };
    expectedPrev = entry.hash;
    expectedSeq++;
  }
  if (options.head) {
    const lastSeq = expectedSeq - 1;
    if (lastSeq < options.head.seq) return { ok: false, brokenAt: expectedSeq, reason: 'seq-gap' };
    const atHead = entries.find((e) => e.seq === options.head?.seq);
    if (atHead && atHead.hash !== options.head.hash) return { ok: false, brokenAt: options.head.seq, reason: 'hash-mismatch' };
  }
  return { ok: true, count: entries.length };
}

/** The chain functions bound to one SHA-256 implementation. */
export interface AuditChain {
  computeEntryHash(entry: Omit<AuditEntry, 'hash'> | AuditEntry): Promise<string>;
  appendEntry(prev: AuditEntry | null, input: AuditEntryInput): Promise<AuditEntry>;
  verifyChain(entries: readonly AuditEntry[], options?: VerifyChainOptions): Promise<ChainVerdict>;
}

export function auditChain(sha256Hex: Sha256Hex): AuditChain {
  return {
    computeEntryHash: (entry) => computeEntryHash(sha256Hex, entry),
    appendEntry: (prev, input) => appendEntry(sha256Hex, prev, input),
    verifyChain: (entries, options) => verifyChain(sha256Hex, entries, options),
  };
}
