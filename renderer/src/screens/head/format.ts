import { localDateOf, localTimeOf } from '../../../../shared/dates';
import type { Text } from '../../../../shared/policy/catalog';

/** Branch (WIB) date and time of a timestamp, "YYYY-MM-DD HH:MM"; the raw text if unparsable. */
export function branchDateTime(at: string | null | undefined): string {
  if (!at || Number.isNaN(Date.parse(at))) return at ?? '';
  return `${localDateOf(at)} ${localTimeOf(at)}`;
}

/** The catalog's bilingual text in the UI language (Indonesian unless English is chosen). */
export function pick(text: Text | undefined, language: string | undefined): string {
  if (!text) return '';
  return language?.startsWith('en') ? text.en : text.id;
}
