import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { BROWSER_BRIDGE_MAX_BODY } from '@shared/ipc/api';
import { fail } from '@shared/ipc/result';
import type { Core } from '../core';
import type { Logger } from '../log';
import { readStatic, SECURITY_HEADERS } from '../static-files';
import { attachCallSocket } from './call-socket';

const COOKIE = 'loket_client';
const MAX_BODY = BROWSER_BRIDGE_MAX_BODY;

/**
 * Client ids (one per page) are bounded: at most `max` at once (a new page evicts the one seen
 * longest ago), each ends after `idleMs` without a call or an open event stream, and at `maxAgeMs`
 * whatever its use. An ended id loses its staff session; reloading the page gets a new id.
 */
export const BROWSER_CLIENTS = { max: 32, idleMs: 8 * 60 * 60_000, maxAgeMs: 24 * 60 * 60_000 } as const;

export interface WebServerOptions {
  core: Core;
  rendererDir: string;
  log: Logger;
  port: number;
  /** Always loopback: the browser mode is for this machine only. */
  host?: '127.0.0.1';
  /** Limits on client ids; defaults in BROWSER_CLIENTS. */
  clients?: { max?: number; idleMs?: number; maxAgeMs?: number };
  /** Clock in ms (tests). */
  now?: () => number;
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

function cookieOf(req: http.IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v) return v;
  }
  return null;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The body as text, or null when it is over the limit (read to the end so the reply still arrives). */
function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

/**
 * Browser mode: the same handler map as Electron, over HTTP (`POST /api/call`) and SSE
 * (`GET /api/events`), plus the built renderer. A page is a client once it has loaded index.html
 * from here (HttpOnly cookie); calls must also carry our Origin and Host, so another site open in
 * the same browser cannot drive it.
 */
export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const host = o.host ?? '127.0.0.1';
  const limits = { ...BROWSER_CLIENTS, ...o.clients };
  const now = o.now ?? Date.now;
  const clients = new Map<string, { created: number; seen: number }>();
  const streams = new Map<string, Set<http.ServerResponse>>();

  /** When a client was last in use: an open event stream is use now. */
  const lastUse = (id: string, c: { seen: number }) => ((streams.get(id)?.size ?? 0) > 0 ? now() : c.seen);
  const expired = (id: string, c: { created: number; seen: number }) =>
    now() - c.created >= limits.maxAgeMs || now() - lastUse(id, c) >= limits.idleMs;

  /** Ends a client id: its streams close and main forgets its session. */
  function drop(id: string): void {
    clients.delete(id);
    for (const r of streams.get(id) ?? []) r.end();
    streams.delete(id);
    o.core.forget(id);
  }

  function sweep(): void {
    for (const [id, c] of clients) if (expired(id, c)) drop(id);
  }

  /** A live client id is in use now; an expired or unknown one is not a client. */
  function touch(id: string | null): id is string {
    sweep();
    const c = id === null ? undefined : clients.get(id);
    if (!c) return false;
    c.seen = now();
    return true;
  }

  function admit(): string {
    sweep();
    while (clients.size >= limits.max) {
      let oldest: string | null = null;
      let oldestUse = Infinity;
      for (const [id, c] of clients) {
        const use = lastUse(id, c);
        if (use < oldestUse) [oldest, oldestUse] = [id, use];
      }
      if (oldest === null) break;
      o.log.info('browser mode: client id evicted (too many pages)', { max: limits.max });
      drop(oldest);
    }
    const id = randomBytes(18).toString('base64url');
    clients.set(id, { created: now(), seen: now() });
    return id;
  }
  let origin = '';
  let allowedHosts = new Set<string>();

  o.core.onEvent((clientId, event, payload) => {
    for (const res of streams.get(clientId) ?? []) res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  });

  // The page's own origin and host only: another site open in the same browser cannot drive it.
  const fromOurPage = (req: http.IncomingMessage) => allowedHosts.has(req.headers.host ?? '') && req.headers.origin === origin;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      o.log.error('web request failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) sendJson(res, 500, fail('INTERNAL', 'Internal error; see the log.'));
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      sendJson(res, 421, fail('FORBIDDEN_SENDER', 'Unknown host.'));
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const client = cookieOf(req);
    const known = touch(client);

    if (url.pathname === '/api/call') {
      if (req.method !== 'POST') return sendJson(res, 405, fail('INVALID_PAYLOAD', 'Use POST.'));
      const fromUs = req.headers.origin === origin || req.headers['sec-fetch-site'] === 'same-origin';
      if (!known || !fromUs) return sendJson(res, 403, fail('FORBIDDEN_SENDER', 'Calls are accepted only from the Loket app page.'));
      const text = await readBody(req);
      if (text === null) return sendJson(res, 413, fail('INVALID_PAYLOAD', 'Request too large.'));
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return sendJson(res, 400, fail('INVALID_PAYLOAD', 'The request body is not JSON.'));
      }
      if (typeof body !== 'object' || body === null) return sendJson(res, 400, fail('INVALID_PAYLOAD', 'Expected { channel, request }.'));
      const { channel, request } = body as { channel?: unknown; request?: unknown };
      return sendJson(res, 200, await o.core.dispatch(client, channel, request));
    }

    if (url.pathname === '/api/events') {
      if (!known) return sendJson(res, 403, fail('FORBIDDEN_SENDER', 'Load the app page first.'));
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      let set = streams.get(client);
      if (!set) streams.set(client, (set = new Set()));
      set.add(res);
      req.on('close', () => {
        set.delete(res);
        const c = clients.get(client);
        if (c) c.seen = now(); // in use until the stream closed
      });
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, fail('INVALID_PAYLOAD', 'Method not allowed.'));
    const file = await readStatic(o.rendererDir, url.pathname);
    const headers: Record<string, string> = { ...file.headers };
    if (file.headers['content-type']?.startsWith('text/html')) {
      headers['cache-control'] = 'no-store';
      if (!known) {
        const id = admit();
        headers['set-cookie'] = `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(limits.maxAgeMs / 1000)}`;
      }
    }
    res.writeHead(file.status, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  // `journal.append` over one persistent WebSocket per page (the acknowledged-write path).
  const socket = attachCallSocket(server, {
    path: '/api/socket',
    authorize: (req) => {
      const client = cookieOf(req);
      return fromOurPage(req) && touch(client) ? client : null;
    },
    // An open socket does not outlive its client id.
    dispatch: (clientId, channel, request) =>
      touch(clientId) ? o.core.dispatch(clientId, channel, request) : Promise.resolve(fail('FORBIDDEN_SENDER', 'This page has been closed; reload it.')),
    channels: ['journal.append'],
    maxMessage: MAX_BODY,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  allowedHosts = new Set([`${host}:${port}`, `localhost:${port}`]);
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const set of streams.values()) for (const r of set) r.end();
        socket.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
