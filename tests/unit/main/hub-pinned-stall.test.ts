import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { hubRequest, hubStream } from '../../../main/hub/pinned';

// A hub PC that stops answering in the middle of a TLS handshake (frozen, switched off after the
// TCP connection was accepted) must not hold a request forever: the PC's link would stay stuck on
// that one attempt and never reconnect when the hub returns (seen in hub-faults.spec).

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Accepts TCP connections and never says a word: no TLS handshake ever completes. */
async function silentServer(): Promise<string> {
  const server = net.createServer((socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const FP = 'AB'.repeat(32);

describe('a hub silent during the TLS handshake', () => {
  it('a request fails after its time-out instead of waiting for ever', async () => {
    const url = await silentServer();
    const started = Date.now();
    await expect(hubRequest(`${url}/healthz`, FP, { timeoutMs: 300 })).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the event stream fails after its time-out too', async () => {
    const url = await silentServer();
    const started = Date.now();
    await expect(hubStream(`${url}/v1/sync/stream`, FP, { timeoutMs: 300, signal: new AbortController().signal })).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
