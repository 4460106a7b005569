// What HQ flags for a branch's review reaches someone (issue 16's pending-KPJ flags, issue 18's
// not-staff flags, issue 17's records without an author): GET /v1/audit/flags answers a device's
// own branch's flags, newest first, each with its kind, what it is about and HQ's wording; HQ's
// operator reads the same with `hq:admin audit-flags <CODE>`. Real PostgreSQL, generated data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditFlagPage } from '@shared/sync/audit-flags';
import { addStaff, runAdminCommand } from '../../hq/admin';
import { authorlessFlagAfterMs, DEFAULT_AUTHORLESS_FLAG_AFTER_MS, PENDING_KPJ_REVIEWED } from '../../hq/audit-flags';
import { rendererChain, ticket, twoBranches, type Hq, type TestDevice } from './helpers';
import { fresh } from './hub-helpers';

let hq: Hq;
let a: string;
let b: string;
let pc1: TestDevice;
let pc2: TestDevice;
let pcB: TestDevice;
beforeAll(async () => {
  const t = await twoBranches('audit_flags_route');
  ({ hq, a, b } = t);
  pc1 = t.devA;
  pc2 = t.devA2;
  pcB = t.devB;
  // A former officer of branch a, deactivated in HQ's directory.
  await addStaff(hq.db, { branchCode: a, staffId: `mantan.${a.toLowerCase()}`, name: 'Petugas Lama', role: 'officer', active: false });
}, 60_000);
afterAll(async () => {
  await hq?.close();
});

const getFlags = async (device: TestDevice | null, query = '') =>
  hq.app.inject({ method: 'GET', url: `/v1/audit/flags${query}`, headers: device ? device.auth : {} });
const flagsOf = async (device: TestDevice, query = '') => {
  const res = await getFlags(device, query);
  expect(res.statusCode, res.body).toBe(200);
  return AuditFlagPage.parse(res.json());
};

/** pc's renderer chain, pushed to HQ entry by entry (every entry is kept, flagged or not). */
function chainOf(device: TestDevice) {
  const push = rendererChain(hq.app, device);
  return (actor: { staffId: string; role: 'head' | 'officer' }, action: `${string}.${string}`, details: Record<string, string> = {}): Promise<number> =>
    push({ at: '2026-03-02T11:00:00+07:00', actor, action, subject: { kind: 'case', id: `${device.branchCode}-PKJ-0001` }, details });
}

const overturn = (followUp: string, dueDate: string, dueTime?: string) => ({
  kpj: '10000000016',
  followUpOn: '2026-03-06',
  reason: 'EMPLOYER_DATA_CONFIRMATION',
  decision: 'overturned',
  note: 'Bayar',
  leftPendingBy: 'petugas.uji',
  followUp,
  dueDate,
  ...(dueTime ? { dueTime } : {}),
});

const pushTickets = (device: TestDevice, rows: unknown[]) => hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: rows });
const ageDocument = (collection: string, id: string, ms: number) =>
  hq.db.query(`UPDATE documents SET received_at = now() - ($3::bigint * interval '1 millisecond') WHERE collection = $1 AND id = $2`, [collection, id, ms]);

describe('GET /v1/audit/flags: a branch’s audit flags reach its head (issues 16, 17, 18)', () => {
  it('answers each kind of flag with what it is about, newest first, for the device’s own branch only', async () => {
    const head = { staffId: `staf1.${a.toLowerCase()}`, role: 'head' as const };
    const push = chainOf(pc1);
    const notStaff = await push({ staffId: `orang.lain`, role: 'officer' }, 'case.event');
    const deactivated = await push({ staffId: `mantan.${a.toLowerCase()}`, role: 'officer' }, 'case.event');
    const wrongRole = await push({ staffId: `staf2.${a.toLowerCase()}`, role: 'head' }, 'case.event');
    const closedDay = await push(head, PENDING_KPJ_REVIEWED, overturn('appointment', '2026-03-07', '09:00'));
    const outsideHours = await push(head, PENDING_KPJ_REVIEWED, overturn('appointment', '2026-03-03', '16:30'));
    const tooLate = await push(head, PENDING_KPJ_REVIEWED, overturn('reopenCase', '2026-03-20'));
    await push(head, PENDING_KPJ_REVIEWED, overturn('appointment', '2026-03-03', '09:00')); // within the rules: no flag

    const page = await flagsOf(pc2); // any PC of the branch (main lets only a head or admin ask)
    const mine = page.flags.filter((f) => f.deviceId === pc1.deviceId);
    const caseId = `${a}-PKJ-0001`;
    expect(mine.map(({ kind, chain, seq, subject, date }) => ({ kind, chain, seq, subject, date }))).toEqual([
      { kind: 'tooLate', chain: 'renderer', seq: tooLate, subject: caseId, date: '2026-03-20' },
      { kind: 'outsideHours', chain: 'renderer', seq: outsideHours, subject: caseId, date: '2026-03-03' },
      { kind: 'closedDay', chain: 'renderer', seq: closedDay, subject: caseId, date: '2026-03-07' },
      { kind: 'wrongRole', chain: 'renderer', seq: wrongRole, subject: `staf2.${a.toLowerCase()}`, date: null },
      { kind: 'deactivated', chain: 'renderer', seq: deactivated, subject: `mantan.${a.toLowerCase()}`, date: null },
      { kind: 'notStaff', chain: 'renderer', seq: notStaff, subject: 'orang.lain', date: null },
    ]);
    expect(mine.every((f) => f.reason.length > 0 && !f.reason.includes('10000000016'))).toBe(true); // HQ's words, never the KPJ
    // Another branch sees none of them; without a token, nothing.
    expect((await flagsOf(pcB)).flags.filter((f) => f.deviceId === pc1.deviceId)).toEqual([]);
    expect((await getFlags(null)).statusCode).toBe(401);
    expect((await getFlags(pcB, `?branch=${a}`)).statusCode).toBe(400);
  });

  it('pages newest first with limit and before', async () => {
    const all = (await flagsOf(pc1)).flags;
    expect(all.length).toBeGreaterThanOrEqual(6);
    const first = await flagsOf(pc1, '?limit=2');
    expect(first.flags.map((f) => f.flagId)).toEqual(all.slice(0, 2).map((f) => f.flagId));
    expect(first.next).toBe(all[1]!.flagId);
    const second = await flagsOf(pc1, `?limit=2&before=${first.next}`);
    expect(second.flags.map((f) => f.flagId)).toEqual(all.slice(2, 4).map((f) => f.flagId));
    expect((await getFlags(pc1, '?limit=0')).statusCode).toBe(400);
  });

  it('flags a record held without an author past the configured time, once, and no longer shows it once its writer sends it', async () => {
    // pc1 wrote two tickets and never pushed them; pc2 pulled them from the hub and passed them on (marked pulled).
    const lost = ticket(a);
    const recent = ticket(a);
    expect((await pushTickets(pc2, [lost, recent].map((t) => ({ ...fresh(t), pulled: true })))).statusCode).toBe(200);
    const authorless = async () => (await flagsOf(pc2)).flags.filter((f) => f.kind === 'authorless');
    expect(await authorless()).toEqual([]); // stored without an author just now: normal, not flagged
    await ageDocument('tickets', String(lost.id), DEFAULT_AUTHORLESS_FLAG_AFTER_MS + 60_000);
    await ageDocument('tickets', String(recent.id), DEFAULT_AUTHORLESS_FLAG_AFTER_MS - 3_600_000);

    const flagged = await authorless();
    expect(flagged).toEqual([
      expect.objectContaining({ kind: 'authorless', chain: 'record', deviceId: null, seq: null, subject: `tickets/${String(lost.id)}`, date: null }),
    ]);
    expect(flagged[0]!.reason).toMatch(/without an author since \d{4}-\d{2}-\d{2}T/);
    expect(await authorless()).toEqual(flagged); // once
    expect((await flagsOf(pcB)).flags.filter((f) => f.kind === 'authorless')).toEqual([]);

    // Its writer comes back and pushes it as its own: HQ makes it pc1's, and the flag is no longer shown.
    expect((await pushTickets(pc1, [fresh(lost)])).statusCode).toBe(200);
    const { rows } = await hq.db.query<{ device_id: string }>(`SELECT device_id::text FROM documents WHERE collection = 'tickets' AND id = $1`, [lost.id]);
    expect(rows[0]?.device_id).toBe(pc1.deviceId);
    expect(await authorless()).toEqual([]);
  });

  it('HQ’s operator reads the same flags with hq:admin audit-flags <CODE>', async () => {
    const out = await runAdminCommand(hq.db, ['audit-flags', a]);
    expect(out).toContain('notStaff');
    expect(out).toContain('tooLate');
    expect(out).toContain(`device ${pc1.deviceId} renderer seq`);
    expect(out).toContain('actor orang.lain is not staff of branch');
    expect(await runAdminCommand(hq.db, ['audit-flags', b])).toBe(`no audit flags for ${b}`);
    await expect(runAdminCommand(hq.db, ['audit-flags', 'ZZZ999'])).rejects.toThrow(/unknown branch/);
  });
});

describe('HQ_AUTHORLESS_FLAG_AFTER_H', () => {
  it('is hours (fractional allowed), 72 by default; anything else stops HQ', () => {
    expect(authorlessFlagAfterMs({})).toBe(DEFAULT_AUTHORLESS_FLAG_AFTER_MS);
    expect(DEFAULT_AUTHORLESS_FLAG_AFTER_MS).toBe(72 * 3_600_000);
    expect(authorlessFlagAfterMs({ HQ_AUTHORLESS_FLAG_AFTER_H: '0.5' })).toBe(1_800_000);
    for (const bad of ['0', '-1', 'abc', 'Infinity']) expect(() => authorlessFlagAfterMs({ HQ_AUTHORLESS_FLAG_AFTER_H: bad })).toThrow(/positive number of hours/);
  });
});
