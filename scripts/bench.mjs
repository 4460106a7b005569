// `npm run bench`: runs every tests/bench/*.bench.ts; each writes tests/bench/results/<name>.json.
// `npm run bench -- sync local-db` runs only those (matched by file name). A file whose first line
// says `@bench-part` is run from another bench (hq-load.bench.ts is a section of sync.bench.ts, so
// that sync.json comes from one run) and is not run on its own here.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureSupportedNode } from './supported-node.mjs';

ensureSupportedNode();

const only = process.argv.slice(2);
const benches = fs
  .readdirSync('tests/bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !fs.readFileSync(`tests/bench/${f}`, 'utf8').split('\n', 1)[0].includes('@bench-part'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(`${name}.`) || f === name))
  .sort();
if (benches.length === 0) {
  console.error(`no bench matches ${only.join(', ')}`);
  process.exit(1);
}
let failed = false;
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  const r = spawnSync('npx', ['tsx', `tests/bench/${bench}`], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
