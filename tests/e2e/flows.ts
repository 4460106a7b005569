import { expect, type Locator, type Page } from '@playwright/test';

export async function signIn(page: Page, staffId: string, pin: string): Promise<void> {
  await page.getByLabel('ID staf', { exact: true }).fill(staffId);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Keluar', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Masuk', exact: true })).toBeVisible();
}

/** First-run setup through the UI; leaves the new head signed in. */
export async function completeFirstRun(page: Page, head: { id: string; name: string; pin: string }): Promise<void> {
  await page.getByLabel('Kode cabang', { exact: true }).fill('UJI02');
  await page.getByLabel('Nama cabang', { exact: true }).fill('Cabang Uji Dua');
  await page.getByLabel('ID staf', { exact: true }).fill(head.id);
  await page.getByLabel('Nama', { exact: true }).fill(head.name);
  await page.getByLabel('PIN', { exact: true }).fill(head.pin);
  await page.getByLabel('Ulangi PIN', { exact: true }).fill(head.pin);
  await page.getByLabel('Ulangi PIN', { exact: true }).press('Enter');
  await expect(page.getByTestId('status-bar')).toContainText(head.name);
}

export type StaffRoleLabel = 'Satpam' | 'Petugas Loket' | 'Kepala Cabang' | 'Admin';

/** The head (signed in) adds a staff account on the Staf page. */
export async function addStaff(page: Page, who: { id: string; name: string; pin: string; role: StaffRoleLabel }): Promise<void> {
  await page.getByRole('button', { name: 'Staf', exact: true }).click();
  await page.getByLabel('ID staf', { exact: true }).fill(who.id);
  await page.getByLabel('Nama', { exact: true }).fill(who.name);
  await page.getByLabel('Peran', { exact: true }).selectOption({ label: who.role });
  await page.getByLabel('PIN', { exact: true }).fill(who.pin);
  await page.getByLabel('Ulangi PIN', { exact: true }).fill(who.pin);
  await page.getByRole('button', { name: 'Tambah staf', exact: true }).click();
  await expect(page.locator(`[data-staff-id="${who.id}"]`)).toContainText(who.name);
}

/**
 * Headless Chromium has no print dialog: counts `window.print()` calls instead (the app's code is
 * unchanged). Call before `page.goto`; read the count with `printsOf`.
 */
export async function countPrints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __prints: number; print: () => void };
    w.__prints = 0;
    w.print = () => void (w.__prints += 1);
  });
}

export function printsOf(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __prints: number }).__prints);
}

/**
 * The identity check, each question answered explicitly (issue 16: a refusal for identity rests on
 * a recorded outcome, never on an empty submission). `answers`: question (its legend) → Ya / Tidak.
 */
export async function answerIdentity(scope: Locator, answers: Record<string, boolean>): Promise<void> {
  for (const [question, yes] of Object.entries(answers)) {
    await scope.getByRole('group', { name: question, exact: true }).getByLabel(yes ? 'Ya' : 'Tidak', { exact: true }).check();
  }
}
