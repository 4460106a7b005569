import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AgentOptions, RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';

// The client side of TLS on the branch LAN (issue 17). The hub's certificate is self-signed (hq/hub/tls.ts
// makes it); no CA vouches for it, so a PC pins its SHA-256 fingerprint (learnt through HQ, or at
// pairing) and talks to the hub only when the certificate presented is exactly that one.

/** `AB:CD:…`, `abcd…` or with spaces: the same fingerprint. */
export function normalizeFingerprint(f: string): string {
  return f.replace(/[\s:]/g, '').toUpperCase();
}

/** The hub presented another certificate than the pinned one: nothing was sent. */
export class HubFingerprintMismatch extends Error {
  override name = 'HubFingerprintMismatch';
  constructor(readonly presented: string | null) {
    super('The hub presented a certificate other than the pinned one');
  }
}

/** The hub was connected and had the request, but gave no answer within the time-out (busy, or gone since). */
export class HubNoAnswer extends Error {
  override name = 'HubNoAnswer';
  constructor() {
    super('hub request timed out (no answer from the hub)');
  }
}

/**
 * An HTTPS agent that talks to a hub only when its certificate's SHA-256 is `fingerprint`. The
 * socket is handed to the request only after the handshake is checked, so not a byte of the request
 * (the device token) is written to a server that is not the pinned hub.
 */
/** The longest a TLS handshake with a hub may take when the request names no time-out. */
const HANDSHAKE_MS = 10_000;

export function pinnedHubAgent(fingerprint: string, options: AgentOptions = {}): HttpsAgent {
  const pinned = normalizeFingerprint(fingerprint);
  const agent = new HttpsAgent({ keepAlive: true, ...options });
  const create = (opts: ConnectionOptions, done: (err: Error | null, socket?: Duplex) => void): undefined => {
    // No CA signs a hub's certificate: chain checks are replaced by the exact fingerprint.
    const socket = tlsConnect({ ...opts, rejectUnauthorized: false, servername: undefined, minVersion: 'TLSv1.2' });
    const onError = (err: Error) => done(err);
    socket.once('error', onError);
    // The request's own time-out starts only once it has the socket, after the handshake: a hub that
    // stops answering mid-handshake (frozen, switched off) would hold the attempt for ever.
    const handshake = (opts as { timeout?: number }).timeout ?? HANDSHAKE_MS;
    const stalled = () => socket.destroy(new Error('hub request timed out (TLS handshake)'));
    socket.setTimeout(handshake, stalled);
    socket.once('secureConnect', () => {
      // Its listener goes too: the request's own time-out on this socket is no handshake stalling.
      socket.setTimeout(0, stalled);
      socket.off('error', onError);
      const presented = socket.getPeerCertificate()?.fingerprint256 ?? null;
      if (!presented || normalizeFingerprint(presented) !== pinned) {
        socket.destroy();
        done(new HubFingerprintMismatch(presented));
        return;
      }
      done(null, socket);
    });
    return undefined;
  };
  (agent as unknown as { createConnection: typeof create }).createConnection = create;
  return agent;
}

export interface HubRequestInit {
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  agent?: HttpsAgent;
  signal?: AbortSignal;
}

function open(url: string, fingerprint: string, init: HubRequestInit, onResponse: (res: IncomingMessage) => void, onError: (e: Error) => void): void {
  const u = new URL(url);
  if (u.protocol !== 'https:') {
    onError(new Error('a hub is reached over https only'));
    return;
  }
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const agent = init.agent ?? pinnedHubAgent(fingerprint, { keepAlive: false });
  const options: RequestOptions = {
    method: init.method ?? 'GET',
    agent,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    timeout: init.timeoutMs ?? 10_000,
    ...(init.signal ? { signal: init.signal } : {}),
  };
  const req = httpsRequest(u, options, onResponse);
  // The agent hands the request its socket only once the pinned handshake is done (or reuses a kept
  // one): a time-out after that is a hub that has the request and has not answered yet.
  let connected = false;
  req.once('socket', () => {
    connected = true;
  });
  req.on('timeout', () => req.destroy(connected ? new HubNoAnswer() : new Error('hub request timed out (no connection)')));
  req.on('error', onError);
  req.end(body);
}

/** One JSON request to a pinned hub (main's hub link, tests). */
export function hubRequest(url: string, fingerprint: string, init: HubRequestInit = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    open(
      url,
      fingerprint,
      init,
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
        res.on('error', reject);
      },
      reject,
    );
  });
}

/**
 * A long-lived GET to a pinned hub (its event stream): resolves with the response as soon as its
 * head arrives; the caller reads the body and ends it with `signal`. No time-out once open.
 */
export function hubStream(url: string, fingerprint: string, init: HubRequestInit & { signal: AbortSignal }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    open(
      url,
      fingerprint,
      init,
      (res) => {
        res.socket.setTimeout(0);
        resolve(res);
      },
      reject,
    );
  });
}
