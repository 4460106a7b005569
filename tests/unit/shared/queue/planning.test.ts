import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import type { Appointment, Service } from '@shared/cases/schema';
import { isSlotInServiceHours } from '@shared/policy/hours';
import { DEFAULT_SETTINGS, Settings, SettingsPatch } from '@shared/settings';
import { callOrder } from '../../../../renderer/src/data/branch-clock';
import {
  allocateAppointment,
  estimateWait,
  placesTaken,
  queueConfigFor,
  slotTimes,
  type PlannedTicket,
} from '@shared/queue/planning';
import { wib } from '../../machines/fixtures';

// 2026-03-02 is a Monday; the default hours are Mon–Fri 08:00–15:00.
const DAY = '2026-03-02';
let n = 0;
function ticket(p: Partial<PlannedTicket> & { service?: Service } = {}): PlannedTicket {
  n += 1;
  return { service: 'jht-claim', status: 'waiting', day: DAY, issuedAt: wib(DAY, '08:00'), history: [], nikHash: `h${n}`, ...p };
}
/** A JHT ticket served from `start` for `minutes`. */
function served(start: string, minutes: number, service: Service = 'jht-claim'): PlannedTicket {
  const begin = wib(DAY, start);
  const end = new Date(Date.parse(begin) + minutes * 60_000).toISOString();
  return ticket({ service, status: 'done', history: [{ status: 'waiting', at: wib(DAY, '07:30') }, { status: 'called', at: begin }, { status: 'serving', at: begin }, { status: 'done', at: end }] });
}
const cfg = (over: Partial<QueueConfig> = {}): QueueConfig => ({ ...DEFAULT_QUEUE_CONFIG, ...over });

describe('places taken today', () => {
  it("counts the day's walk-ins and the appointments booked for that day, not bookings for later days", () => {
    const tickets = [
      ticket(),
      ticket({ status: 'done' }),
      ticket({ service: 'jmo-reset' }),
      ticket({ day: '2026-02-27', appointment: { date: DAY, time: '09:00' } }),
      ticket({ appointment: { date: '2026-03-03', time: '09:00' } }),
      ticket({ day: '2026-02-27' }),
    ];
    const taken = placesTaken(tickets, DAY);
    expect(taken['jht-claim']).toBe(3);
    expect(taken['jmo-reset']).toBe(1);
    expect(taken['bpu-resignation']).toBe(0);
  });

  it('counts an appointment holder who also took a ticket that day once', () => {
    const tickets = [ticket({ nikHash: 'same' }), ticket({ day: '2026-02-27', nikHash: 'same', appointment: { date: DAY, time: '09:00' } })];
    expect(placesTaken(tickets, DAY)['jht-claim']).toBe(1);
  });
});

describe('the honest wait estimate', () => {
  it("falls back to the config's target handling time when nothing was finished today", () => {
    const tickets = [ticket(), ticket(), ticket()];
    const e = estimateWait({ tickets, service: 'jht-claim', day: DAY, before: null, config: cfg(), branchCounters: 1 });
    expect(e).toMatchObject({ ahead: 3, basis: 'target', handlingMinutes: 20, counters: 1, minutes: 60, samples: 0 });
  });

  it("uses today's recent handling times and the counters serving the service now", () => {
    const tickets = [
      served('08:00', 10),
      served('08:10', 14),
      ticket({ status: 'serving', history: [{ status: 'serving', at: wib(DAY, '08:30') }] }),
      ticket({ status: 'called', history: [{ status: 'called', at: wib(DAY, '08:31') }] }),
      ...Array.from({ length: 5 }, () => ticket()),
    ];
    const e = estimateWait({ tickets, service: 'jht-claim', day: DAY, before: null, config: cfg(), branchCounters: 6 });
    // 5 people × 12 min average ÷ 2 counters busy with JHT = 30 min.
    expect(e).toMatchObject({ ahead: 5, basis: 'today', handlingMinutes: 12, counters: 2, minutes: 30, samples: 2 });
  });

  it('takes the average over the last ten finished tickets only', () => {
    const old = Array.from({ length: 10 }, (_, i) => served(`08:${String(i).padStart(2, '0')}`, 60));
    const recent = Array.from({ length: 10 }, (_, i) => served(`10:${String(i * 5).padStart(2, '0')}`, 6));
    const e = estimateWait({ tickets: [...old, ...recent, ticket()], service: 'jht-claim', day: DAY, before: null, config: cfg(), branchCounters: 1 });
    expect(e.handlingMinutes).toBe(6);
  });

  it('shares the branch counters among the services with people waiting when nobody is being served', () => {
    const tickets = [ticket(), ticket(), ticket({ service: 'jmo-reset' })];
    const e = estimateWait({ tickets, service: 'jht-claim', day: DAY, before: null, config: cfg(), branchCounters: 4 });
    expect(e.counters).toBe(2);
    expect(e.minutes).toBe(20);
  });

  it("counts only the people issued before a ticket, on that ticket's own day, and not other services", () => {
    const tickets = [
      ticket({ issuedAt: wib(DAY, '08:01') }),
      ticket({ issuedAt: wib(DAY, '08:02') }),
      ticket({ issuedAt: wib(DAY, '08:03') }),
      ticket({ service: 'general', issuedAt: wib(DAY, '08:00') }),
      ticket({ day: '2026-02-27', issuedAt: wib('2026-02-27', '08:00') }),
      ticket({ issuedAt: wib(DAY, '08:00'), appointment: { date: '2026-03-03', time: '09:00' } }),
    ];
    const e = estimateWait({ tickets, service: 'jht-claim', day: DAY, before: wib(DAY, '08:03'), config: cfg(), branchCounters: 1 });
    expect(e.ahead).toBe(2);
    expect(e.minutes).toBe(40);
  });

  it('says zero minutes when nobody is ahead', () => {
    expect(estimateWait({ tickets: [], service: 'general', day: DAY, before: null, config: cfg(), branchCounters: 3 }).minutes).toBe(0);
  });
});

describe('guaranteed appointments', () => {
  const jht = (booked: Appointment[], over: Partial<QueueConfig> = {}, today = DAY) =>
    allocateAppointment({ service: 'jht-claim', today, config: cfg(over), booked });

  it('gives slots inside the published hours, each ending by closing time', () => {
    const slots = slotTimes(DEFAULT_QUEUE_CONFIG.serviceHours, '2026-03-03', 20);
    expect(slots[0]).toBe('08:00');
    expect(slots.at(-1)).toBe('14:40');
    expect(slots).toHaveLength(21);
    expect(slotTimes(DEFAULT_QUEUE_CONFIG.serviceHours, '2026-03-07', 20)).toEqual([]);
  });

  it('books the first free slot of the next service day, never today', () => {
    expect(jht([])).toEqual({ date: '2026-03-03', time: '08:00' });
    // Friday → the next service day is Monday (the weekend is closed).
    expect(jht([], {}, '2026-03-06')).toEqual({ date: '2026-03-09', time: '08:00' });
  });

  it('never double-books a slot: a day fills slot by slot, then the next day', () => {
    const booked: Appointment[] = [];
    for (let i = 0; i < 45; i++) {
      const slot = jht(booked);
      expect(slot).not.toBeNull();
      booked.push(slot!);
    }
    const keys = booked.map((b) => `${b.date} ${b.time}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const b of booked) expect(isSlotInServiceHours(DEFAULT_QUEUE_CONFIG.serviceHours, b.date, b.time)).toBe(true);
    expect(booked.filter((b) => b.date === '2026-03-03')).toHaveLength(21);
    expect(booked.filter((b) => b.date === '2026-03-04')).toHaveLength(21);
    expect(booked.at(-1)).toEqual({ date: '2026-03-05', time: '08:40' });
  });

  it("respects the day's capacity: a day with as many appointments as places is skipped", () => {
    const capacity = { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jht-claim': 2 };
    const booked = [{ date: '2026-03-03', time: '08:00' }, { date: '2026-03-03', time: '10:00' }];
    expect(jht(booked, { dailyCapacity: capacity })).toEqual({ date: '2026-03-04', time: '08:00' });
  });

  it('skips slots reserved but not yet written, and fills a freed gap first', () => {
    const taken = (a: Appointment) => a.date === '2026-03-03' && a.time === '08:00';
    expect(allocateAppointment({ service: 'jht-claim', today: DAY, config: cfg(), booked: [], taken })).toEqual({ date: '2026-03-03', time: '08:20' });
    expect(jht([{ date: '2026-03-03', time: '08:20' }])).toEqual({ date: '2026-03-03', time: '08:00' });
  });

  it('finds nothing when the branch never opens, instead of inventing a slot', () => {
    const closed = Object.fromEntries(Object.keys(DEFAULT_QUEUE_CONFIG.serviceHours).map((d) => [d, null])) as QueueConfig['serviceHours'];
    expect(jht([], { serviceHours: closed })).toBeNull();
    expect(jht([], { dailyCapacity: { ...DEFAULT_QUEUE_CONFIG.dailyCapacity, 'jht-claim': 0 } })).toBeNull();
  });
});

describe('queue config of the branch', () => {
  it("takes the branch's hours and the head's capacities, and ignores invalid overrides", () => {
    const hours = { ...DEFAULT_QUEUE_CONFIG.serviceHours, sat: { open: '08:00', close: '12:00' } };
    const c = queueConfigFor({ serviceHours: hours }, { 'jht-claim': 5 });
    expect(c.serviceHours.sat).toEqual({ open: '08:00', close: '12:00' });
    expect(c.dailyCapacity['jht-claim']).toBe(5);
    expect(c.dailyCapacity.general).toBe(DEFAULT_QUEUE_CONFIG.dailyCapacity.general);
    expect(queueConfigFor(null, { 'jht-claim': -1 }).dailyCapacity['jht-claim']).toBe(DEFAULT_QUEUE_CONFIG.dailyCapacity['jht-claim']);
  });
});

describe('a daily capacity of 0 cannot be saved (issue 16: it would send everyone away)', () => {
  it('the settings patch (the IPC request of settings.set) needs at least 1 per service', () => {
    const r = SettingsPatch.safeParse({ dailyCapacity: { 'jht-claim': 0 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['dailyCapacity', 'jht-claim']);
    expect(SettingsPatch.safeParse({ dailyCapacity: { 'jht-claim': 1 } }).success).toBe(true);
  });

  it('stored settings from before the rule still load; a stored 0 gives the default, never a closed service', () => {
    const stored = Settings.parse({ ...DEFAULT_SETTINGS, dailyCapacity: { 'jht-claim': 0, 'jmo-reset': 40 } });
    expect(stored.dailyCapacity).toEqual({ 'jmo-reset': 40 });
    const c = queueConfigFor(null, { 'jht-claim': 0, 'jmo-reset': 40 });
    expect(c.dailyCapacity['jht-claim']).toBe(DEFAULT_QUEUE_CONFIG.dailyCapacity['jht-claim']);
    expect(c.dailyCapacity['jmo-reset']).toBe(40);
  });
});

describe('call order (issue 16)', () => {
  const t = (id: string, o: Partial<PlannedTicket> & { issuedAt: string }) => ({ id, number: id, service: 'jht-claim' as const, status: 'waiting' as const, day: '2026-03-02', history: [], nikHash: id, ...o });
  const at = (hm: string) => `2026-03-02T${hm}:00+07:00`;
  const tickets = [
    t('walk-0730', { issuedAt: at('07:30') }),
    t('appt-0900', { issuedAt: at('06:00').replace('03-02', '02-27'), day: '2026-02-27', appointment: { date: '2026-03-02', time: '09:00' }, checkedInAt: at('08:40') }),
    t('appt-0830', { issuedAt: at('06:00').replace('03-02', '02-26'), day: '2026-02-26', appointment: { date: '2026-03-02', time: '08:30' }, checkedInAt: at('08:50') }),
    t('appt-absent', { issuedAt: at('06:00').replace('03-02', '02-25'), day: '2026-02-25', appointment: { date: '2026-03-02', time: '08:00' } }),
    t('walk-0800', { issuedAt: at('08:00') }),
    t('prio-0820', { issuedAt: at('08:20'), priority: 'disability' }),
    t('prio-0810', { issuedAt: at('08:10'), priority: 'elderly' }),
    t('yesterday', { issuedAt: at('08:00').replace('03-02', '03-01'), day: '2026-03-01' }),
  ];
  it('priority first (earliest first), then appointments whose slot has come (by slot), then by queue time; absent holders never', () => {
    expect(callOrder(tickets, at('08:55')).map((x) => x.id)).toEqual(['prio-0810', 'prio-0820', 'appt-0830', 'walk-0730', 'walk-0800', 'appt-0900']);
    expect(callOrder(tickets, at('09:00')).map((x) => x.id)).toEqual(['prio-0810', 'prio-0820', 'appt-0830', 'appt-0900', 'walk-0730', 'walk-0800']);
  });
});
