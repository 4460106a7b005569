import { describe, expect, it } from 'vitest';
import { callNextAtHub } from '../../../main/hub/calls';
import { IpcFailure } from '@shared/ipc/result';

// `hub.callNext` in main: who calls is the session's (never the page's), the branch's zone goes
// with it, and the hub's answer is checked before the renderer gets it.

const REQ = '0b7c2a4e-1d3f-4e5a-9b6c-7d8e9f0a1b2c';

const ticket = {
  id: '6f0c1f0e-4a53-4c3e-9a53-3f1d7f0b1a11',
  branchCode: 'UJI01',
  service: 'jmo-reset',
  status: 'called',
  number: 'B1-012',
  day: '2026-03-02',
  slot: 1,
  seq: 12,
  nikHash: 'ab'.repeat(32),
  issuedAt: '2026-03-02T01:00:00.000Z',
  updatedAt: '2026-03-02T02:00:00.000Z',
  history: [{ status: 'waiting', at: '2026-03-02T01:00:00.000Z' }, { status: 'called', at: '2026-03-02T02:00:00.000Z', event: { type: 'ticket.called', counter: '3' } }],
};

function link(answer: unknown) {
  const sent: { method: string; path: string; body: unknown }[] = [];
  return {
    sent,
    request: <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
      sent.push({ method, path, body });
      return Promise.resolve(answer as T);
    },
  };
}

describe('callNextAtHub', () => {
  it("asks the hub as the session's staff member with the branch's zone, and gives back the ticket without the hub's bookkeeping", async () => {
    const l = link({ ticket: { ...ticket, _deleted: false } });
    const r = await callNextAtHub(l, { staffId: 'petugas.tiga', role: 'officer' }, 'WITA', { services: ['jmo-reset'], counter: '3', requestId: REQ });
    expect(l.sent).toEqual([{ method: 'POST', path: '/v1/hub/calls/next', body: { services: ['jmo-reset'], counter: '3', staffId: 'petugas.tiga', role: 'officer', zone: 'WITA', requestId: REQ } }]);
    expect(r).toEqual({ ticket });
  });

  it('passes on "nothing waiting", and refuses an answer that is not a ticket', async () => {
    expect(await callNextAtHub(link({ ticket: null }), { staffId: 'petugas.tiga', role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: '3', requestId: REQ })).toEqual({ ticket: null });
    const bad = callNextAtHub(link({ ticket: { ...ticket, status: 'lost' } }), { staffId: 'petugas.tiga', role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: '3', requestId: REQ });
    await expect(bad).rejects.toBeInstanceOf(IpcFailure);
    await expect(bad).rejects.toMatchObject({ code: 'HUB_REJECTED' });
  });
});

describe('callNextAtHub with a busy hub', () => {
  it('asks once more with the same request id when the hub is busy (it may have called someone): the call is not lost', async () => {
    const sent: unknown[] = [];
    let asks = 0;
    const busyOnce = {
      request: <T>(_method: 'GET' | 'POST' | 'PUT', _path: string, body?: unknown) => {
        sent.push(body);
        asks++;
        return asks === 1 ? Promise.reject(new IpcFailure('HUB_BUSY', 'The hub did not answer within 5 s.')) : Promise.resolve({ ticket } as T);
      },
    };
    expect(await callNextAtHub(busyOnce, { staffId: 'petugas.tiga', role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: '3', requestId: REQ })).toEqual({ ticket });
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
  });

  it('gives up after two busy answers (the desk says "try again"), and never repeats an unreachable hub', async () => {
    let asks = 0;
    const fails = (code: 'HUB_BUSY' | 'HUB_UNREACHABLE') => ({
      request: <T>(): Promise<T> => {
        asks++;
        return Promise.reject(new IpcFailure(code, 'x'));
      },
    });
    await expect(callNextAtHub(fails('HUB_BUSY'), { staffId: 'petugas.tiga', role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: '3', requestId: REQ })).rejects.toMatchObject({ code: 'HUB_BUSY' });
    expect(asks).toBe(2);
    asks = 0;
    await expect(callNextAtHub(fails('HUB_UNREACHABLE'), { staffId: 'petugas.tiga', role: 'officer' }, 'WIB', { services: ['jmo-reset'], counter: '3', requestId: REQ })).rejects.toMatchObject({ code: 'HUB_UNREACHABLE' });
    expect(asks).toBe(1);
  });
});
