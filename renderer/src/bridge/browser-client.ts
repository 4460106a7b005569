import { buildLoketApi, type LoketApi } from '../../../shared/ipc/api';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../../shared/ipc/names';
import type { IpcResult } from '../../../shared/ipc/result';

/**
 * Browser mode: the same `window.loket` API over HTTP (calls) and Server-Sent Events (events),
 * served by main/web-server.ts from the same handler map Electron uses. The server identifies
 * this page by an HttpOnly cookie it set when it served index.html.
 */
export function createBrowserLoket(base = ''): LoketApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  function ensureEvents(): void {
    if (source) return;
    source = new EventSource(`${base}/api/events`);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e: MessageEvent<string>) => {
        const payload: unknown = JSON.parse(e.data);
        for (const l of listeners.get(name) ?? []) l(payload);
      });
    }
  }

  async function invoke(channel: string, request: unknown): Promise<IpcResult<unknown>> {
    try {
      const res = await fetch(`${base}/api/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ channel, request }),
      });
      return (await res.json()) as IpcResult<unknown>;
    } catch {
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'The local Loket service is not reachable.' } };
    }
  }

  return buildLoketApi(CHANNEL_NAMES, invoke, (event, listener) => {
    ensureEvents();
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  });
}
