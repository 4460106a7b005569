import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

// Issue 18 pt 9: the release workflow is gated on the test suite, runs on Node 24, pins every action by
// commit SHA (a tag can be moved to other code; a SHA cannot) and attests the build's provenance.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, '.github/workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  uses?: string;
  steps?: Step[];
  permissions?: Record<string, string>;
  container?: unknown;
}
interface Workflow {
  jobs: Record<string, Job>;
}

const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/;

/** Every `uses:` line of a workflow's text (steps and reusable-workflow jobs), comment included. */
function usesLines(text: string): { ref: string; comment: string }[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(#.*)?$/gm)].map((m) => ({ ref: m[1] ?? '', comment: m[2] ?? '' }));
}

describe('GitHub workflows', () => {
  it('pin every action by a full commit SHA, with the release it is named beside', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const lines = usesLines(readFileSync(join(dir, file), 'utf8'));
      expect(lines.length, file).toBeGreaterThan(0);
      for (const { ref, comment } of lines) {
        expect(ref, `${file}: ${ref}`).toMatch(PINNED);
        expect(comment, `${file}: ${ref} names its release`).toMatch(/^# v\d+(\.\d+)*$/);
      }
    }
  });

  it('the pin check refuses a tag, a branch and a short SHA', () => {
    const text = ['      - uses: actions/checkout@v4', '      - uses: actions/setup-node@main', '      - uses: actions/cache@1bd1e32'].join('\n');
    for (const { ref } of usesLines(text)) expect(ref).not.toMatch(PINNED);
    expect(usesLines(text)).toHaveLength(3);
  });

  describe('release.yml', () => {
    const text = readFileSync(join(dir, 'release.yml'), 'utf8');
    const wf = load(text) as Workflow;
    const steps = (job: string) => wf.jobs[job]?.steps ?? [];

    it('packages only after the whole test suite passed (the CI script: npm ci, then npm test)', () => {
      expect(wf.jobs.windows?.needs).toBe('test');
      expect(JSON.stringify(steps('test'))).toContain('bash .ci/run');
      expect(readFileSync(join(root, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
    });

    it('runs on Node 24 (issue 18 pt 10)', () => {
      for (const job of ['test', 'windows']) {
        const setup = steps(job).find((s) => s.uses?.startsWith('actions/setup-node@'));
        expect(setup?.with?.['node-version'], job).toBe(24);
      }
    });

    it('attests the installer’s build provenance, with only the permissions that needs', () => {
      const attest = steps('windows').find((s) => s.uses?.startsWith('actions/attest-build-provenance@'));
      expect(String(attest?.with?.['subject-path'])).toContain('dist/*.exe');
      expect(wf.jobs.windows?.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
      // The attestation is made after signing, so it covers the signed installer.
      const index = (prefix: string) => steps('windows').findIndex((s) => JSON.stringify(s).includes(prefix));
      expect(index('attest-build-provenance')).toBeGreaterThan(index('electron-builder --win'));
    });
  });
});
