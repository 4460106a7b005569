// npm run test:mutation's bookkeeping (scripts/mutation-scores.mjs, scripts/supported-node.mjs): how
// scores are counted, how named equivalent mutants are set aside, and when a newer Node is fetched.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeResults, originalText, runDirName, scoreFiles, type Equivalent, type Report, type ReportMutant } from '../../scripts/mutation-scores.mjs';
import { NODE_LTS, atLeast, supportedNode } from '../../scripts/supported-node.mjs';

const source = ['const a = x > 40;', 'const b = y > 40;', "const c = (m ?? '') + (n ?? '');", ''].join('\n');
const mutant = (id: string, status: string, line: number, column: number, endColumn: number, mutatorName: string, replacement: string): ReportMutant => ({
  id,
  status,
  mutatorName,
  replacement,
  location: { start: { line, column }, end: { line, column: endColumn } },
});
const report: Report = {
  files: {
    'shared/x.ts': {
      source,
      mutants: [
        mutant('1', 'Killed', 1, 11, 17, 'EqualityOperator', 'x < 40'),
        mutant('2', 'Survived', 1, 11, 17, 'EqualityOperator', 'x >= 40'),
        mutant('3', 'Survived', 2, 11, 17, 'EqualityOperator', 'y >= 40'),
        mutant('4', 'NoCoverage', 3, 17, 19, 'StringLiteral', '"Stryker was here!"'),
        mutant('5', 'NoCoverage', 3, 29, 31, 'StringLiteral', '"Stryker was here!"'),
        mutant('6', 'Timeout', 3, 12, 19, 'LogicalOperator', "m && ''"),
        mutant('7', 'CompileError', 3, 12, 19, 'LogicalOperator', "m || ''"),
      ],
    },
  },
};
const eq = (e: Partial<Equivalent>): Equivalent => ({ file: 'shared/x.ts', mutator: 'EqualityOperator', original: 'x > 40', replacement: 'x >= 40', reason: 'why', ...e });
const meta = { measuredAt: '2026-12-06T00:00:00.000Z', tests: 'tests/unit/x' };

describe('mutation scores', () => {
  it('reads the replaced source text from 1-based, end-exclusive locations', () => {
    expect(originalText(source, { start: { line: 1, column: 11 }, end: { line: 1, column: 17 } })).toBe('x > 40');
    expect(originalText(source, { start: { line: 1, column: 11 }, end: { line: 2, column: 6 } })).toBe('x > 40;\nconst');
  });

  it('counts every status and gives Stryker\'s score when nothing is set aside', () => {
    const [f] = scoreFiles(report, [], meta).files;
    expect(f).toMatchObject({ file: 'shared/x.ts', mutants: 7, killed: 1, survived: 2, noCoverage: 2, timeout: 1, compileOrRuntimeErrors: 1, equivalent: 0, rawScore: 33.33, score: 33.33, ...meta });
    expect(f?.survivors.map((s) => `${s.line}:${s.column} ${s.original} → ${s.replacement}`)).toEqual(['1:11 x > 40 → x >= 40', '2:11 y > 40 → y >= 40', "3:17 '' → \"Stryker was here!\"", "3:29 '' → \"Stryker was here!\""]);
  });

  it('sets aside only the named mutant, with its reason, and scores the rest', () => {
    const { files, stale } = scoreFiles(report, [eq({ line: 99, reason: 'day 40 is refused either way' })], meta);
    expect(files[0]).toMatchObject({ equivalent: 1, rawScore: 33.33, score: 40 });
    expect(files[0]?.equivalents).toEqual([{ line: 1, column: 11, mutator: 'EqualityOperator', original: 'x > 40', replacement: 'x >= 40', status: 'Survived', reason: 'day 40 is refused either way' }]);
    expect(files[0]?.survivors.map((s) => s.original)).toEqual(['y > 40', "''", "''"]);
    expect(stale).toEqual([]);
  });

  it('tells identical mutants on one line apart by column, and at different places by line', () => {
    const literal = { mutator: 'StringLiteral', original: "''", replacement: '"Stryker was here!"' };
    const byColumn = scoreFiles(report, [eq({ ...literal, column: 29 })], meta).files[0];
    expect(byColumn?.equivalents.map((e) => e.column)).toEqual([29]);
    expect(byColumn?.survivors.filter((s) => s.mutator === 'StringLiteral').map((s) => s.column)).toEqual([17]);
    const byLine = scoreFiles(report, [eq({ ...literal, line: 3 }), eq({ ...literal, line: 8 })], meta).files[0];
    expect(byLine?.equivalents.map((e) => e.column)).toEqual([17, 29]);
  });

  it('does not match another file, mutator or replacement, and reports such entries as stale', () => {
    const unmatched = [eq({ file: 'shared/y.ts' }), eq({ mutator: 'ConditionalExpression' }), eq({ replacement: 'x <= 40' })];
    const { files, stale } = scoreFiles(report, unmatched, meta);
    expect(files[0]?.equivalent).toBe(0);
    // shared/y.ts was not scored in this run: its entry is not judged stale.
    expect(stale).toEqual(unmatched.slice(1));
  });

  it('scores 100 when every detectable mutant is killed or set aside', () => {
    const r: Report = { files: { 'shared/x.ts': { source, mutants: [mutant('1', 'Survived', 1, 11, 17, 'EqualityOperator', 'x >= 40')] } } };
    expect(scoreFiles(r, [eq({})], meta).files[0]).toMatchObject({ rawScore: 0, score: 100 });
  });

  it('replaces only the files of this run in the results', () => {
    const [x] = scoreFiles(report, [], meta).files;
    const old = { ...x!, file: 'shared/a.ts' };
    const older = { ...x!, score: 10 };
    expect(mergeResults([older, old], [x!]).map((f) => [f.file, f.score])).toEqual([
      ['shared/a.ts', 33.33],
      ['shared/x.ts', 33.33],
    ]);
  });

  it('every equivalent in tests/mutation-equivalents.json says which mutant and why', () => {
    const { equivalents } = JSON.parse(readFileSync('tests/mutation-equivalents.json', 'utf8')) as { equivalents: Equivalent[] };
    for (const e of equivalents) {
      expect(e.file).toMatch(/^(shared|state-machines)\//);
      expect(e.mutator && e.original && e.replacement !== undefined).toBeTruthy();
      expect(e.reason.length, `${e.file}:${e.line} reason`).toBeGreaterThan(30);
    }
  });
});

describe('each run its own report folder', () => {
  it('is named after the mutated files, or LOKET_MUTATION_RUN, so two runs on different files do not share one', () => {
    expect(runDirName(undefined, 'shared/policy/hours.ts')).toBe('shared-policy-hours.ts');
    expect(runDirName(undefined, 'state-machines/triage.machine.ts,state-machines/case-common.ts')).toBe('state-machines-triage.machine.ts-state-machines-case-common.ts');
    expect(runDirName(undefined, 'shared/policy/hours.ts')).not.toBe(runDirName(undefined, 'shared/policy/facts.ts'));
    expect(runDirName('h5 policy', 'shared/policy/hours.ts')).toBe('h5-policy');
    expect(runDirName(undefined, undefined)).toBe('all');
    expect(runDirName('../..', undefined)).toBe('all');
  });

  it('stays short for a long list and still tells long lists apart', () => {
    const a = Array.from({ length: 9 }, (_, i) => `shared/policy/file-${i}.ts`).join(',');
    const b = `${a},shared/dates.ts`;
    expect(runDirName(undefined, a).length).toBeLessThanOrEqual(80);
    expect(runDirName(undefined, a)).not.toBe(runDirName(undefined, b));
  });
});

describe('a supported Node for Stryker', () => {
  it.each([
    ['20.20.2', '22.18.0', false],
    ['22.17.9', '22.18.0', false],
    ['22.18.0', '22.18.0', true],
    ['22.18.1', '22.18.0', true],
    ['24.0.0', '22.18.0', true],
    ['22.9.0', '22.18.0', false],
  ])('%s ≥ %s: %s', (a, b, expected) => {
    expect(atLeast(a, b)).toBe(expected);
  });

  it('uses the running Node when it is new enough, and never fetches a Node older than asked', () => {
    expect(supportedNode(process.versions.node)).toBe(process.execPath);
    expect(() => supportedNode('99.0.0')).toThrow(/older than Node 99.0.0/);
    expect(atLeast(NODE_LTS.version, '24.0.0')).toBe(true);
    expect(NODE_LTS.integrity).toMatch(/^sha512-/);
  });
});
