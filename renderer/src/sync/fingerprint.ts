// What "the same revision" means between this device and HQ: the document's content as canonical
// JSON (keys sorted), without RxDB's local bookkeeping (`_meta`, `_rev`, `_attachments`) and with
// `_deleted` as a boolean. HQ compares pushes the same way (hq/store.ts `comparable`), so a record
// whose fingerprint HQ acknowledged is exactly the record HQ stores.

const BOOKKEEPING = new Set(['_meta', '_rev', '_attachments', '_deleted']);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The comparable text of a replicated document (see above). */
export function comparableText(doc: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!BOOKKEEPING.has(k)) out[k] = v;
  out._deleted = doc._deleted === true;
  return canonical(out);
}

/** A short fingerprint of `comparableText` (two independent 32-bit FNV-1a variants, 64 bits). */
export function fingerprint(doc: Record<string, unknown>): string {
  const text = comparableText(doc);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return `${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}:${text.length}`;
}

export function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return comparableText(a) === comparableText(b);
}
