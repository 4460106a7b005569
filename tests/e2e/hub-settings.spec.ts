import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { buildHq, type HqApp } from '../../hq/app';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { pgliteSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { docScreenshot, expectNoSeriousA11yIssues } from './a11y';
import { expect, startServer, test } from './fixtures';
import { completeFirstRun } from './flows';

// Settings → Branch hub (issue 17 pts 1-3), two browser-mode PCs and a real HQ (PGlite) on
// 127.0.0.1: the head makes PC A the branch hub in one step (with a confirmation) and PC A shows
// its pairing code in large type; HQ goes away; on PC B the head types the hub's address and a
// wrong code (refused, nothing kept), then the right one: PC B uses the hub, paired by code.

// The hub listens on loopback here (a real branch: every interface, port 47600).
process.env.LOKET_HUB_HOST = '127.0.0.1';
process.env.LOKET_HUB_PORT = '0';

const headA = { id: 'kepala.hub', name: 'Kepala Uji Hub', pin: '802417' };
const BRANCH = 'UJI02'; // the code completeFirstRun gives the branch

let db: Sql;
let hq: HqApp | null = null;
let hqPort = 0;

test.beforeAll(async () => {
  db = await pgliteSql(undefined);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Dua' });
  hq = buildHq({ db, log: createLogger({ level: 'silent' }) });
  await hq.listen({ host: '127.0.0.1', port: 0 });
  hqPort = (hq.server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await hq?.close();
  await db?.close();
});

async function connectToHq(page: Page, deviceName: string): Promise<void> {
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  const form = page.getByTestId('connect-hq');
  const { code } = await createEnrolCode(db, BRANCH);
  await form.getByLabel('Alamat HQ', { exact: true }).fill(`http://127.0.0.1:${hqPort}`);
  await form.getByLabel('Kode pendaftaran', { exact: true }).fill(code);
  await form.getByLabel('Nama perangkat', { exact: true }).fill(deviceName);
  await form.getByRole('button', { name: 'Hubungkan', exact: true }).click();
  await expect(form.getByRole('status')).toContainText(`cabang ${BRANCH}`);
}

test('the head makes this PC the branch hub; another PC pairs with it by address and code while HQ is away', async ({ page, loket, browser }) => {
  test.setTimeout(360_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  // Two PCs of branch UJI02, both enrolled with HQ (the hub knows PCs by their HQ credentials).
  await page.goto(loket.url);
  await completeFirstRun(page, headA);
  await connectToHq(page, 'PC Hub Uji');
  const { server: pcB, child: childB } = await startServer();
  const contextB = await browser.newContext();
  try {
    const pageB = await contextB.newPage();
    await pageB.goto(pcB.url);
    await completeFirstRun(pageB, headA);
    await connectToHq(pageB, 'PC Loket Dua');

    // PC A: Settings → Branch hub → "make this PC the branch hub", confirmed.
    const panel = page.getByTestId('hub-panel');
    await expect(panel.getByTestId('hub-role')).toHaveAttribute('data-role', 'none');
    await panel.getByRole('button', { name: 'Jadikan PC ini hub cabang', exact: true }).click();
    const confirm = panel.getByTestId('hub-confirm');
    await expect(confirm.getByRole('heading')).toBeFocused();
    await expect(confirm).toContainText('harus tetap menyala selama jam layanan');
    await confirm.getByRole('button', { name: 'Ya, jadikan PC ini hub', exact: true }).click();
    await expect(panel.getByTestId('hub-role')).toHaveAttribute('data-role', 'host', { timeout: 60_000 });
    // The hub's first start makes its database and certificate (tens of seconds on a busy machine).
    const codeShown = panel.getByTestId('hub-short-code');
    await expect(codeShown).toHaveText(/^\d{4}-\d{4}$/, { timeout: 150_000 });
    const code = (await codeShown.textContent())!;
    await expect(panel.getByRole('button', { name: 'Berhenti menjadi hub', exact: true })).toBeVisible();
    await expectNoSeriousA11yIssues(page, 'settings: this PC is the hub');
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: docScreenshot('head-settings-hub') });

    // Where the hub listens, as it told HQ.
    let hubPort = 0;
    await expect
      .poll(
        async () => {
          const { rows } = await db.query<{ hub_addresses: { host: string; port: number }[] | null }>('SELECT hub_addresses FROM branches WHERE code = $1', [BRANCH]);
          hubPort = rows[0]?.hub_addresses?.[0]?.port ?? 0;
          return hubPort;
        },
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);

    // The WAN goes down: HQ can vouch for nothing now.
    await hq!.close();
    hq = null;

    // PC B: if it already learnt the hub from HQ, the head forgets it first, to pair by hand.
    await pageB.getByRole('button', { name: 'Pengaturan', exact: true }).click();
    const panelB = pageB.getByTestId('hub-panel');
    const forget = panelB.getByRole('button', { name: 'Lupakan hub ini', exact: true });
    if (await forget.isVisible()) {
      await forget.click();
      await expect(panelB.getByTestId('hub-role')).toHaveAttribute('data-role', 'none');
    }
    const form = panelB.getByTestId('hub-connect');
    await form.getByLabel('Alamat hub (IP atau nama PC)', { exact: true }).fill('127.0.0.1');
    await form.getByLabel('Port', { exact: true }).fill(String(hubPort));
    // A wrong code: refused, with what to do; nothing kept.
    const wrong = code.replace(/^\d/, (d) => String((Number(d) + 1) % 10));
    await form.getByLabel('Kode pasangan', { exact: true }).fill(wrong);
    await form.getByLabel('Kode pasangan', { exact: true }).press('Enter');
    await expect(panelB.getByRole('alert')).toContainText('Kode tidak cocok dengan hub di alamat ini', { timeout: 20_000 });
    await expect(panelB.getByTestId('hub-role')).toHaveAttribute('data-role', 'none');
    // The right code: PC B uses the hub, paired by code, and reaches it.
    await form.getByLabel('Kode pasangan', { exact: true }).fill(code);
    await form.getByRole('button', { name: 'Sambungkan', exact: true }).click();
    await expect(panelB.getByRole('status')).toContainText(`PC ini memakai hub di 127.0.0.1:${hubPort}`, { timeout: 20_000 });
    await expect(panelB.getByTestId('hub-role')).toHaveText(`PC ini memakai hub cabang di 127.0.0.1:${hubPort} (dipasangkan dengan kode).`);
    await expect(panelB.getByTestId('hub-connected')).toHaveAttribute('data-connected', 'true', { timeout: 20_000 });
    await expectNoSeriousA11yIssues(pageB, 'settings: paired with the hub');
    await panelB.scrollIntoViewIfNeeded();
    await panelB.screenshot({ path: docScreenshot('head-settings-hub-paired') });
  } finally {
    await contextB.close();
    childB.kill('SIGTERM');
    fs.rmSync(pcB.dataDir, { recursive: true, force: true });
  }
  expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
});
