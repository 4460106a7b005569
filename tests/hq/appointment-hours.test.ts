// Issue 16 at HQ on real PostgreSQL: an appointment is a slot the branch serves in. An overturned
// refusal's follow-up appointment was checked nowhere (any day, any hour replayed); HQ now refuses
// a review that sets it on a closed day (weekend, national holiday, joint leave, the branch's local
// closure) or outside the service hours of that day, judged by HQ's rules for the branch. The
// slips' own appointments ("not yet", outside hours) and the door's are judged by the machines'
// guards, which HQ replays: a slot outside hours makes no refusal. Generated people only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBranchRules, forgetBranchRules } from '../../hq/branch-rules';
import { HqErrorBody } from '@shared/sync/protocol';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { head, makeNik, officer, wib } from '../unit/machines/fixtures';
import { branchCaseConfig, branchNikHash, twoBranches, type Hq, type TestDevice } from './helpers';

let hq: Hq;
let a: string;
let devA: TestDevice;
let nikHash: string;
const NIK = makeNik('1984-02-11', 'female', 71);
const CLOSED_LOCALLY = '2026-03-04';

beforeAll(async () => {
  ({ hq, a, devA } = await twoBranches('appointment_hours'));
  nikHash = await branchNikHash(hq.db, a, NIK);
  await setBranchRules(hq.db, a, '2026-01-01', { localClosures: [CLOSED_LOCALLY] });
  forgetBranchRules(hq.db, a);
});
afterAll(async () => {
  await hq.close();
});

type Doc = Record<string, unknown>;
const SUNDAY = '2026-03-01';
const config = () => ({ ...branchCaseConfig(a), localClosures: [CLOSED_LOCALLY] });

/** A JMO reset case whose visit began on a closed Sunday: OUTSIDE_SERVICE_HOURS with the given slot. */
function sundayCase(slot: { date: string; time: string }): Doc {
  const id = `${a}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const openedAt = wib(SUNDAY, '09:10');
  const input: Doc = { openedAt, caseId: id, nik: NIK, config: config() };
  const events = [{ type: 'refusal.requested', at: wib(SUNDAY, '09:15'), actor: officer, code: 'OUTSIDE_SERVICE_HOURS', appointment: slot }];
  const r = replay(CASE_MACHINES['jmo-reset'], input as never, events as never);
  if (r.rejected) throw new Error(`fixture does not replay: ${r.rejected.reason} ${r.rejected.detail}`);
  const snapshot = storedSnapshot(r.snapshot as never);
  return {
    id,
    branchCode: a,
    flow: 'jmo-reset',
    status: snapshot.status === 'done' ? 'closed' : 'open',
    nikHash,
    person: { nik: NIK, name: 'Peserta Uji Jadwal' },
    input,
    events,
    snapshot,
    journalLength: events.length,
    openedAt,
    updatedAt: wib(SUNDAY, '09:15'),
  };
}

const refusalOf = (c: Doc) => (c.snapshot as { context: { refusal: { code: string; at: string; actor: Doc } | null } }).context.refusal;

async function push(collection: string, doc: Doc): Promise<{ status: number; reason?: string }> {
  const res = await hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: devA.auth, payload: [{ assumedMasterState: null, newDocumentState: doc }] });
  if (res.statusCode === 200) return { status: 200 };
  const body = HqErrorBody.parse(res.json());
  return { status: res.statusCode, reason: (body.error.details as { rejected: { reason: string }[] }).rejected[0]?.reason };
}

/** A case refused on Sunday (stored at HQ), and its refusal overturned with a follow-up appointment at `slot`. */
async function overturnWith(slot: { date: string; time: string }): Promise<{ status: number; reason?: string }> {
  const c = sundayCase({ date: '2026-03-02', time: '09:00' });
  expect(await push('cases', c)).toEqual({ status: 200 });
  const r = refusalOf(c)!;
  const at = wib('2026-03-02', '10:00');
  const events = [{ type: 'review.overturned', at, actor: head, category: 'failureToServe', followUp: 'appointment', appointment: slot }];
  return push('refusals', {
    id: `${String(c.id)}:refusal:0`,
    caseId: c.id,
    branchCode: a,
    code: r.code,
    status: 'overturned',
    at: r.at,
    actor: r.actor,
    updatedAt: at,
    review: { decision: 'overturned', at, actor: head, note: null, category: 'failureToServe', followUp: { kind: 'appointment', dueDate: slot.date, dueTime: slot.time, status: 'open', doneAt: null, doneBy: null }, events },
  });
}

describe("HQ refuses an overturned refusal's follow-up appointment outside the branch's service (issue 16)", () => {
  it.each([
    { time: '08:00', status: 200 },
    { time: '14:59', status: 200 },
    { time: '07:00', status: 422 },
    { time: '07:59', status: 422 },
    { time: '15:00', status: 422 },
    { time: '16:30', status: 422 },
  ])('Tuesday 3 March at $time (hours 08:00–15:00): $status', async ({ time, status }) => {
    const r = await overturnWith({ date: '2026-03-03', time });
    expect(r.status, r.reason).toBe(status);
    if (status === 422) expect(r.reason).toBe(`review: the follow-up appointment at ${time} on 2026-03-03 is outside the branch's service hours`);
  });

  it.each([
    { date: '2026-03-07', what: 'a Saturday' },
    { date: '2026-03-08', what: 'a Sunday' },
    { date: '2026-03-19', what: 'Nyepi (national holiday)' },
    { date: '2026-03-24', what: 'joint leave' },
    { date: CLOSED_LOCALLY, what: "the branch's local closure" },
  ])('refuses $what ($date)', async ({ date }) => {
    const r = await overturnWith({ date, time: '09:00' });
    expect(r).toEqual({ status: 422, reason: `review: the follow-up appointment is on ${date}, a day the branch is closed` });
  });

  it('an overturn without an appointment is not judged by the hours', async () => {
    const c = sundayCase({ date: '2026-03-02', time: '09:00' });
    expect(await push('cases', c)).toEqual({ status: 200 });
    const r = refusalOf(c)!;
    const at = wib('2026-03-02', '10:00');
    const events = [{ type: 'review.overturned', at, actor: head, category: 'failureToServe', followUp: 'reopenCase' }];
    const res = await push('refusals', {
      id: `${String(c.id)}:refusal:0`,
      caseId: c.id,
      branchCode: a,
      code: r.code,
      status: 'overturned',
      at: r.at,
      actor: r.actor,
      updatedAt: at,
      review: { decision: 'overturned', at, actor: head, note: null, category: 'failureToServe', followUp: { kind: 'reopenCase', dueDate: '2026-03-07', dueTime: null, status: 'open', doneAt: null, doneBy: null }, events },
    });
    expect(res).toEqual({ status: 200 });
  });
});

describe("a slip's appointment outside hours makes no refusal, at HQ's replay as on the PC", () => {
  it.each(['07:00', '15:00', '16:30'])('OUTSIDE_SERVICE_HOURS with a slot at %s on the next opening day is only an invalid attempt', async (time) => {
    const c = sundayCase({ date: '2026-03-02', time });
    const context = (c.snapshot as { context: { refusal: unknown; invalidRefusals: unknown[] } }).context;
    expect(context.refusal).toBeNull();
    expect(context.invalidRefusals).toHaveLength(1);
    // HQ replays the same: the journal is accepted as an attempt, never as a refusal with that slot.
    expect(await push('cases', c)).toEqual({ status: 200 });
  });
});
