import { expect, test } from './fixtures';
import { docScreenshot, expectNoSeriousA11yIssues, tabTo } from './a11y';

// Keyboard alone through first run, sign-in and unlock; axe-core on every shared screen and every
// page of the branch head's workspace. Role screens (door, desk, display) have their own specs.

const head = { id: 'kepala.akses', name: 'Kepala Uji Akses', pin: '591736' };

test('first run, sign-in and unlock work by keyboard alone; axe finds no serious issue on any screen', async ({ page, loket }) => {
  test.setTimeout(120_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(loket.url);
  await expect(page.getByLabel('Kode cabang', { exact: true })).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'first run');
  await page.screenshot({ path: docScreenshot('first-run'), fullPage: true });

  // First run with the keyboard: Tab to each field in order, type, Enter submits.
  for (const [label, value] of [
    ['Kode cabang', 'UJI05'],
    ['Nama cabang', 'Cabang Uji Akses'],
    ['ID staf', head.id],
    ['Nama', head.name],
    ['PIN', head.pin],
    ['Ulangi PIN', head.pin],
  ] as const) {
    await tabTo(page, label);
    await page.keyboard.type(value);
  }
  await page.keyboard.press('Enter');
  const status = page.getByTestId('status-bar');
  await expect(status).toContainText(head.name);
  await expect(status.getByTestId('status-data')).toHaveText('Data lokal siap');

  // Every page of the head's workspace.
  for (const [nav, shot] of [
    ['Tinjauan', 'head-review'],
    ['Kasus', 'head-cases'],
    ['Dasbor', 'head-dashboard'],
    ['Staf', 'head-staff'],
    ['Sinkronisasi', 'head-sync'],
    ['Pengaturan', 'head-settings'],
  ] as const) {
    await page.getByRole('button', { name: nav, exact: true }).click();
    await expect(page.getByRole('button', { name: nav, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('#content h1').first()).toBeVisible();
    await expectNoSeriousA11yIssues(page, nav);
    await page.screenshot({ path: docScreenshot(shot), fullPage: true });
  }

  // Lock (stepping away), then unlock with the keyboard.
  await page.getByRole('button', { name: 'Kunci', exact: true }).click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'lock screen');
  await page.screenshot({ path: docScreenshot('lock'), fullPage: true });
  await page.getByLabel('PIN', { exact: true }).focus();
  await page.keyboard.type(head.pin);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);

  // Sign out; sign in again by keyboard.
  await page.getByRole('button', { name: 'Keluar', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Masuk', exact: true })).toBeVisible();
  await expectNoSeriousA11yIssues(page, 'sign-in');
  await page.screenshot({ path: docScreenshot('sign-in'), fullPage: true });
  await page.getByLabel('ID staf', { exact: true }).focus();
  await page.keyboard.type(head.id);
  await tabTo(page, 'PIN');
  await page.keyboard.type(head.pin);
  await page.keyboard.press('Enter');
  await expect(status).toContainText(head.name);

  expect(consoleErrors.filter((e) => !/favicon|Failed to load resource/.test(e))).toEqual([]);
});
