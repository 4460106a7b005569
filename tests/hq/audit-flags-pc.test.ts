import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../hq/admin';
import { AuditFlagPage } from '@shared/sync/audit-flags';
import { createDevice, type SimDevice } from './device-sim';
import { enrol, makeBranch, rendererChain, startListeningHq, type ListeningHq, type TestDevice } from './helpers';

// What HQ flagged for a branch reaches its head on a PC (issues 16, 17, 18 pt 7): main's HQ link
// asks GET /v1/audit/flags (`hq.auditFlags`, a head or admin session only) and hands the renderer
// the page as shared/sync/audit-flags.ts says. Real PostgreSQL, a real main core; generated data.

const CLIENT = 'sim-page'; // the head's session in device-sim

let hq: ListeningHq;
let a = '';
let counterPc: TestDevice;
let headPc: SimDevice;
let otherBranchPc: SimDevice;
beforeAll(async () => {
  hq = await startListeningHq('auditflagspc');
  a = await makeBranch(hq.db);
  const b = await makeBranch(hq.db);
  counterPc = await enrol(hq.app, hq.db, a);
  headPc = await createDevice({ name: 'fhead', branch: a, slot: 2, hqUrl: hq.url, code: (await createEnrolCode(hq.db, a)).code, collections: ['config'] });
  otherBranchPc = await createDevice({ name: 'fother', branch: b, slot: 1, hqUrl: hq.url, code: (await createEnrolCode(hq.db, b)).code, collections: ['config'] });
}, 60_000);
afterAll(async () => {
  await headPc?.close();
  await otherBranchPc?.close();
  await hq?.close();
}, 60_000);

describe('audit flags on the head’s PC', () => {
  it('the head gets the branch’s flags through main; another branch’s head gets none of them', async () => {
    // A counter PC records an action by someone who is not staff of the branch: HQ keeps it and flags it.
    await rendererChain(hq.app, counterPc)({
      at: '2026-03-02T11:00:00+07:00',
      actor: { staffId: 'orang.lain', role: 'officer' },
      action: 'case.event',
      subject: { kind: 'case', id: `${a}-C-0001` },
      details: {},
    });

    const r = await headPc.core.dispatch(CLIENT, 'hq.auditFlags', {});
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const page = AuditFlagPage.parse(r.value);
    // (The simulated head PCs' own main chains are flagged too: their heads are not in HQ's directory.)
    expect(page.flags.filter((f) => f.deviceId === counterPc.deviceId)).toEqual([
      expect.objectContaining({ kind: 'notStaff', subject: 'orang.lain', chain: 'renderer', seq: 1 }),
    ]);

    const other = await otherBranchPc.core.dispatch(CLIENT, 'hq.auditFlags', {});
    expect(other.ok).toBe(true);
    if (other.ok) expect(AuditFlagPage.parse(other.value).flags.filter((f) => f.deviceId === counterPc.deviceId)).toEqual([]);
  });

  it('is refused to a session that is not the head’s or an admin’s, and to a bad page cursor', async () => {
    expect(await headPc.core.dispatch('nobody-signed-in', 'hq.auditFlags', {})).toMatchObject({ ok: false });
    expect(await headPc.core.dispatch(CLIENT, 'hq.auditFlags', { before: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });
});
