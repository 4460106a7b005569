// Browser mode's WebSocket for the acknowledged-write path (main/web/call-socket.ts), driven with
// raw frames over TCP: the handshake's checks, journal.append through the same dispatch as
// POST /api/call, fragments, ping, and bad input (typed answers, or the RFC's close codes).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../main/web/http-server';
import { makeCore, setupPayload, tempDir } from './helpers';

let server: WebServer | null = null;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = null;
});

async function start() {
  const h = makeCore();
  const rendererDir = tempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Loket</title>');
  server = await startWebServer({ core: h.core, rendererDir, log: h.log, port: 0 });
  const page = await fetch(`${server.url}/`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const call = (channel: string, request?: unknown) =>
    fetch(`${server!.url}/api/call`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server!.url, cookie }, body: JSON.stringify({ channel, request }) }).then((r) => r.json() as Promise<unknown>);
  return { ...h, cookie, call, url: server.url };
}

/** A client frame: masked, as RFC 6455 requires of clients. */
function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0, 0x80 | len]) : Buffer.from([0, 0x80 | 126, len >> 8, len & 0xff]);
  head[0] = (fin ? 0x80 : 0) | opcode;
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([head, mask, body]);
}

interface Conn {
  status: number;
  send(data: Buffer): void;
  /** The next whole server frame. */
  next(): Promise<{ opcode: number; payload: Buffer }>;
  closed: Promise<void>;
}

async function connect(url: string, headers: Record<string, string>): Promise<Conn> {
  const u = new URL(url);
  const s = net.connect(Number(u.port), u.hostname);
  sockets.push(s);
  let buf = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  s.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<void>((r) => s.on('close', () => r()));
  const more = () => new Promise<void>((r) => waiters.push(r));
  const lines = Object.entries({ host: u.host, upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-version': '13', ...headers })
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  s.write(`GET /api/socket HTTP/1.1\r\n${lines}\r\n`);
  while (!buf.includes('\r\n\r\n')) await Promise.race([more(), closed]);
  const end = buf.indexOf('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(buf.subarray(0, end).toString())?.[1]);
  buf = buf.subarray(end + 4);
  return {
    status,
    send: (d) => s.write(d),
    async next() {
      for (;;) {
        if (buf.length >= 2) {
          let len = buf[1]! & 0x7f;
          let off = 2;
          if (len === 126) [len, off] = [buf.readUInt16BE(2), 4];
          if (buf.length >= off + len) {
            const f = { opcode: buf[0]! & 0x0f, payload: buf.subarray(off, off + len) };
            buf = buf.subarray(off + len);
            return f;
          }
        }
        await Promise.race([more(), closed.then(() => Promise.reject(new Error('closed')))]);
      }
    },
    closed,
  };
}

const text = (o: unknown) => clientFrame(0x1, Buffer.from(JSON.stringify(o)));
const json = async (c: Conn) => JSON.parse((await c.next()).payload.toString()) as { id: number | null; result: { ok: boolean; value?: unknown; error?: { code: string } } };
const entry = { collection: 'tickets', id: 'JKT01:2026-12-06:A1-001', doc: { id: 'JKT01:2026-12-06:A1-001', status: 'waiting' } };

describe('browser mode call socket', () => {
  it('refuses the upgrade without the page cookie, from another origin, or on another path', async () => {
    const { url, cookie } = await start();
    expect((await connect(url, { origin: url })).status).toBe(403);
    expect((await connect(url, { origin: 'https://evil.example', cookie })).status).toBe(403);
    expect((await connect(url, { origin: url, cookie: 'loket_client=forged' })).status).toBe(403);
    expect((await connect(url, { origin: url, cookie, 'sec-websocket-version': '8' })).status).toBe(400);
  });

  it('appends to the journal through the same dispatch as POST /api/call (session, contract)', async () => {
    const { url, cookie, call, core } = await start();
    const c = await connect(url, { origin: url, cookie });
    expect(c.status).toBe(101);
    // No session yet: the channel's access rule answers, as over HTTP.
    c.send(text({ id: 1, channel: 'journal.append', request: { entries: [entry] } }));
    expect(await json(c)).toMatchObject({ id: 1, result: { ok: false, error: { code: 'SETUP_REQUIRED' } } });
    expect(await call('branch.setup', setupPayload)).toMatchObject({ ok: true });
    c.send(text({ id: 2, channel: 'journal.append', request: { entries: [entry] } }));
    expect(await json(c)).toMatchObject({ id: 2, result: { ok: true, value: { seq: 1 } } });
    expect((await core.journal.records()).records.map((r) => r.id)).toEqual([entry.id]);
    // The contract's schema still applies.
    c.send(text({ id: 3, channel: 'journal.append', request: { entries: [] } }));
    expect(await json(c)).toMatchObject({ id: 3, result: { ok: false, error: { code: 'INVALID_PAYLOAD' } } });
  });

  it('joins fragments, answers ping, and answers bad messages with typed errors', async () => {
    const { url, cookie, call } = await start();
    await call('branch.setup', setupPayload);
    const c = await connect(url, { origin: url, cookie });
    const whole = Buffer.from(JSON.stringify({ id: 7, channel: 'journal.append', request: { entries: [entry] } }));
    c.send(Buffer.concat([clientFrame(0x1, whole.subarray(0, 10), false), clientFrame(0x9, Buffer.from('hi')), clientFrame(0x0, whole.subarray(10), true)]));
    expect(await c.next()).toMatchObject({ opcode: 0xa, payload: Buffer.from('hi') });
    expect(await json(c)).toMatchObject({ id: 7, result: { ok: true } });
    c.send(clientFrame(0x1, Buffer.from('{not json')));
    expect(await json(c)).toMatchObject({ id: null, result: { ok: false, error: { code: 'INVALID_PAYLOAD' } } });
    c.send(text({ id: 8, channel: 'staff.signIn', request: {} }));
    expect(await json(c)).toMatchObject({ id: 8, result: { ok: false, error: { code: 'INVALID_PAYLOAD' } } });
    c.send(text({ id: 'x', channel: 'journal.append' }));
    expect(await json(c)).toMatchObject({ id: null, result: { ok: false, error: { code: 'INVALID_PAYLOAD' } } });
    // Still serving after all that.
    c.send(text({ id: 9, channel: 'journal.append', request: { entries: [entry] } }));
    expect(await json(c)).toMatchObject({ id: 9, result: { ok: true } });
  });

  it('closes on protocol errors: unmasked frame (1002), binary (1003), too large (1009)', async () => {
    const { url, cookie } = await start();
    const closeCode = async (data: Buffer) => {
      const c = await connect(url, { origin: url, cookie });
      c.send(data);
      const f = await c.next();
      await c.closed;
      return f.opcode === 0x8 ? f.payload.readUInt16BE(0) : -1;
    };
    expect(await closeCode(Buffer.from([0x81, 0x02, 0x7b, 0x7d]))).toBe(1002);
    expect(await closeCode(clientFrame(0x2, Buffer.from('{}')))).toBe(1003);
    const big = Buffer.from([0x81, 0x80 | 127, 0, 0, 0, 0, 0x10, 0, 0, 0]); // announces 256 MiB
    expect(await closeCode(big)).toBe(1009);
  });
});
