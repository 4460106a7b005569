// Per-file mutation scores from a Stryker JSON report (mutation-testing-report-schema), with the
// surviving mutants named as equivalent in tests/mutation-equivalents.json set aside. Pure, so that
// tests/unit/mutation-scores.test.ts can check it; scripts/mutation.mjs does the running and writing.

/** The source text a mutant replaces (locations are 1-based lines and columns, end exclusive). */
export function originalText(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join('\n');
}

const round = (x) => Math.round(x * 100) / 100;
const undetected = new Set(['Survived', 'NoCoverage']);

/**
 * Scores every file of `report`. An equivalent matches a surviving (or uncovered) mutant by file,
 * mutator, original text and replacement, and by column when it gives one (to name one of several
 * identical mutants on a line); its line only tells apart identical mutants at different places,
 * because lines move whenever code above them changes. `stale` lists the equivalents of the scored
 * files that matched nothing (the code changed or a test now kills the mutant).
 */
export function scoreFiles(report, equivalents, { measuredAt, tests }) {
  const used = new Set();
  const files = [];
  for (const [path, file] of Object.entries(report.files)) {
    const count = (status) => file.mutants.filter((m) => m.status === status).length;
    const equivalent = [];
    const survivors = [];
    for (const m of file.mutants.filter((x) => undetected.has(x.status))) {
      const described = { line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName, original: originalText(file.source, m.location), replacement: m.replacement ?? '', status: m.status };
      const candidates = equivalents.filter(
        (e) => e.file === path && e.mutator === described.mutator && e.original === described.original && e.replacement === described.replacement && (e.column === undefined || e.column === described.column),
      );
      const match = candidates.length > 1 ? candidates.find((e) => e.line === described.line) : candidates[0];
      if (match) {
        used.add(match);
        equivalent.push({ ...described, reason: match.reason });
      } else survivors.push(described);
    }
    const killed = count('Killed');
    const timeout = count('Timeout');
    const valid = killed + timeout + count('Survived') + count('NoCoverage');
    const detectable = valid - equivalent.length;
    files.push({
      file: path,
      mutants: file.mutants.length,
      killed,
      survived: count('Survived'),
      noCoverage: count('NoCoverage'),
      timeout,
      compileOrRuntimeErrors: count('CompileError') + count('RuntimeError'),
      ignored: count('Ignored'),
      equivalent: equivalent.length,
      // Stryker's own score, then the score with the named equivalent mutants set aside.
      rawScore: valid === 0 ? 100 : round(((killed + timeout) / valid) * 100),
      score: detectable === 0 ? 100 : round(((killed + timeout) / detectable) * 100),
      survivors,
      equivalents: equivalent,
      measuredAt,
      tests,
    });
  }
  const scored = new Set(files.map((f) => f.file));
  return { files, stale: equivalents.filter((e) => scored.has(e.file) && !used.has(e)) };
}

/** The results after a run: files mutated in it replace their entries, the others keep theirs. */
export function mergeResults(previous, measured) {
  const byFile = new Map(previous.map((f) => [f.file, f]));
  for (const f of measured) byFile.set(f.file, f);
  return [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * The folder under .tools/mutation/ for one run's report and sandboxes, so that two runs at once (on
 * different files) do not overwrite or delete each other's report: LOKET_MUTATION_RUN when given,
 * else derived from the --mutate list, else "all".
 */
export function runDirName(run, mutate) {
  const name = (run || mutate || 'all').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  if (!name) return 'all';
  return name.length <= 80 ? name : `${name.slice(0, 60)}-${hash(name)}`;
}

function hash(text) {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16);
}
