import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { aliasesAt } from './scripts/aliases.mjs';
import { bakedPublisher, isReleaseBuild, releaseConfigProblems } from './scripts/release-config.mjs';

const production = process.env.NODE_ENV !== 'development';
const aliases = aliasesAt(import.meta.dirname);

// A release build (one with an update feed) must name the real code-signing publisher: never the placeholder.
if (isReleaseBuild(process.env)) {
  const problems = releaseConfigProblems(process.env);
  if (problems.length > 0) throw new Error(`Release build refused:\n${problems.join('\n')}`);
}

// The branch hub (out/main/hub-child.js) migrates its database from the SQL files next to it.
let mainOutDir = resolve('out/main');
const hubMigrations = {
  name: 'loket-hub-migrations',
  configResolved(config: { build: { outDir: string } }) {
    mainOutDir = resolve(config.build.outDir);
  },
  closeBundle() {
    cpSync(resolve('hq/migrations'), resolve(mainOutDir, 'migrations'), { recursive: true });
  },
};

// What the packaged app loads from node_modules (issue 18 pt 9): main and the hub child are bundled, and
// only package.json `dependencies` stay external; electron-builder ships exactly those. The hub shares
// hq/db.ts with the HQ server, whose PostgreSQL driver (pg, a devDependency the HQ server runs from the
// repository) the hub never calls: drop it, with its side effects, rather than bundle it.
const hqOnly = /[\\/]node_modules[\\/](pg|pg-[a-z-]+|pgpass)[\\/]/;

export default defineConfig({
  main: {
    plugins: [hubMigrations],
    resolve: { alias: aliases },
    // The update feed and the trusted publisher are fixed at build time (main/update-trust.ts; issue 18 pt 1), from the release job's env.
    define: {
      __LOKET_UPDATE_URL__: JSON.stringify(process.env.LOKET_UPDATE_URL ?? ''),
      __LOKET_UPDATE_PUBLISHER__: JSON.stringify(bakedPublisher(process.env)),
    },
    build: {
      outDir: 'out/main',
      minify: production,
      rolldownOptions: {
        // hub-child: the branch hub's process (hq/hub/child.ts), started by main (main/hub/launcher.ts).
        input: { index: resolve('main/index.ts'), 'web-server': resolve('main/web-server.ts'), 'hub-child': resolve('hq/hub/child.ts') },
        treeshake: { moduleSideEffects: (id: string) => !hqOnly.test(id) },
      },
    },
  },
  preload: {
    resolve: { alias: aliases },
    build: {
      outDir: 'out/preload',
      minify: production,
      // Sandboxed preloads must be CommonJS and self-contained.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    resolve: { alias: aliases },
    build: {
      outDir: 'out/renderer',
      minify: production,
      // Quiet builds (issue 19 pt 7). The renderer loads from this PC's disk, never over a network, so
      // the web default (500 kB) only put a warning on every build: the entry chunk (React, zod, xstate,
      // i18next and the screens) is about 830 kB. A chunk over 1.5 MB still warns.
      chunkSizeWarningLimit: 1500,
      rolldownOptions: {
        input: { index: resolve('renderer/index.html') },
        // DataProvider imports the data layer with import() while screens import the same modules
        // statically; the split does not happen and each build listed every such module. Nothing is lost.
        checks: { ineffectiveDynamicImport: false },
      },
    },
  },
});
