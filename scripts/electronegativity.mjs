// Electron security scan (`npm run test:security`): runs @doyensec/electronegativity over the Electron
// main-process sources (TypeScript is parsed directly, no build needed) and fails on HIGH findings.
//
//   node scripts/electronegativity.mjs [inputDir=<repo>/main] [--out <dir>=<repo>/test-results/electronegativity]
//
// Writes <out>/report.sarif (every finding, all severities) and <out>/summary.json, prints one line
// per severity and the HIGH findings. Exit 1 when a HIGH finding exists, a file cannot be parsed
// (an unparsed file is an unscanned file), or there is nothing to scan; 0 otherwise.
// A reviewed false positive is silenced on its line with `// eng-disable <CHECK_ID>`.
//
// Known limits of electronegativity 1.10.3 on TypeScript: it only sees webPreferences written inline
// in `new BrowserWindow({ ... })` (an options variable reads as "missing" → false HIGH findings), and
// it drops nodeIntegration findings when the same webPreferences has a `sandbox` key.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
// Both fetch Electron's release list from GitHub at scan time: the result would depend on the network
// (and take seconds to time out offline). Electron currency is a dependency-update concern instead.
const EXCLUDED_CHECKS = ['availablesecurityfixesglobalcheck', 'electronversionjsoncheck'];
// The tool rates an explicit `nodeIntegration: true` INFORMATIONAL and a missing or false `sandbox` /
// `webSecurity: false` MEDIUM. DESIGN.md §4 makes all three hard requirements, so they fail like HIGH.
const POLICY_HIGH = new Set(['NODE_INTEGRATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']);
const SOURCE_EXT = /\.(?:[cm]?js|jsx|[cm]?ts|tsx|html?)$/;

function parseArgs(argv) {
  const args = { input: join(root, 'main'), out: join(root, 'test-results', 'electronegativity') };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') {
      const value = argv[++i];
      if (!value) throw new Error('--out needs a directory');
      args.out = resolve(value);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length > 1) throw new Error('give at most one input directory');
  if (positional[0]) args.input = resolve(positional[0]);
  return args;
}

function countSources(dir) {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) n += countSources(path);
    else if (SOURCE_EXT.test(entry.name) && !entry.name.endsWith('.d.ts')) n++;
  }
  return n;
}

// The tool's own i18n step downloads message catalogues from S3 before every run. Swap in an offline
// one using the catalogues shipped in the package, so the scan is deterministic and needs no network.
function loadRunnerOffline() {
  const i18nModulePath = require.resolve('@doyensec/electronegativity/dist/locales/i18n.js');
  require(i18nModulePath);
  const i18n = createRequire(i18nModulePath)('i18n');
  const cached = require.cache[i18nModulePath];
  if (!cached) throw new Error('electronegativity i18n module not in the require cache');
  cached.exports = async function offlineI18n() {
    i18n.configure({
      locales: ['en-US'],
      defaultLocale: 'en-US',
      directory: dirname(i18nModulePath),
      updateFiles: false,
      objectNotation: true,
      retryInDefaultLocale: true,
      register: global,
    });
    i18n.setLocale('en-US');
  };
  return require('@doyensec/electronegativity');
}

function electronVersion() {
  // The scanned folder has no package.json, so tell the tool which Electron's defaults apply.
  return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(args.input)) {
    console.error(`electronegativity: input ${args.input} does not exist`);
    return 1;
  }
  const sources = countSources(args.input);
  if (sources === 0) {
    console.error(`electronegativity: no JS/TS/HTML sources under ${args.input}; nothing was scanned`);
    return 1;
  }

  mkdirSync(args.out, { recursive: true });
  const reportPath = join(args.out, 'report.sarif');
  const run = loadRunnerOffline();
  const result = await run({
    input: args.input,
    output: reportPath,
    isSarif: true,
    isRelative: true,
    excludeFromScan: EXCLUDED_CHECKS,
    electronVersionOverride: electronVersion(),
  });

  const effective = (issue) => (POLICY_HIGH.has(issue.id) ? 'HIGH' : issue.severity.name);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, { total: 0, manualReview: 0, byPolicy: 0 }]));
  for (const issue of result.issues) {
    const c = counts[effective(issue)];
    if (!c) continue;
    c.total++;
    if (issue.manualReview) c.manualReview++;
    if (effective(issue) !== issue.severity.name) c.byPolicy++;
  }
  const high = result.issues.filter((i) => effective(i) === 'HIGH');
  const parseErrors = result.errors.filter((e) => !e.tolerable);
  const where = (file) => (file === 'N/A' ? 'N/A' : relative(root, resolve(args.input, file)));

  console.log(`electronegativity ${relative(root, args.input) || '.'}: ${sources} source files, ${result.atomicChecks} atomic + ${result.globalChecks} global checks`);
  for (const s of SEVERITIES) {
    const c = counts[s];
    const notes = [c.byPolicy && `${c.byPolicy} raised by Loket policy`, c.manualReview && `${c.manualReview} for manual review`].filter(Boolean);
    console.log(`${s.padEnd(13)} ${c.total}${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
  for (const i of high) {
    const tag = i.severity.name === 'HIGH' ? 'HIGH' : `HIGH (tool: ${i.severity.name})`;
    console.log(`  ${tag} ${i.id} ${where(i.file)}:${i.location.line}:${i.location.column} ${i.description} ${i.shortenedURL ?? ''}`.trimEnd());
  }
  for (const e of parseErrors) console.log(`  PARSE ERROR ${where(e.file)}: ${e.message}`);
  console.log(`report: ${relative(root, reportPath)}`);

  writeFileSync(
    join(args.out, 'summary.json'),
    JSON.stringify(
      {
        input: relative(root, args.input),
        sources,
        counts,
        high: high.map((i) => ({ id: i.id, toolSeverity: i.severity.name, file: where(i.file), line: i.location.line, column: i.location.column, manualReview: i.manualReview })),
        parseErrors: parseErrors.map((e) => ({ file: where(e.file), message: e.message })),
      },
      null,
      2,
    ) + '\n',
  );
  return high.length > 0 || parseErrors.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`electronegativity: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
