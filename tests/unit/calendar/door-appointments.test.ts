import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { branchCalendar } from '@shared/calendar';
import { Appointment } from '@shared/cases/schema';
import { allocateAppointment, queueConfigFor } from '@shared/queue/planning';

// Issue 16 (4, 10): the door's guaranteed appointment is the earliest free slot on an open day.
describe('door appointment on an open day', () => {
  it('from Wednesday 23 Dec 2026: not the joint leave day (24th), the holiday (25th) or the weekend, but Monday 28th', () => {
    expect(allocateAppointment({ service: 'jmo-reset', today: '2026-12-23', config: DEFAULT_QUEUE_CONFIG, booked: [] })).toEqual({ date: '2026-12-28', time: '08:00' });
  });

  it("skips the head's local closure", () => {
    const calendar = branchCalendar([{ date: '2026-12-28', note: 'Pemadaman listrik terjadwal' }]);
    expect(allocateAppointment({ service: 'jmo-reset', today: '2026-12-23', config: DEFAULT_QUEUE_CONFIG, booked: [], calendar })).toEqual({ date: '2026-12-29', time: '08:00' });
  });

  it('a day with no capacity left is skipped, as before', () => {
    const config = { ...DEFAULT_QUEUE_CONFIG, dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jmo-reset': 1 } };
    expect(allocateAppointment({ service: 'jmo-reset', today: '2026-12-23', config, booked: [{ date: '2026-12-28', time: '10:00' }] })).toEqual({ date: '2026-12-29', time: '08:00' });
  });
});

describe("the person's own later date", () => {
  it('is given only when asked, on its first free slot, and recorded as their choice', () => {
    const asked = allocateAppointment({ service: 'jmo-reset', today: '2026-12-23', config: DEFAULT_QUEUE_CONFIG, booked: [], personAsked: '2026-12-30' });
    expect(asked).toEqual({ date: '2026-12-30', time: '08:00', chosenByPerson: true });
    expect(Appointment.parse(asked)).toEqual(asked);
  });

  it('a closed day asked for is not given', () => {
    expect(allocateAppointment({ service: 'jmo-reset', today: '2026-12-23', config: DEFAULT_QUEUE_CONFIG, booked: [], personAsked: '2026-12-25' })).toBeNull();
  });
});

describe("the door's queue config from the branch profile and settings", () => {
  it("carries the branch zone (not WIB) and the head's local closures, which appointments skip", () => {
    const hours = DEFAULT_QUEUE_CONFIG.serviceHours;
    expect(queueConfigFor({ serviceHours: hours }, undefined).zone).toBeUndefined();
    const config = queueConfigFor({ serviceHours: hours, zone: 'WITA' }, undefined, [{ date: '2026-12-28' }]);
    expect(config).toMatchObject({ zone: 'WITA', localClosures: ['2026-12-28'] });
    expect(allocateAppointment({ service: 'jmo-reset', today: '2026-12-23', config, booked: [] })).toEqual({ date: '2026-12-29', time: '08:00' });
  });
});
