import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '@shared/base64';
import { canonicalJson } from '@shared/canonical-json';
import { handcarryCrypto, type DeviceSigningKey as DeviceSigningKeyOf, type ExportHandcarryOptions as ExportHandcarryOptionsOf } from '@shared/handcarry/crypto';
import {
  DEFAULT_KDF_ITERATIONS,
  type HandcarryEnvelope,
  type HandcarryErrorCode,
  type HandcarryImportResult,
  type HandcarryRecord,
} from '@shared/handcarry/format';

// The format and its crypto over this runtime's WebCrypto (the two platforms' paths: webcrypto-paths.test.ts).
type DeviceSigningKey = DeviceSigningKeyOf<CryptoKey>;
type ExportHandcarryOptions = ExportHandcarryOptionsOf<CryptoKey>;
const { exportHandcarry, exportSigningKeyJwk, generateDeviceSigningKey, importHandcarry, importSigningKeyJwk } = handcarryCrypto<CryptoKey>(globalThis.crypto);

const PASS = 'kopi-tubruk-jam-tujuh';
const FAST = { kdfIterations: 1_000, allowWeakKdfForTests: true } as const;
const NOW = () => new Date('2026-03-02T09:30:00Z');

/** Generated records: no real names, and a made-up NIK hash instead of a NIK. */
function makeRecords(n: number): HandcarryRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    collection: ['cases', 'tickets', 'audit', 'refusals'][i % 4]!,
    id: `rec-${String(i).padStart(6, '0')}`,
    rev: `1-${(i * 2654435761).toString(16).slice(0, 8)}`,
    doc: {
      branchCode: 'JKT01',
      nikHash: (i * 7919).toString(16).padStart(64, 'c'),
      status: i % 2 ? 'waiting' : 'done',
      events: [{ type: 'ticket.issued', at: '2026-03-02T01:00:00Z', number: `A1-${String(i % 1000).padStart(3, '0')}` }],
      name: `Peserta Uji ${i}`,
    },
  }));
}

let device: DeviceSigningKey;
let otherDevice: DeviceSigningKey;
let deviceJwk: JsonWebKey;

beforeAll(async () => {
  [device, otherDevice] = await Promise.all([generateDeviceSigningKey(), generateDeviceSigningKey()]);
  deviceJwk = await globalThis.crypto.subtle.exportKey('jwk', device.publicKey);
});

function exportFile(overrides: Partial<ExportHandcarryOptions> = {}): Promise<string> {
  return exportHandcarry({ records: makeRecords(5), branchCode: 'JKT01', deviceId: 'pc-jkt01-1', passphrase: PASS, signingKey: device, now: NOW, ...FAST, ...overrides });
}

function expectError(result: HandcarryImportResult, code: HandcarryErrorCode): void {
  if (result.ok) expect.fail(`expected ${code}, got a successful import`);
  expect(result.error.code).toBe(code);
  expect(result.error.message.length).toBeGreaterThan(10);
}

const edit = (text: string, change: (e: HandcarryEnvelope) => void): string => {
  const envelope = JSON.parse(text) as HandcarryEnvelope;
  change(envelope);
  return JSON.stringify(envelope);
};

/** Re-signs an envelope with another key: what someone without the device's key could do. */
async function resign(envelope: HandcarryEnvelope, key: DeviceSigningKey): Promise<string> {
  const { signature: _old, ...unsigned } = envelope;
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', key.publicKey);
  const withKey = { ...unsigned, publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! } as const };
  const sig = await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, new TextEncoder().encode(canonicalJson(withKey)));
  return JSON.stringify({ ...withKey, signature: bytesToBase64(new Uint8Array(sig)) });
}

/**
 * An independent writer of the documented format (docs/handcarry-format.md), used to make files
 * whose crypto is right but whose content is not.
 */
async function writeByTheDoc(plaintext: string, opts: { recordCount: number; key?: DeviceSigningKey; passphrase?: string }): Promise<string> {
  const subtle = globalThis.crypto.subtle;
  const key = opts.key ?? device;
  const jwk = await subtle.exportKey('jwk', key.publicKey);
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const header = {
    format: 'loket-handcarry',
    version: 1,
    branchCode: 'JKT01',
    deviceId: 'pc-jkt01-9',
    createdAt: '2026-03-02T09:30:00.000Z',
    recordCount: opts.recordCount,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 1_000, salt: bytesToBase64(salt) },
    cipher: { name: 'AES-GCM', iv: bytesToBase64(iv) },
    publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
  };
  const material = await subtle.importKey('raw', new TextEncoder().encode(opts.passphrase ?? PASS), 'PBKDF2', false, ['deriveKey']);
  const aes = await subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 1_000 }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(canonicalJson(header)) }, aes, new TextEncoder().encode(plaintext));
  const unsigned = { ...header, ciphertext: bytesToBase64(new Uint8Array(ct)) };
  const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, new TextEncoder().encode(canonicalJson(unsigned)));
  return JSON.stringify({ ...unsigned, signature: bytesToBase64(new Uint8Array(sig)) });
}

const open = (text: string, extra: { passphrase?: string; expectedBranchCode?: string; trustedPublicKeys?: JsonWebKey[] } = {}) =>
  importHandcarry(text, { passphrase: PASS, expectedBranchCode: 'JKT01', ...extra });

describe('hand-carry round trip', () => {
  it('gives back the exported records and who made the file', async () => {
    const records = makeRecords(7);
    const text = await exportFile({ records });
    const result = await open(text, { trustedPublicKeys: [deviceJwk] });
    if (!result.ok) expect.fail(`${result.error.code}: ${result.error.message}`);
    expect(result.records).toEqual(records);
    expect(result.meta).toMatchObject({ branchCode: 'JKT01', deviceId: 'pc-jkt01-1', createdAt: '2026-03-02T09:30:00.000Z', recordCount: 7, trusted: true, kdfIterations: 1_000 });
    expect(result.meta.keyThumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('writes the documented envelope and nothing readable about the records', async () => {
    const text = await exportFile();
    const envelope = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(envelope).sort()).toEqual(['branchCode', 'cipher', 'ciphertext', 'createdAt', 'deviceId', 'format', 'kdf', 'publicKey', 'recordCount', 'signature', 'version']);
    expect(envelope).toMatchObject({ format: 'loket-handcarry', version: 1, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 1_000 }, cipher: { name: 'AES-GCM' }, publicKey: { kty: 'EC', crv: 'P-256' } });
    expect(base64ToBytes((envelope.kdf as { salt: string }).salt)).toHaveLength(16);
    expect(base64ToBytes((envelope.cipher as { iv: string }).iv)).toHaveLength(12);
    expect(base64ToBytes(envelope.signature as string)).toHaveLength(64); // P1363 r||s
    expect(text).not.toContain('Peserta Uji');
    expect(text).not.toContain('rec-000001');
    // A fresh salt and IV every time.
    const again = JSON.parse(await exportFile()) as HandcarryEnvelope;
    expect(again.kdf.salt).not.toBe((envelope.kdf as { salt: string }).salt);
    expect(again.cipher.iv).not.toBe((envelope.cipher as { iv: string }).iv);
  });

  it('accepts a file written independently from the documentation', async () => {
    const records = makeRecords(3);
    const result = await open(await writeByTheDoc(JSON.stringify({ records }), { recordCount: 3 }));
    expect(result).toMatchObject({ ok: true, records, meta: { deviceId: 'pc-jkt01-9', trusted: false } });
  });

  it('round-trips 10,000 records with the default key derivation', async () => {
    const records = makeRecords(10_000);
    const t0 = performance.now();
    const text = await exportFile({ records, kdfIterations: undefined, allowWeakKdfForTests: false });
    const t1 = performance.now();
    const result = await open(text, { trustedPublicKeys: [deviceJwk] });
    const t2 = performance.now();
    expect(JSON.parse(text)).toMatchObject({ recordCount: 10_000, kdf: { iterations: DEFAULT_KDF_ITERATIONS } });
    expect(result.ok && result.records.length).toBe(10_000);
    expect(result.ok && result.records[9_999]).toEqual(records[9_999]);
    const plainBytes = new TextEncoder().encode(canonicalJson({ records })).length;
    console.log(
      `[handcarry] 10,000 records: file ${(text.length / 1024 / 1024).toFixed(2)} MiB (payload ${(plainBytes / 1024 / 1024).toFixed(2)} MiB), ` +
        `export ${(t1 - t0).toFixed(0)} ms, import ${(t2 - t1).toFixed(0)} ms, PBKDF2 ${DEFAULT_KDF_ITERATIONS} iterations`,
    );
  });

  it('keeps device signing keys as JWK and signs with the re-imported key', async () => {
    const jwk = await exportSigningKeyJwk(device);
    expect(jwk.publicKey).toEqual({ kty: 'EC', crv: 'P-256', x: deviceJwk.x, y: deviceJwk.y });
    expect(jwk.privateKey.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const restored = await importSigningKeyJwk(jwk);
    const result = await open(await exportFile({ signingKey: restored }), { trustedPublicKeys: [deviceJwk] });
    expect(result.ok).toBe(true);
  });
});

describe('hand-carry import rejects', () => {
  it.each([
    ['garbage text', 'hello, this is a shopping list'],
    ['an empty file', ''],
    ['JSON that is not a hand-carry file', '{"records":[]}'],
    ['JSON null', 'null'],
    ['a JSON array', '[1,2,3]'],
  ])('%s as NOT_A_HANDCARRY_FILE', async (_what, text) => {
    expectError(await open(text), 'NOT_A_HANDCARRY_FILE');
  });

  it('a truncated file as NOT_A_HANDCARRY_FILE', async () => {
    const text = await exportFile();
    expectError(await open(text.slice(0, Math.floor(text.length * 0.7))), 'NOT_A_HANDCARRY_FILE');
  });

  it('a file with a missing or malformed field as NOT_A_HANDCARRY_FILE', async () => {
    const text = await exportFile();
    expectError(await open(edit(text, (e) => delete (e as Partial<HandcarryEnvelope>).signature)), 'NOT_A_HANDCARRY_FILE');
    expectError(await open(edit(text, (e) => (e.cipher.iv = 'AAAA'))), 'NOT_A_HANDCARRY_FILE');
    expectError(await open(edit(text, (e) => (e.ciphertext = 'not base64!'))), 'NOT_A_HANDCARRY_FILE');
    expectError(await open(edit(text, (e) => (e.kdf.iterations = 1e12))), 'NOT_A_HANDCARRY_FILE');
  });

  it('a newer format version as UNSUPPORTED_VERSION', async () => {
    const text = edit(await exportFile(), (e) => {
      (e as unknown as { version: number }).version = 2;
      (e as unknown as { extra: string }).extra = 'v2 field';
    });
    const result = await open(text);
    expectError(result, 'UNSUPPORTED_VERSION');
    expect(!result.ok && result.error.message).toContain('version 2');
  });

  it('another branch’s file as FOREIGN_BRANCH', async () => {
    const result = await open(await exportFile({ branchCode: 'BDG01' }));
    expectError(result, 'FOREIGN_BRANCH');
    expect(!result.ok && result.error.message).toMatch(/BDG01.*JKT01/);
  });

  it('another branch’s file with its branch code edited to match as BAD_SIGNATURE', async () => {
    const text = edit(await exportFile({ branchCode: 'BDG01' }), (e) => (e.branchCode = 'JKT01'));
    expectError(await open(text), 'BAD_SIGNATURE');
  });

  it.each<[string, (e: HandcarryEnvelope) => void]>([
    ['the record count', (e) => (e.recordCount += 1)],
    ['the device id', (e) => (e.deviceId = 'pc-jkt01-2')],
    ['the creation time', (e) => (e.createdAt = '2026-03-01T09:30:00.000Z')],
    ['the iterations', (e) => (e.kdf.iterations = 2_000)],
    ['the public key', (e) => (e.publicKey.x = e.publicKey.y)],
  ])('a file with %s edited as BAD_SIGNATURE', async (_what, change) => {
    expectError(await open(edit(await exportFile(), change)), 'BAD_SIGNATURE');
  });

  it('a tampered ciphertext as BAD_SIGNATURE, and as WRONG_PASSPHRASE_OR_TAMPERED even when re-signed', async () => {
    const text = await exportFile();
    const flip = (e: HandcarryEnvelope) => {
      const bytes = base64ToBytes(e.ciphertext);
      bytes[10] = bytes[10]! ^ 0x01;
      e.ciphertext = bytesToBase64(bytes);
    };
    expectError(await open(edit(text, flip)), 'BAD_SIGNATURE');
    const envelope = JSON.parse(text) as HandcarryEnvelope;
    flip(envelope);
    expectError(await open(await resign(envelope, otherDevice)), 'WRONG_PASSPHRASE_OR_TAMPERED');
  });

  it('an edited header re-signed with another key: UNTRUSTED_DEVICE with a trust list, undecryptable without', async () => {
    const envelope = JSON.parse(await exportFile({ branchCode: 'BDG01' })) as HandcarryEnvelope;
    envelope.branchCode = 'JKT01';
    const forged = await resign(envelope, otherDevice);
    expectError(await open(forged, { trustedPublicKeys: [deviceJwk] }), 'UNTRUSTED_DEVICE');
    // The header is the cipher's additional data: even with the passphrase, the edit is caught.
    expectError(await open(forged), 'WRONG_PASSPHRASE_OR_TAMPERED');
  });

  it('a file signed by a device that is not enrolled as UNTRUSTED_DEVICE', async () => {
    const result = await open(await exportFile({ signingKey: otherDevice }), { trustedPublicKeys: [deviceJwk] });
    expectError(result, 'UNTRUSTED_DEVICE');
    expectError(await open(await exportFile({ signingKey: otherDevice }), { trustedPublicKeys: [] }), 'UNTRUSTED_DEVICE');
  });

  it('a wrong passphrase as WRONG_PASSPHRASE_OR_TAMPERED', async () => {
    const text = await exportFile();
    expectError(await open(text, { passphrase: 'kopi-tubruk-jam-delapan' }), 'WRONG_PASSPHRASE_OR_TAMPERED');
    expectError(await open(text, { passphrase: '' }), 'WRONG_PASSPHRASE_OR_TAMPERED');
  });

  it('a passphrase typed in another Unicode normal form is the same passphrase', async () => {
    const composed = 'kata-sandi-caf\u00e9-2026';
    const decomposed = 'kata-sandi-cafe\u0301-2026';
    expect(await open(await exportFile({ passphrase: composed }), { passphrase: decomposed })).toMatchObject({ ok: true });
  });

  it('valid crypto around invalid content as INVALID_CONTENT', async () => {
    expectError(await open(await writeByTheDoc('not json', { recordCount: 0 })), 'INVALID_CONTENT');
    expectError(await open(await writeByTheDoc(JSON.stringify({ records: [{ collection: 'cases', id: 'x', doc: {} }] }), { recordCount: 1 })), 'INVALID_CONTENT');
    expectError(await open(await writeByTheDoc(JSON.stringify({ records: makeRecords(2) }), { recordCount: 3 })), 'INVALID_CONTENT');
  });

  it('checks in the documented order: shape, version, branch, signature, trust, decryption, content', async () => {
    const foreign = await exportFile({ branchCode: 'BDG01', signingKey: otherDevice });
    // foreign + untrusted + wrong passphrase → the branch is reported
    expectError(await open(foreign, { passphrase: 'x'.repeat(12), trustedPublicKeys: [deviceJwk] }), 'FOREIGN_BRANCH');
    // bad signature + untrusted + wrong passphrase → the signature
    expectError(await open(edit(await exportFile({ signingKey: otherDevice }), (e) => (e.deviceId = 'pc-x')), { passphrase: 'x'.repeat(12), trustedPublicKeys: [deviceJwk] }), 'BAD_SIGNATURE');
    // untrusted + wrong passphrase → the trust
    expectError(await open(await exportFile({ signingKey: otherDevice }), { passphrase: 'x'.repeat(12), trustedPublicKeys: [deviceJwk] }), 'UNTRUSTED_DEVICE');
    // unsupported version + foreign branch → the version
    expectError(await open(edit(foreign, (e) => ((e as unknown as { version: number }).version = 3))), 'UNSUPPORTED_VERSION');
  });

  it('never throws, whatever single character of a valid file is changed', async () => {
    const text = await exportFile({ records: makeRecords(2) });
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 0, maxLength: 2 }), async (at, replacement) => {
        const mutated = text.slice(0, at) + replacement + text.slice(at + 1);
        const result = await open(mutated);
        if (result.ok) {
          // Only a change JSON does not see (e.g. whitespace) may still import, and it gives the same records.
          expect(result.records).toEqual(makeRecords(2));
        } else {
          codes.add(result.error.code);
        }
      }),
      { numRuns: 150 },
    );
    expect(codes.has('NOT_A_HANDCARRY_FILE') || codes.has('BAD_SIGNATURE')).toBe(true);
  });
});

describe('hand-carry export refuses', () => {
  it('fewer than 210,000 iterations unless explicitly for tests', async () => {
    await expect(exportFile({ kdfIterations: 100_000, allowWeakKdfForTests: false })).rejects.toThrow(RangeError);
  });
  it('a short passphrase', async () => {
    await expect(exportFile({ passphrase: 'pendek' })).rejects.toThrow(/at least 12/);
  });
  it('records without collection, id, rev and doc', async () => {
    await expect(exportFile({ records: [{ collection: 'cases', id: 'x' } as unknown as HandcarryRecord] })).rejects.toThrow(TypeError);
  });
  it('a signing key pair that does not match', async () => {
    await expect(exportFile({ signingKey: { privateKey: device.privateKey, publicKey: otherDevice.publicKey } })).rejects.toThrow(/does not match/);
  });
  it('an invalid branch code', async () => {
    await expect(exportFile({ branchCode: 'jkt 01' })).rejects.toThrow(/branch code/);
  });
});

// The HQ import command (scripts/handcarry-import.ts) is tested against HQ's database: tests/hq/handcarry-import.test.ts.
