// `node scripts/with-node.mjs <command> [args…]`: runs the command under a supported Node
// (scripts/supported-node.mjs): the machine's when new enough, else the LTS fetched into .tools/node/.
import { spawnSync } from 'node:child_process';
import { ensureSupportedNode } from './supported-node.mjs';

ensureSupportedNode();
const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/with-node.mjs <command> [args…]');
  process.exit(2);
}
const r = spawnSync(cmd, args, { stdio: 'inherit' });
if (r.error) {
  console.error(`${cmd}: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? 1);
