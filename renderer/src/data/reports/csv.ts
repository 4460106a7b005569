import { localDateOf, localTimeOf } from '@shared/dates';
import { branchZone } from '../branch-zone';

// CSV for the head's tables, made for Excel on an Indonesian Windows PC:
// - separator `;`: with the Indonesian regional setting Excel's list separator is `;` (the comma
//   is the decimal sign), so a comma-separated file opens as one column per line there;
// - decimals with a comma (12,5) for the same reason, so numbers stay numbers in Excel;
// - UTF-8 with a byte-order mark, or Excel reads the text as ANSI and breaks non-ASCII names;
// - RFC 4180 quoting, CRLF line ends;
// - text that Excel would run as a formula (= + - @, tab, CR at the start) is prefixed with `'`.

export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';

export type CsvCell = string | number | boolean | null | undefined;

function cellText(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  if (typeof value === 'boolean') return value ? 'ya' : 'tidak';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One field, quoted when it holds the separator, a quote, a line break or edge spaces. */
export function csvField(value: CsvCell, separator = CSV_SEPARATOR): string {
  const text = cellText(value);
  // A number's decimal comma stays bare so Excel reads a number; a text with a comma is quoted
  // too, so the file survives being opened with a comma list separator.
  if (typeof value === 'number') return text;
  const needsQuotes = text.includes(separator) || text.includes(',') || /["\r\n]/.test(text) || text !== text.trim();
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file as text, BOM first. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>, separator = CSV_SEPARATOR): string {
  const lines = [header, ...rows].map((r) => r.map((c) => csvField(c, separator)).join(separator));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/** `loket-<name>-<branch>-<YYYYMMDD-HHMM>.csv`, safe for Windows file names. */
export function csvFileName(name: string, branchCode: string | null, now: Date): string {
  const at = now.toISOString();
  const stamp = `${localDateOf(at, branchZone()).replace(/-/g, '')}-${localTimeOf(at, branchZone()).replace(':', '')}`;
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');
  return `loket-${safe(name)}-${safe(branchCode ?? 'cabang')}-${stamp}.csv`;
}

/** Saves the text through a Blob and an <a download> (no file-system access from the page). */
export function downloadCsv(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
