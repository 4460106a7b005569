// The device's hand-carry signing key: made once, kept in the secret vault (safeStorage in
// Electron, a 0600 file in browser mode), handed only to an unlocked head or admin, and usable to
// sign a file that the import code accepts.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileVault, safeStorageVault, type SafeStorageLike } from '../../../main/secrets';
import { handcarrySigningKey } from '../../../main/storage/handcarry-key';
import { exportHandcarry, importHandcarry, importSigningKeyJwk, jwkThumbprint, type PublicKeyJwk, type RemoteSigner } from '../../../renderer/src/data/handcarry';
import { HANDCARRY_SIGN_PART_CHARS } from '@shared/ipc/contract';
import { makeCore, memoryLog, setupPayload, tempDir } from './helpers';

const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};

describe('the hand-carry signing key', () => {
  it('is created once and is the same after a restart (browser mode: 0600 file)', () => {
    const dir = tempDir();
    const first = handcarrySigningKey(fileVault(dir, memoryLog()));
    expect(first.publicKey).toEqual({ kty: 'EC', crv: 'P-256', x: first.privateKey.x, y: first.privateKey.y });
    expect(handcarrySigningKey(fileVault(dir, memoryLog()))).toEqual(first);
    expect((fs.statSync(path.join(dir, 'handcarry-signing-key')).mode & 0o777).toString(8)).toBe('600');
  });

  it('is kept encrypted with safeStorage in Electron, never in the clear', () => {
    const dir = tempDir();
    const key = handcarrySigningKey(safeStorageVault(dir, fakeSafeStorage));
    const stored = fs.readFileSync(path.join(dir, 'handcarry-signing-key.enc'));
    expect(stored.toString('latin1')).not.toContain(key.privateKey.d);
    expect(handcarrySigningKey(safeStorageVault(dir, fakeSafeStorage))).toEqual(key);
    const unavailable = safeStorageVault(tempDir(), { ...fakeSafeStorage, isEncryptionAvailable: () => false });
    expect(() => handcarrySigningKey(unavailable)).toThrow(/not available/);
  });

  it('refuses a kept key that is not a valid key pair', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'handcarry-signing-key'), JSON.stringify({ privateKey: { kty: 'EC' }, publicKey: {} }));
    expect(() => handcarrySigningKey(fileVault(dir, memoryLog()))).toThrow(/not a valid P-256 key pair/);
  });

  it('signs a file that the import accepts, with the key on the trust list', async () => {
    const jwk = handcarrySigningKey(fileVault(tempDir(), memoryLog()));
    const text = await exportHandcarry({
      records: [{ collection: 'tickets', id: 't-1', rev: '1-a', doc: { id: 't-1' } }],
      branchCode: 'TST01',
      deviceId: 'dev-1',
      passphrase: 'kopi tubruk jam tujuh',
      signingKey: await importSigningKeyJwk(jwk),
      kdfIterations: 1_000,
      allowWeakKdfForTests: true,
    });
    const r = await importHandcarry(text, { passphrase: 'kopi tubruk jam tujuh', expectedBranchCode: 'TST01', trustedPublicKeys: [jwk.publicKey] });
    expect(r).toMatchObject({ ok: true, meta: { trusted: true, keyThumbprint: await jwkThumbprint(jwk.publicKey) } });
  });

  it('signs in main: the renderer gets only the public key, sends the text in parts, and the export is audited', async () => {
    const { core, dir } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    const pub = await core.dispatch('head', 'handcarry.publicKey', undefined);
    expect(pub).toMatchObject({ ok: true, value: { kty: 'EC', crv: 'P-256' } });
    const publicKey = (pub as { value: PublicKeyJwk }).value;
    expect(publicKey).not.toHaveProperty('d');
    expect(await core.dispatch('head', 'handcarry.signingKey', undefined)).toMatchObject({ ok: false });

    const records = Array.from({ length: 40 }, (_, i) => ({ collection: 'tickets', id: `t-${i}`, rev: '1-a', doc: { id: `t-${i}`, note: 'x'.repeat(2000) } }));
    const signer: RemoteSigner = {
      publicKey,
      sign: async (text) => {
        const exportId = randomUUID();
        const size = HANDCARRY_SIGN_PART_CHARS;
        expect(text.length).toBeGreaterThan(size); // more than one part
        for (let at = 0; ; at += size) {
          const last = at + size >= text.length;
          const r = await core.dispatch('head', 'handcarry.sign', { exportId, part: text.slice(at, at + size), last, recordCount: records.length });
          if (!r.ok) throw new Error(r.error.message);
          const { signature } = r.value as { signature: string | null };
          if (last) return signature!;
          expect(signature).toBeNull();
        }
      },
    };
    const text = await exportHandcarry({ records, branchCode: 'TST01', deviceId: core.state.deviceId, passphrase: 'kopi tubruk jam tujuh', signingKey: signer, kdfIterations: 1_000, allowWeakKdfForTests: true });
    const r = await importHandcarry(text, { passphrase: 'kopi tubruk jam tujuh', expectedBranchCode: 'TST01', trustedPublicKeys: [publicKey] });
    expect(r).toMatchObject({ ok: true, meta: { trusted: true, recordCount: 40 } });
    // Signed with the device key main keeps (the one HQ registers).
    expect(publicKey).toEqual(handcarrySigningKey(fileVault(path.join(dir, 'secrets'), memoryLog())).publicKey);
    const exported = core.audit.entries().filter((e) => e.action === 'handcarry.exported');
    expect(exported).toMatchObject([{ actor: { staffId: setupPayload.head.staffId, role: 'head' }, details: { recordCount: 40 } }]);
    // A file whose text is changed after main signed it does not verify.
    const tampered = text.replace('"recordCount": 40', '"recordCount": 41');
    expect(await importHandcarry(tampered, { passphrase: 'kopi tubruk jam tujuh', expectedBranchCode: 'TST01', trustedPublicKeys: [publicKey] })).toMatchObject({ ok: false });

    await core.dispatch('head', 'staff.add', { staffId: 'petugas.a', name: 'Petugas A', role: 'officer', pin: '480213' });
    await core.dispatch('officer', 'staff.signIn', { staffId: 'petugas.a', pin: '480213' });
    const part = { exportId: randomUUID(), part: 'x', last: true, recordCount: 0 };
    expect(await core.dispatch('officer', 'handcarry.publicKey', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await core.dispatch('officer', 'handcarry.sign', part)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await core.dispatch('nobody', 'handcarry.sign', part)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
