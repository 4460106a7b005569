import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../hq/admin';
import { branchRulesOn, setBranchZone, setLocalClosures } from '../../hq/branch-rules';
import { DEMO_SLOT, DEMO_TRANSFER_BRANCH, makeDemoData } from '../../scripts/demo-data';
import { appointmentSlotProblem, branchCalendar } from '@shared/calendar';
import { PRIORITY_CATEGORIES } from '@shared/cases/schema';
import { parseNik } from '@shared/identity/nik';
import { checkRecord } from '@shared/records';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import type { PullResponse, SyncDocument } from '@shared/sync/protocol';
import { replayCase } from '@state-machines';
import { countRows, enrol, startListeningHq, type ListeningHq } from './helpers';

// Issue 19 pt 7: `npm run demo-data` fills a branch at a running HQ with generated people and a day
// of tickets and cases, pushed through HQ's own API as a device: every record must be accepted as
// a real PC's would be (journals replayed, NIK hashes under the branch key, the branch's rules).

let hq: ListeningHq;
let url: string;
const admin = (argv: readonly string[]) => runAdminCommand(hq.db, argv);

beforeAll(async () => {
  hq = await startListeningHq('demo_data');
  url = hq.url;
});
afterAll(async () => hq?.close());

async function rows(branch: string, collection: string): Promise<Record<string, unknown>[]> {
  const { rows: r } = await hq.db.query<{ data: Record<string, unknown> }>('SELECT data FROM documents WHERE branch_code = $1 AND collection = $2 AND NOT deleted', [branch, collection]);
  return r.map((x) => x.data);
}

describe('demo data', () => {
  it("fills a new branch with a day of tickets and cases that HQ accepts, none quarantined, and a code for the newcomer's PC", async () => {
    // Monday 21 December 2026, 13:00 WIB.
    const r = await makeDemoData({ hqUrl: url, admin, branch: 'DEMO01', now: new Date('2026-12-21T06:00:00Z') });
    expect(await countRows(hq.db, 'quarantine')).toBe(0);
    expect(r).toMatchObject({ branch: 'DEMO01', day: '2026-12-21', zone: 'WIB', tickets: { done: 12, serving: 4, called: 4, waiting: 12 }, priority: 4, appointments: 5, refusals: 2, transfers: 1 });
    expect(r.cases).toEqual({ 'jht-claim': { open: 1, closed: 3 }, 'bpu-resignation': { open: 1, closed: 3 }, 'jmo-reset': { open: 1, closed: 3 } });
    expect(r.enrolCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const tickets = (await rows('DEMO01', 'tickets')).filter((t) => !t.appointment);
    expect(tickets).toHaveLength(32);
    expect(new Set(tickets.map((t) => t.day))).toEqual(new Set(['2026-12-21']));
    expect(tickets.every((t) => t.slot === DEMO_SLOT)).toBe(true);
    expect(tickets.map((t) => t.number)).toContain('A9-001');
    const cases = await rows('DEMO01', 'cases');
    expect(cases).toHaveLength(12);
    expect(cases.every((c) => tickets.some((t) => t.id === c.ticketId))).toBe(true);
    expect(await rows('DEMO01', 'refusals')).toHaveLength(2);

    // The code enrols the newcomer's PC, which pulls the cases: generated names, none repeated.
    const enrolled = await fetch(`${url}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: r.enrolCode, deviceId: crypto.randomUUID(), deviceName: 'PC pendatang baru' }),
    });
    expect(enrolled.status).toBe(200);
    const { token } = (await enrolled.json()) as { token: string };
    const pulled = (await (await fetch(`${url}/v1/sync/cases/pull?limit=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as PullResponse;
    const names = pulled.documents.map((c) => (c.person as { name: string }).name);
    expect(names).toHaveLength(12);
    expect(new Set(names).size).toBe(12);
    for (const name of names) expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
  });

  it('a second run the same day goes on numbering, still none quarantined', async () => {
    await makeDemoData({ hqUrl: url, admin, branch: 'DEMO01', now: new Date('2026-12-21T07:00:00Z') });
    expect(await countRows(hq.db, 'quarantine')).toBe(0);
    const all = await rows('DEMO01', 'tickets');
    const numbers = all.map((t) => String(t.number));
    expect(numbers).toHaveLength(74);
    expect(new Set(numbers).size).toBe(74);
    expect(numbers).toContain('A9-018');
    // No appointment slot of a service is handed out twice across the two runs.
    const slots = all.filter((t) => t.appointment).map((t) => `${String(t.service)} ${JSON.stringify(t.appointment)}`);
    expect(new Set(slots).size).toBe(10);
  });

  it("takes the branch's day in its own zone (WITA just after midnight is the next day)", async () => {
    await admin(['create-branch', 'DEMO02', 'Cabang Demo WITA']);
    await setBranchZone(hq.db, 'DEMO02', 'WITA');
    // 23:30 WIB on Monday 21 December is 00:30 WITA on Tuesday 22 December.
    const r = await makeDemoData({ hqUrl: url, admin, branch: 'DEMO02', now: new Date('2026-12-21T16:30:00Z') });
    expect(r).toMatchObject({ day: '2026-12-22', zone: 'WITA' });
    expect(await countRows(hq.db, 'quarantine')).toBe(0);
    expect(new Set((await rows('DEMO02', 'tickets')).map((t) => t.day))).toEqual(new Set(['2026-12-22']));
    // The first ticket is issued at 08:00 on the branch's clock.
    const first = (await rows('DEMO02', 'tickets')).find((t) => t.number === 'A9-001');
    expect(first?.issuedAt).toBe('2026-12-22T00:00:00.000Z');
  });

  it("has what a real day has, each kind accepted by HQ's validation: priority tickets, appointments on open days in the hours, a transfer with its reason, refusals awaiting the head", async () => {
    const branch = 'DEMO03';
    await admin(['create-branch', branch, 'Cabang Demo Hari']);
    // The head closed the branch on Tuesday 22 December: no appointment may land on it.
    await setLocalClosures(hq.db, branch, ['2026-12-22'], new Date('2026-12-21T01:00:00Z'));
    const r = await makeDemoData({ hqUrl: url, admin, branch, now: new Date('2026-12-21T06:00:00Z') });
    expect(await countRows(hq.db, 'quarantine')).toBe(0);
    const rules = await branchRulesOn(hq.db, branch, r.day);
    if (!rules) throw new Error('no rules');
    const calendar = branchCalendar(rules.localClosures ?? []);

    // What a PC of the branch pulls, and what it pulls from the receiving branch of the transfer.
    const pc = await enrol(hq.app, hq.db, branch);
    const pull = async (auth: { authorization: string }, collection: string): Promise<SyncDocument[]> => {
      const res = await fetch(`${url}/v1/sync/${collection}/pull?limit=1000`, { headers: auth });
      expect(res.status).toBe(200);
      const docs = ((await res.json()) as PullResponse).documents;
      // Every pulled record still passes the shared record schema HQ validated it with.
      for (const d of docs) expect(checkRecord(collection as 'tickets', withoutBookkeeping(d))).toEqual({ ok: true });
      return docs;
    };
    const tickets = await pull(pc.auth, 'tickets');
    const cases = await pull(pc.auth, 'cases');
    const refusals = await pull(pc.auth, 'refusals');
    const transfers = await pull(pc.auth, 'transfers');
    // Every case journal replays through its machine to the stored snapshot (what HQ checked on the push).
    for (const c of cases) {
      const replayed = replayCase(c as never);
      expect(replayed.rejected).toBeNull();
      expect(JSON.parse(JSON.stringify(replayed.snapshot.value))).toEqual((c.snapshot as { value: unknown }).value);
    }
    const caseOf = (id: unknown) => cases.find((c) => c.id === id)!;

    // Priority tickets: one of each category of UU 25/2009 Art. 29, waiting in today's queue.
    const priority = tickets.filter((t) => t.priority);
    expect(priority.map((t) => t.priority).sort()).toEqual([...PRIORITY_CATEGORIES].sort());
    expect(priority.every((t) => !t.appointment && t.day === r.day)).toBe(true);

    // Appointments: booked today, on later open days (not the head's closure, not a weekend or
    // holiday), inside the published hours, one slot per service, one on the date the person asked.
    const appointments = tickets.filter((t) => t.appointment);
    expect(appointments).toHaveLength(5);
    for (const t of appointments) {
      const a = t.appointment as { date: string; time: string };
      expect(t.status).toBe('waiting');
      expect(t.day).toBe(r.day);
      expect(a.date > r.day).toBe(true);
      expect(appointmentSlotProblem(a, rules.serviceHours, calendar)).toBeNull();
    }
    expect(appointments.filter((t) => !(t.appointment as { chosenByPerson?: true }).chosenByPerson).map((t) => (t.appointment as { date: string }).date)).toEqual(
      Array(4).fill('2026-12-23'),
    );
    expect(appointments.filter((t) => (t.appointment as { chosenByPerson?: true }).chosenByPerson)).toHaveLength(1);

    // A transfer to another branch at the person's request, with the receiving branch's deadline ahead.
    expect(transfers).toHaveLength(1);
    const tr = transfers[0]!;
    expect(tr).toMatchObject({ fromBranch: branch, toBranch: DEMO_TRANSFER_BRANCH, reason: 'PERSON_REQUESTED', status: 'requested' });
    expect(Date.parse(String(tr.slaDeadline)) - Date.parse(String(tr.at))).toBe(48 * 3_600_000);
    expect((caseOf(tr.caseId).snapshot as { value: unknown }).value).toBe('transferred');
    // The receiving branch sees it and its case (warm transfer).
    const receiving = await enrol(hq.app, hq.db, DEMO_TRANSFER_BRANCH);
    expect((await pull(receiving.auth, 'transfers')).map((t) => t.id)).toContain(tr.id);
    expect((await pull(receiving.auth, 'cases')).map((c) => c.id)).toContain(tr.caseId);

    // Refusals awaiting the head's review: an identity check that failed, and a "not yet" whose slip
    // gives the first claim date and an appointment on an open day from it.
    expect(refusals.map((x) => [x.code, x.status]).sort()).toEqual([
      ['IDENTITY_NOT_VERIFIED', 'pending'],
      ['WAITING_PERIOD_NOT_ELAPSED', 'pending'],
    ]);
    const notYet = caseOf(refusals.find((x) => x.code === 'WAITING_PERIOD_NOT_ELAPSED')!.caseId);
    const context = (notYet.snapshot as { context: { firstClaimDate: string; receipt: { kind: string; nextStep: { en: string } } } }).context;
    expect(context.firstClaimDate).toBe('2027-01-11');
    const asked = (notYet.events as { type: string; appointment?: unknown }[]).find((e) => e.type === 'refusal.requested');
    expect(asked?.appointment).toEqual({ date: '2027-01-11', time: '08:00' });
    expect(context.receipt.kind).toBe('refusalSlip');
    expect(context.receipt.nextStep.en).toMatch(/11 January 2027.*11 January 2027/);
    // The person is under 56 (else the claim would be by age): the NIK's own birth date says so.
    const born = parseNik((notYet.person as { nik: string }).nik, r.day);
    expect(born.ok && born.value.birthDate > '1970-12-21').toBe(true);
  });
});
