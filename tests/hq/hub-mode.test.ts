import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeDevice } from '../../hq/admin';
import type { BranchResponse, PullResponse } from '@shared/sync/protocol';
import { enrol, ticket } from './helpers';
import { branchWithHub, fresh } from './hub-helpers';
import type { Branch } from './hub-helpers';

// Issue 17 pt 1 and 3: the hub is hq/ in branch mode. It serves the branch's PCs the same
// pull/push/stream protocol over HTTPS, authenticates them with the tokens HQ issued (it learns
// the branch's device list and token hashes from HQ, revocations included), refuses every other
// device, enrols nobody, and holds only its branch's records.

let br: Branch;
// PGlite's first start takes long on a loaded machine.
beforeAll(async () => {
  br = await branchWithHub('hub_mode');
}, 180_000);
afterAll(async () => {
  await br?.close();
});

describe('HQ: the device list for the hub', () => {
  it('gives the branch hub its devices with token hashes and revocations', async () => {
    const res = await br.hq.app.inject({ url: '/v1/hub/devices', headers: br.hubDevice.auth });
    expect(res.statusCode).toBe(200);
    const list = res.json<{ branchCode: string; devices: { deviceId: string; tokenHash: string; revokedAt: string | null }[] }>();
    expect(list.branchCode).toBe(br.a);
    expect(list.devices.map((d) => d.deviceId).sort()).toEqual([br.hubDevice.deviceId, br.pc1.deviceId, br.pc2.deviceId].sort());
    expect(list.devices.every((d) => /^[0-9a-f]{64}$/.test(d.tokenHash))).toBe(true);
  });

  it('refuses any other device, of the branch or not', async () => {
    for (const d of [br.pc1, br.pcB]) {
      const res = await br.hq.app.inject({ url: '/v1/hub/devices', headers: d.auth });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('NOT_BRANCH_HUB');
    }
  });
});

describe('HQ: where the hub is, for the branch’s PCs', () => {
  it('tells the branch’s PCs the hub’s address and the fingerprint to pin, as the hub announced them', async () => {
    const res = await br.hq.app.inject({ url: '/v1/branch', headers: br.pc1.auth });
    expect(res.json<BranchResponse>().hub).toEqual({
      deviceId: br.hubDevice.deviceId,
      fingerprint: br.hub.fingerprint,
      addresses: [{ host: '127.0.0.1', port: br.hub.port }],
    });
    const other = await br.hq.app.inject({ url: '/v1/branch', headers: br.pcB.auth });
    expect(other.json<BranchResponse>().hub).toBeNull();
  });

  it('takes an announcement only from the branch hub, well formed', async () => {
    const body = { fingerprint: br.hub.fingerprint, addresses: [{ host: '10.0.0.9', port: 4791 }] };
    const notHub = await br.hq.app.inject({ method: 'PUT', url: '/v1/hub/announce', headers: br.pc1.auth, payload: body });
    expect(notHub.json<{ error: { code: string } }>().error.code).toBe('NOT_BRANCH_HUB');
    const bad = await br.hq.app.inject({ method: 'PUT', url: '/v1/hub/announce', headers: br.hubDevice.auth, payload: { ...body, fingerprint: 'abc' } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the hub in branch mode', () => {
  it('takes a push from a PC of its branch and gives it back on pull, with the same protocol', async () => {
    const doc = ticket(br.a, randomUUID());
    const push = await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(doc)]);
    expect(push).toEqual({ status: 200, json: [] });
    const pull = await br.atHub(br.pc2, 'GET', '/v1/sync/tickets/pull');
    expect(pull.status).toBe(200);
    expect((pull.json as PullResponse).documents).toContainEqual({ ...doc, _deleted: false });
  });

  it("serves HQ's staff directory and branch profile to the branch's PCs", async () => {
    const staff = await br.atHub(br.pc1, 'GET', '/v1/sync/staff/pull');
    expect((staff.json as PullResponse).documents).toHaveLength(2);
    const branch = await br.atHub(br.pc1, 'GET', '/v1/branch');
    expect(branch.status).toBe(200);
    expect((branch.json as { branch: { code: string } }).branch.code).toBe(br.a);
  });

  it('refuses a device of another branch, though HQ knows its token', async () => {
    const res = await br.atHub(br.pcB, 'GET', '/v1/sync/tickets/pull');
    expect(res.status).toBe(401);
    const push = await br.atHub(br.pcB, 'POST', '/v1/sync/tickets/push', [fresh(ticket(br.b))]);
    expect(push.status).toBe(401);
  });

  it('refuses a push of another branch’s record from its own PC (scope, as at HQ)', async () => {
    const res = await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(ticket(br.b))]);
    expect(res.status).toBe(403);
    expect((res.json as { error: { code: string } }).error.code).toBe('FORBIDDEN_BRANCH');
  });

  it('enrols nobody (enrolment is HQ’s)', async () => {
    const res = await br.atHub(null, 'POST', '/v1/enrol', { code: 'ABCD-EFGH-JKMN', deviceId: randomUUID(), deviceName: 'PC' });
    expect(res.status).toBe(404);
  });

  it('holds only its branch’s records', async () => {
    const push = await br.hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: br.pcB.auth, payload: [fresh(ticket(br.b))] });
    expect(push.statusCode).toBe(200);
    await br.hub.upstream.syncOnce();
    const { rows } = await br.hub.db.query<{ branch_code: string }>('SELECT DISTINCT branch_code FROM documents');
    expect(rows.map((r) => r.branch_code)).toEqual([br.a]);
  });

  it('learns a PC enrolled later, and refuses a PC revoked at HQ (its open stream ends)', async () => {
    const late = await enrol(br.hq.app, br.hq.db, br.a);
    expect((await br.atHub(late, 'GET', '/v1/sync/tickets/pull')).status).toBe(401);
    await br.hub.upstream.syncOnce();
    expect((await br.atHub(late, 'GET', '/v1/sync/tickets/pull')).status).toBe(200);

    // An open stream of the device at the hub.
    const { request } = await import('node:https');
    const { pinnedHubAgent } = await import('../../main/hub/pinned');
    const ended = new Promise<void>((resolve, reject) => {
      const req = request(`${br.hub.url}/v1/sync/stream`, { agent: pinnedHubAgent(br.hub.fingerprint, { keepAlive: false }), headers: late.auth }, (res) => {
        expect(res.statusCode).toBe(200);
        res.on('data', () => undefined);
        res.on('end', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 200));
    await revokeDevice(br.hq.db, late.deviceId);
    expect((await br.atHub(late, 'GET', '/v1/sync/tickets/pull')).status).toBe(200); // the hub has not heard yet
    await br.hub.upstream.syncOnce();
    await ended;
    expect((await br.atHub(late, 'GET', '/v1/sync/tickets/pull')).status).toBe(401);
  });
});

describe('moving the hub role (last: the old hub is refused from then on)', () => {
  it('clears the old hub’s address and fingerprint, and HQ refuses the old hub', async () => {
    const { setBranchHub } = await import('../../hq/admin');
    await setBranchHub(br.hq.db, br.a, br.pc2.deviceId);
    const res = await br.hq.app.inject({ url: '/v1/branch', headers: br.pc1.auth });
    expect(res.json<BranchResponse>().hub).toEqual({ deviceId: br.pc2.deviceId, fingerprint: null, addresses: [] });
    const status = await br.hub.upstream.syncOnce();
    expect(status.hq).toBe('refused');
    await expect(setBranchHub(br.hq.db, br.a, br.pcB.deviceId)).rejects.toThrow(/not an active device of branch/);
  });
});
