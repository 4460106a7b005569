import { buildLoketApi, type LoketApi } from '@shared/ipc/api';
import { CHANNEL_NAMES, EVENT_NAMES } from '@shared/ipc/names';
import type { IpcResult } from '@shared/ipc/result';
import { createCallSocket, type CallSocketClient } from './call-socket';

/** Calls that go over the persistent socket (main/web/call-socket.ts): the acknowledged-write path. */
export const SOCKET_CHANNELS = ['journal.append'] as const;

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

  let socket: CallSocketClient | null = null;

  async function invoke(channel: string, request: unknown): Promise<IpcResult<unknown>> {
    if ((SOCKET_CHANNELS as readonly string[]).includes(channel) && typeof WebSocket !== 'undefined') {
      socket ??= createCallSocket(socketUrl(base), post);
      return socket.call(channel, request);
    }
    return post(channel, request);
  }

  async function post(channel: string, request: unknown): Promise<IpcResult<unknown>> {
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

/** ws:// on the page's own origin (or `base`'s). */
function socketUrl(base: string): string {
  const u = new URL(`${base}/api/socket`, location.href);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.href;
}
