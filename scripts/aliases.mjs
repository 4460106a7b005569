// Path aliases (issue 19 pt 2): code outside shared/ and state-machines/ imports them as `@shared/…` and
// `@state-machines/…`, never `../../../shared/…`. One list for every tool that resolves imports at run
// time: electron-vite, Vitest, the bench harness build and the layer lint rule. tsconfig.base.json `paths`
// says the same for tsc, tsx and Playwright; tests/unit/aliases.test.ts checks that the two agree.
import path from 'node:path';

/** Alias → the folder of ours it names (relative to the repository root). */
export const aliasFolders = { '@shared': 'shared', '@state-machines': 'state-machines' };

/**
 * Alias → absolute folder under `root`, in the shape Vite's `resolve.alias` takes (`@shared` also matches
 * `@shared/x`). The caller names the root: config files are bundled before they run, so this module's own
 * location is not a reliable guide to it.
 */
export function aliasesAt(root) {
  return Object.fromEntries(Object.entries(aliasFolders).map(([alias, folder]) => [alias, path.join(root, folder)]));
}
