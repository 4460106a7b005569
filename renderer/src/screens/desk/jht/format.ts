import { formatDate as inWords, type Lang } from '@shared/i18n/format';
import { isCalendarDate } from '@shared/dates';
import { currentLanguage } from '../../../i18n';

/** `2026-03-02` → `2 Maret 2026` (a calendar date, no time zone involved; shared/i18n/format); `—` when unknown. */
export function formatDate(date: string | null | undefined, language: Lang = currentLanguage()): string {
  return date && isCalendarDate(date) ? inWords(date, language) : '—';
}
