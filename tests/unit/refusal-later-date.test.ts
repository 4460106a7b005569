import { describe, expect, it } from 'vitest';
import { refusalAppointment } from '../../renderer/src/screens/desk/RefusalPanel';

// DOMAIN "Queue" / issue 16 pt 4: the appointment on a "not yet" slip is the earliest one; a later
// date only at the person's request, then recorded as their choice. A later date nobody asked for
// is not recorded (the form says why and sends nothing).
describe("the refusal slip's appointment", () => {
  const earliest = { date: '2026-03-10', time: '08:00' };

  it('the earliest date (or its time changed) is recorded as proposed, without a choice mark', () => {
    expect(refusalAppointment(earliest, earliest, false)).toEqual({ date: '2026-03-10', time: '08:00' });
    expect(refusalAppointment({ date: '2026-03-10', time: '10:30' }, earliest, true)).toEqual({ date: '2026-03-10', time: '10:30' });
  });

  it('a later date only when the person asked: then marked as their choice', () => {
    expect(refusalAppointment({ date: '2026-03-12', time: '09:00' }, earliest, false)).toBeNull();
    expect(refusalAppointment({ date: '2026-03-12', time: '09:00' }, earliest, true)).toEqual({ date: '2026-03-12', time: '09:00', chosenByPerson: true });
  });
});
