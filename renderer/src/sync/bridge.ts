import { BROWSER_BRIDGE_MAX_BODY } from '@shared/ipc/api';
import { loket } from '../bridge';
import type { SyncBridge } from './replication';

/** The replication's bridge in the app: `window.loket` (Electron preload or the browser-mode client). */
export function rendererBridge(): SyncBridge {
  const api = loket();
  return {
    pull: (request) => api.sync.pull(request),
    push: (request) => api.sync.push(request),
    onChanged: (listener) => api.on('sync.changed', listener),
    // Browser mode posts calls over HTTP with a body cap; keep rows well under it (the envelope, escaping).
    ...(window.loket ? {} : { maxPushBytes: BROWSER_BRIDGE_MAX_BODY * 0.75 }),
  };
}
