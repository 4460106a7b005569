// Main's signed audit chain at HQ (issue 18, point 7), on real PostgreSQL: HQ registers the device
// key on the first upload, stores each entry that continues the chain, is intact and signed by that
// key, refuses a forged or edited entry and a broken link (nothing after it stored), and flags an
// entry whose actor is not staff of the device's branch, in main's chain and in the renderer's.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEntry } from '@shared/audit/chain';
import { deviceEntryHash, type DeviceAuditEntry } from '@shared/audit/device-chain';
import { HqErrorBody } from '@shared/sync/protocol';
import { DeviceAuditLog } from '../../main/audit/device-log';
import { nodeSha256Hex } from '../../main/audit/device-key';
import { fileVault, type SecretVault } from '../../main/secrets';
import { handcarrySigningKey } from '../../main/storage/handcarry-key';
import { auditFlags, branchDeviceKeys } from '../../hq/device-audit';
import { exportHandcarry, importHandcarry, importSigningKeyJwk } from '../../renderer/src/data/handcarry';
import { countRows, enrol, twoBranches, type Hq, type TestDevice } from './helpers';
import { memoryLog, tempDir } from '../unit/main/helpers';

let hq: Hq;
let a: string;
let devA: TestDevice;
let devA2: TestDevice;
let devB: TestDevice;
beforeAll(async () => {
  ({ hq, a, devA, devA2, devB } = await twoBranches('device_audit'));
});
afterAll(async () => {
  await hq.close();
});

/** A PC's main chain, signed with its own device key (as main keeps it). */
function pc(device: TestDevice, vault: SecretVault = fileVault(tempDir(), memoryLog())) {
  const dir = tempDir();
  let clock = Date.parse('2026-03-02T02:00:00Z');
  const log = new DeviceAuditLog({ dir: path.join(dir, 'audit'), deviceId: device.deviceId, key: () => handcarrySigningKey(vault), now: () => new Date((clock += 1000)) });
  const key = () => handcarrySigningKey(vault).publicKey;
  return { log, key, vault };
}
const headOf = (device: TestDevice) => ({ staffId: `staf1.${device.branchCode.toLowerCase()}`, role: 'head' as const });

async function upload(device: TestDevice, publicKey: unknown, entries: unknown[]) {
  return hq.app.inject({ method: 'POST', url: '/v1/audit/device', headers: device.auth, payload: { publicKey, entries } });
}
async function storedSeqs(device: TestDevice): Promise<number[]> {
  const { rows } = await hq.db.query<{ seq: string }>('SELECT seq::text FROM device_audit WHERE device_id = $1 ORDER BY seq', [device.deviceId]);
  return rows.map((r) => Number(r.seq));
}
function refusal(res: { statusCode: number; body: string; json(): unknown }) {
  expect(res.statusCode, res.body).toBe(422);
  const body = HqErrorBody.parse(res.json());
  expect(body.error.code).toBe('AUDIT_REFUSED');
  return body.error;
}

describe("main's audit chain at HQ", () => {
  it('registers the device key on the first upload, stores the chain, and takes an identical retry as a no-op', async () => {
    const { log, key } = pc(devA);
    await log.record('device.enrolled', headOf(devA), { branchCode: a });
    await log.record('staff.signInFailed', null, { staffId: 'tidak.ada', code: 'PIN_WRONG' });
    await log.record('staff.signIn', headOf(devA));
    expect(await log.upload(async (body) => (await upload(devA, body.publicKey, body.entries)).json())).toBe(3);
    expect(await storedSeqs(devA)).toEqual([1, 2, 3]);
    expect(await branchDeviceKeys(hq.db, a)).toEqual([{ deviceId: devA.deviceId, publicKey: key() }]);

    const retry = await upload(devA, key(), log.entries());
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ seq: 3 });
    await log.record('staff.lock', headOf(devA));
    expect(await log.upload(async (body) => (await upload(devA, body.publicKey, body.entries)).json())).toBe(4);
    expect(await storedSeqs(devA)).toEqual([1, 2, 3, 4]);
    expect((await auditFlags(hq.db, a)).filter((f) => f.deviceId === devA.deviceId)).toEqual([]);
  });

  it('refuses an edited entry, a re-hashed one that its key did not sign, and a chain signed by another key', async () => {
    const { log, key } = pc(devA2);
    await log.record('staff.signIn', headOf(devA2));
    await log.record('staff.created', headOf(devA2), { staffId: 'petugas.b', role: 'officer' });
    const [first, second] = log.entries() as [DeviceAuditEntry, DeviceAuditEntry];

    const edited = { ...second, details: { staffId: 'petugas.b', role: 'head' } };
    expect(refusal(await upload(devA2, key(), [first, edited]))).toMatchObject({
      message: 'main audit: hash does not match the entry (edited?) at seq 2',
      details: { brokenAt: 2, reason: 'hash-mismatch', headSeq: 1 },
    });
    // The intact first entry is kept; the edit is not.
    expect(await storedSeqs(devA2)).toEqual([1]);

    const rehashed = { ...edited, hash: await deviceEntryHash(nodeSha256Hex, edited) };
    expect(refusal(await upload(devA2, key(), [rehashed])).details).toMatchObject({ brokenAt: 2, reason: 'bad-signature' });

    // A whole chain made with another key, sent with that key: HQ keeps the one it registered.
    const forger = pc(devA2);
    await forger.log.record('staff.signIn', headOf(devA2));
    const other = await upload(devA2, forger.key(), forger.log.entries());
    expect(other.statusCode).toBe(409);
    expect(HqErrorBody.parse(other.json()).error.code).toBe('DEVICE_KEY_MISMATCH');
    // …and with the registered public key claimed, its signatures do not verify.
    const [forged] = forger.log.entries();
    expect(refusal(await upload(devA2, key(), [{ ...forged!, seq: 2, prevHash: first.hash }])).details).toMatchObject({ brokenAt: 2 });

    expect(await storedSeqs(devA2)).toEqual([1]);
    expect(refusal(await upload(devA2, key(), [{ ...second, actor: null }]))).toMatchObject({ details: { brokenAt: 2 } });
    expect((await upload(devA2, key(), [second])).statusCode).toBe(200);
    expect(await storedSeqs(devA2)).toEqual([1, 2]);
  });

  it('refuses a broken link: a gap, a prevHash of another chain, an entry of another device, a changed stored entry', async () => {
    const vault = fileVault(tempDir(), memoryLog());
    const main = pc(devB, vault);
    for (let i = 0; i < 3; i++) await main.log.record('staff.signIn', headOf(devB));
    const entries = main.log.entries();
    expect((await upload(devB, main.key(), entries.slice(0, 1))).statusCode).toBe(200);

    expect(refusal(await upload(devB, main.key(), [entries[2]]))).toMatchObject({
      message: 'main audit: seq does not continue the chain at seq 2',
      details: { brokenAt: 2, reason: 'seq-gap' },
    });
    // A second chain of the same device and key (a fork): its seq 2 does not follow HQ's seq 1.
    const fork = pc(devB, vault);
    await fork.log.record('staff.signOut', headOf(devB));
    await fork.log.record('staff.signOut', headOf(devB));
    expect(refusal(await upload(devB, main.key(), [fork.log.entries()[1]])).details).toMatchObject({ brokenAt: 2, reason: 'prev-mismatch' });
    // Its seq 1 differs from the stored seq 1.
    expect(refusal(await upload(devB, main.key(), fork.log.entries())).details).toMatchObject({ brokenAt: 1, reason: 'fork' });
    // Another device's entry, pushed with this device's token.
    const elsewhere = pc(devA, vault);
    await elsewhere.log.record('staff.signIn', headOf(devB));
    await elsewhere.log.record('staff.signIn', headOf(devB));
    expect(refusal(await upload(devB, main.key(), elsewhere.log.entries().slice(1))).details).toMatchObject({ brokenAt: 2, reason: 'device-mismatch' });
    expect(await storedSeqs(devB)).toEqual([1]);

    const bad = await upload(devB, main.key(), [{ seq: 2 }]);
    expect(refusal(bad).details).toMatchObject({ brokenAt: 2, reason: 'malformed' });
    const notAKey = await upload(devB, { kty: 'EC' }, entries);
    expect(notAKey.statusCode).toBe(400);
    expect(await storedSeqs(devB)).toEqual([1]);
  });

  it("flags an actor who is not staff of the device's branch (another branch's staff, an unknown id, a wrong role), in both chains", async () => {
    const fresh = await enrol(hq.app, hq.db, a);
    const pcA = pc(fresh);
    await pcA.log.record('staff.signIn', headOf(fresh)); // staff of branch a: fine
    await pcA.log.record('staff.signIn', headOf(devB)); // staff of branch b
    await pcA.log.record('staff.signIn', { staffId: 'bukan.staf', role: 'officer' });
    await pcA.log.record('staff.signIn', { staffId: `staf2.${a.toLowerCase()}`, role: 'head' }); // an officer at HQ
    const res = await upload(fresh, pcA.key(), pcA.log.entries());
    expect(res.statusCode, res.body).toBe(200);
    expect(await storedSeqs(fresh)).toEqual([1, 2, 3, 4]);

    // The renderer's chain: an entry by another branch's staff member is stored and flagged too.
    const entry = await appendEntry(nodeSha256Hex, null, {
      deviceId: fresh.deviceId,
      at: '2026-03-02T02:00:00.000Z',
      actor: headOf(devB),
      action: 'person.viewed',
      subject: { kind: 'person', id: 'ab'.repeat(32) },
      details: {},
    });
    const pushed = await hq.app.inject({
      method: 'POST',
      url: '/v1/sync/audit/push',
      headers: fresh.auth,
      payload: [{ assumedMasterState: null, newDocumentState: { id: `${fresh.deviceId}:0000000001`, ...entry } }],
    });
    expect(pushed.statusCode, pushed.body).toBe(200);

    const flags = (await auditFlags(hq.db, a)).filter((f) => f.deviceId === fresh.deviceId);
    expect(flags.map(({ chain, seq, reason }) => ({ chain, seq, reason }))).toEqual([
      { chain: 'main', seq: 2, reason: `actor ${headOf(devB).staffId} is not staff of branch ${a}` },
      { chain: 'main', seq: 3, reason: `actor bukan.staf is not staff of branch ${a}` },
      { chain: 'main', seq: 4, reason: `actor staf2.${a.toLowerCase()} acts as head but is officer in branch ${a}` },
      { chain: 'renderer', seq: 1, reason: `actor ${headOf(devB).staffId} is not staff of branch ${a}` },
    ]);
    expect(await countRows(hq.db, 'audit_flags')).toBe(4);
  });
});

describe('hand-carry files checked against the keys HQ registered', () => {
  it('trusts a file signed by an enrolled device of the branch, not one of an unregistered key or of another branch', async () => {
    const mine = await enrol(hq.app, hq.db, a);
    const pcMine = pc(mine);
    await pcMine.log.record('device.enrolled', headOf(mine), { branchCode: a });
    expect((await upload(mine, pcMine.key(), pcMine.log.entries())).statusCode).toBe(200);
    const trusted = (await branchDeviceKeys(hq.db, a)).map((k) => k.publicKey);
    expect(trusted).toContainEqual(pcMine.key());

    const file = async (vault: SecretVault) =>
      exportHandcarry({
        records: [{ collection: 'tickets', id: 't-1', rev: '1-a', doc: { id: 't-1' } }],
        branchCode: a,
        deviceId: mine.deviceId,
        passphrase: 'kopi tubruk jam tujuh',
        signingKey: await importSigningKeyJwk(handcarrySigningKey(vault)),
        kdfIterations: 1_000,
        allowWeakKdfForTests: true,
      });
    const open = (text: string) => importHandcarry(text, { passphrase: 'kopi tubruk jam tujuh', expectedBranchCode: a, trustedPublicKeys: trusted });
    expect(await open(await file(pcMine.vault))).toMatchObject({ ok: true, meta: { trusted: true } });
    // A key HQ never registered (a PC that was never enrolled, or a copied file re-signed elsewhere).
    expect(await open(await file(fileVault(tempDir(), memoryLog())))).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_DEVICE' } });
    // Branch b's registered device is not on branch a's list.
    const pcB = pc(devB);
    await pcB.log.record('device.enrolled', headOf(devB), { branchCode: devB.branchCode });
    expect(trusted).not.toContainEqual(pcB.key());
  });
});
