import type { ServerResponse } from 'node:http';
import type { StreamEvent } from '../shared/sync/protocol';

// Live change notices per branch, in this process. (Several HQ processes would relay through
// PostgreSQL LISTEN/NOTIFY; one process is enough for now.)

export const MAX_STREAMS_PER_DEVICE = 3;
const HEARTBEAT_MS = 25_000;

interface Subscriber {
  deviceId: string;
  res: ServerResponse;
}

export class StreamHub {
  private readonly byBranch = new Map<string, Set<Subscriber>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = HEARTBEAT_MS) {
    // A comment line keeps proxies and idle timers from closing quiet streams.
    this.heartbeat = setInterval(() => this.each((s) => s.res.write(': ping\n\n')), heartbeatMs);
    this.heartbeat.unref();
  }

  count(deviceId: string): number {
    let n = 0;
    this.each((s) => {
      if (s.deviceId === deviceId) n++;
    });
    return n;
  }

  /** Starts the event stream on `res` and sends RESYNC: whatever happened while away, pull again. */
  open(branchCode: string, deviceId: string, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const sub: Subscriber = { deviceId, res };
    let set = this.byBranch.get(branchCode);
    if (!set) this.byBranch.set(branchCode, (set = new Set()));
    set.add(sub);
    res.on('close', () => {
      set.delete(sub);
      if (set.size === 0 && this.byBranch.get(branchCode) === set) this.byBranch.delete(branchCode);
    });
    send(res, { type: 'RESYNC' });
  }

  publish(branchCode: string, event: StreamEvent): void {
    for (const sub of this.byBranch.get(branchCode) ?? []) send(sub.res, event);
  }

  /** Ends every stream (graceful shutdown: otherwise close() would wait for them forever). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    this.each((s) => s.res.end());
    this.byBranch.clear();
  }

  private each(fn: (s: Subscriber) => void): void {
    for (const set of this.byBranch.values()) for (const s of set) fn(s);
  }
}

function send(res: ServerResponse, event: StreamEvent): void {
  res.write(`data: ${JSON.stringify(event)}\n\n`);
}
