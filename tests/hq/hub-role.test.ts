import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoBranches } from './helpers';
import type { Hq, TestDevice } from './helpers';

// Issue 17 pt 1: the head makes any enrolled PC of the branch its hub in one step on that PC, and
// moving the role is the same step on another PC. The PC claims its own branch's hub role at HQ
// (`PUT /v1/hub/role`, with the head's staff id for HQ's log); the previous hub is refused from then on.

let hq: Hq;
let a: string;
let devA: TestDevice;
let devA2: TestDevice;
let devB: TestDevice;

beforeAll(async () => {
  ({ hq, a, devA, devA2, devB } = await twoBranches('hub_role'));
});
afterAll(async () => {
  await hq?.close();
});

const claim = (device: TestDevice, body: unknown) => hq.app.inject({ method: 'PUT', url: '/v1/hub/role', headers: device.auth, payload: body as object });
const devices = (device: TestDevice) => hq.app.inject({ method: 'GET', url: '/v1/hub/devices', headers: device.auth });
const hubOf = async (device: TestDevice) => (await hq.app.inject({ method: 'GET', url: '/v1/branch', headers: device.auth })).json<{ hub: { deviceId: string } | null }>().hub;

describe('PUT /v1/hub/role', () => {
  it('makes the calling PC its branch’s hub, with the head’s staff id in HQ’s log', async () => {
    expect((await devices(devA)).statusCode).toBe(403);
    const res = await claim(devA, { staffId: 'kepala.uji' });
    expect(res.statusCode).toBe(200);
    expect(await hubOf(devA)).toMatchObject({ deviceId: devA.deviceId });
    expect((await devices(devA)).statusCode).toBe(200);
    const line = hq.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'branch hub role claimed');
    expect(line).toMatchObject({ branchCode: a, deviceId: devA.deviceId, staffId: 'kepala.uji' });
  });

  it('moves the role to another PC of the branch: the old hub is refused from then on', async () => {
    expect((await claim(devA2, { staffId: 'kepala.uji' })).statusCode).toBe(200);
    expect(await hubOf(devA)).toMatchObject({ deviceId: devA2.deviceId });
    const old = await devices(devA);
    expect(old.statusCode).toBe(403);
    expect(old.json()).toMatchObject({ error: { code: 'NOT_BRANCH_HUB' } });
    expect((await devices(devA2)).statusCode).toBe(200);
  });

  it('touches only the caller’s own branch', async () => {
    expect((await claim(devB, { staffId: 'kepala.lain' })).statusCode).toBe(200);
    expect(await hubOf(devA)).toMatchObject({ deviceId: devA2.deviceId });
    expect(await hubOf(devB)).toMatchObject({ deviceId: devB.deviceId });
  });

  it('needs a staff id and a device token', async () => {
    for (const body of [{}, { staffId: '' }, { staffId: 'kepala.uji', deviceId: devA.deviceId }]) {
      expect((await claim(devA, body)).statusCode).toBe(400);
    }
    expect((await hq.app.inject({ method: 'PUT', url: '/v1/hub/role', payload: { staffId: 'kepala.uji' } })).statusCode).toBe(401);
    expect(await hubOf(devA)).toMatchObject({ deviceId: devA2.deviceId });
  });
});
