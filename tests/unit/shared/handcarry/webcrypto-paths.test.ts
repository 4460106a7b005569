// The hand-carry crypto takes its WebCrypto as a parameter (shared/ has no platform globals): the
// renderer binds the window's `globalThis.crypto` (renderer/src/data/handcarry.ts), HQ's import
// command binds node:crypto's `webcrypto` (scripts/handcarry-import.ts). Files written on one path
// open on the other, and the WebCrypto passed in is the one used, random source included. (The real
// Chromium → Node path is tests/e2e/handcarry.spec.ts.)
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as renderer from '../../../../renderer/src/data/handcarry';
import { base64ToBytes } from '@shared/base64';
import type { WebCrypto } from '@shared/crypto/webcrypto';
import { handcarryCrypto } from '@shared/handcarry/crypto';
import type { HandcarryEnvelope, HandcarryRecord } from '@shared/handcarry/format';

const PASS = 'kopi tubruk jam tujuh';
const FAST = { kdfIterations: 1_000, allowWeakKdfForTests: true } as const;
const node = handcarryCrypto(webcrypto);

const records: HandcarryRecord[] = [
  { collection: 'tickets', id: 't-1', rev: '1-a', doc: { number: 'A1-001', status: 'waiting' } },
  { collection: 'cases', id: 'c-1', rev: '2-b', doc: { nikHash: 'c'.repeat(64), name: 'Peserta Uji 1' } },
];

describe('the hand-carry crypto on both platforms’ WebCrypto', () => {
  it('a file the script’s path (Node webcrypto) writes opens on the renderer’s path, with the same key thumbprint', async () => {
    const key = await node.generateDeviceSigningKey();
    const text = await node.exportHandcarry({ records, branchCode: 'JKT01', deviceId: 'pc-jkt01-1', passphrase: PASS, signingKey: key, ...FAST });
    const { publicKey } = await node.exportSigningKeyJwk(key);
    const opened = await renderer.importHandcarry(text, { passphrase: PASS, expectedBranchCode: 'JKT01', trustedPublicKeys: [publicKey] });
    if (!opened.ok) expect.fail(`${opened.error.code}: ${opened.error.message}`);
    expect(opened.records).toEqual(records);
    expect(opened.meta).toMatchObject({ trusted: true, keyThumbprint: await node.jwkThumbprint(publicKey) });
    expect(await renderer.jwkThumbprint(publicKey)).toBe(opened.meta.keyThumbprint);
  });

  it('a file the renderer’s path writes, with a key kept as JWK and re-imported, opens on the script’s path', async () => {
    const jwk = await renderer.exportSigningKeyJwk(await renderer.generateDeviceSigningKey());
    const text = await renderer.exportHandcarry({ records, branchCode: 'JKT01', deviceId: 'pc-jkt01-2', passphrase: PASS, signingKey: await renderer.importSigningKeyJwk(jwk), ...FAST });
    expect(await node.importHandcarry(text, { passphrase: PASS, expectedBranchCode: 'JKT01', trustedPublicKeys: [jwk.publicKey] })).toMatchObject({ ok: true, records });
    // The same key, re-imported on the script's path, signs files the renderer's path opens.
    const again = await node.exportHandcarry({ records, branchCode: 'JKT01', deviceId: 'pc-jkt01-2', passphrase: PASS, signingKey: await node.importSigningKeyJwk(jwk), ...FAST });
    expect(await renderer.importHandcarry(again, { passphrase: PASS, expectedBranchCode: 'JKT01', trustedPublicKeys: [jwk.publicKey] })).toMatchObject({ ok: true, records });
    expect(await node.importHandcarry(again, { passphrase: 'frasa sandi yang salah', expectedBranchCode: 'JKT01' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE_OR_TAMPERED' } });
  });

  it('uses the WebCrypto it is given: its subtle for every operation and its random source for salt and IV', async () => {
    const used = new Set<string>();
    const subtle = new Proxy(webcrypto.subtle, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          used.add(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    let draws = 0;
    const given: WebCrypto<webcrypto.CryptoKey> = {
      subtle,
      // A fixed source, so the file's salt and IV show where they came from.
      getRandomValues: (array) => {
        draws++;
        return array.fill(7);
      },
    };
    const own = handcarryCrypto(given);
    const key = await own.generateDeviceSigningKey();
    const text = await own.exportHandcarry({ records, branchCode: 'JKT01', deviceId: 'pc-jkt01-3', passphrase: PASS, signingKey: key, ...FAST });
    const envelope = JSON.parse(text) as HandcarryEnvelope;
    expect(draws).toBe(2);
    expect([...base64ToBytes(envelope.kdf.salt)]).toEqual(new Array<number>(16).fill(7));
    expect([...base64ToBytes(envelope.cipher.iv)]).toEqual(new Array<number>(12).fill(7));
    expect(await own.importHandcarry(text, { passphrase: PASS, expectedBranchCode: 'JKT01' })).toMatchObject({ ok: true, records });
    expect([...used].sort()).toEqual(['decrypt', 'deriveKey', 'digest', 'encrypt', 'exportKey', 'generateKey', 'importKey', 'sign', 'verify']);
  });
});
