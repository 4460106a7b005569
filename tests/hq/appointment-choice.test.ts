import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol, makeBranch, startHq, ticket, type Hq, type TestDevice } from './helpers';

// Issue 16 / DOMAIN "Queue": an appointment on a later date the person asked for is recorded as
// their choice (`appointment.chosenByPerson`). HQ (real PostgreSQL) stores such a ticket with the
// mark intact, as the device's schema does (the appointment object is open on both sides).

let hq: Hq;
let branch: string;
let device: TestDevice;

beforeAll(async () => {
  hq = await startHq('appointment-choice');
  branch = await makeBranch(hq.db);
  device = await enrol(hq.app, hq.db, branch);
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const push = (doc: Record<string, unknown>) =>
  hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: doc }] });

describe('HQ keeps the person’s own choice of a later appointment date (issue 16)', () => {
  it('stores the ticket with appointment.chosenByPerson, and one without the mark as it came', async () => {
    const chosen = ticket(branch, undefined, { appointment: { date: '2026-03-12', time: '08:00', chosenByPerson: true } });
    const earliest = ticket(branch, undefined, { appointment: { date: '2026-03-09', time: '08:00' } });
    expect((await push(chosen)).statusCode).toBe(200);
    expect((await push(earliest)).statusCode).toBe(200);
    const rows = await hq.db.query<{ id: string; appointment: unknown }>(
      "SELECT id, data -> 'appointment' AS appointment FROM documents WHERE collection = 'tickets' AND branch_code = $1 AND id = ANY($2) ORDER BY id",
      [branch, [String(chosen.id), String(earliest.id)]],
    );
    const byId = new Map(rows.rows.map((r) => [r.id, r.appointment]));
    expect(byId.get(String(chosen.id))).toEqual({ date: '2026-03-12', time: '08:00', chosenByPerson: true });
    expect(byId.get(String(earliest.id))).toEqual({ date: '2026-03-09', time: '08:00' });
  });
});
