import { defineConfig } from 'vitest/config';
import { aliasesAt } from './scripts/aliases.mjs';

// Two projects: unit tests run everywhere as they are; HQ tests get a private PostgreSQL cluster
// (tests/hq/pg-global-setup.ts starts it on a temp dir and a free port, and removes it after).
export default defineConfig({
  resolve: { alias: aliasesAt(import.meta.dirname) },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'], environment: 'node' } },
      { extends: true, test: { name: 'hq', include: ['tests/hq/**/*.test.ts'], environment: 'node', globalSetup: ['tests/hq/pg-global-setup.ts'] } },
    ],
  },
});
