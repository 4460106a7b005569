import type { TFunction } from 'i18next';
import type { CalendarDate } from '@shared/dates';
import { formatDay, langOf } from '@shared/i18n/format';

/** "±35 menit", "±1 jam 15 menit", "tanpa antrean". */
export function formatMinutes(t: TFunction, minutes: number): string {
  if (minutes <= 0) return t('door.wait.none');
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('door.wait.minutes', { n: m });
  return m === 0 ? t('door.wait.hours', { n: h }) : t('door.wait.hoursMinutes', { hours: h, minutes: m });
}

/** "Kamis, 26 November 2026" (the branch's calendar date, so no time zone shift; shared/i18n/format). */
export function formatDate(date: CalendarDate, lang: string): string {
  return formatDay(date, langOf(lang));
}
