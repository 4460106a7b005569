import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG, QueueConfig } from '@shared/cases/config';
import { replay } from '@state-machines/replay';
import { noShowCheck, ticketMachine } from '@state-machines/ticket.machine';
import { ev, head, officer, security, wib } from './fixtures';

// Issue 16, point 5: a no-show is not a shortcut. DOMAIN.md: only after the configured number of
// calls (default 2) spaced at least the configured gap (default 3 minutes); a person who returns
// the same day is served on the same ticket.

const DAY = '2026-03-02';
const input = (over: Partial<QueueConfig> = {}) => ({
  number: 'A1-004',
  service: 'jht-claim' as const,
  issuedAt: wib(DAY, '08:05'),
  config: { ...DEFAULT_QUEUE_CONFIG, ...over },
});
const at = (time: string) => `${DAY}T${time}+07:00`;
const iso = (time: string) => new Date(at(time)).toISOString();
const call = (time: string) => ev('ticket.called', { counter: '3' }, officer, at(time));
const recall = (time: string) => ev('ticket.recalled', {}, officer, at(time));
const noShow = (time: string) => ev('ticket.noShowMarked', { rule: 'spacedCalls' as const }, officer, at(time));
const returned = (time: string, actor = officer, day = DAY) => ev('ticket.returned', {}, actor, `${day}T${time}+07:00`);

describe('ticket: a no-show only after the configured calls, spaced (DOMAIN.md: default 2 calls, 3 minutes)', () => {
  it('the defaults follow DOMAIN.md and both are configuration', () => {
    expect(DEFAULT_QUEUE_CONFIG.noShowAfterCalls).toBe(2);
    expect(DEFAULT_QUEUE_CONFIG.noShowCallGapMinutes).toBe(3);
    expect(QueueConfig.safeParse({ ...DEFAULT_QUEUE_CONFIG, noShowCallGapMinutes: -1 }).success).toBe(false);
    expect(QueueConfig.safeParse({ ...DEFAULT_QUEUE_CONFIG, noShowAfterCalls: 1 }).success).toBe(false);
  });

  it('two calls three minutes apart, then three more minutes: a no-show', () => {
    const r = replay(ticketMachine, input(), [call('09:00:00'), recall('09:03:00'), noShow('09:06:00')]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('noShow');
  });

  it('never after one call, however long the wait', () => {
    const r = replay(ticketMachine, input(), [call('09:00:00'), noShow('11:00:00')]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
  });

  it('two calls less than the gap apart count as one', () => {
    const r = replay(ticketMachine, input(), [call('09:00:00'), recall('09:02:59'), noShow('09:10:00')]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
    // A third call, spaced from the first counted one, completes the rule.
    const ok = replay(ticketMachine, input(), [call('09:00:00'), recall('09:02:59'), recall('09:03:00'), noShow('09:06:00')]);
    expect(ok.snapshot.value).toBe('noShow');
  });

  it('the person gets the full gap after the last call too', () => {
    const r = replay(ticketMachine, input(), [call('09:00:00'), recall('09:03:00'), noShow('09:05:59')]);
    expect(r.rejected?.reason).toBe('GUARD_FAILED');
  });

  it('follows the configured count and gap', () => {
    const cfg = { noShowAfterCalls: 3, noShowCallGapMinutes: 5 };
    expect(replay(ticketMachine, input(cfg), [call('09:00:00'), recall('09:05:00'), noShow('09:10:00')]).rejected?.reason).toBe('GUARD_FAILED');
    expect(replay(ticketMachine, input(cfg), [call('09:00:00'), recall('09:05:00'), recall('09:09:00'), noShow('09:20:00')]).rejected?.reason).toBe('GUARD_FAILED');
    expect(replay(ticketMachine, input(cfg), [call('09:00:00'), recall('09:05:00'), recall('09:10:00'), noShow('09:15:00')]).snapshot.value).toBe('noShow');
  });

  it('a recall is always possible while the ticket is called (more calls never send anyone away)', () => {
    const events = [call('09:00:00'), recall('09:03:00'), recall('09:06:00'), recall('09:09:00'), recall('09:09:30')];
    const r = replay(ticketMachine, input(), events);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.context.callTimes).toEqual(events.map((e) => e.at));
  });

  it('says when the no-show becomes possible (for the desk to show the reason)', () => {
    const after = (events: Array<ReturnType<typeof call> | ReturnType<typeof recall>>) => replay(ticketMachine, input(), events).snapshot.context;
    expect(noShowCheck(after([call('09:00:00')]), at('09:01:00'))).toMatchObject({ ok: false, counted: 1, needed: 2, gapMinutes: 3, earliestAt: iso('09:06:00') });
    expect(noShowCheck(after([call('09:00:00'), recall('09:03:00')]), at('09:04:00'))).toMatchObject({ ok: false, counted: 2, earliestAt: iso('09:06:00') });
    expect(noShowCheck(after([call('09:00:00'), recall('09:03:00')]), at('09:06:00'))).toMatchObject({ ok: true, counted: 2 });
  });

  it('the timestamps of the calls are in the ticket’s timeline', () => {
    const r = replay(ticketMachine, input(), [call('09:00:00'), recall('09:03:00'), noShow('09:06:00')]);
    expect(r.snapshot.context.timeline.map((t) => [t.state, t.event, t.at])).toEqual([
      ['waiting', 'ticket.issued', wib(DAY, '08:05')],
      ['called', 'ticket.called', at('09:00:00')],
      ['called', 'ticket.recalled', at('09:03:00')],
      ['noShow', 'ticket.noShowMarked', at('09:06:00')],
    ]);
  });
});

describe('ticket: old histories still replay', () => {
  const legacyNoShow = (time: string) => ev('ticket.noShowMarked', {}, officer, at(time));

  it('a no-show written by the previous rule (three calls, no spacing) is accepted', () => {
    const r = replay(ticketMachine, input(), [call('09:00:00'), recall('09:00:20'), recall('09:00:40'), legacyNoShow('09:01:00')]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('noShow');
  });

  it('but an unmarked no-show is held to that previous rule: never fewer than three calls', () => {
    expect(replay(ticketMachine, input(), [call('09:00:00'), recall('09:00:20'), legacyNoShow('09:01:00')]).rejected?.reason).toBe('GUARD_FAILED');
  });
});

describe('ticket: a person who returns the same day is served on the same ticket', () => {
  const absent = [call('09:00:00'), recall('09:03:00'), noShow('09:06:00')];

  it('a no-show ticket goes back to the queue the same day, with a fresh count of calls', () => {
    const r = replay(ticketMachine, input(), [...absent, returned('10:30:00'), call('10:31:00')]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('called');
    expect(r.snapshot.context.calls).toBe(1);
    expect(r.snapshot.context.number).toBe('A1-004');
    // …and again a no-show only by the rule.
    expect(replay(ticketMachine, input(), [...absent, returned('10:30:00'), call('10:31:00'), noShow('10:35:00')]).rejected?.reason).toBe('GUARD_FAILED');
    expect(replay(ticketMachine, input(), [...absent, returned('10:30:00'), call('10:31:00'), ev('service.started', {}, head, at('10:32:00'))]).snapshot.value).toBe('serving');
  });

  it('not on another day', () => {
    expect(replay(ticketMachine, input(), [...absent, returned('08:30:00', officer, '2026-03-03')]).rejected?.reason).toBe('GUARD_FAILED');
  });

  it('by counter staff only', () => {
    expect(replay(ticketMachine, input(), [...absent, returned('10:30:00', security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});
