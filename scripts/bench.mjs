// `npm run bench`: runs every tests/bench/*.bench.ts; each writes tests/bench/results/<name>.json.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

const benches = fs.readdirSync('tests/bench').filter((f) => f.endsWith('.bench.ts')).sort();
let failed = false;
for (const bench of benches) {
  console.log(`\n=== ${bench}`);
  const r = spawnSync('npx', ['tsx', `tests/bench/${bench}`], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
