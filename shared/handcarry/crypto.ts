// Writing and opening a hand-carry file (./format.ts; docs/handcarry-format.md): PBKDF2 → AES-GCM
// for the records, ECDSA P-256 for the signature, WebCrypto only. The WebCrypto is a parameter
// (shared/ has no platform globals): the renderer passes `globalThis.crypto`
// (renderer/src/data/handcarry.ts), Node code `webcrypto` from node:crypto (scripts/handcarry-import.ts).

import { base64ToBytes, bytesToBase64 } from '../base64';
import type { Bytes, Jwk, WebCrypto, WebCryptoKeyPair } from '../crypto/webcrypto';
import { utf8Bytes } from '../encoding/utf8';
import {
  checkExportArguments,
  envelopeText,
  handcarryFailure,
  HANDCARRY_FORMAT,
  HANDCARRY_VERSION,
  headerOf,
  headerText,
  IV_BYTES,
  normalizePublicJwk,
  payloadText,
  publicJwkOrNull,
  PublicKeyJwkSchema,
  readEnvelope,
  readPayload,
  SALT_BYTES,
  signedText,
  thumbprintText,
  type EnvelopeHeader,
  type ExportArguments,
  type HandcarryEnvelope,
  type HandcarryImportResult,
  type PublicKeyJwk,
  type UnsignedEnvelope,
} from './format';

/** A device's key pair as the platform's CryptoKeys (`K`). */
export type DeviceSigningKey<K> = WebCryptoKeyPair<K>;

/** A signer whose private key is elsewhere (the app: main signs, the renderer never holds the key). */
export interface RemoteSigner {
  publicKey: PublicKeyJwk;
  /** ECDSA P-256 / SHA-256 over the UTF-8 of `text`, IEEE P1363 (r‖s), standard base64. */
  sign(text: string): Promise<string>;
}

export interface ExportHandcarryOptions<K> extends ExportArguments {
  /** A WebCrypto key pair (tests, tools) or a signer that keeps its key elsewhere (the app: main). */
  signingKey: DeviceSigningKey<K> | RemoteSigner;
  now?: () => Date;
}

export interface ImportHandcarryOptions {
  passphrase: string;
  expectedBranchCode: string;
  /** The public keys of the devices enrolled to the branch. Without it, the signature only proves the file is intact. */
  trustedPublicKeys?: readonly Jwk[];
}

/** The hand-carry operations bound to one WebCrypto (plain functions: they may be destructured). */
export interface HandcarryCrypto<K> {
  /** A new ECDSA P-256 key pair for a device, extractable so it can be kept as JWK (e.g. in safeStorage). */
  generateDeviceSigningKey: () => Promise<DeviceSigningKey<K>>;
  exportSigningKeyJwk: (key: DeviceSigningKey<K>) => Promise<{ privateKey: Jwk; publicKey: PublicKeyJwk }>;
  importSigningKeyJwk: (jwk: { privateKey: Jwk; publicKey: Jwk }) => Promise<DeviceSigningKey<K>>;
  /** RFC 7638 thumbprint: SHA-256 over {"crv","kty","x","y"} in that order, base64url. */
  jwkThumbprint: (jwk: PublicKeyJwk) => Promise<string>;
  /**
   * The text of a hand-carry file holding `records`.
   * @throws TypeError / RangeError on invalid arguments (the caller's bug, not a user's input).
   */
  exportHandcarry: (options: ExportHandcarryOptions<K>) => Promise<string>;
  /**
   * Opens a hand-carry file. Checks, in order: shape → version → branch → signature → trusted
   * device (if a list is given) → decryption → content; the first failure is returned. Never throws.
   */
  importHandcarry: (text: string, options: ImportHandcarryOptions) => Promise<HandcarryImportResult>;
}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

const bytesToBase64Url = (bytes: Uint8Array): string => bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The hand-carry operations over `crypto`: `globalThis.crypto` in the renderer, node:crypto's `webcrypto` in Node. */
export function handcarryCrypto<K>(crypto: WebCrypto<K>): HandcarryCrypto<K> {
  const subtle = crypto.subtle;
  const randomBytes = (n: number): Bytes => crypto.getRandomValues(new Uint8Array(n));

  async function deriveKey(passphrase: string, salt: Bytes, iterations: number, usage: 'encrypt' | 'decrypt'): Promise<K> {
    // NFC so the same typed passphrase gives the same bytes on every keyboard and OS.
    const material = await subtle.importKey('raw', utf8Bytes(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
    return subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, [usage]);
  }

  const verifyKey = (jwk: PublicKeyJwk): Promise<K> => subtle.importKey('jwk', jwk, ECDSA_P256, false, ['verify']);

  async function jwkThumbprint(jwk: PublicKeyJwk): Promise<string> {
    return bytesToBase64Url(new Uint8Array(await subtle.digest('SHA-256', utf8Bytes(thumbprintText(jwk)))));
  }

  async function exportHandcarry(options: ExportHandcarryOptions<K>): Promise<string> {
    const { branchCode, deviceId, passphrase, signingKey } = options;
    const { iterations, payload } = checkExportArguments(options);
    const plaintext = utf8Bytes(payloadText(payload));
    const remote = 'sign' in signingKey ? signingKey : null;
    const publicKey = remote ? PublicKeyJwkSchema.parse(remote.publicKey) : normalizePublicJwk(await subtle.exportKey('jwk', (signingKey as DeviceSigningKey<K>).publicKey));
    const salt = randomBytes(SALT_BYTES);
    const iv = randomBytes(IV_BYTES);
    const header: EnvelopeHeader = {
      format: HANDCARRY_FORMAT,
      version: HANDCARRY_VERSION,
      branchCode,
      deviceId,
      createdAt: (options.now ?? (() => new Date()))().toISOString(),
      recordCount: payload.records.length,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: bytesToBase64(salt) },
      cipher: { name: 'AES-GCM', iv: bytesToBase64(iv) },
      publicKey,
    };
    const aesKey = await deriveKey(passphrase, salt, iterations, 'encrypt');
    const ciphertext = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8Bytes(headerText(header)), tagLength: 128 }, aesKey, plaintext));
    const unsigned: UnsignedEnvelope = { ...header, ciphertext: bytesToBase64(ciphertext) };
    const toSign = utf8Bytes(signedText(unsigned));
    const signature = remote
      ? base64ToBytes(await remote.sign(signedText(unsigned)))
      : new Uint8Array(await subtle.sign(ECDSA_SIGN, (signingKey as DeviceSigningKey<K>).privateKey, toSign));
    // A pair that does not match would produce a file nobody can verify: find out now, not at HQ.
    if (!(await subtle.verify(ECDSA_SIGN, await verifyKey(publicKey), signature, toSign))) {
      throw new TypeError('The signing key pair does not match: its public key does not verify its own signature.');
    }
    const envelope: HandcarryEnvelope = { ...unsigned, signature: bytesToBase64(signature) };
    return envelopeText(envelope);
  }

  async function importUnsafe(text: string, options: ImportHandcarryOptions): Promise<HandcarryImportResult> {
    // 1–2. Shape and version.
    const read = readEnvelope(text);
    if (!read.ok) return read;
    const envelope = read.envelope;

    // 3. Branch.
    if (envelope.branchCode !== options.expectedBranchCode) {
      return handcarryFailure('FOREIGN_BRANCH', `This file was exported by branch ${envelope.branchCode}, not ${options.expectedBranchCode}; it is not imported.`);
    }

    // 4. Signature over every other field, with the key the file names.
    const { signature, ...unsigned } = envelope;
    let verified: boolean;
    try {
      verified = await subtle.verify(ECDSA_SIGN, await verifyKey(envelope.publicKey), base64ToBytes(signature), utf8Bytes(signedText(unsigned)));
    } catch {
      verified = false;
    }
    if (!verified) {
      return handcarryFailure('BAD_SIGNATURE', 'The signature does not match the file: it was changed after it was exported (or damaged in transit).');
    }

    // 5. Trusted device.
    const keyThumbprint = await jwkThumbprint(envelope.publicKey);
    let trusted = false;
    if (options.trustedPublicKeys !== undefined) {
      const trustedPrints = await Promise.all(
        options.trustedPublicKeys.map(async (jwk) => {
          const normal = publicJwkOrNull(jwk);
          return normal ? jwkThumbprint(normal) : null;
        }),
      );
      trusted = trustedPrints.includes(keyThumbprint);
      if (!trusted) {
        return handcarryFailure('UNTRUSTED_DEVICE', `The file is signed by a key that is not enrolled for branch ${envelope.branchCode} (key ${keyThumbprint}, device "${envelope.deviceId}").`);
      }
    }

    // 6. Decryption (AES-GCM authenticates the ciphertext and the header as additional data).
    let plaintext: ArrayBuffer;
    try {
      const aesKey = await deriveKey(options.passphrase, base64ToBytes(envelope.kdf.salt), envelope.kdf.iterations, 'decrypt');
      plaintext = await subtle.decrypt(
        { name: 'AES-GCM', iv: base64ToBytes(envelope.cipher.iv), additionalData: utf8Bytes(headerText(headerOf(unsigned))), tagLength: 128 },
        aesKey,
        base64ToBytes(envelope.ciphertext),
      );
    } catch {
      return handcarryFailure('WRONG_PASSPHRASE_OR_TAMPERED', 'The file could not be decrypted: the passphrase is wrong, or the file was altered.');
    }

    // 7. Content.
    const content = readPayload(plaintext, envelope.recordCount);
    if (!content.ok) return content;
    return {
      ok: true,
      records: content.records,
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

  return {
    generateDeviceSigningKey: async () => {
      const pair = await subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
      return { privateKey: pair.privateKey, publicKey: pair.publicKey };
    },
    exportSigningKeyJwk: async (key) => {
      const [privateKey, publicKey] = await Promise.all([subtle.exportKey('jwk', key.privateKey), subtle.exportKey('jwk', key.publicKey)]);
      return { privateKey, publicKey: normalizePublicJwk(publicKey) };
    },
    importSigningKeyJwk: async (jwk) => {
      const [privateKey, publicKey] = await Promise.all([
        subtle.importKey('jwk', jwk.privateKey, ECDSA_P256, false, ['sign']),
        subtle.importKey('jwk', normalizePublicJwk(jwk.publicKey), ECDSA_P256, true, ['verify']),
      ]);
      return { privateKey, publicKey };
    },
    jwkThumbprint,
    exportHandcarry,
    importHandcarry: async (text, options) => {
      try {
        return await importUnsafe(text, options);
      } catch (e) {
        // Every expected failure is returned above; this is a last resort so callers can rely on "never throws".
        return handcarryFailure('NOT_A_HANDCARRY_FILE', `The file could not be read as a hand-carry file (${e instanceof Error ? e.name : 'unknown error'}).`);
      }
    },
  };
}
