// `npm test`: typecheck, lint, unit + HQ tests, electronegativity, then the browser E2E suite.
// Steps run in order and all run even when one fails, so one report shows every failure.
import { spawnSync } from 'node:child_process';
import { ensureSupportedNode } from './supported-node.mjs';

ensureSupportedNode();

const steps = [
  ['typecheck', ['node', 'scripts/typecheck.mjs']],
  ['lint', ['npx', 'eslint', '.', '--max-warnings=0']],
  ['unit', ['npx', 'vitest', 'run']],
  ['security', ['node', 'scripts/electronegativity.mjs']],
  ['build', ['npx', 'electron-vite', 'build']],
  ['e2e', ['npx', 'playwright', 'test']],
];

const results = [];
for (const [name, [cmd, ...args]] of steps) {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  results.push({ name, ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds} s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
