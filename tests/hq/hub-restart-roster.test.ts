import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeDevice, setBranchHub } from '../../hq/admin';
import { createLogger } from '../../hq/log';
import { startHub } from '../../hq/hub/server';
import type { Hub } from '../../hq/hub/server';
import { hubRequest } from '../../main/hub/pinned';
import { SignedRoster } from '@shared/sync/roster';
import { enrol, makeBranch, startListeningHq } from './helpers';
import type { ListeningHq, TestDevice } from './helpers';

// Issue 17 pt 8, seen in hub-faults.spec: the hub's process is killed mid-morning with the WAN
// down and its PC starts it again with the roster that PC kept. That roster may be older than what
// the hub had since learnt from HQ directly: a PC enrolled after the roster was signed, a PC
// revoked after it. The restarted hub must not refuse the new PC (the door and counters stayed
// "hub unreachable" for minutes) nor take the revoked one back in.

const log = createLogger({ level: 'silent' });
let hq: ListeningHq;
let hqUrl: string;
let a: string;
let hubPc: TestDevice, early: TestDevice, late: TestDevice, revokedLater: TestDevice;
let staleRoster: SignedRoster;
let hub: Hub | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'loket-hub-restart-roster-'));

const start = (upstreamUrl: string) =>
  startHub({
    dataDir,
    branchCode: a,
    upstream: { url: upstreamUrl, deviceToken: hubPc.token, intervalMs: 500, timeoutMs: 1_000 },
    log,
    host: '127.0.0.1',
    port: 0,
    roster: staleRoster,
  });

const statusAtHub = async (d: TestDevice) =>
  (await hubRequest(`${hub!.url}/v1/sync/tickets/pull`, hub!.fingerprint, { method: 'GET', headers: d.auth })).status;

beforeAll(async () => {
  hq = await startListeningHq('hub_restart_roster');
  hqUrl = hq.url;
  a = await makeBranch(hq.db);
  hubPc = await enrol(hq.app, hq.db, a);
  early = await enrol(hq.app, hq.db, a);
  revokedLater = await enrol(hq.app, hq.db, a);
  await setBranchHub(hq.db, a, hubPc.deviceId);
  // The roster the hub PC kept: signed before `late` enrolled and before `revokedLater` was revoked.
  const res = await hq.app.inject({ url: '/v1/hub/roster', headers: hubPc.auth });
  expect(res.statusCode).toBe(200);
  staleRoster = SignedRoster.parse(res.json());
  await new Promise((r) => setTimeout(r, 20)); // HQ's clock moves past the roster's issuedAt
  late = await enrol(hq.app, hq.db, a);
  await revokeDevice(hq.db, revokedLater.deviceId);
}, 180_000);

afterAll(async () => {
  await hub?.close();
  await hq?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('a hub restarted without HQ, given a roster older than what it learnt from HQ', () => {
  it('first learns from HQ: the PC enrolled after the roster is admitted, the one revoked after it refused', async () => {
    hub = await start(hqUrl);
    await expect.poll(() => statusAtHub(late), { timeout: 30_000 }).toBe(200);
    await expect.poll(() => statusAtHub(revokedLater), { timeout: 30_000 }).toBe(401);
    expect(await statusAtHub(early)).toBe(200);
  }, 180_000); // a hub on an empty folder takes tens of seconds to start on a loaded 2-core machine

  it('after a restart with the WAN down and that older roster, still admits the newer PC and still refuses the revoked one', async () => {
    await hub!.close();
    hub = await start('http://127.0.0.1:9'); // the WAN is down: HQ cannot be asked
    expect(hub.status().hq).not.toBe('ok');
    expect(await statusAtHub(late)).toBe(200);
    expect(await statusAtHub(revokedLater)).toBe(401);
    expect(await statusAtHub(early)).toBe(200);
    expect(await statusAtHub(hubPc)).toBe(200);
  }, 180_000);
});
