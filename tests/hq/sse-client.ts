import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';

// A minimal event-stream client over real HTTP (inject cannot hold a stream open), for the
// revocation tests.

export interface OpenStream {
  status: number;
  res: IncomingMessage;
  /** Resolves with performance.now() once the server ended the stream. */
  ended: Promise<number>;
  /** Resolves once the first event (RESYNC) arrived. */
  first: Promise<void>;
  close(): void;
}

export function openStream(baseUrl: string, auth: Record<string, string>): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/v1/sync/stream`, { headers: { ...auth, accept: 'text/event-stream' } }, (res) => {
      let text = '';
      let onFirst: () => void = () => undefined;
      const first = new Promise<void>((ok) => (onFirst = ok));
      const ended = new Promise<number>((ok) => {
        const done = () => ok(performance.now());
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('data: ')) onFirst();
      });
      resolve({ status: res.statusCode ?? 0, res, ended, first, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Milliseconds from `since` until the stream ended; rejects if it is still open after `ms`. */
export async function endsWithin(stream: OpenStream, since: number, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`stream still open ${ms} ms after the revocation`)), ms);
  });
  try {
    return (await Promise.race([stream.ended, timeout])) - since;
  } finally {
    clearTimeout(timer);
  }
}
