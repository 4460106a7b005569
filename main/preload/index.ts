// Sandboxed preload (built as CommonJS): exposes exactly one frozen object, `window.loket`,
// derived from the channel list of the shared contract. No other Electron or Node API leaks out.
import { contextBridge, ipcRenderer } from 'electron';
import { buildLoketApi } from '@shared/ipc/api';
import { CHANNEL_NAMES, EVENT_NAMES, IPC_CALL, IPC_EVENT } from '@shared/ipc/names';

const listeners = new Map<string, Set<(payload: unknown) => void>>();
const known = new Set<string>(EVENT_NAMES);

ipcRenderer.on(IPC_EVENT, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !known.has(name)) return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const api = buildLoketApi(
  CHANNEL_NAMES,
  (channel, request) => ipcRenderer.invoke(IPC_CALL, channel, request),
  (event, listener) => {
    if (!known.has(event)) return () => undefined;
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  },
);

contextBridge.exposeInMainWorld('loket', api);
