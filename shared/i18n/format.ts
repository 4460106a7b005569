import { isCalendarDate, localDateOf, localTimeOf, parts, weekdayOf, type BranchZone, type CalendarDate } from '../dates';

/**
 * Dates and times in words, the one place slips, receipts and sentences get them from.
 * Indonesian: "Senin, 21 Desember 2026, 08.30" (a dot in times, as Indonesian prose writes them);
 * English: "Monday 21 December 2026, 08:30". Written out by hand, not with Intl, so every device and
 * HQ say exactly the same words whatever ICU data they ship.
 */
export type Lang = 'id' | 'en';

const MONTHS: Record<Lang, readonly string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** 0 = Sunday, as weekdayOf. */
const WEEKDAYS: Record<Lang, readonly string[]> = {
  id: ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** Any language tag ("en-GB", "id") as one of ours: English when it says so, Indonesian otherwise. */
export function langOf(tag: string | null | undefined): Lang {
  return tag?.startsWith('en') ? 'en' : 'id';
}

/** A calendar day: "Senin, 21 Desember 2026" / "Monday 21 December 2026"; anything else as given. */
export function formatDay(date: CalendarDate, lang: Lang): string {
  if (!isCalendarDate(date)) return date;
  const weekday = WEEKDAYS[lang][weekdayOf(date)] ?? '';
  const rest = formatDate(date, lang);
  return lang === 'id' ? `${weekday}, ${rest}` : `${weekday} ${rest}`;
}

/** A calendar day without its weekday: "2 Maret 2026" / "2 March 2026"; anything else as given. */
export function formatDate(date: CalendarDate, lang: Lang): string {
  if (!isCalendarDate(date)) return date;
  const { y, m, d } = parts(date);
  return `${d} ${MONTHS[lang][m - 1] ?? ''} ${y}`;
}

/** A wall-clock `HH:MM`: "08.30" in Indonesian, "08:30" in English. */
export function formatClock(hm: string, lang: Lang): string {
  return lang === 'id' ? hm.replace(':', '.') : hm;
}

/** "Senin, 21 Desember 2026, 08.30" / "Monday 21 December 2026, 08:30". */
export function formatDayTime(date: CalendarDate, hm: string, lang: Lang): string {
  return `${formatDay(date, lang)}, ${formatClock(hm, lang)}`;
}

/** An event's instant as the branch reads it, in the branch's zone (absent = WIB); not a timestamp = as given. */
export function formatInstant(at: string, lang: Lang, zone?: BranchZone | null): string {
  if (Number.isNaN(Date.parse(at))) return at;
  return formatDayTime(localDateOf(at, zone), localTimeOf(at, zone), lang);
}

/** The day of an event's instant in the branch's zone, in words. */
export function formatInstantDay(at: string, lang: Lang, zone?: BranchZone | null): string {
  if (Number.isNaN(Date.parse(at))) return at;
  return formatDay(localDateOf(at, zone), lang);
}

/** The time of an event's instant in the branch's zone: "08.30" / "08:30". */
export function formatInstantClock(at: string, lang: Lang, zone?: BranchZone | null): string {
  if (Number.isNaN(Date.parse(at))) return at;
  return formatClock(localTimeOf(at, zone), lang);
}
