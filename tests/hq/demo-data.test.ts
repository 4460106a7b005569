import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../hq/admin';
import { setBranchZone } from '../../hq/branch-rules';
import { DEMO_SLOT, makeDemoData } from '../../scripts/demo-data';
import type { PullResponse } from '../../shared/sync/protocol';
import { countRows, startHq, type Hq } from './helpers';

// Issue 19 pt 7: `npm run demo-data` fills a branch at a running HQ with generated people and a day
// of tickets and cases, pushed through HQ's own API as a device: every record must be accepted as
// a real PC's would be (journals replayed, NIK hashes under the branch key, the branch's rules).

let hq: Hq;
let url: string;
const admin = (argv: readonly string[]) => runAdminCommand(hq.db, argv);

beforeAll(async () => {
  hq = await startHq('demo_data');
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(hq.app.server.address() as AddressInfo).port}`;
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
    expect(r).toMatchObject({ branch: 'DEMO01', day: '2026-12-21', zone: 'WIB', tickets: { done: 12, serving: 4, called: 4, waiting: 12 }, refusals: 1 });
    expect(r.cases).toEqual({ 'jht-claim': { open: 1, closed: 3 }, 'bpu-resignation': { open: 1, closed: 3 }, 'jmo-reset': { open: 1, closed: 3 } });
    expect(r.enrolCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const tickets = await rows('DEMO01', 'tickets');
    expect(tickets).toHaveLength(32);
    expect(new Set(tickets.map((t) => t.day))).toEqual(new Set(['2026-12-21']));
    expect(tickets.every((t) => t.slot === DEMO_SLOT)).toBe(true);
    expect(tickets.map((t) => t.number)).toContain('A9-001');
    const cases = await rows('DEMO01', 'cases');
    expect(cases).toHaveLength(12);
    expect(cases.every((c) => tickets.some((t) => t.id === c.ticketId))).toBe(true);
    expect(await rows('DEMO01', 'refusals')).toHaveLength(1);

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
    const numbers = (await rows('DEMO01', 'tickets')).map((t) => String(t.number));
    expect(numbers).toHaveLength(64);
    expect(new Set(numbers).size).toBe(64);
    expect(numbers).toContain('A9-016');
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
});
