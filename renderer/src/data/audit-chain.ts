// The audit log in the renderer: the shared chain (shared/audit/chain.ts) with WebCrypto's SHA-256.
// See the shared module for the chain's rules; this file keeps the renderer's API.

import {
  appendEntry as appendWith,
  computeEntryHash as computeWith,
  verifyChain as verifyWith,
  type AuditEntry,
  type AuditEntryInput,
  type ChainVerdict,
  type VerifyChainOptions,
} from '@shared/audit/chain';

export {
  AUDIT_ACTIONS,
  AuditEntrySchema,
  AuditInputError,
  GENESIS_PREV_HASH,
  NikInAuditDetailsError,
  assertNoNik,
  type AuditAction,
  type AuditActor,
  type AuditEntry,
  type AuditEntryInput,
  type AuditSubject,
  type ChainBreakReason,
  type ChainVerdict,
  type KnownAuditAction,
  type Sha256Hex,
  type VerifyChainOptions,
} from '@shared/audit/chain';

const hex = (bytes: ArrayBuffer): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 of the UTF-8 text, lowercase hex (WebCrypto). */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** The hash an entry must carry: SHA-256 over the canonical JSON of every field but `hash`. */
export function computeEntryHash(entry: Omit<AuditEntry, 'hash'> | AuditEntry): Promise<string> {
  return computeWith(sha256Hex, entry);
}

/** The next entry of a device's chain (see shared/audit/chain.ts `appendEntry` for what it throws). */
export function appendEntry(prev: AuditEntry | null, input: AuditEntryInput): Promise<AuditEntry> {
  return appendWith(sha256Hex, prev, input);
}

/** Checks a device's chain and reports the first broken link (see shared/audit/chain.ts). Never throws. */
export function verifyChain(entries: readonly AuditEntry[], options: VerifyChainOptions = {}): Promise<ChainVerdict> {
  return verifyWith(sha256Hex, entries, options);
}
