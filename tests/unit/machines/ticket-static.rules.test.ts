import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { replay } from '@state-machines/replay';
import { ticketMachine } from '@state-machines/ticket.machine';
import { ev, officer, security, wib } from './fixtures';

// Boundary tests for the ticket machine's configuration (the module-load, "static" mutants of
// Stryker, issue 16): who may move a ticket at each step, what the timeline records for the wait
// and handling statistics, that served and transferred tickets are finished, and that a replay
// checks each ticket event against its schema (found by the machine's id).

const DAY = '2026-03-02';
const input = { number: 'A1-007', service: 'jht-claim' as const, issuedAt: wib(DAY, '08:05'), config: DEFAULT_QUEUE_CONFIG };
const at = (time: string) => `${DAY}T${time}+07:00`;
const call = (time: string, actor = officer) => ev('ticket.called', { counter: '3' }, actor, at(time));
const start = (time: string, actor = officer) => ev('service.started', {}, actor, at(time));
const finish = (time: string, actor = officer) => ev('service.finished', {}, actor, at(time));
const transfer = (time: string) => ev('ticket.transferred', { toService: 'jmo-reset' as const }, officer, at(time));

describe('ticket machine configuration (static mutants)', () => {
  it('only counter staff call a ticket; the door guard cannot', () => {
    const r = replay(ticketMachine, input, [call('09:00:00', security)]);
    expect(r.rejected).toMatchObject({ index: 0 });
    expect(r.snapshot.value).toBe('waiting');
    expect(replay(ticketMachine, input, [call('09:00:00')]).snapshot.value).toBe('called');
  });

  it('only counter staff start the service of a called ticket', () => {
    const r = replay(ticketMachine, input, [call('09:00:00'), start('09:01:00', security)]);
    expect(r.rejected).toMatchObject({ index: 1 });
    expect(r.snapshot.value).toBe('called');
  });

  it('the timeline stamps each step with its state, event, time and staff: waiting, called, serving, done', () => {
    const r = replay(ticketMachine, input, [call('09:00:00'), start('09:01:00'), finish('09:20:00')]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.context.timeline).toEqual([
      { state: 'waiting', event: 'ticket.issued', at: input.issuedAt, staffId: null },
      { state: 'called', event: 'ticket.called', at: at('09:00:00'), staffId: officer.staffId },
      { state: 'serving', event: 'service.started', at: at('09:01:00'), staffId: officer.staffId },
      { state: 'done', event: 'service.finished', at: at('09:20:00'), staffId: officer.staffId },
    ]);
  });

  it('a served ticket is finished: nothing more happens to it', () => {
    const r = replay(ticketMachine, input, [call('09:00:00'), start('09:01:00'), finish('09:20:00'), call('09:30:00')]);
    expect(r.snapshot.status).toBe('done');
    expect(r.rejected).toMatchObject({ index: 3, reason: 'CASE_FINISHED' });
  });

  it('a transferred ticket is stamped "transferred" and finished', () => {
    const r = replay(ticketMachine, input, [call('09:00:00'), start('09:01:00'), transfer('09:05:00')]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('transferred');
    expect(r.snapshot.status).toBe('done');
    expect(r.snapshot.context.timeline.at(-1)).toEqual({ state: 'transferred', event: 'ticket.transferred', at: at('09:05:00'), staffId: officer.staffId });
    expect(replay(ticketMachine, input, [call('09:00:00'), start('09:01:00'), transfer('09:05:00'), call('09:10:00')]).rejected).toMatchObject({ index: 3, reason: 'CASE_FINISHED' });
  });

  it('a replay checks ticket events against the ticket schema: a call without a counter is invalid', () => {
    const r = replay(ticketMachine, input, [ev('ticket.called', { counter: '' }, officer, at('09:00:00'))]);
    expect(r.rejected).toMatchObject({ index: 0, reason: 'INVALID_EVENT' });
  });
});
