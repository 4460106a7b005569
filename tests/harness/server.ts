// Serves the built harness on 127.0.0.1 (random port) through the app's own static-file code, so
// the page runs under the app's CSP (no eval, no inline script) and security headers. COEP is
// added so the page is cross-origin isolated and `performance.now()` has fine resolution.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readStatic } from '../../main/static-files';
import { AckJournal, journalKeyFrom } from '../../main/storage/ack-journal';
import { attachCallSocket } from '../../main/web/call-socket';
import { JournalAppend } from '@shared/ipc/contract';
import { fail, ok, type IpcResult } from '@shared/ipc/result';

export interface HarnessServer {
  url: string;
  /** Main's journal (the same module), when asked for: the page's `journal.append` lands here. */
  journal: AckJournal | null;
  close(): Promise<void>;
}

export interface HarnessServerOptions {
  /** Serve `POST /journal/append` from an AckJournal in this folder (the app's main does it over IPC). */
  journalDir?: string;
  /** The database key it derives the journal key from. */
  journalKey?: string;
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    req.on('error', reject);
  });
}

export const ISOLATION_HEADERS: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export async function serveHarness(root: string, o: HarnessServerOptions = {}): Promise<HarnessServer> {
  const journal = o.journalDir ? await AckJournal.open({ dir: o.journalDir, key: journalKeyFrom(o.journalKey ?? '') }) : null;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/journal/ping') {
      // The same round trip without the journal: what the transport alone costs (bench).
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', ...ISOLATION_HEADERS }).end('{"ok":true,"value":null}'));
      return;
    }
    if (req.method === 'POST' && req.url === '/journal/append') {
      // What main's `journal.append` handler does: answer once the entries are fsync'd.
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json', ...ISOLATION_HEADERS }).end(JSON.stringify(body));
      if (!journal) return void reply(404, { ok: false, error: { code: 'UNAVAILABLE', message: 'no journal' } });
      readJson(req)
        .then((body) => journal.append(JournalAppend.parse(body).entries))
        .then(
          (seq) => reply(200, { ok: true, value: { seq } }),
          (e: unknown) => reply(200, { ok: false, error: { code: 'UNAVAILABLE', message: e instanceof Error ? e.message : String(e) } }),
        );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    readStatic(root, req.url ?? '/').then(
      (file) => {
        res.writeHead(file.status, { ...file.headers, ...ISOLATION_HEADERS });
        res.end(req.method === 'HEAD' ? undefined : file.body);
      },
      () => res.writeHead(500).end(),
    );
  });
  // The app's browser-mode socket (main/web/call-socket.ts), with this journal behind it: what the
  // page's `journal.append` uses by default, as the app's browser client does.
  const socket = attachCallSocket(server, {
    path: '/api/socket',
    authorize: () => 'harness',
    channels: ['journal.append', 'journal.ping'],
    maxMessage: 4 * 1024 * 1024,
    dispatch: async (_client, channel, request): Promise<IpcResult<unknown>> => {
      if (channel === 'journal.ping') return ok(null);
      if (!journal) return fail('UNAVAILABLE', 'no journal');
      const parsed = JournalAppend.safeParse(request);
      if (!parsed.success) return fail('INVALID_PAYLOAD', parsed.error.message);
      try {
        return ok({ seq: await journal.append(parsed.data.entries) });
      } catch (e) {
        return fail('UNAVAILABLE', e instanceof Error ? e.message : String(e));
      }
    },
  });
  // Connections from a SIGKILLed browser would otherwise keep close() waiting.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    journal,
    close: async () => {
      await new Promise<void>((resolve) => {
        socket.close();
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await journal?.close();
    },
  };
}
