import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Browser, Page, TestInfo } from '@playwright/test';
import { buildHq, type HqApp } from '../../hq/app';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { pgliteSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { composeNik } from '@shared/identity/nik';
import { expect } from './fixtures';
import { addStaff, completeFirstRun, countPrints } from './flows';
import { NetSwitch } from './net-switch';

// A branch of browser-mode PCs enrolled with a real HQ (Fastify on PGlite, 127.0.0.1) behind a
// switch that cuts the WAN, for the branch hub specs (issue 17: branch-hub.spec, hub-faults.spec).
// Generated people and staff only.

export const BRANCH = 'UJI02'; // the code completeFirstRun gives the branch
export const SERVICE = 'jmo-reset';

export const heads = {
  head: { id: 'kepala.hub', name: 'Kepala Uji Hub', pin: '802461' },
  door: { id: 'kepala.pintu', name: 'Kepala Uji Pintu', pin: '802462' },
  c1: { id: 'kepala.loket.satu', name: 'Kepala Uji Loket Satu', pin: '802463' },
  c2: { id: 'kepala.loket.dua', name: 'Kepala Uji Loket Dua', pin: '802464' },
};
export const satpam = { id: 'satpam.hub', name: 'Satpam Uji Hub', pin: '731961', role: 'Satpam' as const };
export const officer1 = { id: 'petugas.satu', name: 'Petugas Uji Satu', pin: '480261', role: 'Petugas Loket' as const };
export const officer2 = { id: 'petugas.dua', name: 'Petugas Uji Dua', pin: '480262', role: 'Petugas Loket' as const };

/** `n` generated people (valid NIKs, made-up names). */
export const generatedPeople = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    nik: composeNik({ regionCode: '317101', birthDate: `19${70 + i}-03-1${i % 10}`, sex: i % 2 ? 'female' : 'male', serial: 700 + i }),
    name: `Peserta Contoh ${i + 1}`,
  }));

/** The hub listens on loopback with any free port; no multicast in CI. Call before any server starts. */
export function hubOnLoopback(): void {
  process.env.LOKET_HUB_HOST = '127.0.0.1';
  process.env.LOKET_HUB_PORT = '0';
  process.env.LOKET_MDNS = '0';
}

export interface BranchHq {
  db: Sql;
  hq: HqApp;
  wan: NetSwitch;
  /** HQ's address as the branch's PCs reach it (through the switch). */
  wanUrl: string;
  close(): Promise<void>;
}

/** HQ with the branch, listening on 127.0.0.1 behind the WAN switch. */
export async function startBranchHq(): Promise<BranchHq> {
  const db = await pgliteSql(undefined);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Dua' });
  const hq = buildHq({ db, log: createLogger({ level: 'silent' }) });
  await hq.listen({ host: '127.0.0.1', port: 0 });
  const wan = new NetSwitch({ host: '127.0.0.1', port: (hq.server.address() as AddressInfo).port });
  const wanUrl = await wan.listen();
  return {
    db,
    hq,
    wan,
    wanUrl,
    close: async () => {
      await wan.close();
      await hq.close();
      await db.close();
    },
  };
}

export async function newPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const page = await context.newPage();
  await countPrints(page);
  await page.goto(url);
  return page;
}

export async function connectToHq(b: BranchHq, page: Page, deviceName: string): Promise<void> {
  const { code } = await createEnrolCode(b.db, BRANCH);
  await page.getByRole('button', { name: 'Pengaturan', exact: true }).click();
  const form = page.getByTestId('connect-hq');
  await form.getByLabel('Alamat HQ', { exact: true }).fill(b.wanUrl);
  await form.getByLabel('Kode pendaftaran', { exact: true }).fill(code);
  await form.getByLabel('Nama perangkat', { exact: true }).fill(deviceName);
  await form.getByRole('button', { name: 'Hubungkan', exact: true }).click();
  await expect(page.getByTestId('status-hq-link')).toHaveText('HQ: terhubung', { timeout: 30_000 });
}

/** A PC of the branch before it is enrolled: first run (its own head), its own staff. */
export async function preparePc(browser: Browser, url: string, head: { id: string; name: string; pin: string }, staff: Parameters<typeof addStaff>[1][]): Promise<Page> {
  const page = await newPage(browser, url);
  await completeFirstRun(page, head);
  for (const s of staff) await addStaff(page, s);
  return page;
}

/** A PC of the branch: first run (its own head), its own staff, enrolled with HQ. */
export async function setUpPc(b: BranchHq, browser: Browser, url: string, head: { id: string; name: string; pin: string }, deviceName: string, staff: Parameters<typeof addStaff>[1][]): Promise<Page> {
  const page = await preparePc(browser, url, head, staff);
  await connectToHq(b, page, deviceName);
  return page;
}

/** The head makes `head`'s PC the branch hub in Settings (confirmed); resolves once it hosts. */
export async function makeHub(head: Page): Promise<void> {
  const panel = head.getByTestId('hub-panel');
  await panel.getByRole('button', { name: 'Jadikan PC ini hub cabang', exact: true }).click();
  await panel.getByTestId('hub-confirm').getByRole('button', { name: 'Ya, jadikan PC ini hub', exact: true }).click();
  await expect(panel.getByTestId('hub-role')).toHaveAttribute('data-role', 'host', { timeout: 60_000 });
}

/** `hub.callNext` over the app's HTTP bridge with the signed-in page's session: what F2 asks main. */
export async function callNext(page: Page, url: string, counter: string): Promise<string | null> {
  const res = await page.request.post(`${url}/api/call`, {
    data: { channel: 'hub.callNext', request: { services: [SERVICE], counter, requestId: randomUUID() } },
    headers: { origin: url },
  });
  const body = (await res.json()) as { ok: boolean; value?: { ticket: { number: string } | null }; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`hub.callNext at counter ${counter}: ${body.error?.code} ${body.error?.message}`);
  return body.value!.ticket?.number ?? null;
}

/** How long each part of a spec took, as 'phase' annotations in the report. */
export function phases(info: TestInfo): (name: string) => void {
  let mark = Date.now();
  return (name) => {
    const description = `${name}: ${((Date.now() - mark) / 1000).toFixed(1)} s`;
    info.annotations.push({ type: 'phase', description });
    console.info(`phase ${description}`);
    mark = Date.now();
  };
}
