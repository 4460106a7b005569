import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The renderer's CSS is split by screen (issue 19 pt 6) but still loaded as one cascade, through the
// @import list in styles/app.css. A stylesheet left out of that list (or listed twice) would silently
// drop (or reorder) rules, so every .css file under renderer/src must be reached exactly once.
const src = resolve('renderer/src');
const index = join(src, 'styles/app.css');

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cssFiles(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : [],
  );
}

/** The stylesheets in cascade order, following @import from `file` (app.css itself first). */
function importOrder(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const imports = [...text.matchAll(/@import\s+['"]([^'"]+)['"]\s*;/g)].map((m) => resolve(dirname(file), m[1]!));
  return [file, ...imports.flatMap(importOrder)];
}

const rel = (f: string) => relative(src, f).replaceAll('\\', '/');

describe('renderer stylesheets', () => {
  const order = importOrder(index).map(rel);

  it('loads every stylesheet under renderer/src exactly once, from styles/app.css', () => {
    expect([...order].sort()).toEqual(cssFiles(src).map(rel).sort());
    expect(new Set(order).size).toBe(order.length);
  });

  it('keeps the cascade order: tokens, then base, before any screen', () => {
    expect(order.slice(0, 3)).toEqual(['styles/app.css', 'styles/tokens.css', 'styles/base.css']);
  });

  it('keeps print media rules in the print stylesheets only', () => {
    const withPrint = order.filter((f) => /@media\s+print/.test(readFileSync(join(src, f), 'utf8')));
    expect(withPrint.length).toBeGreaterThan(0);
    for (const f of withPrint) expect(f).toMatch(/^styles\/print[\w-]*\.css$/);
  });

  it("puts a screen folder's rules beside it (screens/<folder>/<folder>.css)", () => {
    for (const f of order.filter((x) => x.startsWith('screens/'))) {
      const parts = f.split('/');
      expect(parts.at(-1)).toBe(`${parts.at(-2)}.css`);
    }
  });
});
