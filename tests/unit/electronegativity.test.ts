import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const script = join(root, 'scripts/electronegativity.mjs');
const fixtures = join(root, 'tests/unit/fixtures/electronegativity');
const work = mkdtempSync(join(tmpdir(), 'loket-eneg-'));

interface Summary {
  sources: number;
  counts: Record<string, { total: number }>;
  high: { id: string; file: string; toolSeverity: string }[];
  parseErrors: { file: string }[];
}

function scan(input: string) {
  const out = mkdtempSync(join(work, 'out-'));
  const r = spawnSync(process.execPath, [script, input, '--out', out], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  const summary = (): Summary => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out, summary };
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('electronegativity scan', () => {
  it('fails an app with nodeIntegration on and contextIsolation off, naming the checks', () => {
    const r = scan(join(fixtures, 'insecure'));
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const high = r.summary().high;
    expect(high.map((h) => h.id)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'NODE_INTEGRATION_JS_CHECK', 'WEB_SECURITY_JS_CHECK']));
    // nodeIntegration alone (contextIsolation on) still fails, through the Loket policy.
    expect(high).toContainEqual(expect.objectContaining({ id: 'NODE_INTEGRATION_JS_CHECK', file: expect.stringMatching(/node-integration\.ts$/) as unknown }));
    expect(r.stdout).toMatch(/^HIGH\s+\d+/m);
    expect(readFileSync(join(r.out, 'report.sarif'), 'utf8')).toContain('CONTEXT_ISOLATION_JS_CHECK');
  });

  it('passes a hardened app (context isolation, sandbox, no node integration, CSP, navigation limits)', () => {
    const r = scan(join(fixtures, 'hardened'));
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const summary = r.summary();
    expect(summary.sources).toBe(1);
    expect(summary.high).toEqual([]);
    expect(summary.counts.HIGH?.total).toBe(0);
    expect(r.stdout).toMatch(/^HIGH\s+0$/m);
    for (const severity of ['MEDIUM', 'LOW', 'INFORMATIONAL']) expect(r.stdout).toMatch(new RegExp(`^${severity}\\s+\\d+`, 'm'));
  });

  it('fails when a file cannot be parsed, since it was not scanned', () => {
    const dir = join(work, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.ts'), readFileSync(join(fixtures, 'hardened/main.ts'), 'utf8'));
    writeFileSync(join(dir, 'broken.ts'), 'export const = ;\n');
    const r = scan(dir);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.summary().parseErrors).toEqual([expect.objectContaining({ file: expect.stringMatching(/broken\.ts$/) as unknown })]);
  });

  it('fails when there is nothing to scan', () => {
    const dir = join(work, 'empty');
    mkdirSync(dir);
    const r = scan(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('nothing was scanned');
  });
});
