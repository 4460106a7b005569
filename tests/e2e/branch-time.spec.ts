import { expect, test } from './fixtures';
import { completeFirstRun } from './flows';

// Issue 16 (9, 10): the status bar clock shows the branch's time (its zone from the profile, WIB
// until set), whatever the PC's own time zone; the head sets the zone and local closed days in
// Settings. Generated staff only.
const head = { id: 'kepala.zona', name: 'Kepala Uji Zona', pin: '802459' };

// 2 March 2026, 01:30 UTC: 08:30 WIB, 09:30 WITA, 10:30 WIT; 20:30 the day before in New York.
const INSTANT = new Date('2026-03-02T01:30:00Z');

test.use({ timezoneId: 'America/New_York' });

test('status bar clock in the branch zone, not the PC zone; the head sets WITA and a local closed day', async ({ page, loket }) => {
  await page.clock.setFixedTime(INSTANT);
  await page.goto(loket.url);
  await completeFirstRun(page, head);
  const status = page.getByTestId('status-bar');
  await expect(status.getByTestId('status-clock')).toHaveText('08:30');
  await expect(status.getByTestId('status-zone')).toHaveText('WIB');

  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  const panel = page.getByTestId('branch-calendar');
  await panel.getByLabel('Zona waktu cabang').selectOption('WITA');
  await panel.getByRole('button', { name: 'Simpan zona waktu' }).click();
  await expect(panel.getByRole('status')).toContainText('WITA (UTC+8)');
  await expect(status.getByTestId('status-clock')).toHaveText('09:30');
  await expect(status.getByTestId('status-zone')).toHaveText('WITA');

  // A local closed day, on top of the national calendar shipped with the app.
  await expect(panel).toContainText('SKB');
  await panel.getByLabel('Tanggal tutup').fill('2026-03-09');
  await panel.getByLabel('Keterangan').fill('Renovasi kantor');
  await panel.getByRole('button', { name: 'Tambah hari tutup' }).click();
  await expect(panel.getByTestId('local-closures')).toContainText('Renovasi kantor');
  await page.screenshot({ path: 'docs/screenshots/settings-branch-time.png', fullPage: true });

  // Kept after a reload (profile and settings in main).
  await page.reload();
  await expect(page.getByTestId('status-clock')).toHaveText('09:30');
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  await expect(page.getByTestId('local-closures')).toContainText('2026-03-09');
  await page.getByRole('button', { name: 'Hapus 2026-03-09' }).click();
  await expect(page.getByTestId('local-closures')).toContainText('Belum ada hari tutup khusus');
});
