import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqErrorBody } from '@shared/sync/protocol';
import { branchRulesOn, setBranchRules, setBranchZone } from '../../hq/branch-rules';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { makeNik, officer, wib } from '../unit/machines/fixtures';
import { branchCaseConfig, branchNikHash, twoBranches } from './helpers';
import type { Hq, TestDevice } from './helpers';

// Issue 16, points 9 and 10, at HQ on real PostgreSQL: HQ knows each branch's zone and judges its
// cases on that clock, and a refusal whose appointment lands on a closed day (national, or one of
// the branch's local closures, which HQ holds in its versioned rules) is refused by replay.
// Generated people only.

let hq: Hq;
let a: string;
let devA: TestDevice;
const NIK = makeNik('1966-04-12', 'male', 61);

beforeAll(async () => {
  ({ hq, a, devA } = await twoBranches('branch-calendar'));
});
afterAll(async () => {
  await hq.close();
});

type Doc = Record<string, unknown>;
const DAY = '2026-03-02';
const ev = (type: string, payload: object, time: string) => ({ type, at: wib(DAY, time), actor: officer, ...payload });

async function caseDoc(o: { openedAt: string; config?: Doc; events: Array<Doc & { at: string }>; rewrite?: (json: string) => string }): Promise<Doc> {
  const id = `${a}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const input: Doc = { openedAt: o.openedAt, caseId: id, nik: NIK, config: o.config ?? branchCaseConfig(a) };
  const r = replay(CASE_MACHINES['jht-claim'], input, o.events);
  if (r.rejected) throw new Error(`fixture does not replay: ${r.rejected.reason} ${r.rejected.detail}`);
  const snapshot = storedSnapshot(r.snapshot as never) as unknown as Doc;
  const doc: Doc = {
    id,
    branchCode: a,
    flow: 'jht-claim',
    status: (snapshot.status as string) === 'done' ? 'closed' : 'open',
    nikHash: await branchNikHash(hq.db, a, NIK),
    person: { nik: NIK, name: 'Peserta Uji Kalender' },
    input,
    events: o.events,
    snapshot,
    journalLength: o.events.length,
    openedAt: o.openedAt,
    updatedAt: o.events.at(-1)?.at ?? o.openedAt,
  };
  // An outdated device: the same journal and snapshot with the appointment moved to another day.
  return o.rewrite ? (JSON.parse(o.rewrite(JSON.stringify(doc))) as Doc) : doc;
}

async function push(doc: Doc): Promise<{ status: number; reason?: string }> {
  const res = await hq.app.inject({ method: 'POST', url: '/v1/sync/cases/push', headers: devA.auth, payload: [{ assumedMasterState: null, newDocumentState: doc }] });
  if (res.statusCode === 200) return { status: 200 };
  const body = HqErrorBody.parse(res.json());
  return { status: res.statusCode, reason: (body.error.details as { rejected: { reason: string }[] }).rejected[0]?.reason };
}

// Resigned 20 Feb 2026: first claim date 20 Mar 2026, joint leave for Idul Fitri (closed 18–24 Mar).
const notYet = (appointmentDate: string) => [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, '09:12'),
  ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-02-20' }, '09:13'),
  ev('refusal.requested', { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date: appointmentDate, time: '09:00' } }, '09:15'),
];

describe('HQ: branch zones and closed days', () => {
  it('refuses a "not yet" refusal whose appointment is on a joint leave day; accepts it on the next open day', async () => {
    const open = await caseDoc({ openedAt: wib(DAY, '09:10'), events: notYet('2026-03-25') });
    expect((open.snapshot as { value: string }).value).toBe('refused');
    expect((await push(open)).status).toBe(200);

    const closed = await caseDoc({ openedAt: wib(DAY, '09:20'), events: notYet('2026-03-25'), rewrite: (j) => j.replaceAll('2026-03-25', '2026-03-20') });
    expect(JSON.stringify(closed.events)).toContain('2026-03-20');
    const r = await push(closed);
    expect(r.status).toBe(422);
    expect(r.reason).toMatch(/^snapshot: differs from the replay of the journal/);
  });

  it("judges a WITA branch's case by its zone: HQ holds it and the case's config must carry it", async () => {
    await setBranchZone(hq.db, a, 'WITA');
    const events = notYet('2026-03-25').slice(0, 2);
    const wita = await caseDoc({ openedAt: wib(DAY, '09:30'), config: { ...branchCaseConfig(a), zone: 'WITA' }, events });
    expect((await push(wita)).status).toBe(200);
    const asWib = await caseDoc({ openedAt: wib(DAY, '09:40'), events });
    const r = await push(asWib);
    expect(r.status).toBe(422);
    expect(r.reason).toMatch(/^config: zone differ/);
    await expect(setBranchZone(hq.db, 'NOPE1', 'WIT')).rejects.toThrow(/unknown branch/);
  });

  it("holds the head's local closures in the branch's rules (versioned, published to the devices) and refuses by replay an appointment a PC proposes on one", async () => {
    // Before: no local closure; 25 March (the first open day after Idul Fitri) is fine.
    expect((await branchRulesOn(hq.db, a, DAY))?.localClosures).toBeUndefined();
    await setBranchRules(hq.db, a, '2026-03-01', { localClosures: ['2026-03-25'] });
    const rules = await branchRulesOn(hq.db, a, DAY);
    expect(rules?.localClosures).toEqual(['2026-03-25']);
    expect((await branchRulesOn(hq.db, a, '2026-02-27'))?.localClosures).toBeUndefined();
    // The devices pull them in the branch's config document, like the other rules.
    const { rows } = await hq.db.query<{ data: { value: { rules: { versions: Array<{ effectiveFrom: string; config: { localClosures?: string[] } }> } } } }>(
      `SELECT data FROM documents WHERE collection = 'config' AND branch_code = $1 AND NOT deleted`,
      [a],
    );
    expect(rows[0]?.data.value.rules.versions).toContainEqual({ effectiveFrom: '2026-03-01', config: { localClosures: ['2026-03-25'] } });

    // A PC with HQ's rules: the machine itself refuses 25 March; 26 March is accepted at HQ.
    const config = rules as unknown as Doc;
    const onClosure = await caseDoc({ openedAt: wib(DAY, '09:50'), config, events: notYet('2026-03-25') });
    expect((onClosure.snapshot as { value: string }).value).not.toBe('refused');
    const next = await caseDoc({ openedAt: wib(DAY, '09:51'), config, events: notYet('2026-03-26') });
    expect((next.snapshot as { value: string }).value).toBe('refused');
    expect((await push(next)).status).toBe(200);

    // A PC whose journal and snapshot claim the refusal on the closure (edited or outdated): refused by replay.
    const moved = await caseDoc({ openedAt: wib(DAY, '09:52'), config, events: notYet('2026-03-26'), rewrite: (j) => j.replaceAll('2026-03-26', '2026-03-25') });
    expect(JSON.stringify(moved.events)).toContain('"date":"2026-03-25"');
    const r = await push(moved);
    expect(r.status).toBe(422);
    expect(r.reason).toMatch(/^snapshot: differs from the replay of the journal/);

    // A PC that does not know the closure (rules without it) is refused: its rules are not HQ's.
    const { localClosures: _dropped, ...without } = rules!;
    const stale = await caseDoc({ openedAt: wib(DAY, '09:53'), config: without, events: notYet('2026-03-25') });
    expect((stale.snapshot as { value: string }).value).toBe('refused');
    const s = await push(stale);
    expect(s.status).toBe(422);
    expect(s.reason).toMatch(/^config: localClosures differ/);
  });
});
