import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import path from 'node:path';

/** axe-core on the current page: no serious or critical violation (each reported with its nodes). */
export async function expectNoSeriousA11yIssues(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${where}`).toEqual([]);
}

/** Screenshots of every screen, kept in the repo and linked from the README (generated data only). */
export function docScreenshot(name: string): string {
  return path.join('docs', 'screenshots', `${name}.png`);
}

/**
 * Moves focus with Tab alone until the focused element is labelled `label` (at most `max` presses),
 * so a test proves the field is reachable by keyboard, in order, without clicking.
 */
export async function tabTo(page: Page, label: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null) ?? el.closest('label')?.textContent ?? el.textContent;
      return (labelled ?? '').trim();
    });
    if (focused === label) return;
  }
  throw new Error(`"${label}" was not reached with ${max} Tab presses`);
}
