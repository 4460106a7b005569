// Mutation testing of the rules modules (issue 16): `npm run test:mutation` (scripts/mutation.mjs runs
// Stryker on a supported Node and writes per-file scores to tests/bench/results/mutation.json).
// A subset: `npm run test:mutation -- --mutate shared/identity/nik.ts` or LOKET_MUTATE=shared/identity/nik.ts.
// scripts/mutation.mjs gives each run its own folder (LOKET_MUTATION_DIR) so parallel runs do not clash.
const dir = process.env.LOKET_MUTATION_DIR ?? '.tools/mutation/all';
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // Unit tests only; `related` runs just the tests that import the mutated files.
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'shared/policy/*.ts',
    '!shared/policy/index.ts',
    'shared/cases/rules.ts',
    'shared/dates.ts',
    'shared/identity/*.ts',
    '!shared/identity/index.ts',
    'state-machines/case-common.ts',
    'state-machines/jht-claim.machine.ts',
    'state-machines/jmo-reset.machine.ts',
    'state-machines/bpu-resignation.machine.ts',
    'state-machines/triage.machine.ts',
    // The no-show rule (issue 16 pt 5) lives here.
    'state-machines/ticket.machine.ts',
  ],
  // The machine has 2 cores and other work runs beside this.
  concurrency: 2,
  // Everything Stryker writes stays in the git-ignored .tools/.
  tempDirName: `${dir}/stryker-tmp`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `${dir}/mutation-report.json` },
  htmlReporter: { fileName: `${dir}/mutation-report.html` },
  // The sandbox copy needs the sources and unit tests, not build output, E2E or docs.
  ignorePatterns: ['out', '.out', 'dist', 'docs', 'test-results', 'playwright-report', 'tests/e2e', 'tests/bench', '.tools', '.cache', '.loket-dev', '.hq-data'],
  cleanTempDir: 'always',
  // Other work shares the 2 cores: a test slowed by load must not be taken for an infinite loop.
  timeoutMS: 10_000,
};
