import { startSync, type SyncController, type SyncOptions } from '../../renderer/src/sync/controller';
import type { SyncBridge } from '../../renderer/src/sync/replication';
import type { SyncStatusStore } from '../../renderer/src/sync/status';
import { buildLoketApi } from '@shared/ipc/api';
import type { EventName, ResponseOf } from '@shared/ipc/contract';
import { CHANNEL_NAMES } from '@shared/ipc/names';
import type { IpcResult } from '@shared/ipc/result';
import type { SimDevice } from './device-sim';

// A simulated branch PC with its renderer side running as in the app (issue 17): main's core
// learns the branch's hub from HQ (as main does), and the renderer's sync controller replicates
// through the hub while main says it is connected, else through HQ, over main's API and the sync
// bridge joined to the core's dispatch. Used by tests/hq/hub-sync-levels.test.ts and the LAN bench.

const CLIENT = 'sim-page'; // the page id tests/hq/device-sim.ts signs in with

export type SyncTimings = Pick<SyncOptions, 'replication' | 'atHqMs' | 'atHqDelayMs'>;

/** Short retries and rounds, so tests see a change within a second or two. */
export const TEST_TIMINGS: SyncTimings = { replication: { retry: { minMs: 200, maxMs: 2_000 }, pollMs: 1_000 }, atHqMs: 500, atHqDelayMs: 100 };

/** Starts the PC's hub link and its sync controller; `timings` `{}` = the app's own defaults. */
export async function connectPc(device: SimDevice, store: SyncStatusStore, timings: SyncTimings = TEST_TIMINGS): Promise<SyncController> {
  device.core.hub.start();
  await device.core.hub.learnFromHq();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  device.core.onEvent((clientId, event, payload) => {
    if (clientId === CLIENT) for (const l of listeners.get(event) ?? []) l(payload);
  });
  const subscribe = (event: string, l: (payload: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(l);
    listeners.set(event, set);
    return () => void set.delete(l);
  };
  const api = buildLoketApi(CHANNEL_NAMES, (channel, request) => device.core.dispatch(CLIENT, channel, request), subscribe);
  const bridge: SyncBridge = {
    pull: (request) => device.core.dispatch(CLIENT, 'sync.pull', request) as Promise<IpcResult<ResponseOf<'sync.pull'>>>,
    push: (request) => device.core.dispatch(CLIENT, 'sync.push', request) as Promise<IpcResult<ResponseOf<'sync.push'>>>,
    onChanged: (l) => subscribe('sync.changed' satisfies EventName, l as (payload: unknown) => void),
  };
  return startSync(device.db, {
    status: store,
    api,
    bridge,
    collections: { tickets: device.db.tickets, config: device.db.config },
    ...timings,
  });
}
