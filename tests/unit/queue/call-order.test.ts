import { describe, expect, it } from 'vitest';
import { callOrder, doubleCallsOf, inQueueOn, keepBothCalls, mergeTicketHistory, queuedAt, type OrderedTicket } from '@shared/queue/call-order';

// The one call order of the branch (shared by the desks, the display and the hub), and the double
// call a merge of two PCs' copies of a ticket can show.

type T = OrderedTicket & { id: string };
const t = (id: string, o: Partial<T> & { issuedAt: string }): T => ({ id, number: id, status: 'waiting', day: '2026-03-02', ...o });
const wib = (hm: string, day = '2026-03-02') => `${day}T${hm}:00+07:00`;

describe('callOrder', () => {
  const tickets = [
    t('walk-0730', { issuedAt: wib('07:30') }),
    t('appt-0900', { issuedAt: wib('06:00', '2026-02-27'), day: '2026-02-27', appointment: { date: '2026-03-02', time: '09:00' }, checkedInAt: wib('08:40') }),
    t('appt-0830', { issuedAt: wib('06:00', '2026-02-26'), day: '2026-02-26', appointment: { date: '2026-03-02', time: '08:30' }, checkedInAt: wib('08:50') }),
    t('appt-absent', { issuedAt: wib('06:00', '2026-02-25'), day: '2026-02-25', appointment: { date: '2026-03-02', time: '08:00' } }),
    t('walk-0800', { issuedAt: wib('08:00') }),
    t('prio-0820', { issuedAt: wib('08:20'), priority: 'disability' }),
    t('prio-0810', { issuedAt: wib('08:10'), priority: 'elderly' }),
    t('called', { issuedAt: wib('07:00'), status: 'called' }),
    t('yesterday', { issuedAt: wib('08:00', '2026-03-01'), day: '2026-03-01' }),
  ];

  it('priority first, then checked-in appointments whose slot has come (by slot), then by queue time', () => {
    expect(callOrder(tickets, wib('08:55')).map((x) => x.id)).toEqual(['prio-0810', 'prio-0820', 'appt-0830', 'walk-0730', 'walk-0800', 'appt-0900']);
    expect(callOrder(tickets, wib('09:00')).map((x) => x.id)).toEqual(['prio-0810', 'prio-0820', 'appt-0830', 'appt-0900', 'walk-0730', 'walk-0800']);
  });

  it('never a ticket of another day, a holder who has not checked in, or one no longer waiting', () => {
    const ids = callOrder(tickets, wib('12:00')).map((x) => x.id);
    expect(ids).not.toContain('yesterday');
    expect(ids).not.toContain('appt-absent');
    expect(ids).not.toContain('called');
  });

  it('ties break on the number, so every desk and the hub agree', () => {
    const same = [t('B', { issuedAt: wib('08:00') }), t('A', { issuedAt: wib('08:00') })];
    expect(callOrder(same, wib('09:00')).map((x) => x.id)).toEqual(['A', 'B']);
    expect(callOrder([...same].reverse(), wib('09:00')).map((x) => x.id)).toEqual(['A', 'B']);
  });

  it("judges today and the slot on the branch's clock (WITA, WIT), not WIB", () => {
    // 16:30 UTC on 2 March: still 2 March 23:30 in WIB, already 3 March 00:30 in WITA.
    const now = '2026-03-02T16:30:00.000Z';
    const monday = t('mon', { issuedAt: '2026-03-02T01:00:00.000Z', day: '2026-03-02' });
    const tuesday = t('tue', { issuedAt: '2026-03-02T16:10:00.000Z', day: '2026-03-03' });
    expect(callOrder([monday, tuesday], now).map((x) => x.id)).toEqual(['mon']);
    expect(callOrder([monday, tuesday], now, 'WITA').map((x) => x.id)).toEqual(['tue']);
    // A checked-in holder with a 09:00 slot at 01:30 UTC: 08:30 WIB (not yet), 10:30 WIT (due).
    const walk = t('walk', { issuedAt: '2026-03-02T00:00:00.000Z' });
    const appt = t('appt', { issuedAt: '2026-02-27T00:00:00.000Z', day: '2026-02-27', appointment: { date: '2026-03-02', time: '09:00' }, checkedInAt: '2026-03-02T01:20:00.000Z' });
    expect(callOrder([walk, appt], '2026-03-02T01:30:00.000Z', 'WIB').map((x) => x.id)).toEqual(['walk', 'appt']);
    expect(callOrder([walk, appt], '2026-03-02T01:30:00.000Z', 'WIT').map((x) => x.id)).toEqual(['appt', 'walk']);
  });

  it('inQueueOn and queuedAt: an appointment joins at check-in on its own day', () => {
    const appt = { day: '2026-02-27', issuedAt: wib('06:00', '2026-02-27'), appointment: { date: '2026-03-02', time: '09:00' } };
    expect(inQueueOn(appt, '2026-03-02')).toBe(false);
    expect(inQueueOn({ ...appt, checkedInAt: wib('08:40') }, '2026-03-02')).toBe(true);
    expect(inQueueOn({ ...appt, checkedInAt: wib('08:40') }, '2026-02-27')).toBe(false);
    expect(queuedAt({ ...appt, checkedInAt: wib('08:40') })).toBe(wib('08:40'));
    expect(queuedAt(appt)).toBe(appt.issuedAt);
  });
});

describe('doubleCallsOf', () => {
  const actor = (deviceId: string) => ({ staffId: 'petugas1', role: 'officer', deviceId });
  const ev = (type: string, at: string, o: Record<string, unknown> = {}) => ({ status: 'x', at, event: { type, at, actor: actor('pc-1'), ...o } });
  const called = (counter: string, at: string, device: string) => ({ status: 'called', at, event: { type: 'ticket.called', counter, at, actor: actor(device) } });

  it('a ticket called on two PCs without a return in between is a double call, with both counters', () => {
    const history = [{ status: 'waiting', at: wib('08:00') }, called('3', wib('08:06'), 'pc-3'), called('1', wib('08:05'), 'pc-1'), ev('service.started', wib('08:07'))];
    expect(doubleCallsOf({ number: 'A012', history })).toEqual([
      {
        number: 'A012',
        calls: [
          { counter: '1', deviceId: 'pc-1', at: wib('08:05') },
          { counter: '3', deviceId: 'pc-3', at: wib('08:06') },
        ],
      },
    ]);
  });

  it('recalls, and a call after the person returned from a no-show, are not double calls', () => {
    const history = [
      called('1', wib('08:05'), 'pc-1'),
      ev('ticket.recalled', wib('08:09')),
      ev('ticket.noShowMarked', wib('08:15'), { rule: 'spacedCalls' }),
      ev('ticket.returned', wib('10:00')),
      called('2', wib('10:05'), 'pc-2'),
    ];
    expect(doubleCallsOf({ number: 'A013', history })).toEqual([]);
    expect(doubleCallsOf({ number: 'A014', history: [{ status: 'waiting', at: wib('08:00') }] })).toEqual([]);
  });

  it('reads a malformed history without throwing', () => {
    const history = [{ status: 'called', at: 'x', event: null }, { event: 'nope' }, { event: { type: 'ticket.called' } }] as never;
    expect(doubleCallsOf({ number: 'A015', history })).toEqual([]);
  });
});

describe('mergeTicketHistory and keepBothCalls', () => {
  const called = (counter: string, at: string) => ({ status: 'called', at, event: { type: 'ticket.called', counter, at, actor: { staffId: `p${counter}`, role: 'officer', deviceId: `pc-${counter}` } } });
  const waiting = { status: 'waiting', at: wib('08:00') };

  it('unites two histories in time order, the same instant and status once, whatever the order of the two', () => {
    const a = [waiting, called('1', wib('08:05'))];
    const b = [waiting, called('3', wib('08:04')), { status: 'serving', at: wib('08:07') }];
    expect(mergeTicketHistory(a, b).map((h) => h.at)).toEqual([wib('08:00'), wib('08:04'), wib('08:05'), wib('08:07')]);
    expect(mergeTicketHistory(b, a).map((h) => h.at)).toEqual(mergeTicketHistory(a, b).map((h) => h.at));
    expect(mergeTicketHistory(null, a)).toEqual(a);
  });

  it("adds the PC's call to HQ's copy only when that makes a double call; HQ's status stands", () => {
    const hq = { number: 'A012', status: 'serving', history: [waiting, called('3', wib('08:04')), { status: 'serving', at: wib('08:06') }] };
    const pc = { number: 'A012', status: 'called', history: [waiting, called('1', wib('08:05'))] };
    const both = keepBothCalls(pc, hq);
    expect(both?.status).toBe('serving');
    expect(both && doubleCallsOf(both)[0]!.calls.map((c) => c.counter)).toEqual(['3', '1']);
    // Nothing to add: the PC's copy has no call of its own, or HQ already has it.
    expect(keepBothCalls({ ...pc, history: [waiting] }, hq)).toBeNull();
    expect(keepBothCalls(hq, hq)).toBeNull();
  });
});
