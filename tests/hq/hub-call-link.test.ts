import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeDevice } from '../../hq/admin';
import type { CredentialStore, HqCredentials } from '../../main/hq/credentials';
import { callNextAtHub } from '../../main/hub/calls';
import { HubLink } from '../../main/hub/link';
import { localDateOf } from '@shared/dates';
import { IpcFailure } from '@shared/ipc/result';
import { memoryLog } from '../unit/main/helpers';
import { ticket } from './helpers';
import type { TestDevice } from './helpers';
import { branchWithHub, fresh } from './hub-helpers';
import type { Branch } from './hub-helpers';

// Issue 17 pt 5 end to end in main: `hub.callNext` (main/hub/calls.ts) over the PC's HubLink
// (TLS pinned, the PC's own HQ token) to a real hub linked to a real HQ. Two counters on two PCs
// calling at once never get the same ticket; a PC of another branch and a revoked PC are refused.

let br: Branch;
const links: HubLink[] = [];
beforeAll(async () => {
  br = await branchWithHub('hub_call_link');
}, 180_000);
afterAll(async () => {
  await Promise.all(links.map((l) => l.stop()));
  await br?.close();
});

function linkFor(device: TestDevice): HubLink {
  const c: HqCredentials = { url: br.hqUrl, branchCode: device.branchCode, token: device.token, enrolledAt: new Date().toISOString() };
  const credentials: CredentialStore = { read: () => c, write: () => undefined };
  const link = new HubLink({ credentials, log: memoryLog() });
  link.setTarget({ url: br.hub.url, fingerprint: br.hub.fingerprint, source: 'hq' });
  links.push(link);
  return link;
}

const PER_COUNTER = 20;

describe('hub.callNext through the hub link', () => {
  it(`2 counters × ${PER_COUNTER} concurrent calls on two PCs: each ticket called once, as the calling PC's`, async () => {
    const now = new Date();
    const day = localDateOf(now.toISOString());
    const tickets = Array.from({ length: 2 * PER_COUNTER }, (_, i) => {
      const at = new Date(now.getTime() - (3_600_000 - i * 1000)).toISOString();
      return ticket(br.a, undefined, { service: 'jmo-reset', number: `B1-${String(i + 1).padStart(3, '0')}`, day, seq: i + 1, issuedAt: at, updatedAt: at, history: [{ status: 'waiting', at }] });
    });
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', tickets.map(fresh))).json).toEqual([]);
    const one = linkFor(br.pc1);
    const two = linkFor(br.pc2);
    const counter = (link: HubLink, n: string, staffId: string) =>
      Promise.all(Array.from({ length: PER_COUNTER }, () => callNextAtHub(link, { staffId, role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: n, requestId: randomUUID() })));
    const [a, b] = await Promise.all([counter(one, '1', 'petugas.satu'), counter(two, '2', 'petugas.dua')]);
    const got = [...a, ...b].map((r) => r.ticket?.id ?? null);
    expect(got.filter((id) => id === null)).toEqual([]);
    expect(new Set(got).size).toBe(2 * PER_COUNTER);
    const ofPc1 = a.map((r) => r.ticket!.history.at(-1) as { event: { counter: string; actor: { deviceId: string; staffId: string } } });
    expect(ofPc1.every((h) => h.event.counter === '1' && h.event.actor.deviceId === br.pc1.deviceId && h.event.actor.staffId === 'petugas.satu')).toBe(true);
    // Nothing left: the next call says so.
    expect(await callNextAtHub(one, { staffId: 'petugas.satu', role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: '1', requestId: randomUUID() })).toEqual({ ticket: null });
  });

  it('refuses a PC of another branch and a PC HQ revoked', async () => {
    const other = linkFor(br.pcB);
    const outsider = await callNextAtHub(other, { staffId: 'petugas.lain', role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: '1', requestId: randomUUID() }).catch((e: unknown) => e);
    expect(outsider).toBeInstanceOf(IpcFailure);
    expect((outsider as IpcFailure).code).toBe('HUB_REJECTED');
    await revokeDevice(br.hq.db, br.pc2.deviceId);
    await br.hub.upstream.syncOnce();
    const revoked = await callNextAtHub(linkFor(br.pc2), { staffId: 'petugas.dua', role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: '2', requestId: randomUUID() }).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(IpcFailure);
    expect((revoked as IpcFailure).code).toBe('HUB_REJECTED');
  });
});
