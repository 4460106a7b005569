// Hand-carry export/import (issue 5, point 6): when the WAN is down for days, a branch head exports
// the records HQ has not acknowledged to one encrypted, signed file that travels on a USB stick.
// The format, the crypto choices and the order of the import checks are in docs/handcarry-format.md.
//
// Only WebCrypto (globalThis.crypto.subtle) is used, so the same code runs in the renderer
// (Chromium) and in Node (the HQ import command, tests).
//
// Import never throws on bad input: it returns { ok: false, error: { code, message } } with an
// English message; the UI maps codes to Indonesian. Messages never quote record contents.

import { z } from 'zod';
import { BranchCode } from '../../../shared/branch/schema';
import { canonicalJson } from '../../../shared/canonical-json';
import { base64ToBytes, bytesToBase64 } from '../../../shared/base64';

export const HANDCARRY_FORMAT = 'loket-handcarry';
export const HANDCARRY_VERSION = 1;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256 (the issue's floor, 210,000, is its SHA-512 figure). */
export const DEFAULT_KDF_ITERATIONS = 600_000;
/** Export refuses fewer iterations unless the caller opts in explicitly (tests). */
export const MIN_KDF_ITERATIONS = 210_000;
/** Import refuses more, so an untrusted file cannot demand unbounded work before it is rejected. */
export const MAX_KDF_ITERATIONS = 10_000_000;
export const MIN_PASSPHRASE_LENGTH = 12;
const SALT_BYTES = 16;
const IV_BYTES = 12;

// ---- types that hold in the DOM lib (renderer) and in @types/node (scripts) alike -------------

type Subtle = typeof globalThis.crypto.subtle;
/** A WebCrypto key (CryptoKey). */
export type WebCryptoKey = Parameters<Subtle['sign']>[1];
/** The JWK fields this format uses; structurally compatible with the DOM's JsonWebKey. */
export interface Jwk {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  alg?: string;
  use?: string;
  ext?: boolean;
  key_ops?: string[];
}
export interface DeviceSigningKey {
  privateKey: WebCryptoKey;
  publicKey: WebCryptoKey;
}
/** A signer whose private key is elsewhere (the app: main signs, the renderer never holds the key). */
export interface RemoteSigner {
  publicKey: PublicKeyJwk;
  /** ECDSA P-256 / SHA-256 over the UTF-8 of `text`, IEEE P1363 (r‖s), standard base64. */
  sign(text: string): Promise<string>;
}

// ---- base64 --------------------------------------------------------------------------------------

const bytesToBase64Url = (bytes: Uint8Array): string => bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

// ---- schemas ---------------------------------------------------------------------------------------

const Base64 = (bytes?: number) => {
  const s = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not base64');
  return bytes === undefined ? s.min(1) : s.refine((v) => Math.floor((v.length * 3) / 4) - (v.match(/=+$/)?.[0].length ?? 0) === bytes, `must be ${bytes} bytes`);
};
const Base64Url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a P-256 coordinate is 32 bytes, base64url');

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

export type HandcarryImportResult =
  | { ok: true; records: HandcarryRecord[]; meta: HandcarryMeta }
  | { ok: false; error: { code: HandcarryErrorCode; message: string } };

export interface ExportHandcarryOptions {
  records: readonly HandcarryRecord[];
  branchCode: string;
  deviceId: string;
  passphrase: string;
  /** A WebCrypto key pair (tests, tools) or a signer that keeps its key elsewhere (the app: main). */
  signingKey: DeviceSigningKey | RemoteSigner;
  now?: () => Date;
  /** PBKDF2 iterations, default DEFAULT_KDF_ITERATIONS; below MIN_KDF_ITERATIONS only with `allowWeakKdfForTests`. */
  kdfIterations?: number;
  allowWeakKdfForTests?: boolean;
}

export interface ImportHandcarryOptions {
  passphrase: string;
  expectedBranchCode: string;
  /** The public keys of the devices enrolled to the branch. Without it, the signature only proves the file is intact. */
  trustedPublicKeys?: readonly Jwk[];
}

// ---- crypto helpers --------------------------------------------------------------------------------

const subtle = (): Subtle => globalThis.crypto.subtle;
const encoder = new TextEncoder();
const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** A new ECDSA P-256 key pair for a device, extractable so it can be kept as JWK (e.g. in safeStorage). */
export async function generateDeviceSigningKey(): Promise<DeviceSigningKey> {
  const pair: DeviceSigningKey = await subtle().generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}

export async function exportSigningKeyJwk(key: DeviceSigningKey): Promise<{ privateKey: Jwk; publicKey: PublicKeyJwk }> {
  const [privateKey, publicKey] = await Promise.all([subtle().exportKey('jwk', key.privateKey), subtle().exportKey('jwk', key.publicKey)]);
  return { privateKey, publicKey: normalizePublicJwk(publicKey) };
}

export async function importSigningKeyJwk(jwk: { privateKey: Jwk; publicKey: Jwk }): Promise<DeviceSigningKey> {
  const [privateKey, publicKey] = await Promise.all([
    subtle().importKey('jwk', jwk.privateKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']),
    subtle().importKey('jwk', normalizePublicJwk(jwk.publicKey), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** The public part of a P-256 JWK with only kty, crv, x and y (what is carried and compared). */
export function normalizePublicJwk(jwk: Jwk): PublicKeyJwk {
  return PublicKeyJwkSchema.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
}

/** RFC 7638 thumbprint: SHA-256 over {"crv","kty","x","y"} in that order, base64url. */
export async function jwkThumbprint(jwk: PublicKeyJwk): Promise<string> {
  const digest = await subtle().digest('SHA-256', encoder.encode(canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })));
  return bytesToBase64Url(new Uint8Array(digest));
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number, usage: 'encrypt' | 'decrypt'): Promise<WebCryptoKey> {
  // NFC so the same typed passphrase gives the same bytes on every keyboard and OS.
  const material = await subtle().importKey('raw', encoder.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

type Unsigned = Omit<HandcarryEnvelope, 'signature'>;
type Header = Omit<Unsigned, 'ciphertext'>;

/** The bytes the signature covers: the canonical JSON of every field but `signature`. */
const signedBytes = (envelope: Unsigned): Uint8Array<ArrayBuffer> => encoder.encode(canonicalJson(envelope));
/** AES-GCM additional data: the header, so it cannot be swapped even by someone who re-signs. */
const headerBytes = (header: Header): Uint8Array<ArrayBuffer> => encoder.encode(canonicalJson(header));

function headerOf(envelope: Unsigned): Header {
  const { ciphertext: _c, ...header } = envelope;
  return header;
}

// ---- export ----------------------------------------------------------------------------------------

/**
 * The text of a hand-carry file holding `records`.
 * @throws TypeError / RangeError on invalid arguments (the caller's bug, not a user's input).
 */
export async function exportHandcarry(options: ExportHandcarryOptions): Promise<string> {
  const { branchCode, deviceId, passphrase, signingKey } = options;
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
  const plaintext = encoder.encode(canonicalJson(payload.data));
  const remote = 'sign' in signingKey ? signingKey : null;
  const publicKey = remote ? PublicKeyJwkSchema.parse(remote.publicKey) : normalizePublicJwk(await subtle().exportKey('jwk', (signingKey as DeviceSigningKey).publicKey));
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const header: Header = {
    format: HANDCARRY_FORMAT,
    version: HANDCARRY_VERSION,
    branchCode,
    deviceId,
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    recordCount: payload.data.records.length,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: bytesToBase64(salt) },
    cipher: { name: 'AES-GCM', iv: bytesToBase64(iv) },
    publicKey,
  };
  const aesKey = await deriveKey(passphrase, salt, iterations, 'encrypt');
  const ciphertext = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: headerBytes(header), tagLength: 128 }, aesKey, plaintext));
  const unsigned: Unsigned = { ...header, ciphertext: bytesToBase64(ciphertext) };
  const toSign = signedBytes(unsigned);
  const signature = remote
    ? base64ToBytes(await remote.sign(canonicalJson(unsigned)))
    : new Uint8Array(await subtle().sign(ECDSA_SIGN, (signingKey as DeviceSigningKey).privateKey, toSign));
  // A pair that does not match would produce a file nobody can verify: find out now, not at HQ.
  const verifyKey = await subtle().importKey('jwk', publicKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  if (!(await subtle().verify(ECDSA_SIGN, verifyKey, signature, toSign))) {
    throw new TypeError('The signing key pair does not match: its public key does not verify its own signature.');
  }
  const envelope: HandcarryEnvelope = { ...unsigned, signature: bytesToBase64(signature) };
  return `${JSON.stringify(envelope, null, 1)}\n`;
}

// ---- import ----------------------------------------------------------------------------------------

const fail = (code: HandcarryErrorCode, message: string): HandcarryImportResult => ({ ok: false, error: { code, message } });

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

/**
 * Opens a hand-carry file. Checks, in order: shape → version → branch → signature → trusted
 * device (if a list is given) → decryption → content; the first failure is returned. Never throws.
 */
export async function importHandcarry(text: string, options: ImportHandcarryOptions): Promise<HandcarryImportResult> {
  try {
    return await importUnsafe(text, options);
  } catch (e) {
    // Every expected failure is returned above; this is a last resort so callers can rely on "never throws".
    return fail('NOT_A_HANDCARRY_FILE', `The file could not be read as a hand-carry file (${e instanceof Error ? e.name : 'unknown error'}).`);
  }
}

async function importUnsafe(text: string, options: ImportHandcarryOptions): Promise<HandcarryImportResult> {
  // 1. Shape.
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('NOT_A_HANDCARRY_FILE', 'This is not a Loket hand-carry file: it is not valid JSON (is it truncated or another file?).');
  }
  const head = EnvelopeHead.safeParse(json);
  if (!head.success) {
    return fail('NOT_A_HANDCARRY_FILE', `This is not a Loket hand-carry file: ${firstIssue(head.error)}.`);
  }
  // 2. Version (before the full shape, whose fields belong to this version).
  if (head.data.version !== HANDCARRY_VERSION) {
    return fail('UNSUPPORTED_VERSION', `This hand-carry file has format version ${head.data.version}; this program reads version ${HANDCARRY_VERSION} only.`);
  }
  const parsed = HandcarryEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    return fail('NOT_A_HANDCARRY_FILE', `This hand-carry file is damaged or incomplete: ${firstIssue(parsed.error)}.`);
  }
  const envelope = parsed.data;

  // 3. Branch.
  if (envelope.branchCode !== options.expectedBranchCode) {
    return fail('FOREIGN_BRANCH', `This file was exported by branch ${envelope.branchCode}, not ${options.expectedBranchCode}; it is not imported.`);
  }

  // 4. Signature over every other field, with the key the file names.
  const { signature, ...unsigned } = envelope;
  let verified: boolean;
  try {
    const key = await subtle().importKey('jwk', envelope.publicKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    verified = await subtle().verify(ECDSA_SIGN, key, base64ToBytes(signature), signedBytes(unsigned));
  } catch {
    verified = false;
  }
  if (!verified) {
    return fail('BAD_SIGNATURE', 'The signature does not match the file: it was changed after it was exported (or damaged in transit).');
  }

  // 5. Trusted device.
  const keyThumbprint = await jwkThumbprint(envelope.publicKey);
  let trusted = false;
  if (options.trustedPublicKeys !== undefined) {
    const trustedPrints = await Promise.all(
      options.trustedPublicKeys.map(async (jwk) => {
        const normal = PublicKeyJwkSchema.safeParse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
        return normal.success ? jwkThumbprint(normal.data) : null;
      }),
    );
    trusted = trustedPrints.includes(keyThumbprint);
    if (!trusted) {
      return fail('UNTRUSTED_DEVICE', `The file is signed by a key that is not enrolled for branch ${envelope.branchCode} (key ${keyThumbprint}, device "${envelope.deviceId}").`);
    }
  }

  // 6. Decryption (AES-GCM authenticates the ciphertext and the header as additional data).
  let plaintext: ArrayBuffer;
  try {
    const aesKey = await deriveKey(options.passphrase, base64ToBytes(envelope.kdf.salt), envelope.kdf.iterations, 'decrypt');
    plaintext = await subtle().decrypt(
      { name: 'AES-GCM', iv: base64ToBytes(envelope.cipher.iv), additionalData: headerBytes(headerOf(unsigned)), tagLength: 128 },
      aesKey,
      base64ToBytes(envelope.ciphertext),
    );
  } catch {
    return fail('WRONG_PASSPHRASE_OR_TAMPERED', 'The file could not be decrypted: the passphrase is wrong, or the file was altered.');
  }

  // 7. Content.
  let payloadJson: unknown;
  try {
    payloadJson = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    return fail('INVALID_CONTENT', 'The decrypted content is not valid JSON.');
  }
  const payload = HandcarryPayloadSchema.safeParse(payloadJson);
  if (!payload.success) {
    return fail('INVALID_CONTENT', `The decrypted content is not a valid list of records: ${firstIssue(payload.error)}.`);
  }
  if (payload.data.records.length !== envelope.recordCount) {
    return fail('INVALID_CONTENT', `The file announces ${envelope.recordCount} records but holds ${payload.data.records.length}.`);
  }
  return {
    ok: true,
    records: payload.data.records,
    meta: {
      branchCode: envelope.branchCode,
      deviceId: envelope.deviceId,
      createdAt: envelope.createdAt,
      recordCount: envelope.recordCount,
      publicKey: envelope.publicKey,
      keyThumbprint,
      trusted,
      kdfIterations: envelope.kdf.iterations,
    },
  };
}
