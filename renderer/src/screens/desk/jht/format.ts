import { currentLanguage } from '../../../i18n';

const MONTHS = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
} as const;

/** `2026-03-02` → `2 Maret 2026` (a calendar date, no time zone involved); `—` when unknown. */
export function formatDate(date: string | null | undefined, language: 'id' | 'en' = currentLanguage()): string {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!m) return '—';
  return `${Number(m[3])} ${MONTHS[language][Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}
