// `npm run test:mutation`: mutation testing of the rules modules with StrykerJS (stryker.config.mjs),
// not part of `npm test` (it takes long). Stryker needs a newer Node than some machines have: then
// the pinned LTS is fetched from the npm registry into .tools/node/ (scripts/supported-node.mjs).
//
// Afterwards the per-file scores go to tests/bench/results/mutation.json. Surviving mutants that
// cannot be killed because they do not change behaviour are listed, each with its reason, in
// tests/mutation-equivalents.json; they are set aside from the score. A run on a subset
// (`-- --mutate shared/identity/nik.ts` or LOKET_MUTATE=...) replaces only those files' entries;
// `-- --tests 'tests/unit/identity/**/*.test.ts'` (or LOKET_MUTATION_TESTS) runs only those tests.
// Exits non-zero when Stryker fails or a file mutated in this run scores below TARGET.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { supportedNode } from './supported-node.mjs';

const TARGET = 95;
const root = resolve(import.meta.dirname, '..');
const reportPath = join(root, '.tools/mutation/mutation-report.json');
const resultsPath = join(root, 'tests/bench/results/mutation.json');
const equivalentsPath = join(root, 'tests/mutation-equivalents.json');
const strykerPkg = JSON.parse(readFileSync(join(root, 'node_modules/@stryker-mutator/core/package.json'), 'utf8'));

// @stryker-mutator/core declares Node >=22; its @babel/parser needs ^22.18 || >=24.11.
const node = supportedNode('22.18.0');
const args = process.argv.slice(2);
// `--tests <globs>` is ours (vitest.mutation.config.ts reads it from the environment), not Stryker's.
const testsAt = args.indexOf('--tests');
if (testsAt >= 0) process.env.LOKET_MUTATION_TESTS = args.splice(testsAt, 2)[1];
if (process.env.LOKET_MUTATE && !args.includes('--mutate') && !args.includes('-m')) args.push('--mutate', process.env.LOKET_MUTATE);

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

/** @type {{ files: Record<string, { source: string, mutants: Array<{ id: string, mutatorName: string, replacement?: string, status: string, location: { start: { line: number, column: number }, end: { line: number, column: number } } }> }> }} */
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
/** @type {Array<{ file: string, line?: number, column?: number, mutator: string, original: string, replacement: string, reason: string }>} */
const equivalents = JSON.parse(readFileSync(equivalentsPath, 'utf8')).equivalents;

/** The source text a mutant replaces (locations are 1-based lines, 1-based columns). */
function originalText(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join('\n');
}

const undetected = new Set(['Survived', 'NoCoverage']);
const usedEquivalents = new Set();
const measured = [];
for (const [name, file] of Object.entries(report.files)) {
  const path = relative(root, resolve(root, name)).split('\\').join('/');
  const count = (status) => file.mutants.filter((m) => m.status === status).length;
  const setAside = [];
  const survivors = [];
  for (const m of file.mutants.filter((x) => undetected.has(x.status))) {
    const described = { line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName, original: originalText(file.source, m.location), replacement: m.replacement ?? '', status: m.status };
    // An entry with a column names one of several identical mutants on a line; the line only tells
    // apart identical mutants at different places (lines move whenever code above them changes).
    const candidates = equivalents.filter(
      (e) => e.file === path && e.mutator === described.mutator && e.original === described.original && e.replacement === described.replacement && (e.column === undefined || e.column === described.column),
    );
    const match = candidates.length > 1 ? candidates.find((e) => e.line === described.line) : candidates[0];
    if (match) {
      usedEquivalents.add(match);
      setAside.push({ ...described, reason: match.reason });
    } else survivors.push(described);
  }
  const killed = count('Killed');
  const timeout = count('Timeout');
  const valid = killed + timeout + count('Survived') + count('NoCoverage');
  const detectable = valid - setAside.length;
  measured.push({
    file: path,
    mutants: file.mutants.length,
    killed,
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    timeout,
    compileOrRuntimeErrors: count('CompileError') + count('RuntimeError'),
    ignored: count('Ignored'),
    equivalent: setAside.length,
    // Stryker's own score, then the score with the named equivalent mutants set aside.
    rawScore: valid === 0 ? 100 : round(((killed + timeout) / valid) * 100),
    score: detectable === 0 ? 100 : round(((killed + timeout) / detectable) * 100),
    survivors,
    equivalents: setAside,
    measuredAt: new Date(started).toISOString(),
  });
}

function round(x) {
  return Math.round(x * 100) / 100;
}

// Merge: files not mutated in this run keep their last measured entry.
const previous = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')).files : [];
const byFile = new Map(previous.map((f) => [f.file, f]));
for (const f of measured) byFile.set(f.file, f);
const files = [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
mkdirSync(dirname(resultsPath), { recursive: true });
writeFileSync(
  resultsPath,
  `${JSON.stringify(
    {
      description: 'StrykerJS mutation scores per rules file (npm run test:mutation). score sets aside the equivalent mutants named in tests/mutation-equivalents.json; rawScore is Stryker\'s own.',
      target: TARGET,
      lastRun: { at: new Date(started).toISOString(), seconds, node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(), stryker: strykerPkg.version, args, tests: process.env.LOKET_MUTATION_TESTS ?? 'tests/unit (related to the mutated files)', files: measured.map((f) => f.file) },
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
const measuredFiles = new Set(measured.map((f) => f.file));
const stale = equivalents.filter((e) => measuredFiles.has(e.file) && !usedEquivalents.has(e));
for (const e of stale) console.warn(`stale equivalent (no such surviving mutant now): ${e.file}:${e.line ?? '?'} ${e.mutator} ${JSON.stringify(e.original)} → ${JSON.stringify(e.replacement)}`);
console.log(`Results: ${relative(root, resultsPath)}; HTML report: .tools/mutation/mutation-report.html`);
process.exit(measured.every((f) => f.score >= TARGET) ? 0 : 1);
