// `npm run test:mutation`: mutation testing of the rules modules with StrykerJS (stryker.config.mjs),
// not part of `npm test` (it takes long). Stryker needs a newer Node than some machines have: then
// the pinned LTS is fetched from the npm registry into .tools/node/ (scripts/supported-node.mjs).
//
// Afterwards the per-file scores go to tests/bench/results/mutation.json. Surviving mutants that
// cannot be killed because they do not change behaviour are listed, each with its reason, in
// tests/mutation-equivalents.json; they are set aside from the score. A run on a subset
// (`-- --mutate shared/identity/nik.ts` or LOKET_MUTATE=...) replaces only those files' entries;
// `-- --tests 'tests/unit/identity/**/*.test.ts'` (or LOKET_MUTATION_TESTS) runs only those tests.
// Report and sandboxes go to .tools/mutation/<run>/ (LOKET_MUTATION_RUN, else named after --mutate).
// Exits non-zero when Stryker fails or a file mutated in this run scores below TARGET.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { mergeResults, runDirName, scoreFiles } from './mutation-scores.mjs';
import { supportedNode } from './supported-node.mjs';

const TARGET = 95;
const root = resolve(import.meta.dirname, '..');
const resultsPath = join(root, 'tests/bench/results/mutation.json');
const equivalentsPath = join(root, 'tests/mutation-equivalents.json');
const strykerPkg = JSON.parse(readFileSync(join(root, 'node_modules/@stryker-mutator/core/package.json'), 'utf8'));

// @stryker-mutator/core declares Node >=22; its @babel/parser needs ^22.18 || >=24.11.
const node = supportedNode('22.18.0');
const args = process.argv.slice(2);
// `--tests <globs>` is ours (vitest.mutation.config.ts reads it from the environment), not Stryker's.
const testsAt = args.indexOf('--tests');
if (testsAt >= 0) {
  const [, globs] = args.splice(testsAt, 2);
  if (!globs) throw new Error('--tests needs comma-separated globs, e.g. --tests "tests/unit/identity/**/*.test.ts"');
  process.env.LOKET_MUTATION_TESTS = globs;
}
if (process.env.LOKET_MUTATE && !args.includes('--mutate') && !args.includes('-m')) args.push('--mutate', process.env.LOKET_MUTATE);
// Each run writes its report and sandboxes under its own folder (stryker.config.mjs reads
// LOKET_MUTATION_DIR), so runs on different files at the same time leave each other alone.
const mutateAt = Math.max(args.indexOf('--mutate'), args.indexOf('-m'));
const runDir = `.tools/mutation/${runDirName(process.env.LOKET_MUTATION_RUN, mutateAt >= 0 ? args[mutateAt + 1] : undefined)}`;
process.env.LOKET_MUTATION_DIR = runDir;
const reportPath = join(root, runDir, 'mutation-report.json');

rmSync(reportPath, { force: true });
const started = Date.now();
const strykerArgs = [join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', 'stryker.config.mjs', ...args];
console.log(`Node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}, Stryker ${strykerPkg.version}: stryker ${strykerArgs.slice(1).join(' ')}`);
const run = spawnSync(node, strykerArgs, { cwd: root, stdio: 'inherit', env: process.env });
const seconds = Math.round((Date.now() - started) / 1000);
if (run.status !== 0 || !existsSync(reportPath)) {
  console.error(`Stryker failed (exit ${run.status}) after ${seconds} s; results not updated.`);
  process.exit(1);
}

/** @type {import('./mutation-scores.d.mts').Report} */
const raw = JSON.parse(readFileSync(reportPath, 'utf8'));
// Stryker names files relative to the project root; keep them in forward-slash form.
const report = { files: Object.fromEntries(Object.entries(raw.files).map(([name, f]) => [relative(root, resolve(root, name)).split('\\').join('/'), f])) };
const equivalents = JSON.parse(readFileSync(equivalentsPath, 'utf8')).equivalents;
const tests = process.env.LOKET_MUTATION_TESTS ?? 'tests/unit (related to the mutated files)';
const { files: measured, stale } = scoreFiles(report, equivalents, { measuredAt: new Date(started).toISOString(), tests });

// Merge: files not mutated in this run keep their last measured entry.
const previous = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')).files : [];
const files = mergeResults(previous, measured);
mkdirSync(dirname(resultsPath), { recursive: true });
writeFileSync(
  resultsPath,
  `${JSON.stringify(
    {
      description: 'StrykerJS mutation scores per rules file (npm run test:mutation). score sets aside the equivalent mutants named in tests/mutation-equivalents.json; rawScore is Stryker\'s own.',
      target: TARGET,
      lastRun: { at: new Date(started).toISOString(), seconds, node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(), stryker: strykerPkg.version, args, tests, files: measured.map((f) => f.file) },
      files,
    },
    null,
    2,
  )}\n`,
);

console.log(`\nMutation scores (${seconds} s; equivalents set aside; target ${TARGET}%):`);
for (const f of measured) {
  console.log(`${f.score >= TARGET ? 'ok  ' : 'LOW '} ${f.score.toFixed(2).padStart(6)}%  ${f.file}  (${f.mutants} mutants: ${f.killed} killed, ${f.timeout} timeout, ${f.survived} survived, ${f.noCoverage} no coverage, ${f.equivalent} equivalent)`);
}
for (const e of stale) console.warn(`stale equivalent (no such surviving mutant now): ${e.file}:${e.line ?? '?'} ${e.mutator} ${JSON.stringify(e.original)} → ${JSON.stringify(e.replacement)}`);
console.log(`Results: ${relative(root, resultsPath)}; HTML report: ${runDir}/mutation-report.html`);
process.exit(measured.every((f) => f.score >= TARGET) ? 0 : 1);
