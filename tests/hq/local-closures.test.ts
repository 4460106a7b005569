import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchRulesOn, setBranchRules } from '../../hq/branch-rules';
import { createCore } from '../../main/core';
import type { HqCredentials } from '../../main/hq/credentials';
import { fileVault } from '../../main/secrets';
import { memoryLog, setupPayload, tempDir } from '../unit/main/helpers';
import { HqErrorBody } from '@shared/sync/protocol';
import { addDays, localDateOf } from '@shared/dates';
import { twoBranches } from './helpers';
import type { Hq, TestDevice } from './helpers';

// Issue 16 pt 10 at HQ on real PostgreSQL: the local closures the head enters in Settings reach
// HQ's case rules (`PUT /v1/branch/local-closures`), as a new version of the branch's rules from
// today on (a case opened before is still judged by the rules of its day), audited in HQ's log, and
// reach the branch's other PCs in the pulled `config` document. Only a head may set them.

let hq: Hq;
let a: string;
let devA: TestDevice;
let devA2: TestDevice;
let devB: TestDevice;
const today = () => localDateOf(new Date().toISOString());
const head = { staffId: 'kepala.uji', role: 'head' };

beforeAll(async () => {
  ({ hq, a, devA, devA2, devB } = await twoBranches('local-closures'));
});
afterAll(async () => {
  await hq.close();
});

const put = (device: TestDevice, payload: unknown) =>
  hq.app.inject({ method: 'PUT', url: '/v1/branch/local-closures', headers: device.auth, payload: payload as Record<string, unknown> });

describe('HQ: local closures from the head PC', () => {
  it('a head sets them: a version from today on, older days keep their rules, later versions carry them too', async () => {
    const day = today();
    const c1 = addDays(day, 10);
    const c2 = addDays(day, 12);
    await setBranchRules(hq.db, a, '2020-01-01', { retirementAge: 57 });
    await setBranchRules(hq.db, a, addDays(day, 30), { retirementAge: 58 });

    const res = await put(devA, { actor: head, closures: [c2, c1] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ effectiveFrom: day, localClosures: [c1, c2] });

    const now = await branchRulesOn(hq.db, a, day);
    expect(now?.localClosures).toEqual([c1, c2]);
    expect(now?.retirementAge).toBe(57); // the version in force today is kept, with the closures added
    const before = await branchRulesOn(hq.db, a, addDays(day, -1));
    expect(before?.localClosures).toBeUndefined();
    expect(before?.retirementAge).toBe(57);
    const later = await branchRulesOn(hq.db, a, addDays(day, 30));
    expect(later?.retirementAge).toBe(58);
    expect(later?.localClosures).toEqual([c1, c2]);

    // Audited: who (staff id and role), from which PC, what.
    const line = hq.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'branch local closures set');
    expect(line).toMatchObject({ branchCode: a, deviceId: devA.deviceId, staffId: 'kepala.uji', role: 'head', effectiveFrom: day, localClosures: [c1, c2] });

    // The branch's other PC gets them in the pulled config document; the other branch does not.
    const pulled = (await hq.app.inject({ method: 'GET', url: '/v1/sync/config/pull?limit=50', headers: devA2.auth })).json<{ documents: unknown[] }>();
    const value = pulled.documents.map((d) => d as { key?: string; value?: { rules?: { versions: Array<{ effectiveFrom: string; config: { localClosures?: string[] } }> } } }).find((d) => d.key === 'hq:branch')?.value;
    expect(value?.rules?.versions).toContainEqual({ effectiveFrom: day, config: { retirementAge: 57, localClosures: [c1, c2] } });
    expect((await branchRulesOn(hq.db, devB.branchCode, day))?.localClosures).toBeUndefined();

    // Removing every closure: today's version holds none, the older ones are untouched.
    const cleared = await put(devA, { actor: head, closures: [] });
    expect(cleared.statusCode).toBe(200);
    expect((await branchRulesOn(hq.db, a, day))?.localClosures).toBeUndefined();
    expect((await branchRulesOn(hq.db, a, addDays(day, 30)))?.localClosures).toBeUndefined();
    expect((await branchRulesOn(hq.db, a, day))?.retirementAge).toBe(57);
  });

  it('refuses anyone but a head, and bad input, changing nothing', async () => {
    const day = today();
    const before = await branchRulesOn(hq.db, a, day);
    const officer = await put(devA, { actor: { staffId: 'petugas.uji', role: 'officer' }, closures: [addDays(day, 3)] });
    expect(officer.statusCode).toBe(403);
    expect(HqErrorBody.parse(officer.json()).error.code).toBe('FORBIDDEN_ROLE');
    for (const bad of [
      { actor: head, closures: ['25-03-2026'] },
      { actor: head, closures: [addDays(day, 3), addDays(day, 3)] },
      { actor: head, closures: [addDays(day, 3)], extra: 1 },
      { actor: { staffId: 'kepala.uji' }, closures: [] },
      { actor: head, closures: Array.from({ length: 201 }, (_, i) => addDays(day, i + 1)) },
    ]) {
      const r = await put(devA, bad);
      expect(r.statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect(HqErrorBody.parse(r.json()).error.code).toBe('INVALID_PAYLOAD');
    }
    const noToken = await hq.app.inject({ method: 'PUT', url: '/v1/branch/local-closures', payload: { actor: head, closures: [] } });
    expect(noToken.statusCode).toBe(401);
    expect(await branchRulesOn(hq.db, a, day)).toEqual(before);
  });
});

describe('the head PC sends its local closures (main, HqLink) and keeps them while HQ is away', () => {
  it('offline: saved on the PC, "not yet sent"; HQ back: received, in the rules, and the other PC pulls them', async () => {
    await hq.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = hq.app.server.address() as { port: number };
    // Set up first (an enrolled PC without a branch profile is refused), then enrolled with HQ
    // away: the device's token, at an address where nothing listens.
    let enrolled = false;
    const creds: HqCredentials = { url: 'http://127.0.0.1:9', branchCode: a, token: devA.token, enrolledAt: new Date().toISOString() };
    const dir = tempDir();
    const log = memoryLog();
    const core = createCore({
      userDataDir: dir,
      mode: 'browser',
      version: '0.0.0-test',
      log,
      vault: fileVault(`${dir}/secrets`, log),
      hqCredentials: { read: () => (enrolled ? creds : null), write: () => undefined },
      hqLink: { timeoutMs: 2_000, stream: { minDelayMs: 50, maxDelayMs: 200 } },
      hub: { hosting: null },
    });
    try {
      const setup = await core.dispatch('head', 'branch.setup', { ...setupPayload, branch: { ...setupPayload.branch, code: a } });
      expect(setup, JSON.stringify(setup)).toMatchObject({ ok: true });
      enrolled = true;
      const day = today();
      const closures = [{ date: addDays(day, 5), note: 'Banjir lokal' }];
      expect(await core.dispatch('head', 'branch.setLocalClosures', { localClosures: closures })).toMatchObject({ ok: true, value: { settings: { localClosures: closures }, sentToHq: false } });
      expect(await core.dispatch('head', 'branch.localClosuresStatus', undefined)).toEqual({ ok: true, value: { pending: true, refused: null } });
      expect((await branchRulesOn(hq.db, a, day))?.localClosures).toBeUndefined();

      // Only the head: an officer of this PC cannot.
      await core.dispatch('head', 'staff.add', { staffId: 'petugas.a', name: 'Petugas A', role: 'officer', pin: '480213' });
      await core.dispatch('officer', 'staff.signIn', { staffId: 'petugas.a', pin: '480213' });
      expect(await core.dispatch('officer', 'branch.setLocalClosures', { localClosures: [] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });

      // HQ is back: the link connects and the waiting list goes.
      creds.url = `http://127.0.0.1:${addr.port}`;
      core.hq.start();
      for (let i = 0; i < 100 && (await branchRulesOn(hq.db, a, day))?.localClosures === undefined; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await branchRulesOn(hq.db, a, day))?.localClosures).toEqual([addDays(day, 5)]);
      for (let i = 0; i < 50; i++) {
        const st = await core.dispatch('head', 'branch.localClosuresStatus', undefined);
        if (st.ok && !(st.value as { pending: boolean }).pending) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await core.dispatch('head', 'branch.localClosuresStatus', undefined)).toEqual({ ok: true, value: { pending: false, refused: null } });
      const line = hq.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).findLast((l) => l.msg === 'branch local closures set');
      expect(line).toMatchObject({ deviceId: devA.deviceId, staffId: setupPayload.head.staffId, role: 'head' });

      // Online: the next change is sent at once.
      const more = [...closures, { date: addDays(day, 6), note: 'Banjir lokal' }];
      expect(await core.dispatch('head', 'branch.setLocalClosures', { localClosures: more })).toMatchObject({ ok: true, value: { sentToHq: true } });
      expect((await branchRulesOn(hq.db, a, day))?.localClosures).toEqual([addDays(day, 5), addDays(day, 6)]);
      const pulled = (await hq.app.inject({ method: 'GET', url: '/v1/sync/config/pull?limit=50', headers: devA2.auth })).json<{ documents: unknown[] }>();
      expect(JSON.stringify(pulled.documents)).toContain(addDays(day, 6));
    } finally {
      await core.hq.stop();
      await core.hub.stop();
    }
  }, 30_000);
});
