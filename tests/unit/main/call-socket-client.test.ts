// The page's side of the call socket (renderer/src/bridge/call-socket.ts) against a scripted
// WebSocket: answers matched by id, HTTP when the socket will not open, and a call whose answer
// was lost with the connection fails (never sent twice, never reported as saved).
import { describe, expect, it, vi } from 'vitest';
import { createCallSocket } from '../../../renderer/src/bridge/call-socket';

class FakeSocket {
  static OPEN = 1;
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  answer(id: number, result: unknown) {
    this.onmessage?.({ data: JSON.stringify({ id, result }) });
  }
}

const Socket = FakeSocket as unknown as typeof WebSocket;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('call socket client', () => {
  it('sends calls as messages and matches answers by id, in any order', async () => {
    FakeSocket.instances = [];
    const fallback = vi.fn();
    const c = createCallSocket('ws://127.0.0.1/api/socket', fallback, Socket);
    const a = c.call('journal.append', { n: 1 });
    FakeSocket.instances[0]!.open();
    await tick();
    const b = c.call('journal.append', { n: 2 });
    await tick();
    const s = FakeSocket.instances[0]!;
    const ids = s.sent.map((m) => (JSON.parse(m) as { id: number }).id);
    expect(s.sent.map((m) => (JSON.parse(m) as { request: unknown }).request)).toEqual([{ n: 1 }, { n: 2 }]);
    s.answer(ids[1]!, { ok: true, value: { seq: 2 } });
    s.answer(ids[0]!, { ok: true, value: { seq: 1 } });
    expect(await a).toEqual({ ok: true, value: { seq: 1 } });
    expect(await b).toEqual({ ok: true, value: { seq: 2 } });
    expect(fallback).not.toHaveBeenCalled();
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('goes by HTTP when the socket does not open, and does not retry at once', async () => {
    FakeSocket.instances = [];
    const fallback = vi.fn(() => Promise.resolve({ ok: true as const, value: { seq: 9 } }));
    const c = createCallSocket('ws://127.0.0.1/api/socket', fallback, Socket);
    const a = c.call('journal.append', { n: 1 });
    FakeSocket.instances[0]!.close(); // refused (403) or unreachable
    expect(await a).toEqual({ ok: true, value: { seq: 9 } });
    expect(await c.call('journal.append', { n: 2 })).toEqual({ ok: true, value: { seq: 9 } });
    expect(FakeSocket.instances).toHaveLength(1);
    expect(fallback).toHaveBeenCalledTimes(2);
  });

  it('a call in flight when the connection drops fails as UNAVAILABLE and is not resent', async () => {
    FakeSocket.instances = [];
    const fallback = vi.fn();
    const c = createCallSocket('ws://127.0.0.1/api/socket', fallback, Socket);
    const a = c.call('journal.append', { n: 1 });
    FakeSocket.instances[0]!.open();
    await tick();
    FakeSocket.instances[0]!.close();
    expect(await a).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(fallback).not.toHaveBeenCalled();
    // The next call opens a new socket.
    const b = c.call('journal.append', { n: 2 });
    FakeSocket.instances[1]!.open();
    await tick();
    FakeSocket.instances[1]!.answer((JSON.parse(FakeSocket.instances[1]!.sent[0]!) as { id: number }).id, { ok: true, value: { seq: 3 } });
    expect(await b).toEqual({ ok: true, value: { seq: 3 } });
  });

  it('ignores messages that are not answers', async () => {
    FakeSocket.instances = [];
    const c = createCallSocket('ws://127.0.0.1/api/socket', vi.fn(), Socket);
    const a = c.call('journal.append', {});
    FakeSocket.instances[0]!.open();
    await tick();
    const s = FakeSocket.instances[0]!;
    s.onmessage?.({ data: 'garbage' });
    s.onmessage?.({ data: JSON.stringify({ id: 1, result: { ok: 'yes' } }) });
    s.answer(1, { ok: true, value: null });
    expect(await a).toEqual({ ok: true, value: null });
  });
});
