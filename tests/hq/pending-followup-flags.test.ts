// Issue 16 at HQ on real PostgreSQL: the head's decision on a pending KPJ is an entry of the PC's
// audit chain (renderer pending-kpj-reviews.ts), which HQ cannot refuse without stopping that
// chain. HQ keeps the entry and flags it (audit_flags) when its follow-up breaks the branch's rules
// as HQ holds them: an appointment on a closed day (weekend, national holiday, joint leave, the
// branch's local closure), an appointment outside the service hours of that day, or any follow-up
// due past the configured working days (default 5) after the decision, on the branch's clock.
// Generated data only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_KPJ_REVIEW_ACTION } from '../../renderer/src/data/db/pending-kpj-reviews';
import { PENDING_KPJ_REVIEWED } from '../../hq/audit-flags';
import { forgetBranchRules, setBranchRules, setBranchZone } from '../../hq/branch-rules';
import { auditFlags } from '../../hq/device-audit';
import { enrol, rendererChain, twoBranches, type Hq, type TestDevice } from './helpers';

let hq: Hq;
let a: string;
let b: string;
beforeAll(async () => {
  ({ hq, a, b } = await twoBranches('pending_followup_flags'));
  // Branch a closes on Wednesday 4 March 2026 (a local closure HQ holds in its rules).
  await setBranchRules(hq.db, a, '2026-01-01', { localClosures: ['2026-03-04'] });
  forgetBranchRules(hq.db, a);
});
afterAll(async () => {
  await hq.close();
});

const wib = (date: string, time: string) => `${date}T${time}:00+07:00`;
const KPJ = '10000000016';

/** A fresh PC of `branch` whose renderer chain HQ receives entry by entry. */
async function pcOf(branch: string) {
  const device: TestDevice = await enrol(hq.app, hq.db, branch);
  const chain = rendererChain(hq.app, device);
  // Kept whatever its follow-up says: the chain goes on (rendererChain expects every push answered 200).
  const push = (at: string, details: Record<string, string>, action: `${string}.${string}` = PENDING_KPJ_REVIEWED): Promise<number> =>
    chain({ at, actor: { staffId: `staf1.${branch.toLowerCase()}`, role: 'head' }, action, subject: { kind: 'case', id: `${branch}-PKJ-0001` }, details });
  const flags = async () => (await auditFlags(hq.db, branch)).filter((f) => f.deviceId === device.deviceId).map((f) => ({ chain: f.chain, seq: f.seq, reason: f.reason }));
  return { device, push, flags };
}

const overturn = (followUp: string, dueDate: string, dueTime?: string): Record<string, string> => ({
  kpj: KPJ,
  followUpOn: '2026-03-06',
  reason: 'EMPLOYER_DATA_CONFIRMATION',
  decision: 'overturned',
  note: 'Bayar',
  leftPendingBy: 'petugas.uji',
  followUp,
  dueDate,
  ...(dueTime ? { dueTime } : {}),
});

describe('HQ flags a head pending-KPJ follow-up that breaks the branch rules (issue 16)', () => {
  it('uses the action the PCs record', () => {
    expect(PENDING_KPJ_REVIEWED).toBe(PENDING_KPJ_REVIEW_ACTION);
  });

  it('flags an appointment on a weekend, a holiday, joint leave and a local closure; keeps every entry', async () => {
    const pc = await pcOf(a);
    const monday = wib('2026-03-02', '11:00');
    const sat = await pc.push(monday, overturn('appointment', '2026-03-07', '09:00'));
    const local = await pc.push(monday, overturn('appointment', '2026-03-04', '09:00'));
    const fine = await pc.push(monday, overturn('appointment', '2026-03-05', '09:00'));
    // Decided Monday 16 March: 5 working days reach Monday 30 March (18–24 March closed).
    const nyepi = await pc.push(wib('2026-03-16', '11:00'), overturn('appointment', '2026-03-19', '09:00'));
    const jointLeave = await pc.push(wib('2026-03-16', '11:00'), overturn('appointment', '2026-03-24', '09:00'));
    const what = `pending KPJ follow-up (appointment) of case ${a}-PKJ-0001`;
    expect(await pc.flags()).toEqual([
      { chain: 'renderer', seq: sat, reason: `${what} on 2026-03-07, a day the branch is closed (weekend)` },
      { chain: 'renderer', seq: local, reason: `${what} on 2026-03-04, a day the branch is closed (Tutup (cabang))` },
      { chain: 'renderer', seq: nyepi, reason: `${what} on 2026-03-19, a day the branch is closed (Hari Suci Nyepi Tahun Baru Saka 1948)` },
      { chain: 'renderer', seq: jointLeave, reason: `${what} on 2026-03-24, a day the branch is closed (Cuti bersama Idul Fitri 1447 Hijriah)` },
    ]);
    expect(fine).toBe(3);
    const { rows } = await hq.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM documents WHERE collection = 'audit' AND (data ->> 'deviceId') = $1`, [pc.device.deviceId]);
    expect(Number(rows[0]?.n)).toBe(5);
  });

  it('flags an appointment outside the service hours of its day: before opening, from the closing minute on', async () => {
    const pc = await pcOf(a);
    const at = wib('2026-03-02', '11:00');
    const seqs: Record<string, number> = {};
    for (const time of ['07:00', '07:59', '08:00', '14:59', '15:00', '16:30']) seqs[time] = await pc.push(at, overturn('appointment', '2026-03-03', time));
    const what = `pending KPJ follow-up (appointment) of case ${a}-PKJ-0001`;
    expect(await pc.flags()).toEqual(
      ['07:00', '07:59', '15:00', '16:30'].map((time) => ({ chain: 'renderer', seq: seqs[time], reason: `${what} at ${time} on 2026-03-03, outside the branch's service hours` })),
    );
  });

  it('flags a follow-up due past the configured working days after the decision (default 5), of any kind', async () => {
    const pc = await pcOf(a);
    const monday = wib('2026-03-02', '11:00');
    // 5 working days after Monday 2 March, with Wednesday 4 March closed locally: Tuesday 10 March.
    await pc.push(monday, overturn('reopenCase', '2026-03-10'));
    const late = await pc.push(monday, overturn('reopenCase', '2026-03-11'));
    const lateAppointment = await pc.push(monday, overturn('appointment', '2026-03-13', '09:00'));
    // An upheld pending opens no follow-up: nothing to judge.
    await pc.push(monday, { kpj: KPJ, followUpOn: '2026-03-06', reason: 'EMPLOYER_DATA_CONFIRMATION', decision: 'upheld', note: '', leftPendingBy: 'petugas.uji' });
    // Another action with the same details is not a pending-KPJ decision.
    await pc.push(monday, overturn('reopenCase', '2026-04-30'), 'followUp.opened');
    expect(await pc.flags()).toEqual([
      { chain: 'renderer', seq: late, reason: `pending KPJ follow-up (reopenCase) of case ${a}-PKJ-0001 due 2026-03-11, beyond 5 working days after the decision on 2026-03-02 (latest 2026-03-10)` },
      {
        chain: 'renderer',
        seq: lateAppointment,
        reason: `pending KPJ follow-up (appointment) of case ${a}-PKJ-0001 due 2026-03-13, beyond 5 working days after the decision on 2026-03-02 (latest 2026-03-10)`,
      },
    ]);
  });

  it('judges by the branch’s own rules: its working-day limit, its hours, its zone', async () => {
    await setBranchRules(hq.db, b, '2026-01-01', { pendingFollowUpWorkingDays: 2, serviceHours: { sun: null, mon: null, tue: { open: '10:00', close: '12:00' }, wed: null, thu: null, fri: null, sat: null } });
    await setBranchZone(hq.db, b, 'WITA');
    forgetBranchRules(hq.db, b);
    const pc = await pcOf(b);
    // 23:30 WIB on Monday is 00:30 WITA on Tuesday 3 March: 2 working days reach Thursday 5 March.
    const at = '2026-03-02T23:30:00+07:00';
    await pc.push(at, overturn('reopenCase', '2026-03-05'));
    const late = await pc.push(at, overturn('reopenCase', '2026-03-06'));
    const early = await pc.push(at, overturn('appointment', '2026-03-03', '09:59'));
    await pc.push(at, overturn('appointment', '2026-03-03', '10:00'));
    await pc.push(at, overturn('appointment', '2026-03-03', '11:59'));
    const closing = await pc.push(at, overturn('appointment', '2026-03-03', '12:00'));
    // Wednesday has no published hours at this branch.
    const wednesday = await pc.push(at, overturn('appointment', '2026-03-04', '10:30'));
    const what = (kind: string) => `pending KPJ follow-up (${kind}) of case ${b}-PKJ-0001`;
    expect(await pc.flags()).toEqual([
      { chain: 'renderer', seq: late, reason: `${what('reopenCase')} due 2026-03-06, beyond 2 working days after the decision on 2026-03-03 (latest 2026-03-05)` },
      { chain: 'renderer', seq: early, reason: `${what('appointment')} at 09:59 on 2026-03-03, outside the branch's service hours` },
      { chain: 'renderer', seq: closing, reason: `${what('appointment')} at 12:00 on 2026-03-03, outside the branch's service hours` },
      { chain: 'renderer', seq: wednesday, reason: `${what('appointment')} at 10:30 on 2026-03-04, outside the branch's service hours` },
    ]);
  });
});
