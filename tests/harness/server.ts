// Serves the built harness on 127.0.0.1 (random port) through the app's own static-file code, so
// the page runs under the app's CSP (no eval, no inline script) and security headers. COEP is
// added so the page is cross-origin isolated and `performance.now()` has fine resolution.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readStatic } from '../../main/static-files';

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

export const ISOLATION_HEADERS: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export async function serveHarness(root: string): Promise<HarnessServer> {
  const server = http.createServer((req, res) => {
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
  // Connections from a SIGKILLed browser would otherwise keep close() waiting.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
