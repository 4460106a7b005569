// Main's own audit chain (issue 18, point 7): main records every access itself, before it answers,
// in a hash chain signed with the device key; the renderer's chain head is anchored into it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyDeviceChain, type DeviceAuditEntry } from '@shared/audit/device-chain';
import { nodeSha256Hex, verifierFor } from '../../../main/audit/device-key';
import { DeviceAuditLog } from '../../../main/audit/device-log';
import { fileVault } from '../../../main/secrets';
import { handcarrySigningKey } from '../../../main/storage/handcarry-key';
import { deviceEntryHash } from '@shared/audit/device-chain';
import { makeCore, memoryLog, setupPayload, tempDir } from './helpers';

const officer = { staffId: 'petugas.a', name: 'Petugas A', role: 'officer' as const, pin: '480213' };
const chainFile = (dir: string) => path.join(dir, 'audit', 'device-chain.jsonl');
const readChain = (dir: string): DeviceAuditEntry[] =>
  fs.readFileSync(chainFile(dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DeviceAuditEntry);
const devicePublicKey = (dir: string) => handcarrySigningKey(fileVault(path.join(dir, 'secrets'), memoryLog())).publicKey;

describe("main's audit chain", () => {
  it('records sign-in, failed PIN, lock/unlock, staff and settings changes, the database key hand-out and the renderer anchor, signed with the device key', async () => {
    const { core, dir } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    await core.dispatch('head', 'staff.add', officer);
    await core.dispatch('head', 'settings.set', { language: 'en' });
    await core.dispatch('head', 'secrets.dbKey', undefined);
    await core.dispatch('head', 'secrets.caseKey', undefined);
    expect(await core.dispatch('c', 'staff.signIn', { staffId: officer.staffId, pin: '999991' })).toMatchObject({ ok: false });
    expect(await core.dispatch('c', 'staff.signIn', { staffId: 'tidak.ada', pin: '999991' })).toMatchObject({ ok: false });
    await core.dispatch('c', 'staff.signIn', { staffId: officer.staffId, pin: officer.pin });
    await core.dispatch('c', 'staff.lock', undefined);
    expect(await core.dispatch('c', 'staff.unlock', { pin: '999992' })).toMatchObject({ ok: false });
    await core.dispatch('c', 'staff.unlock', { pin: officer.pin });
    await core.dispatch('c', 'audit.anchor', { seq: 7, hash: 'a'.repeat(64) });
    await core.dispatch('head', 'staff.setActive', { staffId: officer.staffId, active: false });
    await core.dispatch('head', 'staff.signOut', undefined);

    const entries = readChain(dir);
    const head = { staffId: 'kepala.uji', role: 'head' };
    const off = { staffId: officer.staffId, role: 'officer' };
    expect(entries.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['branch.setUp', head, { branchCode: 'TST01', deviceSlot: 1 }],
      ['staff.signIn', head, {}],
      ['staff.created', head, { staffId: officer.staffId, role: 'officer' }],
      ['settings.changed', head, { keys: ['language'] }],
      ['key.handedOut', head, { key: 'queue' }],
      ['key.handedOut', head, { key: 'case' }],
      ['staff.signInFailed', null, { staffId: officer.staffId, code: 'PIN_WRONG' }],
      ['staff.signInFailed', null, { staffId: 'tidak.ada', code: entries[7]?.details.code ?? 'missing' }],
      ['staff.signIn', off, {}],
      ['staff.lock', off, {}],
      ['staff.unlockFailed', off, { code: 'PIN_WRONG' }],
      ['staff.unlock', off, {}],
      ['renderer.anchored', off, { seq: 7, hash: 'a'.repeat(64) }],
      ['staff.activeChanged', head, { staffId: officer.staffId, active: false }],
      ['staff.signOut', head, {}],
    ]);
    expect(entries.every((e) => e.deviceId === core.state.deviceId)).toBe(true);
    // The PIN never enters the log.
    expect(fs.readFileSync(chainFile(dir), 'utf8')).not.toMatch(/999991|999992|480213|802417/);
    expect(await verifyDeviceChain(nodeSha256Hex, verifierFor(devicePublicKey(dir)), entries, { deviceId: core.state.deviceId })).toEqual({
      ok: true,
      count: entries.length,
    });
    expect(await core.audit.verify()).toEqual({ ok: true, count: entries.length });
  });

  it('refuses an anchor that is not a chain head, with nothing recorded', async () => {
    const { core, dir } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    const before = readChain(dir).length;
    expect(await core.dispatch('head', 'audit.anchor', { seq: 0, hash: 'xyz' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await core.dispatch('nobody', 'audit.anchor', { seq: 1, hash: 'a'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(readChain(dir)).toHaveLength(before);
  });

  it('shows an edited entry, a re-hashed edit without the key, and a removed entry', async () => {
    const { core, dir } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    await core.dispatch('head', 'staff.add', officer);
    const entries = readChain(dir);
    const verify = (list: unknown[]) => verifyDeviceChain(nodeSha256Hex, verifierFor(devicePublicKey(dir)), list, { deviceId: core.state.deviceId });

    const edited = entries.map((e) => (e.action === 'staff.created' ? { ...e, details: { staffId: officer.staffId, role: 'head' } } : e));
    expect(await verify(edited)).toEqual({ ok: false, brokenAt: 3, reason: 'hash-mismatch' });

    const rehashed = await Promise.all(
      edited.map(async (e) => (e.seq === 3 ? { ...e, hash: await deviceEntryHash(nodeSha256Hex, e) } : e)),
    );
    expect(await verify(rehashed)).toEqual({ ok: false, brokenAt: 3, reason: 'bad-signature' });

    expect(await verify(entries.filter((e) => e.seq !== 2))).toEqual({ ok: false, brokenAt: 2, reason: 'seq-gap' });
    // The same file under another device's key.
    const other = handcarrySigningKey(fileVault(tempDir(), memoryLog())).publicKey;
    expect(await verifyDeviceChain(nodeSha256Hex, verifierFor(other), entries, { deviceId: core.state.deviceId })).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: 'bad-signature',
    });
  });

  it('refuses a NIK in details', async () => {
    const dir = tempDir();
    const vault = fileVault(dir, memoryLog());
    const log = new DeviceAuditLog({ dir, deviceId: 'dev-1', key: () => handcarrySigningKey(vault), now: () => new Date() });
    await expect(log.record('settings.changed', { staffId: 'kepala.uji', role: 'head' }, { note: '3174011203900001' })).rejects.toThrow(/NIK/);
    expect(log.entries()).toEqual([]);
  });

  it('continues the chain after a restart and leaves out a torn last line', async () => {
    const dir = tempDir();
    const vault = fileVault(path.join(dir, 'secrets'), memoryLog());
    const open = () => new DeviceAuditLog({ dir: path.join(dir, 'audit'), deviceId: 'dev-1', key: () => handcarrySigningKey(vault), now: () => new Date() });
    const actor = { staffId: 'kepala.uji', role: 'head' as const };
    await open().record('staff.signIn', actor);
    fs.appendFileSync(chainFile(dir), '{"deviceId":"dev-1","seq":2,'); // crash mid-write
    const again = open();
    const second = await again.record('staff.signOut', actor);
    expect(second.seq).toBe(2);
    expect(open().entries().map((e) => e.action)).toEqual(['staff.signIn', 'staff.signOut']);
    expect(await open().verify()).toEqual({ ok: true, count: 2 });
    // A damaged line in the middle is refused, never skipped.
    const lines = fs.readFileSync(chainFile(dir), 'utf8').split('\n');
    fs.writeFileSync(chainFile(dir), ['{"broken":', ...lines.slice(1)].join('\n'));
    expect(() => open().entries()).toThrow(/line 1 is not an entry/);
  });

  it('uploads only what HQ has not acknowledged, one upload at a time', async () => {
    const dir = tempDir();
    const vault = fileVault(dir, memoryLog());
    const log = new DeviceAuditLog({ dir: path.join(dir, 'audit'), deviceId: 'dev-1', key: () => handcarrySigningKey(vault), now: () => new Date() });
    const actor = { staffId: 'kepala.uji', role: 'head' as const };
    for (let i = 0; i < 3; i++) await log.record('staff.signIn', actor);
    const sent: number[][] = [];
    const hq = (body: { entries: DeviceAuditEntry[] }) => {
      sent.push(body.entries.map((e) => e.seq));
      const last = body.entries.at(-1)!;
      return Promise.resolve({ seq: last.seq, hash: last.hash });
    };
    const [a, b] = await Promise.all([log.upload(hq), log.upload(hq)]);
    expect([a, b]).toEqual([3, 3]);
    await log.record('staff.signOut', actor);
    expect(await log.upload(hq)).toBe(4);
    expect(sent).toEqual([[1, 2, 3], [4]]);
  });
});
