import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBranchHub } from '../../hq/admin';
import { hubRequest } from '../../main/hub/pinned';
import { HubLauncher, nodeSpawner } from '../../main/hub/launcher';
import type { HubStatus } from '../../main/hub/launcher';
import type { PullResponse } from '@shared/sync/protocol';
import { enrol, makeBranch, ticket, startListeningHq } from './helpers';
import type { ListeningHq, TestDevice } from './helpers';

// Issue 17 pt 1/8: the hub runs in a process of its own, started by main's launcher with its data
// under the PC's user data. Killing that process leaves the PC (this test process, serving its own
// screens) up; the launcher starts the hub again, on the same data and the same certificate.

const ROOT = new URL('../../', import.meta.url).pathname;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let hq: ListeningHq;
let userData: string;
let launcher: HubLauncher;
let pc: TestDevice;
let screens: Server;
let screensUrl: string;

beforeAll(async () => {
  hq = await startListeningHq('hub_process');
  const branch = await makeBranch(hq.db);
  const hubPc = await enrol(hq.app, hq.db, branch);
  pc = await enrol(hq.app, hq.db, branch);
  await setBranchHub(hq.db, branch, hubPc.deviceId);
  userData = mkdtempSync(join(tmpdir(), 'loket-pc-'));
  // The PC's own screens: anything this process serves stands for them.
  screens = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => screens.listen(0, '127.0.0.1', resolve));
  screensUrl = `http://127.0.0.1:${(screens.address() as { port: number }).port}/`;
  launcher = new HubLauncher({
    entry: join(ROOT, 'hq/hub/child.ts'),
    userDataDir: userData,
    config: { branchCode: branch, hqUrl: hq.url, deviceToken: hubPc.token, host: '127.0.0.1', port: 0, intervalMs: 500 },
    spawn: nodeSpawner(['--import', 'tsx']),
    log: quiet,
    restart: { minMs: 100, maxMs: 1_000 },
  });
}, 180_000);

afterAll(async () => {
  await launcher?.stop();
  await new Promise((r) => screens?.close(r));
  await hq?.close();
  rmSync(userData, { recursive: true, force: true });
});

describe('the hub process', () => {
  it('starts with its data under the PC’s user data, serves the branch, and survives being killed', async () => {
    const first = await launcher.start();
    expect(launcher.dataDir).toBe(join(userData, 'hub'));
    const doc = ticket(pc.branchCode);
    // The hub learns its PCs in its first round with HQ, just after it starts listening.
    const pushOnce = () =>
      hubRequest(`${first.url}/v1/sync/tickets/push`, first.fingerprint, { method: 'POST', headers: pc.auth, body: [{ assumedMasterState: null, newDocumentState: doc }] });
    let push = await pushOnce();
    for (let i = 0; i < 60 && push.status === 401; i++) {
      await new Promise((r) => setTimeout(r, 500));
      push = await pushOnce();
    }
    expect(push).toEqual({ status: 200, json: [] });

    const states: HubStatus['state'][] = [];
    launcher.onStatus((s) => states.push(s.state));
    const again = launcher.nextReady();
    const pid = launcher.childPid();
    expect(pid).toBeTypeOf('number');
    process.kill(pid!, 'SIGKILL');
    // The PC is still up while the hub is down.
    expect(await (await fetch(screensUrl)).text()).toBe('ok');
    const second = await again;
    expect(states).toContain('restarting');
    expect(launcher.status()).toMatchObject({ state: 'running', crashes: 1, lastExitCode: null });
    // The same certificate (the PCs' pin still holds) and the same data.
    expect(second.fingerprint).toBe(first.fingerprint);
    const pulled = await hubRequest(`${second.url}/v1/sync/tickets/pull`, second.fingerprint, { headers: pc.auth });
    expect(pulled.status).toBe(200);
    expect((pulled.json as PullResponse).documents.map((d) => d.id)).toContain(doc.id);
    expect(await (await fetch(screensUrl)).text()).toBe('ok');
  }, 400_000);

  it('stops when asked, and is not started again', async () => {
    await launcher.stop();
    expect(launcher.status().state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 500));
    expect(launcher.status().state).toBe('stopped');
  });
});
