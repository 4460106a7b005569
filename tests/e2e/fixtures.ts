import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

export interface LoketServer {
  url: string;
  dataDir: string;
}

/**
 * Starts the built browser-mode server (`out/main/web-server.js`) on a free 127.0.0.1 port with a
 * fresh data dir. `LOKET_E2E_OUT` points at another build (`electron-vite build --outDir .out/x`),
 * so two E2E runs can share a checkout. A restart passes the same `dataDir` and `port` (the same
 * origin, so the browser profile's IndexedDB is the same database).
 */
export async function startServer(o: { dataDir?: string; port?: number } = {}): Promise<{ server: LoketServer; child: ChildProcess }> {
  const outDir = process.env.LOKET_E2E_OUT ?? 'out';
  const entry = path.resolve(outDir, 'main/web-server.js');
  if (!fs.existsSync(entry)) throw new Error(`${outDir}/main/web-server.js is missing: run \`npm run build\` first.`);
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'loket-e2e-'));
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, LOKET_PORT: String(o.port ?? 0), LOKET_USER_DATA: dataDir, LOKET_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    // Generous: four PCs start at once in the branch specs, on a 2-core machine that may be busy.
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { server: { url, dataDir }, child };
}

export const test = base.extend<{ loket: LoketServer }>({
  // Playwright requires the object pattern even when a fixture uses no other fixture.
  // eslint-disable-next-line no-empty-pattern
  loket: async ({}, use) => {
    const { server, child } = await startServer();
    await use(server);
    child.kill('SIGTERM');
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';

/** Screenshots kept as CI artifacts under test-results/e2e/screens/. */
export function screenshotPath(name: string): string {
  return path.join('test-results', 'e2e', 'screens', `${name}.png`);
}
