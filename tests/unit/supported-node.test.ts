import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { atLeast, NODE_LTS, NODE_MIN } from '../../scripts/supported-node.mjs';

// Issue 18 pt 10: the project runs on a supported Node LTS even where the machine's Node is older.
// `scripts/with-node.mjs` (used by `npm run hq`, `npm run web`) and the entry scripts of `npm test`,
// `npm start` and `npm run bench` re-run themselves under it.

describe('a supported Node', () => {
  it('the pinned LTS is at least the minimum, and package.json says so', async () => {
    expect(atLeast(NODE_LTS.version, NODE_MIN)).toBe(true);
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { engines: { node: string }; scripts: Record<string, string> };
    expect(pkg.engines.node).toBe(`>=${NODE_MIN}`);
    expect(pkg.scripts.hq).toMatch(/^node scripts\/with-node\.mjs /);
  });

  it('with-node runs the command under a Node of at least the minimum, whatever Node started it', () => {
    const r = spawnSync(process.execPath, ['scripts/with-node.mjs', 'node', '-p', 'process.versions.node'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const version = r.stdout.trim().split('\n').at(-1)!;
    expect(atLeast(version, NODE_MIN)).toBe(true);
  });

  it('passes the exit status through', () => {
    const r = spawnSync(process.execPath, ['scripts/with-node.mjs', 'node', '-e', 'process.exit(3)'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(3);
  });
});
