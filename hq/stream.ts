import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { StreamEvent } from '@shared/sync/protocol';
import type { Sql } from './db';

// Live change notices per branch, to the streams this process holds. Notices of writes made
// through other HQ processes arrive by PostgreSQL LISTEN/NOTIFY (hq/notify.ts). A revoked device's
// streams end at once: see RevocationWatch below.

export const MAX_STREAMS_PER_DEVICE = 3;
const HEARTBEAT_MS = 25_000;
/**
 * A stream whose reader stops reading (the socket's buffer full, `write` returned false) gets no
 * more notices, only a RESYNC once it drains; if it has not drained within this, it is cut, so
 * what HQ holds for it stays one buffer. Its device reconnects and resyncs (the stream's first event).
 */
export const STALL_MS = 30_000;

interface Subscriber {
  deviceId: string;
  res: ServerResponse;
  /** Set while the socket's buffer is full: notices are dropped, a RESYNC follows the drain. */
  stalled?: NodeJS.Timeout;
}

export class StreamHub {
  private readonly byBranch = new Map<string, Set<Subscriber>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    heartbeatMs = HEARTBEAT_MS,
    private readonly stallMs = STALL_MS,
  ) {
    // A comment line keeps proxies and idle timers from closing quiet streams.
    this.heartbeat = setInterval(() => this.each((s) => this.write(s, ': ping\n\n')), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Open streams in this process. */
  get size(): number {
    let n = 0;
    for (const set of this.byBranch.values()) n += set.size;
    return n;
  }

  /** Writes unless the reader is behind; starts the stall clock when the buffer fills. */
  private write(sub: Subscriber, text: string): void {
    if (sub.stalled || sub.res.writableEnded || sub.res.destroyed) return;
    if (sub.res.write(text)) return;
    sub.stalled = setTimeout(() => sub.res.destroy(), this.stallMs); // 'close' removes it
    sub.stalled.unref();
    sub.res.once('drain', () => {
      clearTimeout(sub.stalled);
      sub.stalled = undefined;
      this.write(sub, event({ type: 'RESYNC' }));
    });
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
      clearTimeout(sub.stalled);
      set.delete(sub);
      if (set.size === 0 && this.byBranch.get(branchCode) === set) this.byBranch.delete(branchCode);
    });
    this.write(sub, event({ type: 'RESYNC' }));
  }

  publish(branchCode: string, notice: StreamEvent): void {
    const set = this.byBranch.get(branchCode);
    if (!set) return;
    const text = event(notice);
    for (const sub of set) this.write(sub, text);
  }

  /** Every stream pulls again (notices may have been missed: the notice connection was lost). */
  resyncAll(): void {
    const text = event({ type: 'RESYNC' });
    this.each((s) => this.write(s, text));
  }

  /** Device ids with at least one open stream. */
  devices(): Set<string> {
    const ids = new Set<string>();
    this.each((s) => ids.add(s.deviceId));
    return ids;
  }

  /** Ends every open stream of the device (revoked); returns how many. */
  endDevice(deviceId: string): number {
    let n = 0;
    this.each((s) => {
      if (s.deviceId !== deviceId) return;
      n++;
      s.res.end(); // its 'close' removes it
    });
    return n;
  }

  /**
   * Ends every stream (graceful shutdown: otherwise close() would wait for them forever), telling
   * each device to reconnect in a second (SSE `retry`): to another HQ process, or this one restarted.
   */
  closeAll(): void {
    clearInterval(this.heartbeat);
    this.each((s) => s.res.end(s.stalled ? undefined : 'retry: 1000\n\n'));
    this.byBranch.clear();
  }

  private each(fn: (s: Subscriber) => void): void {
    for (const set of this.byBranch.values()) for (const s of set) fn(s);
  }
}

function event(e: StreamEvent): string {
  return `data: ${JSON.stringify(e)}\n\n`;
}

/** Channel of the notice `revokeDevice` (hq/admin.ts) sends with the device id, in the same statement. */
export const DEVICE_REVOKED_CHANNEL = 'loket_device_revoked';
export const REVOCATION_RECHECK_MS = 30_000;

/**
 * Ends the open streams of revoked devices. Requests are refused by `authenticate` (revoked_at is
 * read per request); a stream, authenticated once, is ended here: on the NOTIFY that `revokeDevice`
 * sends, whichever process revoked (PostgreSQL: every HQ process hears it on its own LISTEN
 * connection; PGlite: the one process), and, as a safety net for revocations without a notice (an
 * UPDATE typed in psql, a notice lost while the LISTEN connection was down, a stream opened just
 * as its device was revoked), by rechecking the devices of open streams every `recheckMs`.
 */
export class RevocationWatch {
  private stopListening: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly db: Sql,
    private readonly hub: StreamHub,
    private readonly log: Logger,
    private readonly recheckMs = REVOCATION_RECHECK_MS,
  ) {}

  async start(): Promise<void> {
    if (this.db.listen) {
      try {
        this.stopListening = await this.db.listen(DEVICE_REVOKED_CHANNEL, (deviceId) => this.revoked(deviceId, 'notice'), () => void this.recheck());
      } catch (err) {
        // HQ still serves; the recheck below ends revoked streams, only later.
        this.log.warn({ err: { message: (err as Error).message } }, 'cannot listen for revocations; relying on the periodic recheck');
      }
    }
    this.timer = setInterval(() => void this.recheck(), this.recheckMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.();
  }

  /** Ends the streams of open devices that are revoked (or gone). */
  async recheck(): Promise<void> {
    const open = [...this.hub.devices()];
    if (open.length === 0 || this.checking) return;
    this.checking = true;
    try {
      const { rows } = await this.db.query<{ device_id: string }>(
        'SELECT device_id::text AS device_id FROM devices WHERE device_id = ANY($1::uuid[]) AND revoked_at IS NULL',
        [open],
      );
      const active = new Set(rows.map((r) => r.device_id));
      for (const id of open) if (!active.has(id)) this.revoked(id, 'recheck');
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'revocation recheck failed');
    } finally {
      this.checking = false;
    }
  }

  private revoked(deviceId: string, via: 'notice' | 'recheck'): void {
    const ended = this.hub.endDevice(deviceId);
    if (ended > 0) this.log.info({ deviceId, streams: ended, via }, 'revoked device: streams ended');
  }
}
