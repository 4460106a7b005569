import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { replay } from '@state-machines/replay';
import { noShowCheck, ticketMachine, waitMinutes } from '@state-machines/ticket.machine';
import { ev, officer, security } from './fixtures';

/**
 * The ticket at the counter: what the desk is told about a no-show (noShowCheck: counted calls,
 * when a recall would count, the earliest time), and what a call, a return and a transfer record.
 */
const DAY = '2026-03-02';
const at = (time: string) => `${DAY}T${time}+07:00`;
const iso = (time: string) => new Date(at(time)).toISOString();
const rule = (callTimes: string[], noShowAfterCalls = 2, noShowCallGapMinutes = 3) => ({ callTimes: callTimes.map(at), noShowAfterCalls, noShowCallGapMinutes });
const input = { number: 'B1-007', service: 'bpu-resignation' as const, issuedAt: at('08:10:00') };
const call = (time: string, counter = '2') => ev('ticket.called', { counter }, officer, at(time));
const recall = (time: string) => ev('ticket.recalled', {}, officer, at(time));

describe('noShowCheck: what the desk is told', () => {
  it('before any call: nothing counted, a call now would count, and the earliest no-show is a gap after the last needed call', () => {
    expect(noShowCheck(rule([]), at('09:00:00'))).toStrictEqual({
      ok: false,
      counted: 0,
      needed: 2,
      gapMinutes: 3,
      nextCountingCallAt: iso('09:00:00'),
      earliestAt: iso('09:06:00'),
    });
  });

  it('after one call: the next counting call is a gap after it', () => {
    expect(noShowCheck(rule(['09:00:00']), at('09:01:00'))).toStrictEqual({
      ok: false,
      counted: 1,
      needed: 2,
      gapMinutes: 3,
      nextCountingCallAt: iso('09:03:00'),
      earliestAt: iso('09:06:00'),
    });
  });

  it('with enough calls counted: no further call is needed, and the no-show waits a gap after the last call (even an uncounted one)', () => {
    const c = noShowCheck(rule(['09:00:00', '09:03:00', '09:04:00']), at('09:06:30'));
    expect(c).toStrictEqual({ ok: false, counted: 2, needed: 2, gapMinutes: 3, nextCountingCallAt: null, earliestAt: iso('09:07:00') });
    expect(noShowCheck(rule(['09:00:00', '09:03:00', '09:04:00']), at('09:07:00')).ok).toBe(true);
  });

  it('three calls needed, with a 5-minute gap: each missing call adds a gap', () => {
    expect(noShowCheck(rule(['09:00:00'], 3, 5), at('09:01:00'))).toMatchObject({ counted: 1, needed: 3, nextCountingCallAt: iso('09:05:00'), earliestAt: iso('09:15:00') });
  });

  it('never fewer than two calls, and no negative gap, whatever the numbers given', () => {
    expect(noShowCheck(rule(['09:00:00'], 1, 3), at('10:00:00'))).toMatchObject({ ok: false, needed: 2 });
    const noGap = noShowCheck(rule(['09:00:00', '09:00:00'], 2, -5), at('09:00:00'));
    expect(noGap).toMatchObject({ ok: true, counted: 2, gapMinutes: -5 });
  });

  it('a call exactly one gap after the counted one counts; one second less does not', () => {
    expect(noShowCheck(rule(['09:00:00', '09:03:00']), at('09:10:00')).counted).toBe(2);
    expect(noShowCheck(rule(['09:00:00', '09:02:59']), at('09:10:00')).counted).toBe(1);
  });
});

describe('ticket: calls, returns and transfers', () => {
  it('without a queue config the defaults apply', () => {
    const c = replay(ticketMachine, input, []).snapshot.context;
    expect([c.noShowAfterCalls, c.noShowCallGapMinutes]).toEqual([DEFAULT_QUEUE_CONFIG.noShowAfterCalls, DEFAULT_QUEUE_CONFIG.noShowCallGapMinutes]);
    expect(c.timeline).toStrictEqual([{ state: 'waiting', event: 'ticket.issued', at: input.issuedAt, staffId: null }]);
    expect(waitMinutes(c)).toBeNull();
  });

  it('a call records the counter, a recall keeps it, and both count with their times', () => {
    const r = replay(ticketMachine, input, [call('09:00:00', '4'), recall('09:03:00')]);
    const c = r.snapshot.context;
    expect([c.counter, c.calls, c.callTimes]).toEqual(['4', 2, [at('09:00:00'), at('09:03:00')]]);
    expect(c.timeline.at(-1)).toStrictEqual({ state: 'called', event: 'ticket.recalled', at: at('09:03:00'), staffId: officer.staffId });
    expect(waitMinutes(c)).toBe(50);
  });

  it('a person who returns goes back in the queue with no call, call time or counter left', () => {
    const r = replay(ticketMachine, input, [
      call('09:00:00'),
      recall('09:03:00'),
      ev('ticket.noShowMarked', { rule: 'spacedCalls' }, officer, at('09:06:00')),
      ev('ticket.returned', {}, officer, at('11:00:00')),
    ]);
    expect(r.snapshot.value).toBe('waiting');
    const c = r.snapshot.context;
    expect([c.calls, c.callTimes, c.counter]).toEqual([0, [], null]);
    expect(c.timeline.at(-1)).toStrictEqual({ state: 'waiting', event: 'ticket.returned', at: at('11:00:00'), staffId: officer.staffId });
  });

  it('a return with no no-show marked is not a return', () => {
    expect(replay(ticketMachine, input, [call('09:00:00'), ev('ticket.returned', {}, officer, at('09:01:00'))]).rejected?.reason).toBe('NOT_EXPECTED_IN_STATE');
  });

  it('a transfer goes to another service and records it; to the same service it is refused', () => {
    const serving = [call('09:00:00'), ev('service.started', {}, officer, at('09:01:00'))];
    const r = replay(ticketMachine, input, [...serving, ev('ticket.transferred', { toService: 'jht-claim' }, officer, at('09:20:00'))]);
    expect(r.snapshot.value).toBe('transferred');
    expect(r.snapshot.context.transferredTo).toBe('jht-claim');
    expect(replay(ticketMachine, input, [...serving, ev('ticket.transferred', { toService: 'bpu-resignation' }, officer, at('09:20:00'))]).rejected?.reason).toBe('GUARD_FAILED');
    expect(replay(ticketMachine, input, [...serving, ev('service.finished', {}, officer, at('09:30:00'))]).snapshot.value).toBe('done');
    expect(replay(ticketMachine, input, [...serving, ev('service.finished', {}, security, at('09:30:00'))]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });

  it('a recall is the counter staff’s too', () => {
    expect(replay(ticketMachine, input, [call('09:00:00'), ev('ticket.recalled', {}, security, at('09:03:00'))]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(replay(ticketMachine, input, [call('09:00:00'), ev('ticket.noShowMarked', { rule: 'spacedCalls' }, security, at('09:10:00'))]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });

  it('the legacy no-show rule counts calls: three calls exactly suffice', () => {
    const legacy = (n: number) =>
      replay(ticketMachine, input, [call('09:00:00'), ...['09:00:10', '09:00:20', '09:00:30'].slice(0, n - 1).map(recall), ev('ticket.noShowMarked', {}, officer, at('09:01:00'))]);
    expect(legacy(3).snapshot.value).toBe('noShow');
    expect(legacy(4).snapshot.value).toBe('noShow');
    expect(legacy(2).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('the person came back: only on the day the no-show was marked, on the branch clock', () => {
    const absent = [call('22:00:00'), recall('22:03:00'), ev('ticket.noShowMarked', { rule: 'spacedCalls' }, officer, at('22:06:00'))];
    expect(replay(ticketMachine, input, [...absent, ev('ticket.returned', {}, officer, at('23:59:00'))]).snapshot.value).toBe('waiting');
    expect(replay(ticketMachine, input, [...absent, ev('ticket.returned', {}, officer, '2026-03-03T00:00:00+07:00')]).rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('ticket: a return is judged on the latest no-show', () => {
  const next = (time: string) => `2026-03-03T${time}+07:00`;
  it('marked again after midnight: the return the next morning is the same day as that marking', () => {
    const r = replay(ticketMachine, input, [
      call('23:30:00'),
      recall('23:33:00'),
      ev('ticket.noShowMarked', { rule: 'spacedCalls' }, officer, at('23:36:00')),
      ev('ticket.returned', {}, officer, at('23:40:00')),
      call('23:55:00'),
      recall('23:58:00'),
      ev('ticket.noShowMarked', { rule: 'spacedCalls' }, officer, next('00:01:00')),
      ev('ticket.returned', {}, officer, next('08:00:00')),
    ]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('waiting');
  });

  it('the calls before it may be on the day before: the marking’s day counts', () => {
    const r = replay(ticketMachine, input, [
      call('23:55:00'),
      recall('23:58:00'),
      ev('ticket.noShowMarked', { rule: 'spacedCalls' }, officer, next('00:01:00')),
      ev('ticket.returned', {}, officer, next('08:00:00')),
    ]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('waiting');
  });
});
