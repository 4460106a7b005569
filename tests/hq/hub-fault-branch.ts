import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnrolCode, setBranchHub } from '../../hq/admin';
import { createLogger } from '../../hq/log';
import { startHub, type Hub } from '../../hq/hub/server';
import type { SyncController } from '../../renderer/src/sync/controller';
import { SyncStatusStore } from '../../renderer/src/sync/status';
import { connectPc } from './branch-pc';
import { createDevice, type SimDevice } from './device-sim';
import { FaultProxy } from './fault-proxy';
import { enrol, makeBranch, startListeningHq, type Hq, type TestDevice } from './helpers';

// A branch for the hub fault tests (issue 17 pt 8): HQ on the test PostgreSQL cluster; two PCs
// (main's core + the renderer's sync controller, tests/hq/branch-pc.ts) reaching HQ through one
// "WAN" and the hub reaching HQ through another, so a test can cut the PCs' WAN and the hub's
// separately; hubs start in folders the test names (and may delete).

export interface FaultBranch {
  hq: Hq;
  branch: string;
  /** The PCs' WAN and the hub's WAN (FaultProxy, cut with `cut`, back with `restore`). */
  pcWan: FaultProxy;
  hubWan: FaultProxy;
  cut(wan: FaultProxy): void;
  restore(wan: FaultProxy): void;
  pcs: { device: SimDevice; status: SyncStatusStore; sync: SyncController }[];
  /** Starts a hub as `device` (a PC HQ enrolled) on `dataDir`, at `port` (0: any free one), given `roster` (its PC's copy) if any. */
  startHub(device: TestDevice, dataDir: string, port?: number, roster?: unknown): Promise<Hub>;
  /** The branch's roster signed by HQ, as `device` fetches and keeps it while the WAN is up. */
  rosterOf(device: TestDevice): Promise<unknown>;
  /** Enrols one more PC of the branch at HQ (a hub PC). */
  enrolHubPc(): Promise<TestDevice>;
  /** A temporary folder removed at `close`. */
  tempDir(): string;
  close(): Promise<void>;
}

export async function faultBranch(label: string, pcCount = 2): Promise<FaultBranch> {
  const hq = await startListeningHq(label);
  const hqAt = { host: '127.0.0.1', port: hq.port };
  const pcWan = new FaultProxy({ ...hqAt }, { rate: 0 });
  const hubWan = new FaultProxy({ ...hqAt }, { rate: 0 });
  const [pcWanUrl, hubWanUrl] = await Promise.all([pcWan.listen(), hubWan.listen()]);
  const branch = await makeBranch(hq.db);
  const dirs: string[] = [];
  const hubs: Hub[] = [];
  const pcs: FaultBranch['pcs'] = [];
  for (let i = 1; i <= pcCount; i++) {
    const device = await createDevice({ name: `${label.slice(0, 6)}${i}`, branch, slot: i, hqUrl: pcWanUrl, code: (await createEnrolCode(hq.db, branch)).code, collections: ['tickets', 'config'] });
    const status = new SyncStatusStore();
    pcs.push({ device, status, sync: await connectPc(device, status) });
  }
  return {
    hq,
    branch,
    pcWan,
    hubWan,
    cut: (wan) => {
      wan.target = { host: '127.0.0.1', port: 9 }; // nothing listens there: every call gets a 502, streams end
    },
    restore: (wan) => {
      wan.target = { ...hqAt };
    },
    pcs,
    rosterOf: async (device) => {
      const res = await hq.app.inject({ url: '/v1/hub/roster', headers: device.auth });
      if (res.statusCode !== 200) throw new Error(`roster: ${res.statusCode}`);
      return res.json();
    },
    startHub: async (device, dataDir, port = 0, roster) => {
      const hub = await startHub({
        dataDir,
        branchCode: branch,
        upstream: { url: hubWanUrl, deviceToken: device.token, intervalMs: 500, timeoutMs: 3_000 },
        log: createLogger({ level: 'silent' }),
        host: '127.0.0.1',
        port,
        ...(roster !== undefined ? { roster } : {}),
      });
      hubs.push(hub);
      return hub;
    },
    enrolHubPc: () => enrol(hq.app, hq.db, branch),
    tempDir: () => {
      const d = mkdtempSync(join(tmpdir(), `loket-${label}-`));
      dirs.push(d);
      return d;
    },
    close: async () => {
      for (const p of pcs) {
        await p.sync.stop();
        await p.device.core.hub.stop();
        await p.device.close();
      }
      for (const h of hubs) await h.close().catch(() => undefined);
      await pcWan.close();
      await hubWan.close();
      await hq.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Makes `device` its branch's hub at HQ (what the head's claim does). */
export const claimHub = (b: FaultBranch, device: TestDevice) => setBranchHub(b.hq.db, b.branch, device.deviceId);

export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 45_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** The ids of the tickets a PC holds, and whether any id appears twice. */
export async function ticketIdsOn(device: SimDevice): Promise<string[]> {
  return (await device.db.tickets.find().exec()).map((d) => d.id);
}

/** (id → author device) of the tickets a hub holds that a PC wrote, plus HQ's own (device null). */
export async function ticketsAtHub(hub: Hub): Promise<{ id: string; device_id: string | null }[]> {
  const { rows } = await hub.db.query<{ id: string; device_id: string | null }>("SELECT id, device_id::text AS device_id FROM documents WHERE collection = 'tickets'");
  return rows;
}
