import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const production = process.env.NODE_ENV !== 'development';

// The branch hub (out/main/hub-child.js) migrates its database from the SQL files next to it.
const hubMigrations = {
  name: 'loket-hub-migrations',
  closeBundle() {
    cpSync(resolve('hq/migrations'), resolve('out/main/migrations'), { recursive: true });
  },
};

export default defineConfig({
  main: {
    plugins: [hubMigrations],
    // The update feed is fixed at build time (main/update-trust.ts; issue 18 pt 1), from the release job's env.
    define: { __LOKET_UPDATE_URL__: JSON.stringify(process.env.LOKET_UPDATE_URL ?? '') },
    build: {
      outDir: 'out/main',
      minify: production,
      rolldownOptions: {
        // hub-child: the branch hub's process (hq/hub/child.ts), started by main (main/hub/launcher.ts).
        input: { index: resolve('main/index.ts'), 'web-server': resolve('main/web-server.ts'), 'hub-child': resolve('hq/hub/child.ts') },
      },
    },
  },
  preload: {
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
    build: {
      outDir: 'out/renderer',
      minify: production,
      rolldownOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
