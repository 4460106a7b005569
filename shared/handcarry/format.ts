// The hand-carry file's format (issue 5 pt 6; docs/handcarry-format.md): when the WAN is down for
// days, a branch head exports the records HQ has not acknowledged to one encrypted, signed file that
// travels on a USB stick. This module is the one definition of that file: its constants, its zod
// schemas, the canonical texts that are signed and authenticated, and reading a file's outer shape
// and its decrypted content with clear errors. The crypto that writes and opens it is ./crypto.ts.
//
// Reading never throws on bad input: it returns { ok: false, error: { code, message } } with an
// English message; the UI maps codes to Indonesian. Messages never quote record contents.

import { z } from 'zod';
import { BranchCode } from '../branch/schema';
import { canonicalJson } from '../canonical-json';
import type { Jwk } from '../crypto/webcrypto';
import { utf8TextStrict } from '../encoding/utf8';

export type { Jwk } from '../crypto/webcrypto';

export const HANDCARRY_FORMAT = 'loket-handcarry';
export const HANDCARRY_VERSION = 1;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256 (the issue's floor, 210,000, is its SHA-512 figure). */
export const DEFAULT_KDF_ITERATIONS = 600_000;
/** Export refuses fewer iterations unless the caller opts in explicitly (tests). */
export const MIN_KDF_ITERATIONS = 210_000;
/** Import refuses more, so an untrusted file cannot demand unbounded work before it is rejected. */
export const MAX_KDF_ITERATIONS = 10_000_000;
export const MIN_PASSPHRASE_LENGTH = 12;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;

// ---- schemas ---------------------------------------------------------------------------------------

const Base64 = (bytes?: number) => {
  const s = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not base64');
  return bytes === undefined ? s.min(1) : s.refine((v) => Math.floor((v.length * 3) / 4) - (v.match(/=+$/)?.[0].length ?? 0) === bytes, `must be ${bytes} bytes`);
};
export const Base64Url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a P-256 coordinate is 32 bytes, base64url');

/** The device's public key as carried in the file: exactly these four members. */
export const PublicKeyJwkSchema = z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: Base64Url32, y: Base64Url32 });
export type PublicKeyJwk = z.infer<typeof PublicKeyJwkSchema>;

/** One record awaiting HQ: opaque to this format beyond its address. */
export const HandcarryRecordSchema = z.strictObject({
  collection: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'collection: lowercase name'),
  id: z.string().min(1).max(256),
  rev: z.string().min(1).max(256),
  doc: z.record(z.string(), z.unknown()),
});
export type HandcarryRecord = z.infer<typeof HandcarryRecordSchema>;

export const HandcarryPayloadSchema = z.strictObject({ records: z.array(HandcarryRecordSchema) });

const EnvelopeHead = z.looseObject({ format: z.literal(HANDCARRY_FORMAT), version: z.number().int() });

export const HandcarryEnvelopeSchema = z.strictObject({
  format: z.literal(HANDCARRY_FORMAT),
  version: z.literal(HANDCARRY_VERSION),
  branchCode: BranchCode,
  deviceId: z.string().min(1).max(64),
  createdAt: z.iso.datetime({ offset: true }),
  recordCount: z.number().int().min(0),
  kdf: z.strictObject({
    name: z.literal('PBKDF2'),
    hash: z.literal('SHA-256'),
    iterations: z.number().int().min(1_000).max(MAX_KDF_ITERATIONS),
    salt: Base64(SALT_BYTES),
  }),
  cipher: z.strictObject({ name: z.literal('AES-GCM'), iv: Base64(IV_BYTES) }),
  publicKey: PublicKeyJwkSchema,
  ciphertext: Base64(),
  signature: Base64(),
});
export type HandcarryEnvelope = z.infer<typeof HandcarryEnvelopeSchema>;
/** Every field but the signature: what the signature covers. */
export type UnsignedEnvelope = Omit<HandcarryEnvelope, 'signature'>;
/** Every field but the signature and the ciphertext: AES-GCM's additional data. */
export type EnvelopeHeader = Omit<UnsignedEnvelope, 'ciphertext'>;

export type HandcarryErrorCode =
  | 'NOT_A_HANDCARRY_FILE'
  | 'UNSUPPORTED_VERSION'
  | 'FOREIGN_BRANCH'
  | 'BAD_SIGNATURE'
  | 'UNTRUSTED_DEVICE'
  | 'WRONG_PASSPHRASE_OR_TAMPERED'
  | 'INVALID_CONTENT';

export interface HandcarryMeta {
  branchCode: string;
  deviceId: string;
  createdAt: string;
  recordCount: number;
  publicKey: PublicKeyJwk;
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the signing key, to compare by eye. */
  keyThumbprint: string;
  /** True only when a trust list was given and the key is on it. */
  trusted: boolean;
  kdfIterations: number;
}

export type HandcarryFailure = { ok: false; error: { code: HandcarryErrorCode; message: string } };

export type HandcarryImportResult = { ok: true; records: HandcarryRecord[]; meta: HandcarryMeta } | HandcarryFailure;

export const handcarryFailure = (code: HandcarryErrorCode, message: string): HandcarryFailure => ({ ok: false, error: { code, message } });

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

// ---- keys --------------------------------------------------------------------------------------------

/** The public part of a P-256 JWK with only kty, crv, x and y (what is carried and compared). @throws on another key. */
export function normalizePublicJwk(jwk: Jwk): PublicKeyJwk {
  return PublicKeyJwkSchema.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
}

/** The same, or null for a key that is not a P-256 public key (an entry of a trust list). */
export function publicJwkOrNull(jwk: Jwk): PublicKeyJwk | null {
  const normal = PublicKeyJwkSchema.safeParse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  return normal.success ? normal.data : null;
}

/** The text RFC 7638's thumbprint hashes: {"crv","kty","x","y"} in that order. */
export const thumbprintText = (jwk: PublicKeyJwk): string => canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });

// ---- canonical texts ---------------------------------------------------------------------------------

/** The text the signature covers: the canonical JSON of every field but `signature`. */
export const signedText = (envelope: UnsignedEnvelope): string => canonicalJson(envelope);
/** AES-GCM additional data: the header, so it cannot be swapped even by someone who re-signs. */
export const headerText = (header: EnvelopeHeader): string => canonicalJson(header);
/** The plaintext that is encrypted: the canonical JSON of the payload. */
export const payloadText = (payload: { records: HandcarryRecord[] }): string => canonicalJson(payload);

export function headerOf(envelope: UnsignedEnvelope): EnvelopeHeader {
  const { ciphertext: _c, ...header } = envelope;
  return header;
}

/** The file's text: the envelope as indented JSON and a final newline. */
export const envelopeText = (envelope: HandcarryEnvelope): string => `${JSON.stringify(envelope, null, 1)}\n`;

// ---- writing -----------------------------------------------------------------------------------------

export interface ExportArguments {
  records: readonly HandcarryRecord[];
  branchCode: string;
  deviceId: string;
  passphrase: string;
  /** PBKDF2 iterations, default DEFAULT_KDF_ITERATIONS; below MIN_KDF_ITERATIONS only with `allowWeakKdfForTests`. */
  kdfIterations?: number;
  allowWeakKdfForTests?: boolean;
}

/**
 * What an export writes, checked: the iterations to use and the payload.
 * @throws TypeError / RangeError on invalid arguments (the caller's bug, not a user's input).
 */
export function checkExportArguments(options: ExportArguments): { iterations: number; payload: { records: HandcarryRecord[] } } {
  const { branchCode, deviceId, passphrase } = options;
  const iterations = options.kdfIterations ?? DEFAULT_KDF_ITERATIONS;
  if (!BranchCode.safeParse(branchCode).success) throw new TypeError(`Invalid branch code "${branchCode}".`);
  if (deviceId.length < 1 || deviceId.length > 64) throw new TypeError('Invalid device id: 1–64 characters.');
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) {
    throw new RangeError(`The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
  if (!Number.isInteger(iterations) || iterations > MAX_KDF_ITERATIONS || iterations < (options.allowWeakKdfForTests ? 1_000 : MIN_KDF_ITERATIONS)) {
    throw new RangeError(`PBKDF2 iterations must be a whole number from ${MIN_KDF_ITERATIONS} to ${MAX_KDF_ITERATIONS}.`);
  }
  const payload = HandcarryPayloadSchema.safeParse({ records: options.records });
  if (!payload.success) {
    const issue = payload.error.issues[0];
    throw new TypeError(`Invalid record for export at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return { iterations, payload: payload.data };
}

// ---- reading -----------------------------------------------------------------------------------------

/** A file's outer shape, checked in order: JSON → a hand-carry file → its version → every field. */
export function readEnvelope(text: string): { ok: true; envelope: HandcarryEnvelope } | HandcarryFailure {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return handcarryFailure('NOT_A_HANDCARRY_FILE', 'This is not a Loket hand-carry file: it is not valid JSON (is it truncated or another file?).');
  }
  const head = EnvelopeHead.safeParse(json);
  if (!head.success) {
    return handcarryFailure('NOT_A_HANDCARRY_FILE', `This is not a Loket hand-carry file: ${firstIssue(head.error)}.`);
  }
  // The version before the full shape, whose fields belong to this version.
  if (head.data.version !== HANDCARRY_VERSION) {
    return handcarryFailure('UNSUPPORTED_VERSION', `This hand-carry file has format version ${head.data.version}; this program reads version ${HANDCARRY_VERSION} only.`);
  }
  const parsed = HandcarryEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    return handcarryFailure('NOT_A_HANDCARRY_FILE', `This hand-carry file is damaged or incomplete: ${firstIssue(parsed.error)}.`);
  }
  return { ok: true, envelope: parsed.data };
}

/** The decrypted content: UTF-8 JSON of the records, as many as the envelope announces. */
export function readPayload(plaintext: ArrayBuffer, recordCount: number): { ok: true; records: HandcarryRecord[] } | HandcarryFailure {
  let payloadJson: unknown;
  try {
    payloadJson = JSON.parse(utf8TextStrict(plaintext));
  } catch {
    return handcarryFailure('INVALID_CONTENT', 'The decrypted content is not valid JSON.');
  }
  const payload = HandcarryPayloadSchema.safeParse(payloadJson);
  if (!payload.success) {
    return handcarryFailure('INVALID_CONTENT', `The decrypted content is not a valid list of records: ${firstIssue(payload.error)}.`);
  }
  if (payload.data.records.length !== recordCount) {
    return handcarryFailure('INVALID_CONTENT', `The file announces ${recordCount} records but holds ${payload.data.records.length}.`);
  }
  return { ok: true, records: payload.data.records };
}
