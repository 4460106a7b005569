import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { buildHq, type HqApp } from '../../hq/app';
import { pgliteSql, type Sql } from '../../hq/db';
import { branchDeviceKeys } from '../../hq/device-audit';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { importHandcarry, type HandcarryEnvelope } from '../../renderer/src/data/handcarry';
import { expect, screenshotPath, test } from './fixtures';
import { completeFirstRun } from './flows';

// The branch head's hand-carry export on the Sync page (docs/handcarry-format.md): passphrase
// twice with its rules, the device's signing key from main (kept in its vault, the same key on every
// export), the `.loket` download under the app's CSP, and the file checked by HQ's import command:
// accepted with the right passphrase, rejected with a wrong one or after an edit.
// The records inside come from the sync status store; reading real pending records from the local
// database is covered in tests/unit/data/handcarry-collect.test.ts (no screen writes records yet).
// The import trusts only device keys HQ registered (issue 18 pt 7): the PC enrols to a real HQ (PGlite
// in a folder), which registers its key; the import command then reads HQ's database in that folder.

const run = promisify(execFile);
const head = { id: 'kepala.bawa', name: 'Kepala Uji Bawa', pin: '802417' };
const BRANCH = 'UJI02'; // the code completeFirstRun gives the branch
const PASS = 'sate ayam pedas dua porsi';

const hqDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-handcarry-hq-'));
let db: Sql | null = null;
let hq: HqApp | null = null;

test.beforeAll(async () => {
  db = await pgliteSql(hqDir);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Dua' });
  hq = buildHq({ db, log: createLogger({ level: 'silent' }) });
  await hq.listen({ host: '127.0.0.1', port: 0 });
});

/** HQ stops (a PGlite folder has one user at a time), so its import command can read the folder. */
async function stopHq(): Promise<void> {
  await hq?.close();
  await db?.close();
  hq = null;
  db = null;
}

test.afterAll(async () => {
  await stopHq();
  fs.rmSync(hqDir, { recursive: true, force: true });
});

/** HQ's import command, as HQ runs it on its database; resolves with its exit code and one JSON line. */
async function importCli(file: string, passphrase: string): Promise<{ code: number; out: { ok: boolean; error?: { code: string }; meta?: { recordCount: number; keyThumbprint: string } } }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOKET_HANDCARRY_PASSPHRASE: passphrase, HQ_DATA_DIR: hqDir };
  delete env.DATABASE_URL;
  try {
    const r = await run(path.resolve('node_modules/.bin/tsx'), ['scripts/handcarry-import.ts', file, '--branch', BRANCH, '--json'], { env });
    return { code: 0, out: JSON.parse(r.stdout) as never };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: err.code ?? -1, out: JSON.parse(err.stdout ?? '{}') as never };
  }
}

test('head exports a signed, encrypted hand-carry file that HQ imports; wrong passphrase and edits are rejected', async ({ page, loket }) => {
  test.setTimeout(180_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(loket.url);
  await completeFirstRun(page, head);

  // The PC enrols to HQ, which registers its device key (the key that signs hand-carry files).
  const { code } = await createEnrolCode(db!, BRANCH);
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  const form = page.getByTestId('connect-hq');
  await form.getByLabel('Alamat HQ', { exact: true }).fill(`http://127.0.0.1:${(hq!.server.address() as AddressInfo).port}`);
  await form.getByLabel('Kode pendaftaran', { exact: true }).fill(code);
  await form.getByLabel('Nama perangkat', { exact: true }).fill('PC Loket Bawa');
  await form.getByRole('button', { name: 'Hubungkan', exact: true }).click();
  await expect(form.getByRole('status')).toContainText(`cabang ${BRANCH}`);
  await expect.poll(async () => (await branchDeviceKeys(db!, BRANCH)).length, { timeout: 30_000 }).toBe(1);

  await page.getByRole('button', { name: 'Sinkronisasi', exact: true }).click();
  const card = page.getByTestId('handcarry');
  await expect(card).toBeVisible();
  await expect(card.getByTestId('handcarry-count')).toContainText('Catatan yang akan diekspor: 0');
  const pass = card.getByLabel('Frasa sandi', { exact: true });
  const again = card.getByLabel('Ulangi frasa sandi', { exact: true });
  const submit = card.getByRole('button', { name: 'Ekspor berkas bawa-tangan', exact: true });

  // Too short: refused with the rule, focus on the field, no file.
  await pass.fill('pendek');
  await expect(card.getByTestId('handcarry-strength')).toHaveAttribute('data-strength', 'weak');
  await pass.press('Enter');
  await expect(card.getByTestId('field-error-handcarry-passphrase')).toHaveText('Frasa sandi minimal 12 karakter; sekarang 6.');
  await expect(pass).toBeFocused();
  // The second entry differs: refused, focus there.
  await pass.fill(PASS);
  await expect(card.getByTestId('handcarry-strength')).toHaveAttribute('data-strength', 'strong');
  await again.fill(`${PASS}!`);
  await submit.click();
  await expect(card.getByTestId('field-error-handcarry-again')).toHaveText('Kedua frasa sandi tidak sama. Ketik ulang di kolom kedua.');
  await expect(again).toBeFocused();

  // Keyboard only: fix the second entry and press Enter.
  await again.fill(PASS);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), again.press('Enter')]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${BRANCH}-\\d{8}-\\d{4}\\.loket$`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-handcarry-'));
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const notice = card.locator('.alert--success');
  await expect(notice).toContainText(`0 catatan diekspor ke berkas ${download.suggestedFilename()}`);
  const print = /Sidik kunci perangkat: ([A-Za-z0-9_-]{43})/.exec((await notice.textContent()) ?? '')?.[1];
  expect(print).toBeTruthy();
  // The passphrase does not stay on screen after the export.
  await expect(pass).toHaveValue('');
  await expect(again).toHaveValue('');
  await page.screenshot({ path: screenshotPath('handcarry-01-exported'), fullPage: true });

  // HQ's import command accepts it: signed by the key HQ registered for this PC, whose fingerprint the head read out.
  await stopHq();
  const ok = await importCli(file, PASS);
  expect(ok).toMatchObject({ code: 0, out: { ok: true, meta: { recordCount: 0, keyThumbprint: print } } });
  // A wrong passphrase is rejected.
  expect(await importCli(file, 'frasa sandi yang salah')).toMatchObject({ code: 1, out: { ok: false, error: { code: 'WRONG_PASSPHRASE_OR_TAMPERED' } } });
  // An edited file is rejected (signature over every field), and a cut-off one is not a hand-carry file.
  const text = fs.readFileSync(file, 'utf8');
  const edited = JSON.parse(text) as HandcarryEnvelope;
  edited.createdAt = '2026-01-01T00:00:00.000Z';
  expect(await importHandcarry(JSON.stringify(edited), { passphrase: PASS, expectedBranchCode: BRANCH })).toMatchObject({ ok: false, error: { code: 'BAD_SIGNATURE' } });
  const flipped = { ...(JSON.parse(text) as HandcarryEnvelope) };
  flipped.ciphertext = (flipped.ciphertext[0] === 'A' ? 'B' : 'A') + flipped.ciphertext.slice(1);
  expect(await importHandcarry(JSON.stringify(flipped), { passphrase: PASS, expectedBranchCode: BRANCH })).toMatchObject({ ok: false, error: { code: 'BAD_SIGNATURE' } });
  expect(await importHandcarry(text.slice(0, text.length / 2), { passphrase: PASS, expectedBranchCode: BRANCH })).toMatchObject({ ok: false, error: { code: 'NOT_A_HANDCARRY_FILE' } });

  // A second export after a reload: the device key main keeps is the same, the file is new.
  await page.reload();
  await page.getByRole('button', { name: 'Sinkronisasi', exact: true }).click();
  await pass.fill(PASS);
  await again.fill(PASS);
  const [second] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), submit.click()]);
  const text2 = fs.readFileSync(await second.path(), 'utf8');
  const env1 = JSON.parse(text) as HandcarryEnvelope;
  const env2 = JSON.parse(text2) as HandcarryEnvelope;
  expect(env2.publicKey).toEqual(env1.publicKey);
  expect(env2.kdf.salt).not.toBe(env1.kdf.salt);
  expect(env2.kdf.iterations).toBe(600_000);
  fs.rmSync(dir, { recursive: true, force: true });

  expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
});
