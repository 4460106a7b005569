import { z } from 'zod';
import { IpcError, type IpcResult } from '@shared/ipc/result';

/**
 * Browser mode's persistent channel to main (main/web/call-socket.ts): calls on the hot write path
 * (`journal.append`) go as messages over one WebSocket instead of one HTTP request each. Opened on
 * first use and again after it closes. A call that could not be sent because the socket would not
 * open goes by HTTP (`fallback`); a call that was sent and whose answer was lost with the connection
 * fails as UNAVAILABLE: it is never sent twice, and the caller does not report it as saved.
 */
export interface CallSocketClient {
  call(channel: string, request: unknown): Promise<IpcResult<unknown>>;
  close(): void;
}

const Answer = z.strictObject({
  id: z.number().int().nonnegative().nullable(),
  result: z.union([z.strictObject({ ok: z.literal(true), value: z.unknown() }), z.strictObject({ ok: z.literal(false), error: IpcError })]),
});

const RETRY_MS = 5_000;

const LOST: IpcResult<never> = { ok: false, error: { code: 'UNAVAILABLE', message: 'The connection to the local Loket service was lost before it answered.' } };

export function createCallSocket(
  url: string,
  fallback: (channel: string, request: unknown) => Promise<IpcResult<unknown>>,
  Socket: typeof WebSocket = WebSocket,
): CallSocketClient {
  let ws: WebSocket | null = null;
  let ready: Promise<WebSocket | null> | null = null;
  let nextId = 1;
  /** After a failed open, calls go by HTTP for a while instead of trying again each time. */
  let retryAt = 0;
  const waiting = new Map<number, (r: IpcResult<unknown>) => void>();

  function connect(): Promise<WebSocket | null> {
    ready ??= new Promise<WebSocket | null>((resolve) => {
      let s: WebSocket;
      try {
        s = new Socket(url);
      } catch {
        ready = null;
        return resolve(null);
      }
      s.onopen = () => {
        ws = s;
        resolve(s);
      };
      s.onmessage = (e: MessageEvent) => {
        let parsed: z.infer<typeof Answer>;
        try {
          parsed = Answer.parse(JSON.parse(String(e.data)));
        } catch {
          return; // not an answer of ours: the call it belongs to fails when the socket closes
        }
        if (parsed.id === null) return;
        const done = waiting.get(parsed.id);
        waiting.delete(parsed.id);
        done?.(parsed.result);
      };
      s.onclose = () => {
        if (ws !== s) {
          retryAt = Date.now() + RETRY_MS; // never opened
          resolve(null);
        }
        ws = null;
        ready = null;
        for (const done of waiting.values()) done(LOST);
        waiting.clear();
      };
    });
    return ready;
  }

  return {
    async call(channel, request) {
      const s = ws ?? (Date.now() < retryAt ? null : await connect());
      if (!s || s.readyState !== Socket.OPEN) return fallback(channel, request);
      const id = nextId++;
      return new Promise<IpcResult<unknown>>((resolve) => {
        waiting.set(id, resolve);
        try {
          s.send(JSON.stringify({ id, channel, request }));
        } catch {
          waiting.delete(id);
          resolve(LOST);
        }
      });
    },
    close() {
      ws?.close();
    },
  };
}
