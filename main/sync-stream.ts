import { COLLECTIONS, type StreamEvent } from '@shared/sync/protocol';
import type { SyncChanged } from '@shared/ipc/contract';

// The sync event stream (`GET /v1/sync/stream`) as HQ and the branch hub send it (the same
// service): Server-Sent Events whose data is a StreamEvent; comments (": ping") keep it alive.
// Shared by main's HQ link and hub link.

/** Splits an SSE byte stream into the data of each event (comments and `retry:` lines dropped). */
export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = '';

  constructor(private readonly onData: (data: string) => void) {}

  feed(chunk: Uint8Array): void {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (data) this.onData(data);
    }
  }
}

/** The branch's hub changed at HQ (role moved, new address or certificate): main asks HQ for it now. */
export function isHubNotice(data: string): boolean {
  try {
    return (JSON.parse(data) as { type?: unknown }).type === 'hub';
  } catch {
    return false;
  }
}

/**
 * What one event's data means for the renderer: a collection changed, or pull everything again.
 * null: nothing to tell (another event type, an unknown collection); 'unreadable': not JSON.
 */
export function syncNotice(data: string): Omit<Extract<SyncChanged, { collection: unknown }>, 'via'> | { resync: true } | null | 'unreadable' {
  let event: StreamEvent;
  try {
    event = JSON.parse(data) as StreamEvent;
  } catch {
    return 'unreadable';
  }
  if (event.type === 'RESYNC') return { resync: true };
  if (event.type === 'changed' && (COLLECTIONS as readonly string[]).includes(event.collection)) return { collection: event.collection };
  return null;
}
