import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasFolders } from '../../scripts/aliases.mjs';
import { replay } from '@state-machines';
import { Role } from '@shared/staff/schema';

// tsc, tsx and Playwright read the aliases from tsconfig.base.json; Vite, Vitest and the lint rule
// from scripts/aliases.mjs. The two lists must say the same thing.
const root = path.resolve(import.meta.dirname, '../..');

function tsconfigPaths(): Record<string, string[]> {
  // tsconfig allows // comments; ours are whole lines.
  const text = fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return (JSON.parse(text) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
}

describe('path aliases', () => {
  it('tsconfig.base.json maps every alias of scripts/aliases.mjs to the same folder, and no other', () => {
    const paths = tsconfigPaths();
    for (const [alias, folder] of Object.entries(aliasFolders)) expect(paths[`${alias}/*`]).toEqual([`./${folder}/*`]);
    const named = Object.keys(paths).map((key) => key.replace(/\/\*$/, ''));
    expect(new Set(named)).toEqual(new Set(Object.keys(aliasFolders)));
  });

  it('every alias names a folder of ours that exists', () => {
    for (const folder of Object.values(aliasFolders)) expect(fs.statSync(path.join(root, folder)).isDirectory()).toBe(true);
  });

  it('resolves in this runtime (Vitest) to the real modules', () => {
    expect(typeof replay).toBe('function');
    expect(Role.options.length).toBeGreaterThan(0);
  });
});
