// Builds the harness page (tests/harness/index.html + harness.ts, which imports the real data
// layer from renderer/src/data) with Vite's JS API into test-results/harness/dist/<pid>. The build
// runs once per process (every caller in the same run gets the same promise); the directory is
// per process so a benchmark and an `npm test` running at the same time never serve each other's
// half-written files. Directories of processes that are gone are removed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { aliasesAt } from '../../scripts/aliases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');
const DIST_ROOT = path.join(REPO_ROOT, 'test-results', 'harness', 'dist');
export const HARNESS_OUT = path.join(DIST_ROOT, String(process.pid));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeStaleBuilds(): void {
  if (!fs.existsSync(DIST_ROOT)) return;
  for (const entry of fs.readdirSync(DIST_ROOT)) {
    if (/^\d+$/.test(entry) && Number(entry) !== process.pid && !alive(Number(entry))) fs.rmSync(path.join(DIST_ROOT, entry), { recursive: true, force: true });
  }
}

let pending: Promise<string> | null = null;

/** Builds the harness (once per process) and resolves to the output directory. */
export function buildHarness(): Promise<string> {
  pending ??= (async () => {
    removeStaleBuilds();
    await build({
      configFile: false,
      root: here,
      base: './',
      mode: 'production',
      logLevel: 'warn',
      resolve: { alias: aliasesAt(REPO_ROOT) },
      build: {
        outDir: HARNESS_OUT,
        emptyOutDir: true,
        // Minified like the app's production build: a restart cycle parses it every time.
        minify: true,
        sourcemap: true,
        target: 'es2023',
        reportCompressedSize: false,
        // One bundle on purpose (the whole data layer): no size warning.
        chunkSizeWarningLimit: 4096,
      },
    });
    return HARNESS_OUT;
  })();
  return pending;
}
