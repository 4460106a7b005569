import { expect, screenshotPath, test } from './fixtures';
import { completeFirstRun } from './flows';

const head = { id: 'kepala.dua', name: 'Kepala Uji Dua', pin: '730581' };

test('the screen locks after the configured idle minutes and only the same PIN unlocks it', async ({ page, loket }) => {
  await page.clock.install();
  await page.goto(loket.url);
  await completeFirstRun(page, head);

  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  await page.getByLabel('Kunci otomatis (menit)', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Simpan pengaturan', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Pengaturan tersimpan' })).toBeVisible();

  // Activity keeps it open; a full idle minute locks it.
  await page.clock.fastForward(40_000);
  await page.mouse.move(200, 200);
  await page.clock.fastForward(40_000);
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  await page.clock.fastForward(65_000);
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await page.screenshot({ path: screenshotPath('10-auto-locked'), fullPage: true });

  // While locked, main refuses staff data too (not just the UI hiding it).
  const refused = await page.evaluate(async () => {
    const res = await fetch('/api/call', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'staff.list' }) });
    return ((await res.json()) as { error?: { code: string } }).error?.code;
  });
  expect(refused).toBe('SESSION_LOCKED');

  await page.getByLabel('PIN', { exact: true }).fill('999991');
  await page.getByRole('button', { name: 'Buka kunci', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('PIN salah');
  await page.getByLabel('PIN', { exact: true }).fill(head.pin);
  await page.getByRole('button', { name: 'Buka kunci', exact: true }).click();
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  // Back where the head was (Settings), not on a fresh page.
  await expect(page.getByLabel('Kunci otomatis (menit)', { exact: true })).toBeVisible();
});
