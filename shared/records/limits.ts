import { MAX_DOC_DEPTH, type WritableCollection } from '../sync/protocol';

// What a replicated document may hold, the same on the device (checked before every write) and at
// HQ (checked on every push). Sized from real use with a wide margin: a JHT claim with five KPJ and
// a reviewed refusal is ~25 KB of JSON and its longest text is a note of a few hundred characters.
// Without these, one device could make a collection unpullable for its whole branch (a pull of
// a thousand 4 MB cases), and one cut emoji made PostgreSQL refuse a whole push.

/** The most bytes of JSON one document of each collection may take. */
export const MAX_DOCUMENT_BYTES: Readonly<Record<WritableCollection, number>> = {
  tickets: 16 * 1024,
  cases: 256 * 1024,
  refusals: 128 * 1024,
  transfers: 16 * 1024,
  audit: 16 * 1024,
};

/** The most code points any one string (value or key) of a document may have. */
export const MAX_TEXT_CHARS = 4_000;

/**
 * Text PostgreSQL's JSON cannot store, or a person cannot read: a lone UTF-16 surrogate (an emoji
 * cut in half) and U+0000. Returns what is wrong, or null.
 */
export function textProblem(s: string): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'contains U+0000';
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return 'contains a lone UTF-16 surrogate (a character cut in half)';
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return 'contains a lone UTF-16 surrogate (a character cut in half)';
    }
  }
  return null;
}

/** Typed text made storable: lone surrogates become U+FFFD, U+0000 is dropped. Where text is typed. */
export function storableText(s: string): string {
  if (textProblem(s) === null) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
    }
    out += c >= 0xd800 && c <= 0xdfff ? '\uFFFD' : s[i]!;
  }
  return out;
}

/** A document (or any JSON value) with every string made storable (for quarantining refused text). */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[storableText(k)] = storableJson(v);
    return out;
  }
  return value;
}

/** Code points, as JSON Schema's `maxLength` counts them (a lone surrogate counts as one). */
export function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * The limits of one document: its JSON size, and every string in it (keys too) storable and at
 * most MAX_TEXT_CHARS. Problems name paths, never values (they may be personal data).
 */
export function checkLimits(collection: WritableCollection, doc: unknown): { ok: true } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const walk = (value: unknown, path: string, depth = 0) => {
    if (problems.length >= 5) return;
    if (depth > MAX_DOC_DEPTH) {
      problems.push(`${path}: nested deeper than ${MAX_DOC_DEPTH}`);
      return;
    }
    if (typeof value === 'string') {
      const p = textProblem(value);
      if (p) problems.push(`${path || '(root)'}: ${p}`);
      else if (value.length > MAX_TEXT_CHARS && codePoints(value) > MAX_TEXT_CHARS) problems.push(`${path || '(root)'}: text longer than ${MAX_TEXT_CHARS} characters`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i), depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const kp = textProblem(k);
        if (kp) problems.push(`${path || '(root)'}: a key ${kp}`);
        else if (k.length > 200) problems.push(`${path || '(root)'}: a key longer than 200 characters`);
        else walk(v, path ? `${path}.${k}` : k, depth + 1);
      }
    }
  };
  walk(doc, '');
  if (problems.length > 0) return { ok: false, problems };
  // Lone surrogates are gone, so the UTF-8 size of the JSON text is well defined.
  const bytes = utf8Length(JSON.stringify(doc));
  const max = MAX_DOCUMENT_BYTES[collection];
  return bytes > max ? { ok: false, problems: [`(root): document is ${bytes} bytes of JSON, at most ${max}`] } : { ok: true };
}

/** UTF-8 byte length of well-formed text (no TextEncoder allocation). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
