import fc from 'fast-check';
import { createActor, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { replay } from '@state-machines/replay';
import { ev, makeNik, security, wib } from './fixtures';
import { MODELS } from './models';

const input = { caseId: 'J-1', nik: makeNik('1992-11-23'), config: DEFAULT_CASE_CONFIG };
const verified = ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true });
const contact = ev('contact.updated', { email: 'peserta@example.com', phone: '081234567890' });

describe('replay of a case journal', () => {
  it.each([
    { label: 'a malformed event', events: [verified, { ...contact, at: 'yesterday' }], index: 1, reason: 'INVALID_EVENT' },
    { label: 'an event earlier than the previous one', events: [verified, { ...contact, at: wib('2026-03-02', '09:00') }], index: 1, reason: 'OUT_OF_ORDER' },
    { label: 'an event not expected in the state', events: [verified, ev('reset.confirmed', {})], index: 1, reason: 'NOT_EXPECTED_IN_STATE' },
    { label: 'an event by a role that may not fire it', events: [ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, security)], index: 0, reason: 'ROLE_NOT_ALLOWED' },
    { label: 'an event whose guard does not hold', events: [verified, ev('contact.updated', { email: 'x', phone: '0812' })], index: 1, reason: 'GUARD_FAILED' },
    { label: 'an event after the case ended', events: [ev('case.withdrawn', {}), verified], index: 1, reason: 'CASE_FINISHED' },
  ])('reports $label as the first rejected event', ({ events, index, reason }) => {
    const r = replay(jmoResetMachine, input, [...events, ev('reset.requested', {})]);
    expect(r.rejected).toMatchObject({ index, reason });
    expect(r.applied).toBe(index);
    expect(r.rejected?.detail.length).toBeGreaterThan(0);
  });

  it('keeps invalid refusal attempts in the journal (they replay) and reports what was emitted', () => {
    const r = replay(jmoResetMachine, input, [ev('refusal.requested', { code: 'RESET_WINDOW_CLOSED' }), verified]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('contact');
    expect(r.emitted).toHaveLength(1);
    expect(r.emitted[0]).toMatchObject({ type: 'refusal.rejected', attempt: { code: 'RESET_WINDOW_CLOSED', why: 'UNKNOWN_CODE' } });
  });

  const live = (machine: AnyStateMachine, inp: unknown, events: readonly unknown[]) => {
    const actor = createActor(machine, { input: inp });
    actor.start();
    for (const e of events) actor.send(e);
    const s = actor.getSnapshot() as { value: unknown; context: unknown; status: string };
    actor.stop();
    return { value: s.value, context: s.context, status: s.status };
  };
  const pick = (s: { value: unknown; context: unknown; status: string }) => ({ value: s.value, context: s.context, status: s.status });

  for (const model of MODELS) {
    it(`${model.flow}: replay of any journal equals the live actor on its accepted prefix (property)`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...model.inputs), fc.array(fc.constantFrom(...model.events), { maxLength: 14 }), (inp, events) => {
          const r = replay(model.machine, inp as never, events);
          expect(pick(r.snapshot as never)).toEqual(live(model.machine, inp, events.slice(0, r.applied)));
          // The accepted prefix replays cleanly, and a stored (JSON) journal replays the same.
          const again = replay(model.machine, inp as never, JSON.parse(JSON.stringify(events.slice(0, r.applied))) as unknown[]);
          expect(again.rejected).toBeNull();
          expect(pick(again.snapshot as never)).toEqual(pick(r.snapshot as never));
          if (r.rejected) expect(r.rejected.index).toBe(r.applied);
        }),
        { numRuns: 150 },
      );
    });
  }

});
