import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { docScreenshot } from './a11y';
import {
  BRANCH,
  SERVICE,
  callNext,
  generatedPeople,
  heads,
  hubOnLoopback,
  makeHub,
  officer1,
  officer2,
  phases,
  satpam,
  setUpPc,
  startBranchHq,
  type BranchHq,
} from './branch-setup';
import { expect, startServer, test } from './fixtures';
import { answerIdentity, signIn, signOut } from './flows';

// Issue 17 on screen: four browser-mode PCs of one branch (door, counter 1, counter 2, head + the
// waiting-room display), each with its own data directory and port, all enrolled with a real HQ
// (Fastify on PGlite, 127.0.0.1) behind a switch that cuts the WAN. The head makes the head PC the
// branch hub in Settings; the other PCs learn it from HQ. With the WAN cut the branch keeps working
// through the hub: 20 tickets at the door, both counters calling at once (each ticket called once),
// a refusal at counter 1 reviewed by the head on the head PC, the display showing both counters'
// calls. Once the WAN is back HQ holds each record once, authored by the PC that wrote it.
// Generated people and staff only.

hubOnLoopback();

const people = generatedPeople(20);
let b: BranchHq;
let db: BranchHq['db'];

test.beforeAll(async () => {
  b = await startBranchHq();
  db = b.db;
});

test.afterAll(async () => {
  await b?.close();
});

test('branch hub: four PCs keep the branch working through the hub while the WAN is cut; HQ then holds each record once, by its author', async ({ browser, loket }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  // How long each part took, in the report (the spec should stay well under 3 minutes).
  const phase = phases(test.info());
  try {
    for (let i = 0; i < 3; i++) servers.push(await startServer());
    const [doorUrl, c1Url, c2Url] = servers.map((s) => s.server.url) as [string, string, string];

    // The head PC: enrolled, then the head makes it the branch hub in Settings (confirmed).
    const head = await setUpPc(b, browser, loket.url, heads.head, 'PC Kepala Cabang', []);
    head.on('console', (m) => m.type() === 'error' && errors.push(`head: ${m.text()}`));
    await makeHub(head);
    const panel = head.getByTestId('hub-panel');

    // Meanwhile the other three PCs are set up and enrolled; they learn the hub from HQ.
    const [door, c1, c2] = await Promise.all([
      setUpPc(b, browser, doorUrl, heads.door, 'PC Pintu', [satpam]),
      setUpPc(b, browser, c1Url, heads.c1, 'PC Loket 1', [officer1]),
      setUpPc(b, browser, c2Url, heads.c2, 'PC Loket 2', [officer2]),
    ]);
    for (const [name, p] of [['door', door], ['c1', c1], ['c2', c2]] as const) p.on('console', (m) => m.type() === 'error' && errors.push(`${name}: ${m.text()}`));
    await expect(panel.getByTestId('hub-short-code')).toHaveText(/^\d{4}-\d{4}$/, { timeout: 150_000 });
    for (const p of [head, door, c1, c2]) {
      await expect(p.getByTestId('status-hub-link')).toContainText('Hub cabang: terhubung', { timeout: 60_000 });
    }
    await expect(door.getByTestId('hub-panel').getByTestId('hub-role')).toHaveAttribute('data-role', 'client');
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: docScreenshot('branch-hub-settings-host') });
    await door.getByTestId('hub-panel').screenshot({ path: docScreenshot('branch-hub-settings-client') });

    phase('setup, hub hosted and known to every PC');
    // The WAN is cut: HQ is unreachable from every PC and from the hub.
    b.wan.down();
    for (const p of [head, door, c1, c2]) await expect(p.getByTestId('status-hq-link')).toHaveText('HQ: tidak terhubung', { timeout: 30_000 });

    phase('WAN cut seen by every PC');
    // Door: security issues 20 personal tickets through the UI.
    await signOut(door);
    await signIn(door, satpam.id, satpam.pin);
    const doorScreen = door.locator('[data-screen="DoorScreen"]');
    const nikOf = new Map<string, string>();
    for (const person of people) {
      await doorScreen.getByRole('button', { name: /^Reset akun JMO/ }).click();
      await doorScreen.getByLabel('NIK peserta (16 angka)').fill(person.nik);
      await doorScreen.getByRole('button', { name: 'Terbitkan dan cetak tiket' }).click();
      const number = doorScreen.getByTestId('door-ticket-number');
      await expect(number).toHaveText(/^C\d-\d{3}$/);
      nikOf.set((await number.textContent())!.trim(), person.nik);
      await doorScreen.getByRole('button', { name: 'Orang berikutnya' }).click();
    }
    expect(nikOf.size).toBe(20);
    // Through the hub, not HQ: the door's records are at the branch, none only on this PC.
    await expect(door.getByTestId('status-hq-pending')).toHaveAttribute('data-local', '0', { timeout: 30_000 });
    await door.getByTestId('status-bar').screenshot({ path: docScreenshot('branch-hub-status-bar-wan-cut') });

    phase('20 tickets at the door');
    // Both counters see the 20 tickets (through the hub) and call at the same moment.
    const deskOf = async (p: Page, who: typeof officer1, counter: string) => {
      await signOut(p);
      await signIn(p, who.id, who.pin);
      await p.getByLabel('Loket', { exact: true }).selectOption({ label: `Loket ${counter}` });
      await expect(p.locator('[data-screen="Workbench"]').getByTestId(`desk-count-${SERVICE}`)).toHaveText('20', { timeout: 30_000 });
    };
    await Promise.all([deskOf(c1, officer1, '1'), deskOf(c2, officer2, '2')]);
    await Promise.all([c1.keyboard.press('F2'), c2.keyboard.press('F2')]);
    const current1 = c1.getByTestId('desk-current-number');
    const current2 = c2.getByTestId('desk-current-number');
    await expect(current1).toHaveText(/^C\d-\d{3}$/);
    await expect(current2).toHaveText(/^C\d-\d{3}$/);
    const first1 = (await current1.textContent())!.trim();
    const first2 = (await current2.textContent())!.trim();
    expect(first1).not.toBe(first2);

    // The waiting-room display on the head PC shows both counters' calls.
    const displayContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    const display = await displayContext.newPage();
    await display.goto(`${loket.url}/#/display`);
    const wr = display.locator('.wr__now');
    await expect(wr).toContainText(first1, { timeout: 30_000 });
    await expect(wr).toContainText(first2, { timeout: 30_000 });
    const [later, earlier] = (await display.getByTestId('display-current').innerText()).includes(first1) ? [first1, first2] : [first2, first1];
    await expect(display.getByTestId('display-current')).toContainText(`${later}`);
    await expect(display.getByTestId('display-current')).toContainText(`Loket ${later === first1 ? '1' : '2'}`);
    await expect(wr.locator('table.wr__history tbody tr').filter({ hasText: earlier })).toHaveText(new RegExp(`${earlier}\\s*${earlier === first1 ? '1' : '2'}$`));
    await displayContext.close();

    phase('first calls at both counters, display');
    // Counter 1 refuses the case: the e-KTP does not match the NIK.
    await c1.getByLabel('NIK peserta', { exact: true }).fill(nikOf.get(first1)!);
    await c1.getByLabel('Nama peserta', { exact: true }).fill('Peserta Contoh Ditolak');
    await c1.getByRole('button', { name: 'Buka kasus', exact: true }).click();
    const view = c1.locator('[data-screen="CaseView"]');
    await answerIdentity(view, { 'e-KTP asli ditunjukkan': true, 'e-KTP cocok dengan NIK': false });
    await view.getByRole('button', { name: 'Catat pemeriksaan identitas' }).click();
    const refusal = view.getByTestId('refusal-panel');
    await refusal.getByRole('radio', { name: /Identitas belum terverifikasi/ }).check();
    await refusal.getByRole('button', { name: 'Tolak dan cetak slip' }).click();
    await expect(c1.getByText('Penolakan dicatat dan slip dicetak.')).toBeVisible();

    phase('refusal at counter 1');
    // The rest of the queue: both counters call at once, as fast as they can (9 each, in parallel).
    const burst = await Promise.all([
      ...Array.from({ length: 9 }, () => callNext(c1, c1Url, '1').then((n) => ({ n, counter: '1' }))),
      ...Array.from({ length: 9 }, () => callNext(c2, c2Url, '2').then((n) => ({ n, counter: '2' }))),
    ]);
    const calledAt = new Map<string, string>([[first1, '1'], [first2, '2']]);
    for (const { n, counter } of burst) {
      expect(n, `a call at counter ${counter} found the queue empty`).not.toBeNull();
      expect(calledAt.has(n!), `${n} called twice`).toBe(false);
      calledAt.set(n!, counter);
    }
    // Every ticket called exactly once; nothing left to call.
    expect([...calledAt.keys()].sort()).toEqual([...nikOf.keys()].sort());
    expect(await callNext(c2, c2Url, '2')).toBeNull();

    phase('18 concurrent calls');
    // The head reviews counter 1's refusal on the head PC (upheld).
    const review = head.getByTestId('review-page');
    await head.getByRole('button', { name: 'Tinjauan', exact: true }).click();
    await expect(review.getByRole('tab', { name: 'Menunggu tinjauan (1)' })).toBeVisible({ timeout: 30_000 });
    const row = review.getByTestId('review-pending-table').locator('tbody tr');
    await expect(row).toContainText('IDENTITY_NOT_VERIFIED');
    await expect(row).toContainText(officer1.id);
    await row.getByRole('button', { name: /Tinjau penolakan kasus/ }).click();
    const form = head.getByTestId('review-form');
    await expect(form.getByTestId('review-facts')).toContainText('e-KTP ditunjukkan: ya; cocok dengan NIK: tidak');
    await form.getByLabel('Pertahankan penolakan').check();
    await form.getByRole('button', { name: 'Simpan keputusan' }).click();
    await expect(review.getByRole('status')).toContainText('Penolakan kasus');
    await expect(review.getByTestId('review-empty')).toBeVisible();
    await head.getByTestId('status-bar').screenshot({ path: docScreenshot('branch-hub-status-bar-host') });


    phase('review on the head PC');
    // Nothing reached HQ while the WAN was cut.
    const ticketsAtHq = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE collection = 'tickets'")).rows[0]!.n;
    expect(await ticketsAtHq()).toBe(0);

    // The WAN returns: HQ holds each record once, authored by the PC that wrote it.
    b.wan.restore();
    for (const p of [head, door, c1, c2]) await expect(p.getByTestId('status-hq-link')).toHaveText('HQ: terhubung', { timeout: 60_000 });
    await expect.poll(ticketsAtHq, { timeout: 60_000 }).toBe(20);
    for (const p of [head, door, c1, c2]) await expect(p.getByTestId('status-hq-pending')).toHaveAttribute('data-branch', '0', { timeout: 60_000 });
    const { rows: devices } = await db.query<{ device_id: string; name: string }>('SELECT device_id::text AS device_id, name FROM devices WHERE branch_code = $1', [BRANCH]);
    const deviceOf = new Map(devices.map((d) => [d.name, d.device_id]));
    const counterPc = { '1': deviceOf.get('PC Loket 1'), '2': deviceOf.get('PC Loket 2') } as Record<string, string | undefined>;
    const { rows: docs } = await db.query<{ collection: string; id: string; device_id: string | null; data: Record<string, unknown> }>(
      'SELECT collection, id, device_id::text AS device_id, data FROM documents WHERE branch_code = $1',
      [BRANCH],
    );
    const tickets = docs.filter((d) => d.collection === 'tickets');
    expect(tickets).toHaveLength(20);
    // A called ticket was last written by the PC whose counter called it.
    for (const t of tickets) expect(t.device_id, `ticket ${String(t.data.number)}`).toBe(counterPc[calledAt.get(String(t.data.number))!]);
    const cases = docs.filter((d) => d.collection === 'cases');
    expect(cases.map((c) => c.device_id)).toEqual([deviceOf.get('PC Loket 1')]);
    const refusals = docs.filter((d) => d.collection === 'refusals');
    // The refusal as the head last wrote it: upheld, on the head PC.
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ device_id: deviceOf.get('PC Kepala Cabang'), data: { status: 'upheld' } });
    // Every audit entry is at HQ as written by the PC that recorded it.
    const audit = docs.filter((d) => d.collection === 'audit');
    expect(audit.length).toBeGreaterThan(0);
    for (const a of audit) expect(a.device_id, `audit ${a.id}`).toBe(a.data.deviceId);
    const { rows: quarantined } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantine');
    expect(quarantined[0]!.n).toBe(0);
    await head.getByTestId('status-bar').screenshot({ path: docScreenshot('branch-hub-status-bar-wan-back') });

    phase('WAN back, HQ checked');
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  } finally {
    for (const s of servers) {
      s.child.kill('SIGTERM');
      fs.rmSync(s.server.dataDir, { recursive: true, force: true });
    }
  }
});
