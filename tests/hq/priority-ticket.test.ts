import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol, makeBranch, startHq, ticket, type Hq, type TestDevice } from './helpers';

// Issue 16 pts 6 and 8: a ticket may carry a priority category (UU 25/2009 Art. 29) and an
// appointment holder's check-in time. HQ (real PostgreSQL) stores such tickets and refuses a
// category outside the list, as the device's schema does.

let hq: Hq;
let branch: string;
let device: TestDevice;

beforeAll(async () => {
  hq = await startHq('priority');
  branch = await makeBranch(hq.db);
  device = await enrol(hq.app, hq.db, branch);
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const push = (doc: Record<string, unknown>) =>
  hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: doc }] });
const stored = async (id: string) => (await hq.db.query('SELECT 1 FROM documents WHERE collection = $1 AND branch_code = $2 AND id = $3', ['tickets', branch, id])).rows.length;

describe('HQ accepts the priority and check-in fields of a ticket (issue 16)', () => {
  it('stores a priority ticket and a checked-in appointment', async () => {
    const prio = ticket(branch, undefined, { priority: 'pregnant' });
    const appt = ticket(branch, undefined, { appointment: { date: '2026-01-02', time: '08:00' }, checkedInAt: '2026-01-02T00:50:00.000Z', priority: 'elderly' });
    expect((await push(prio)).statusCode).toBe(200);
    expect((await push(appt)).statusCode).toBe(200);
    expect(await stored(String(prio.id))).toBe(1);
    expect(await stored(String(appt.id))).toBe(1);
  });

  it('refuses a priority category that is not in the law’s list', async () => {
    const bad = ticket(branch, undefined, { priority: 'vip' });
    const res = await push(bad);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(await stored(String(bad.id))).toBe(0);
  });
});
