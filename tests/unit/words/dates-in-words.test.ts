import { describe, expect, it } from 'vitest';
import { formatClock, formatDay, formatDayTime, formatInstant } from '@shared/i18n/format';

// Issue 16 pt 14: Indonesian dates in Indonesian sentences, "Senin, 21 Desember 2026, 08.30";
// English keeps its own format. One function for slips, receipts and sentences.
describe('dates and times in words', () => {
  it('writes a calendar day with its weekday in Indonesian and in English', () => {
    expect(formatDay('2026-12-21', 'id')).toBe('Senin, 21 Desember 2026');
    expect(formatDay('2026-12-21', 'en')).toBe('Monday 21 December 2026');
    expect(formatDay('2027-01-03', 'id')).toBe('Minggu, 3 Januari 2027');
    expect(formatDay('2028-02-29', 'id')).toBe('Selasa, 29 Februari 2028');
  });

  it('Indonesian writes times with a dot, English with a colon', () => {
    expect(formatClock('08:30', 'id')).toBe('08.30');
    expect(formatClock('08:30', 'en')).toBe('08:30');
  });

  it('a day and a time together', () => {
    expect(formatDayTime('2026-12-21', '08:30', 'id')).toBe('Senin, 21 Desember 2026, 08.30');
    expect(formatDayTime('2026-12-21', '08:30', 'en')).toBe('Monday 21 December 2026, 08:30');
  });

  it('an instant is written in the branch zone given, not the PC’s', () => {
    const at = '2026-12-21T01:30:00.000Z';
    expect(formatInstant(at, 'id')).toBe('Senin, 21 Desember 2026, 08.30');
    expect(formatInstant(at, 'id', 'WITA')).toBe('Senin, 21 Desember 2026, 09.30');
    expect(formatInstant(at, 'id', 'WIT')).toBe('Senin, 21 Desember 2026, 10.30');
    // 17:30 UTC is already the next day in Jayapura.
    expect(formatInstant('2026-12-20T17:30:00Z', 'en', 'WIT')).toBe('Monday 21 December 2026, 02:30');
  });

  it('leaves what is not a date as it is rather than inventing one', () => {
    expect(formatDay('kemarin', 'id')).toBe('kemarin');
    expect(formatInstant('not a time', 'id')).toBe('not a time');
  });
});

describe('dates in the sentences of a refusal slip', () => {
  it('the appointment and the next opening are written in words, in each language', async () => {
    const { DEFAULT_SERVICE_HOURS } = await import('@shared/branch/schema');
    const { reasonFor, slipNextStep } = await import('@shared/policy/catalog');
    const facts = {
      flow: 'jht-claim' as const,
      at: '2026-12-23T16:00:00+07:00',
      serviceHours: DEFAULT_SERVICE_HOURS,
      identity: { ektpPresented: true, ektpMatchesNik: true },
      participantFound: true,
      firstClaimDate: null,
      missingDocuments: [],
      kpjs: [{ kpj: '12000000001' }],
    };
    const next = slipNextStep(reasonFor('OUTSIDE_SERVICE_HOURS')!, facts, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-12-28', time: '08:00' } });
    expect(next.id).toContain('Senin, 28 Desember 2026, 08.00');
    expect(next.en).toContain('Monday 28 December 2026, 08:00');
    expect(`${next.id} ${next.en}`).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
