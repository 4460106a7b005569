import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBranchHub } from '../../hq/admin';
import { createLogger } from '../../hq/log';
import { startHub } from '../../hq/hub/server';
import type { Hub } from '../../hq/hub/server';
import { hubRequest } from '../../main/hub/pinned';
import type { Sql } from '../../hq/db';
import { enrol, makeBranch, startListeningHq } from './helpers';
import type { Hq, TestDevice } from './helpers';

// A branch with its hub (issue 17): HQ on the test PostgreSQL cluster, listening on 127.0.0.1;
// branch A with a hub PC and two PCs, branch B with one PC; the hub (hq/ in branch mode on PGlite
// in a temporary folder) over HTTPS on 127.0.0.1, linked to HQ with the hub PC's own token.

export interface Branch {
  hq: Hq;
  hqUrl: string;
  a: string;
  b: string;
  hubDevice: TestDevice;
  pc1: TestDevice;
  pc2: TestDevice;
  pcB: TestDevice;
  hub: Hub;
  dataDir: string;
  /** A request to the hub as `device` (its HQ token), pinned to the hub's certificate. */
  atHub(device: TestDevice | null, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** Starts the hub again on the same folder (after `hub.close()`). */
  restartHub(): Promise<Hub>;
  close(): Promise<void>;
}

export async function branchWithHub(label: string, o: { revocationRecheckMs?: number } = {}): Promise<Branch> {
  const hq = await startListeningHq(label);
  const hqUrl = hq.url;
  const a = await makeBranch(hq.db);
  const b = await makeBranch(hq.db);
  const hubDevice = await enrol(hq.app, hq.db, a);
  const pc1 = await enrol(hq.app, hq.db, a);
  const pc2 = await enrol(hq.app, hq.db, a);
  const pcB = await enrol(hq.app, hq.db, b);
  await setBranchHub(hq.db, a, hubDevice.deviceId);
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-hub-'));
  const start = () =>
    startHub({
      dataDir,
      branchCode: a,
      upstream: { url: hqUrl, deviceToken: hubDevice.token, intervalMs: 60_000, timeoutMs: 5_000 },
      log: createLogger({ level: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      ...(o.revocationRecheckMs !== undefined ? { revocationRecheckMs: o.revocationRecheckMs } : {}),
    });
  const branch: Branch = {
    hq,
    hqUrl,
    a,
    b,
    hubDevice,
    pc1,
    pc2,
    pcB,
    hub: await start(),
    dataDir,
    atHub: (device, method, path, body) =>
      hubRequest(`${branch.hub.url}${path}`, branch.hub.fingerprint, { method, headers: device ? device.auth : {}, ...(body !== undefined ? { body } : {}) }),
    restartHub: async () => {
      branch.hub = await start();
      return branch.hub;
    },
    close: async () => {
      await branch.hub.close().catch(() => undefined);
      await hq.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  // The first round: the branch, its devices, what HQ holds (staff, config).
  await branch.hub.upstream.syncOnce();
  return branch;
}

/** (id, author device) of every document of a collection at HQ. */
export async function hqDocuments(db: Sql, collection: string): Promise<{ id: string; device_id: string | null; branch_code: string; server_seq: string }[]> {
  const { rows } = await db.query<{ id: string; device_id: string | null; branch_code: string; server_seq: string }>(
    'SELECT id, device_id::text AS device_id, branch_code, server_seq::text AS server_seq FROM documents WHERE collection = $1 ORDER BY server_seq',
    [collection],
  );
  return rows;
}

/** A push row for a new document. */
export const fresh = (doc: Record<string, unknown>) => ({ assumedMasterState: null, newDocumentState: doc });

/** A valid JMO-reset case of `device`'s branch (as the device's case journal builds it), not pushed anywhere. */
export async function validCaseDoc(hqDb: Sql, device: TestDevice): Promise<Record<string, unknown>> {
  const { randomUUID } = await import('node:crypto');
  const { CASE_MACHINES, replay, storedSnapshot } = await import('@state-machines');
  const { branchCaseConfig, branchNikHash } = await import('./helpers');
  const id = `${device.branchCode}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const nik = '3171011506850041'; // generated: district 317101, born 15-06-1985
  const openedAt = '2026-03-02T09:10:00+07:00';
  const input = { openedAt, caseId: id, nik, config: branchCaseConfig(device.branchCode) };
  const snapshot = storedSnapshot(replay(CASE_MACHINES['jmo-reset'], input as never, []).snapshot as never);
  return {
    id,
    branchCode: device.branchCode,
    flow: 'jmo-reset',
    status: 'open',
    nikHash: await branchNikHash(hqDb, device.branchCode, nik),
    person: { nik, name: 'Peserta Uji Kasus' },
    input,
    events: [],
    snapshot,
    journalLength: 0,
    openedAt,
    updatedAt: openedAt,
  };
}
