import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hq/hub/server';
import type { TestDevice } from './helpers';
import { hqDocuments } from './hub-helpers';
import { claimHub, faultBranch, ticketIdsOn, ticketsAtHub, until, type FaultBranch } from './hub-fault-branch';

// Issue 17 pt 8, "a newly chosen hub catches up from the PCs": the hub PC is switched off while
// the WAN is down, holding records of the branch's PCs it never relayed to HQ. The head makes
// another PC the hub (HQ cannot be told yet); it starts with an empty database and the roster its
// PC kept (tests/hq/hub-roster.test.ts), the PCs pair with it and push what they hold, so it holds
// every record without HQ. When the WAN returns HQ learns the new hub (the pending claim) and gets
// each record once; every PC holds each once. PCs: main's core + the renderer's sync controller.

let b: FaultBranch;
let oldHubPc: TestDevice;
let newHubPc: TestDevice;
let oldHub: Hub;
let newHub: Hub;
let roster: unknown;

beforeAll(async () => {
  b = await faultBranch('hub_fault_new');
  oldHubPc = await b.enrolHubPc();
  newHubPc = await b.enrolHubPc();
  roster = await b.rosterOf(newHubPc); // kept by that PC while the WAN was up
  await claimHub(b, oldHubPc);
  oldHub = await b.startHub(oldHubPc, b.tempDir());
  await oldHub.upstream.syncOnce();
  for (const p of b.pcs) await p.device.core.hub.learnFromHq();
}, 300_000);

afterAll(async () => {
  await b?.close();
}, 60_000);

describe('a newly chosen hub while the WAN is down (issue 17 pt 8)', () => {
  const author = new Map<string, string>();

  it('the old hub holds records HQ never got, then its PC is switched off', async () => {
    await until('both PCs on the hub', () => b.pcs.every((p) => p.sync.upstream() === 'hub'));
    b.cut(b.pcWan);
    b.cut(b.hubWan);
    await until('the hub finds HQ unreachable', async () => (await oldHub.upstream.syncOnce()).hq === 'unreachable');
    for (const p of b.pcs) for (const id of await p.device.writeTickets(4, 4)) author.set(id, p.device.deviceId);
    await until('all at the old hub', async () => (await ticketsAtHub(oldHub)).length === author.size);
    await oldHub.close();
    await until('the PCs see the hub gone', () => b.pcs.every((p) => !p.device.core.hub.status().connected), 20_000);
    expect(await hqDocuments(b.hq.db, 'tickets')).toEqual([]);
  }, 120_000);

  it('the new hub starts without HQ, admits the branch’s PCs by the kept roster, and catches up from them', async () => {
    const t0 = Date.now();
    newHub = await b.startHub(newHubPc, b.tempDir(), 0, roster);
    const startedMs = Date.now() - t0;
    expect((await newHub.upstream.syncOnce()).hq).not.toBe('ok');
    const t1 = Date.now();
    // Paired by the short code on the new hub's screen (HQ cannot tell the PCs).
    for (const p of b.pcs) p.device.core.hub.pin({ url: newHub.url, fingerprint: newHub.fingerprint, source: 'paired' });
    await until('both PCs on the new hub', () => b.pcs.every((p) => p.sync.upstream() === 'hub'));
    const all = [...author.keys()].sort();
    await until('the new hub holds every record', async () => (await ticketsAtHub(newHub)).length === all.length);
    const caughtUpMs = Date.now() - t1;
    console.info(`new hub: started on an empty folder in ${startedMs} ms; after pairing it held all ${all.length} records in ${caughtUpMs} ms (WAN down)`);
    expect((await ticketsAtHub(newHub)).map((d) => d.id).sort()).toEqual(all);
    for (const p of b.pcs) expect((await ticketIdsOn(p.device)).sort()).toEqual(all);
    expect(await hqDocuments(b.hq.db, 'tickets')).toEqual([]);
  }, 300_000);

  it('when the WAN returns HQ learns the new hub and gets each record once; every PC holds each once', async () => {
    await claimHub(b, newHubPc); // the head's claim, told to HQ once it answers (main/hub/hosting.ts retryClaim)
    b.restore(b.hubWan);
    b.restore(b.pcWan);
    const all = [...author.keys()].sort();
    await until('HQ holds every record', async () => (await hqDocuments(b.hq.db, 'tickets')).length >= all.length, 60_000);
    await newHub.upstream.syncOnce();
    const atHq = await hqDocuments(b.hq.db, 'tickets');
    expect(atHq.map((d) => d.id).sort()).toEqual(all);
    for (const d of atHq) expect([oldHubPc.deviceId, newHubPc.deviceId]).not.toContain(d.device_id);
    for (const p of b.pcs) expect((await ticketIdsOn(p.device)).sort()).toEqual(all);
    expect((await b.hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantine')).rows[0]!.n).toBe(0);
  }, 120_000);
});
