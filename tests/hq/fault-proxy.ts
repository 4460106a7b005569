import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// An HTTP proxy on 127.0.0.1 between devices and HQ that misbehaves on purpose. Each request, with
// probability `rate`, gets one fault (chosen uniformly):
//  - drop-before: the client's socket is closed without an answer; HQ never sees the request;
//  - drop-after: the request reaches HQ (and is applied there), then the client's socket is closed
//    without the answer: the client cannot know it worked;
//  - delay: forwarded after 50..maxDelayMs ms;
//  - duplicate: forwarded twice at once; the client gets the second answer.
// The event stream (GET …/stream) can only be dropped before it reaches HQ or passed through.
// Seeded, so a failing run can be replayed.

export type Fault = 'drop-before' | 'drop-after' | 'delay' | 'duplicate';
const FAULTS: readonly Fault[] = ['drop-before', 'drop-after', 'delay', 'duplicate'];

export interface FaultStats {
  requests: number;
  passed: number;
  droppedBefore: number;
  droppedAfter: number;
  delayed: number;
  duplicated: number;
  /** HQ itself did not answer (down, restarting): the client got a 502. */
  upstreamErrors: number;
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export class FaultProxy {
  rate: number;
  readonly stats: FaultStats = { requests: 0, passed: 0, droppedBefore: 0, droppedAfter: 0, delayed: 0, duplicated: 0, upstreamErrors: 0 };
  private readonly random: () => number;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    /** Where HQ listens now (it may move between restarts). */
    public target: { host: string; port: number },
    opts: { rate: number; seed?: number; maxDelayMs?: number },
  ) {
    this.rate = opts.rate;
    this.random = prng(opts.seed ?? 4790);
    const maxDelay = opts.maxDelayMs ?? 800;
    this.server = http.createServer((req, res) => void this.handle(req, res, maxDelay));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pick(stream: boolean): Fault | null {
    if (this.random() >= this.rate) return null;
    if (stream) return 'drop-before';
    return FAULTS[Math.floor(this.random() * FAULTS.length)]!;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, maxDelay: number): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    this.stats.requests++;
    const stream = req.method === 'GET' && (req.url ?? '').split('?')[0]!.endsWith('/stream');
    const fault = this.pick(stream);
    if (fault === 'drop-before') {
      this.stats.droppedBefore++;
      req.socket.destroy();
      return;
    }
    if (stream) {
      this.stats.passed++;
      this.pipeStream(req, res);
      return;
    }
    try {
      let answer: Answer;
      if (fault === 'delay') {
        this.stats.delayed++;
        await new Promise((r) => setTimeout(r, 50 + Math.floor(this.random() * (maxDelay - 50))));
        answer = await this.forward(req, body);
      } else if (fault === 'duplicate') {
        this.stats.duplicated++;
        const both = await Promise.allSettled([this.forward(req, body), this.forward(req, body)]);
        const second = both[1];
        if (second.status === 'rejected') throw second.reason;
        answer = second.value;
      } else {
        answer = await this.forward(req, body);
        if (fault === 'drop-after') {
          this.stats.droppedAfter++;
          req.socket.destroy();
          return;
        }
        this.stats.passed++;
      }
      res.writeHead(answer.status, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      res.end(answer.body);
    } catch {
      this.stats.upstreamErrors++;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    }
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: `${this.target.host}:${this.target.port}`, 'content-length': String(body.length) };
      delete headers.connection;
      const up = http.request({ host: this.target.host, port: this.target.port, method: req.method, path: req.url, headers, agent: false }, (r) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(parts) }));
        r.on('error', reject);
      });
      up.setTimeout(15_000, () => up.destroy(new Error('upstream timeout')));
      up.on('error', reject);
      up.end(body);
    });
  }

  private pipeStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers = { ...req.headers, host: `${this.target.host}:${this.target.port}` };
    const up = http.request({ host: this.target.host, port: this.target.port, method: 'GET', path: req.url, headers, agent: false }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
      r.on('error', () => res.destroy());
      r.on('close', () => res.destroy());
    });
    up.on('error', () => {
      this.stats.upstreamErrors++;
      res.destroy();
    });
    res.on('close', () => up.destroy());
    up.end();
  }
}
