import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net, { type AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, startServer, test } from './fixtures';
import { signIn, signOut } from './flows';
import {
  SERVICE,
  generatedPeople,
  heads,
  hubOnLoopback,
  makeHub,
  officer1,
  officer2,
  phases,
  satpam,
  preparePc,
  connectToHq,
  startBranchHq,
  type BranchHq,
} from './branch-setup';

// Issue 17 pt 8 on screen: the hub's process dies mid-morning. Four browser-mode PCs (door, two
// counters, head; the head PC hosts the hub) with the WAN cut, so each PC is on its own while the
// hub is away. The hub process first goes silent (SIGSTOP: no packet comes back, as when its PC is
// switched off) and the other PCs' status bars say the hub is unreachable within 10 s; the door
// keeps issuing tickets and both counters keep calling from their own databases. Then the process
// is killed (SIGKILL); the head PC's launcher starts it again on the same data and the PCs
// converge: every ticket once on every PC and at HQ once the WAN is back, nothing lost, and no
// ticket number handed out twice (numbers are per PC slot, reserved in the PC's own store before
// printing: the hub plays no part in them). Generated people and staff only.

hubOnLoopback();

const people = generatedPeople(8);
let b: BranchHq;

test.beforeAll(async () => {
  b = await startBranchHq();
  // The hub comes back at the address the PCs pinned (as at its default port in a branch): a fixed port.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  process.env.LOKET_HUB_PORT = String((probe.address() as AddressInfo).port);
  await new Promise((resolve) => probe.close(resolve));
});

test.afterAll(async () => {
  await b?.close();
});

/** The hub's process: the child of the head PC's server running the hub entry. */
function hubPid(serverPid: number): number {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(serverPid)], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => /hub/.test(l));
  if (!line) throw new Error(`no hub process under ${serverPid}: ${out}`);
  return Number(line.trim().split(/\s+/)[0]);
}

async function issue(door: Page, nik: string): Promise<string> {
  const screen = door.locator('[data-screen="DoorScreen"]');
  await screen.getByRole('button', { name: /^Reset akun JMO/ }).click();
  await screen.getByLabel('NIK peserta (16 angka)').fill(nik);
  await screen.getByRole('button', { name: 'Terbitkan dan cetak tiket' }).click();
  const number = screen.getByTestId('door-ticket-number');
  await expect(number).toHaveText(/^C\d-\d{3}$/);
  const text = (await number.textContent())!.trim();
  await screen.getByRole('button', { name: 'Orang berikutnya' }).click();
  return text;
}

const waiting = (p: Page) => p.locator('[data-screen="Workbench"]').getByTestId(`desk-count-${SERVICE}`);

test('hub faults: the hub process silenced then killed mid-story; the PCs notice within 10 s, keep serving, and converge with nothing lost or doubled and no number reused', async ({ browser }) => {
  // Minutes on a loaded 2-core machine: a hub on an empty folder alone takes 25–60 s to start there.
  test.setTimeout(600_000);
  const phase = phases(test.info());
  const figure = (description: string) => {
    test.info().annotations.push({ type: 'figure', description });
    console.info(`figure ${description}`);
  };
  const errors: string[] = [];
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  let frozen: number | null = null;
  try {
    for (let i = 0; i < 4; i++) servers.push(await startServer());
    const [headUrl, doorUrl, c1Url, c2Url] = servers.map((s) => s.server.url) as [string, string, string, string];
    const headServer = servers[0]!.child;

    // First runs on all four at once; the head PC is enrolled and made the hub before the others
    // enrol, so they learn the hub from HQ as they connect.
    const [head, door, c1, c2] = await Promise.all([
      preparePc(browser, headUrl, heads.head, []),
      preparePc(browser, doorUrl, heads.door, [satpam]),
      preparePc(browser, c1Url, heads.c1, [officer1]),
      preparePc(browser, c2Url, heads.c2, [officer2]),
    ]);
    await connectToHq(b, head, 'PC Kepala Cabang');
    await makeHub(head);
    await Promise.all([connectToHq(b, door, 'PC Pintu'), connectToHq(b, c1, 'PC Loket 1'), connectToHq(b, c2, 'PC Loket 2')]);
    const pcs = { head, door, c1, c2 };
    for (const [name, p] of Object.entries(pcs)) p.on('console', (m) => m.type() === 'error' && errors.push(`${name}: ${m.text()}`));
    for (const p of Object.values(pcs)) await expect(p.getByTestId('status-hub-link')).toContainText('Hub cabang: terhubung', { timeout: 180_000 });
    await signOut(door);
    await signIn(door, satpam.id, satpam.pin);
    for (const [p, who, counter] of [[c1, officer1, '1'], [c2, officer2, '2']] as const) {
      await signOut(p);
      await signIn(p, who.id, who.pin);
      await p.getByLabel('Loket', { exact: true }).selectOption({ label: `Loket ${counter}` });
    }
    phase('setup: four PCs, the head PC hosts the hub');

    // The WAN is cut: from now on the hub is the only way between the PCs.
    b.wan.down();
    for (const p of Object.values(pcs)) await expect(p.getByTestId('status-hq-link')).toHaveText('HQ: tidak terhubung', { timeout: 30_000 });
    const numbers: string[] = [];
    for (const person of people.slice(0, 3)) numbers.push(await issue(door, person.nik));
    for (const p of [c1, c2]) await expect(waiting(p)).toHaveText('3', { timeout: 30_000 });
    phase('WAN cut; 3 tickets at the door reach both counters through the hub');

    // The hub's process goes silent mid-morning.
    const pid = hubPid(headServer.pid!);
    process.kill(pid, 'SIGSTOP');
    frozen = pid;
    const silentAt = Date.now();
    // Noticed by the hub link's probe (no answer within its timeout), not by a closed connection.
    const noticed = await Promise.all(
      [door, c1, c2].map(async (p) => {
        await expect(p.getByTestId('status-hub-link')).toContainText('tidak terjangkau', { timeout: 10_000 });
        return Date.now() - silentAt;
      }),
    );
    figure(`hub silent → status bars say so after ${noticed.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} (door, counter 1, counter 2)`);
    phase('hub silent, noticed by door and counters');

    // The branch keeps serving, each PC on its own: the door issues, both counters call.
    for (const person of people.slice(3, 6)) numbers.push(await issue(door, person.nik));
    await Promise.all([c1.keyboard.press('F2'), c2.keyboard.press('F2')]);
    const called: string[] = [];
    for (const p of [c1, c2]) {
      const current = p.getByTestId('desk-current-number');
      await expect(current).toHaveText(/^C\d-\d{3}$/, { timeout: 15_000 });
      called.push((await current.textContent())!.trim());
    }
    // Each counter called one of the tickets it had before the hub went (possibly the same one:
    // a double call at most, flagged to the head, DOMAIN 'Queue').
    for (const n of called) expect(numbers.slice(0, 3)).toContain(n);
    phase('door issues 3 and both counters call, without the hub');

    // The hub's process is killed; the head PC's launcher starts it again on the same data.
    process.kill(pid, 'SIGKILL');
    frozen = null;
    const killedAt = Date.now();
    for (const p of Object.values(pcs)) await expect(p.getByTestId('status-hub-link')).toContainText('Hub cabang: terhubung', { timeout: 180_000 });
    figure(`hub killed → every PC linked to it again after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
    expect(hubPid(headServer.pid!)).not.toBe(pid);

    // Converged through the hub: both counters see the same queue, everything else called or waiting once.
    const stillWaiting = String(6 - new Set(called).size);
    for (const p of [c1, c2]) await expect(waiting(p)).toHaveText(stillWaiting, { timeout: 60_000 });
    await expect(door.getByTestId('status-hq-pending')).toHaveAttribute('data-local', '0', { timeout: 30_000 });
    phase('hub killed and back; the PCs converge');

    // After the hub's return the door goes on numbering where it was: no number again.
    for (const person of people.slice(6, 8)) numbers.push(await issue(door, person.nik));
    expect(new Set(numbers).size).toBe(numbers.length);
    const seqs = numbers.map((n) => Number(n.slice(3)));
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // one run, in order, nothing skipped or repeated
    for (const p of [c1, c2]) await expect(waiting(p)).toHaveText(String(8 - new Set(called).size), { timeout: 30_000 });
    phase('2 more tickets after the hub returned');

    // The WAN returns: HQ holds each ticket once, by number and by id.
    b.wan.restore();
    const ticketsAtHq = async () => (await b.db.query<{ number: string }>("SELECT data->>'number' AS number FROM documents WHERE collection = 'tickets'")).rows.map((r) => r.number);
    await expect.poll(async () => (await ticketsAtHq()).length, { timeout: 60_000 }).toBe(8);
    for (const p of Object.values(pcs)) await expect(p.getByTestId('status-hq-pending')).toHaveAttribute('data-branch', '0', { timeout: 60_000 });
    expect((await ticketsAtHq()).sort()).toEqual([...numbers].sort());
    const { rows: calledAtHq } = await b.db.query<{ number: string }>(
      "SELECT data->>'number' AS number FROM documents WHERE collection = 'tickets' AND data->>'status' <> 'waiting'",
    );
    expect(calledAtHq.map((r) => r.number).sort()).toEqual([...new Set(called)].sort());
    expect((await b.db.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantine')).rows[0]!.n).toBe(0);
    phase('WAN back, HQ checked');
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  } finally {
    if (frozen !== null) process.kill(frozen, 'SIGKILL');
    for (const [i, s] of servers.entries()) {
      s.child.kill('SIGTERM');
      // KEEP_LOGS=<dir>: each PC's log kept for a look afterwards (the hub link logs its ups and downs).
      if (process.env.KEEP_LOGS && fs.existsSync(path.join(s.server.dataDir, 'logs'))) fs.cpSync(path.join(s.server.dataDir, 'logs'), `${process.env.KEEP_LOGS}/pc${i}`, { recursive: true });
      fs.rmSync(s.server.dataDir, { recursive: true, force: true });
    }
  }
});
