// Browser mode's persistent channel for the hot write path: one WebSocket per page, carrying
// `journal.append` calls (and their answers) as small JSON messages, instead of one HTTP request per
// acknowledged write. Measured in Chromium on this machine: a POST round trip costs p50 ≈ 6 ms, a
// message over an open WebSocket ≈ 0.7–1 ms (tests/bench/local-db.bench.ts keeps both figures).
// The calls go through the same dispatch (session, access, zod contract) as `POST /api/call`.
//
// A minimal RFC 6455 server (no dependency): text messages only, client frames must be masked,
// fragments are joined, ping is answered, anything else closes the connection with the RFC's code.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { fail, type IpcResult } from '@shared/ipc/result';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One call on the socket; the answer carries the same id. */
export const SocketCall = z.strictObject({ id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), channel: z.string().max(100), request: z.unknown() });
export type SocketCall = z.infer<typeof SocketCall>;

export interface CallSocketOptions {
  /** The URL path of the upgrade, e.g. `/api/socket`. */
  path: string;
  /** The calling page's id (cookie, origin and host checked), or null to refuse the upgrade. */
  authorize(req: http.IncomingMessage): string | null;
  dispatch(clientId: string, channel: string, request: unknown): Promise<IpcResult<unknown>>;
  /** Only these channels are served here; every other call keeps its HTTP route. */
  channels: readonly string[];
  /** Largest message accepted (bytes); a larger one closes the connection (1009). */
  maxMessage: number;
}

export interface CallSocket {
  /** Open connections (tests). */
  readonly connections: number;
  close(): void;
}

/** RFC 6455 opcodes. */
const Op = { Continuation: 0x0, Text: 0x1, Binary: 0x2, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;

/** One unmasked server frame. */
export function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (len < 126) head[1] = len;
  else if (len < 65_536) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

function closeFrame(code: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code, 0);
  return frame(Op.Close, b);
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

export function attachCallSocket(server: http.Server, o: CallSocketOptions): CallSocket {
  const open = new Set<Duplex>();
  const served = new Set(o.channels);

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = req.headers['sec-websocket-key'];
    if (url.pathname !== o.path || String(req.headers.upgrade).toLowerCase() !== 'websocket' || typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13') {
      return refuse(socket, '400 Bad Request');
    }
    const clientId = o.authorize(req);
    if (clientId === null) return refuse(socket, '403 Forbidden');
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`);
    (socket as Duplex & { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    open.add(socket);
    serve(socket, clientId, head);
  });

  function serve(socket: Duplex, clientId: string, head: Buffer): void {
    let buf: Buffer = head.length ? Buffer.from(head) : Buffer.alloc(0);
    let parts: Buffer[] = [];
    let partsBytes = 0;
    let closed = false;
    const send = (data: Buffer) => {
      if (!closed && socket.writable) socket.write(data);
    };
    const close = (code: number) => {
      if (closed) return;
      send(closeFrame(code));
      closed = true;
      socket.end();
    };
    const answer = (id: number | null, result: IpcResult<unknown>) => send(frame(Op.Text, Buffer.from(JSON.stringify({ id, result }), 'utf8')));

    const onMessage = (text: string) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return answer(null, fail('INVALID_PAYLOAD', 'The message is not JSON.'));
      }
      const call = SocketCall.safeParse(parsed);
      if (!call.success) {
        const id = (parsed as { id?: unknown } | null)?.id;
        return answer(typeof id === 'number' ? id : null, fail('INVALID_PAYLOAD', 'Expected { id, channel, request }.'));
      }
      const { id, channel, request } = call.data;
      if (!served.has(channel)) return answer(id, fail('INVALID_PAYLOAD', `${channel} is not served on this socket; use POST /api/call.`));
      o.dispatch(clientId, channel, request).then(
        (result) => answer(id, result),
        () => answer(id, fail('INTERNAL', 'Internal error; see the log.')),
      );
    };

    const parse = () => {
      while (!closed) {
        if (buf.length < 2) return;
        const fin = (buf[0]! & 0x80) !== 0;
        const opcode = buf[0]! & 0x0f;
        if (buf[0]! & 0x70) return close(1002); // no extensions were negotiated
        if (!(buf[1]! & 0x80)) return close(1002); // clients must mask
        let len = buf[1]! & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          const big = buf.readBigUInt64BE(2);
          if (big > BigInt(o.maxMessage)) return close(1009);
          len = Number(big);
          off = 10;
        }
        if (len > o.maxMessage) return close(1009);
        if (buf.length < off + 4 + len) return;
        const mask = buf.subarray(off, off + 4);
        const payload = Buffer.from(buf.subarray(off + 4, off + 4 + len));
        for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
        buf = buf.subarray(off + 4 + len);

        if (opcode === Op.Close) return close(1000);
        if (opcode === Op.Ping) {
          send(frame(Op.Pong, payload));
          continue;
        }
        if (opcode === Op.Pong) continue;
        if (opcode === Op.Binary) return close(1003);
        if (opcode === Op.Text ? parts.length > 0 : opcode !== Op.Continuation || parts.length === 0) return close(1002);
        partsBytes += payload.length;
        if (partsBytes > o.maxMessage) return close(1009);
        parts.push(payload);
        if (!fin) continue;
        const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
        parts = [];
        partsBytes = 0;
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(whole);
        } catch {
          return close(1007);
        }
        onMessage(text);
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      parse();
    });
    const gone = () => {
      closed = true;
      open.delete(socket);
    };
    socket.on('close', gone);
    socket.on('error', gone);
    parse();
  }

  return {
    get connections() {
      return open.size;
    },
    close() {
      for (const s of open) s.destroy();
      open.clear();
    },
  };
}
