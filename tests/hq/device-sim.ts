import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createCore, type Core } from '../../main/core';
import type { Logger } from '../../main/log';
import { fileVault } from '../../main/secrets';
import { COLLECTIONS, openDatabase, type CaseDatabase } from '../../renderer/src/data/db/database';
import type { TicketDoc } from '../../renderer/src/data/db/schemas';
import { startReplication, type Replication, type ReplicationOptions, type SyncBridge } from '../../renderer/src/sync/replication';
import { SyncStatusStore, type ConflictRecord } from '../../renderer/src/sync/status';
import type { EventPayload, ResponseOf } from '@shared/ipc/contract';
import type { IpcResult } from '@shared/ipc/result';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';

// A simulated branch PC in this Node process: main's core (its HQ link: token, HTTP calls, event
// stream) and the renderer's replication module over an RxDB database on memory storage, joined by
// the bridge dispatch exactly as the app joins them. Only tickets and config are opened: the
// open-source RxDB allows 13 collections per process, and several devices share it.

const quietLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const CLIENT = 'sim-page';

export interface SimDevice {
  name: string;
  /** The enrolled device id (HQ knows the device by it). */
  deviceId: string;
  core: Core;
  db: CaseDatabase;
  status: SyncStatusStore;
  conflicts: ConflictRecord[];
  replication: Replication | null;
  slot: number;
  /** Inserts `n` new tickets (in bulk writes of `batch`); returns their ids. */
  writeTickets(n: number, batch?: number): Promise<string[]>;
  startSync(): Promise<void>;
  stopSync(): Promise<void>;
  /** The app restarting: replication stopped, a fresh status store (nothing kept in memory), replication started again. */
  restartSync(): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

/** Collections a simulated device opens and replicates (tickets and config unless told). */
export type SimCollection = 'tickets' | 'config' | 'cases' | 'refusals' | 'transfers' | 'audit';

export async function createDevice(o: {
  name: string;
  branch: string;
  slot: number;
  hqUrl: string;
  code: string;
  pollMs?: number;
  collections?: readonly SimCollection[];
  /** Batch and call sizes for the replication (default: the app's). */
  sizes?: Pick<ReplicationOptions, 'pushBatchSize' | 'maxPushBytes' | 'pushConcurrency' | 'pullBatchSize'>;
}): Promise<SimDevice> {
  const opened: readonly SimCollection[] = o.collections ?? ['tickets', 'config'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `loket-sim-${o.name}-`));
  const core = createCore({
    userDataDir: dir,
    mode: 'browser',
    version: '0.0.0-sim',
    log: quietLog,
    vault: fileVault(path.join(dir, 'secrets'), quietLog),
    hqLink: { timeoutMs: 5_000, stream: { minDelayMs: 200, maxDelayMs: 2_000, idleMs: 30_000 } },
  });
  const listeners = new Set<(e: EventPayload<'sync.changed'>) => void>();
  core.onEvent((clientId, event, payload) => {
    if (clientId === CLIENT && event === 'sync.changed') for (const l of listeners) l(payload as EventPayload<'sync.changed'>);
  });
  const setup = await core.dispatch(CLIENT, 'branch.setup', {
    branch: { code: o.branch, name: `Cabang Uji ${o.branch}`, serviceHours: DEFAULT_SERVICE_HOURS, counters: 4 },
    deviceSlot: o.slot,
    head: { staffId: `kepala.${o.name}`, name: `Kepala ${o.name}`, pin: '802417' },
  });
  if (!setup.ok) throw new Error(`setup: ${setup.error.message}`);
  const enrolled = await core.dispatch(CLIENT, 'hq.enrol', { url: o.hqUrl, code: o.code, deviceName: `PC ${o.name}` });
  if (!enrolled.ok) throw new Error(`enrol: ${enrolled.error.code} ${enrolled.error.message}`);
  core.hq.start();
  const key = await core.dispatch(CLIENT, 'secrets.dbKey', undefined);
  if (!key.ok) throw new Error('no db key');

  const db = await openDatabase({
    name: `sim${o.name}${randomUUID().slice(0, 8)}`,
    key: (key.value as { key: string }).key,
    storage: getRxStorageMemory(),
    collections: Object.fromEntries(opened.map((c) => [c, COLLECTIONS[c]])),
  });
  const info = await core.dispatch(CLIENT, 'app.info', undefined);
  if (!info.ok) throw new Error('no app info');
  const deviceId = (info.value as { deviceId: string }).deviceId;

  const bridge: SyncBridge = {
    pull: (request) => core.dispatch(CLIENT, 'sync.pull', request) as Promise<IpcResult<ResponseOf<'sync.pull'>>>,
    push: (request) => core.dispatch(CLIENT, 'sync.push', request) as Promise<IpcResult<ResponseOf<'sync.push'>>>,
    onChanged: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const status = new SyncStatusStore();
  const conflicts: ConflictRecord[] = [];
  let ticketSeq = 0;

  const device: SimDevice = {
    name: o.name,
    deviceId,
    core,
    db,
    status,
    conflicts,
    replication: null,
    slot: o.slot,
    async writeTickets(n, batch = 50) {
      const ids: string[] = [];
      for (let i = 0; i < n; i += batch) {
        const docs: TicketDoc[] = [];
        for (let j = i; j < Math.min(n, i + batch); j++) {
          ticketSeq++;
          seq++;
          const at = new Date(Date.UTC(2026, 0, 5, 1, 0, 0) + seq * 1000).toISOString();
          const id = randomUUID();
          ids.push(id);
          docs.push({
            id,
            branchCode: o.branch,
            service: 'general',
            status: 'waiting',
            number: `D${o.slot}-${String(ticketSeq).padStart(4, '0')}`,
            day: '2026-01-05',
            slot: o.slot,
            seq: ticketSeq,
            nikHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
            issuedAt: at,
            updatedAt: at,
            history: [{ status: 'waiting', at }],
          });
        }
        const r = await db.tickets.bulkInsert(docs);
        if (r.error.length > 0) throw new Error(`bulkInsert: ${r.error.length} errors`);
      }
      return ids;
    },
    async startSync() {
      device.replication = await startReplication({
        collections: Object.fromEntries(opened.map((c) => [c, db.collections[c]])),
        bridge,
        status: device.status,
        identifier: `hq:${o.hqUrl}:${o.branch}`,
        conflicts: { record: (c) => void conflicts.push(c) },
        retry: { minMs: 200, maxMs: 3_000 },
        pollMs: o.pollMs ?? 5_000,
        ...o.sizes,
      });
    },
    async stopSync() {
      await device.replication?.stop();
      device.replication = null;
    },
    async restartSync() {
      await device.stopSync();
      device.status = new SyncStatusStore();
      await device.startSync();
    },
    async close() {
      const step = async (what: string, p: Promise<unknown>) => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          p.catch(() => undefined),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              console.warn(`device ${o.name}: ${what} did not finish in 10 s`);
              resolve();
            }, 10_000);
          }),
        ]);
        clearTimeout(timer);
      };
      await step('replication stop', device.stopSync());
      await step('HQ link stop', core.hq.stop());
      await step('database close', db.close());
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return device;
}
