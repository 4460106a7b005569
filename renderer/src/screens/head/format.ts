import { localDateOf, localTimeOf } from '@shared/dates';
import { branchZone } from '../../data/branch-zone';
import type { Text } from '@shared/policy/catalog';

/** Branch date and time (in the branch's zone) of a timestamp, "YYYY-MM-DD HH:MM"; the raw text if unparsable. */
export function branchDateTime(at: string | null | undefined, zone = branchZone()): string {
  if (!at || Number.isNaN(Date.parse(at))) return at ?? '';
  return `${localDateOf(at, zone)} ${localTimeOf(at, zone)}`;
}

/** The catalog's bilingual text in the UI language (Indonesian unless English is chosen). */
export function pick(text: Text | undefined, language: string | undefined): string {
  if (!text) return '';
  return language?.startsWith('en') ? text.en : text.id;
}
