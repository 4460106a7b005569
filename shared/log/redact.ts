// The one identifier-redaction function every logger uses (main, HQ, the branch hub, scripts).
// Logs never hold a NIK (16 digits) or a KPJ number (11 digits), however they were written:
// plain, grouped as people paste them ("3171 0115 0685 0041", "3171-0115-0685-0041",
// "31.71.01.150685.0041"), glued to words ("NIK3171011506850041", "kpj12345678901x") or two
// glued together. A run of digits joined by at most a few spaces, dots or dashes counts as one
// number; any such number of 11 digits or more is cut out, whatever surrounds it. Shorter numbers
// (counts, durations, dates, ports, addresses) stay readable. A canonical UUID (device ids) is
// left whole: its groups are hex, never an identifier of a person.

/** What stands in the log where an identifier was. */
export const REDACTED_ID = '[ID]';

/** The fewest digits a redacted number holds: a KPJ is 11, a NIK 16. */
export const MIN_ID_DIGITS = 11;

const UUID = String.raw`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9a-fA-F])`;
// Separators people type inside a NIK or KPJ: spaces (any, incl. no-break), dots, dashes (incl.
// the Unicode ones normalizeNik drops), at most three in a row ("3171 - 0115").
const DIGIT_RUN = String.raw`\d(?:[\s.\-\u2010-\u2015]{0,3}\d)*`;
const CANDIDATE = new RegExp(`(?<![0-9a-fA-F-])(${UUID})|(${DIGIT_RUN})`, 'g');

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

/** `text` with every NIK- or KPJ-like number replaced by `[ID]`. */
export function redactIdentifiers(text: string): string {
  return text.replace(CANDIDATE, (match: string, uuid: string | undefined) => {
    if (uuid !== undefined) return match;
    return digitCount(match) >= MIN_ID_DIGITS ? REDACTED_ID : match;
  });
}
