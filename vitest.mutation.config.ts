import { defineConfig } from 'vitest/config';
import { aliasesAt } from './scripts/aliases.mjs';

// For mutation testing only (stryker.config.mjs): the unit tests, never the HQ project and its
// PostgreSQL. Stryker narrows them further to the tests that import the mutated files.
// LOKET_MUTATION_TESTS (comma-separated globs, set by `npm run test:mutation -- --tests ...`) narrows
// them to chosen tests: e.g. what the identity tests alone pin.
const only = process.env.LOKET_MUTATION_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  resolve: { alias: aliasesAt(import.meta.dirname) },
  test: {
    name: 'unit',
    include: only?.length ? only : ['tests/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
