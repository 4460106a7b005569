import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeDevice, setBranchHub } from '../../hq/admin';
import { createLogger } from '../../hq/log';
import { applyRoster, verifiedRoster } from '../../hq/hub/roster';
import { startHub } from '../../hq/hub/server';
import type { Hub } from '../../hq/hub/server';
import { hubRequest } from '../../main/hub/pinned';
import type { BranchResponse } from '@shared/sync/protocol';
import { RosterPayload, SignedRoster } from '@shared/sync/roster';
import { enrol, makeBranch, startHq } from './helpers';
import type { TestDevice } from './helpers';

// Issue 17 pt 3: a hub newly started while HQ is unreachable has never heard from HQ, so it knows
// no device. Every PC keeps the latest roster HQ signed for its branch; the hub starting without
// HQ takes its own PC's copy, checks HQ's signature, and admits exactly the PCs listed: not a
// revoked one, not one of another branch, and nothing from a roster someone altered.

const log = createLogger({ level: 'silent' });
let a: string;
let hubPc: TestDevice, pc1: TestDevice, pc2: TestDevice, revoked: TestDevice, pcB: TestDevice;
let rosterA: SignedRoster;
let rosterB: SignedRoster;
let firstRosterA: SignedRoster;
let hub: Hub;
const dataDir = mkdtempSync(join(tmpdir(), 'loket-hub-roster-'));

const atHub = (d: TestDevice, path = '/v1/sync/tickets/pull') =>
  hubRequest(`${hub.url}${path}`, hub.fingerprint, { method: 'GET', headers: d.auth });

beforeAll(async () => {
  const hq = await startHq('hub_roster');
  try {
    a = await makeBranch(hq.db);
    const b = await makeBranch(hq.db);
    [hubPc, pc1, pc2, revoked, pcB] = [await enrol(hq.app, hq.db, a), await enrol(hq.app, hq.db, a), await enrol(hq.app, hq.db, a), await enrol(hq.app, hq.db, a), await enrol(hq.app, hq.db, b)];
    await setBranchHub(hq.db, a, hubPc.deviceId);
    const get = async (d: TestDevice) => {
      const res = await hq.app.inject({ url: '/v1/hub/roster', headers: d.auth });
      expect(res.statusCode).toBe(200);
      return SignedRoster.parse(res.json());
    };
    firstRosterA = await get(pc1);
    await revokeDevice(hq.db, revoked.deviceId);
    // Every PC of the branch may fetch it (any of them may be made the hub later).
    rosterA = await get(hubPc);
    rosterB = await get(pcB);
    const refused = await hq.app.inject({ url: '/v1/hub/roster', headers: revoked.auth });
    expect(refused.statusCode).toBe(401);
  } finally {
    await hq.close(); // HQ is gone from here on
  }
  hub = await startHub({
    dataDir,
    branchCode: a,
    upstream: { url: 'http://127.0.0.1:9', deviceToken: hubPc.token, intervalMs: 60_000, timeoutMs: 1_000 },
    log,
    host: '127.0.0.1',
    port: 0,
    roster: rosterA,
  });
}, 180_000);

afterAll(async () => {
  await hub?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('HQ: the signed roster', () => {
  it('lists the branch’s devices with token hashes and revocations, signed by HQ with one key', () => {
    const payload = verifiedRoster(rosterA);
    expect(payload).not.toBeNull();
    const p = RosterPayload.parse(payload);
    expect(p.branch.code).toBe(a);
    expect(p.devices.map((d) => d.deviceId).sort()).toEqual([hubPc, pc1, pc2, revoked].map((d) => d.deviceId).sort());
    expect(p.devices.find((d) => d.deviceId === revoked.deviceId)?.revokedAt).not.toBeNull();
    expect(verifiedRoster(rosterB)?.devices.map((d) => d.deviceId)).toEqual([pcB.deviceId]);
    expect(rosterB.publicKey).toBe(rosterA.publicKey);
  });
});

describe('hub started while HQ is unreachable', () => {
  it('admits the branch’s PCs listed in the roster its own PC kept', async () => {
    expect(hub.status().hq).not.toBe('ok');
    for (const d of [hubPc, pc1, pc2]) expect((await atHub(d)).status).toBe(200);
    const branch = await atHub(pc1, '/v1/branch');
    expect(branch.status).toBe(200);
    expect((branch.json as BranchResponse).branch.code).toBe(a);
  });

  it('refuses a PC the roster lists as revoked, and a PC of another branch', async () => {
    expect((await atHub(revoked)).status).toBe(401);
    expect((await atHub(pcB)).status).toBe(401);
  });

  it('takes in no roster HQ did not sign as it is, of another branch, or older than the one it holds', async () => {
    const p = RosterPayload.parse(JSON.parse(rosterA.payload));
    // The revoked PC un-revoked and another branch's PC added: the signature no longer holds.
    const altered = JSON.stringify({ ...p, devices: [...p.devices.map((d) => ({ ...d, revokedAt: null })), { ...verifiedRoster(rosterB)!.devices[0]! }] });
    expect(await applyRoster(hub.db, a, { ...rosterA, payload: altered }, log)).toBe('bad-signature');
    expect(await applyRoster(hub.db, a, rosterB, log)).toBe('other-branch');
    expect(await applyRoster(hub.db, a, firstRosterA, log)).toBe('older');
    expect(await applyRoster(hub.db, a, { nonsense: true }, log)).toBe('malformed');
    expect((await atHub(revoked)).status).toBe(401);
    expect((await atHub(pcB)).status).toBe(401);
    expect((await atHub(pc1)).status).toBe(200);
  });
});
