// Type-checks every runtime with its own tsconfig (each has its own libs: no DOM in main, no Node in renderer).
import { spawnSync } from 'node:child_process';

const projects = ['shared', 'state-machines', 'main', 'main/preload', 'renderer', 'hq', 'tests', '.'];
let failed = false;
for (const project of projects) {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project, '--noEmit'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`typecheck failed in ${project}/`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
