// Shared (issue 17): the hub answers `POST /v1/hub/at-hq` by comparing what HQ holds with a
// device's fingerprint, so devices and the hub compute it with this one function.
// What "the same revision" means between this device and HQ: the document's content as canonical
// JSON (keys sorted), without RxDB's local bookkeeping (`_meta`, `_rev`, `_attachments`) and with
// `_deleted` as a boolean. HQ compares pushes the same way (hq/store.ts `comparable`), so a record
// whose fingerprint HQ acknowledged is exactly the record HQ stores.
//
// Performance: every pushed, pulled and locally written document is fingerprinted, and the
// replication compares pulled documents with local ones twice each. Building the canonical text
// for that was a third of the client's time in a 10,000-document sync, so the fingerprint hashes
// the canonical form while walking the document (no text built; strings that JSON would not escape
// are hashed in place, which halved it again) and `sameContent` compares the structures directly.
// `comparableText` still builds the text, for the rare places that need it.

import { sameJson } from '../canonical-json';
import { BOOKKEEPING_FIELDS, withoutBookkeeping } from '../schemas/bookkeeping';

const BOOKKEEPING: ReadonlySet<string> = new Set(BOOKKEEPING_FIELDS);

/** Sorted keys of an object whose value is not undefined (JSON drops those). */
function definedKeys(value: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(value)) if (value[k] !== undefined) keys.push(k);
  return keys.sort();
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${definedKeys(o)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The content without bookkeeping, `_deleted` as a boolean. */
function contentOf(doc: Record<string, unknown>): Record<string, unknown> {
  return { ...withoutBookkeeping(doc), _deleted: doc._deleted === true };
}

/** The comparable text of a replicated document (see above). */
export function comparableText(doc: Record<string, unknown>): string {
  return canonical(contentOf(doc));
}

/** Two 32-bit FNV-1a style hashes over the canonical text's UTF-16 code units, and its length. */
class TextHash {
  h1 = 0x811c9dc5;
  h2 = 0x01000193;
  length = 0;
  add(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.length += text.length;
  }
  /** One code unit: the punctuation between values, without a string for it. */
  char(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ c, 0x5bd1e995) ^ (this.h2 >>> 15);
    this.length += 1;
  }
  /** `JSON.stringify(s)`: quoted as is when nothing in it needs an escape (almost always), else escaped by JSON. */
  quoted(s: string): void {
    let h1 = Math.imul(this.h1 ^ QUOTE, 0x01000193);
    let h2 = Math.imul(this.h2 ^ QUOTE, 0x5bd1e995) ^ (this.h2 >>> 15);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      // What JSON.stringify escapes: control characters, the quote, the backslash, surrogates unless paired (rare: let JSON do it).
      if (c < 0x20 || c === QUOTE || c === BACKSLASH || (c >= 0xd800 && c <= 0xdfff)) {
        this.add(JSON.stringify(s));
        return;
      }
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    this.h1 = Math.imul(h1 ^ QUOTE, 0x01000193);
    this.h2 = Math.imul(h2 ^ QUOTE, 0x5bd1e995) ^ (h2 >>> 15);
    this.length += s.length + 2;
  }
}

const code = (c: string): number => c.charCodeAt(0);
const QUOTE = code('"');
const BACKSLASH = code('\\');
const COMMA = code(',');
const COLON = code(':');
const OPEN_BRACKET = code('[');
const CLOSE_BRACKET = code(']');
const OPEN_BRACE = code('{');
const CLOSE_BRACE = code('}');

/** Feeds exactly the characters of `canonical(value)` to the hash. */
function hashCanonical(value: unknown, h: TextHash): void {
  if (typeof value === 'string') {
    h.quoted(value);
    return;
  }
  if (Array.isArray(value)) {
    h.char(OPEN_BRACKET);
    for (let i = 0; i < value.length; i++) {
      if (i > 0) h.char(COMMA);
      const v: unknown = value[i];
      hashCanonical(v === undefined ? null : v, h);
    }
    h.char(CLOSE_BRACKET);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    h.char(OPEN_BRACE);
    let first = true;
    for (const k of definedKeys(o)) {
      if (!first) h.char(COMMA);
      first = false;
      h.quoted(k);
      h.char(COLON);
      hashCanonical(o[k], h);
    }
    h.char(CLOSE_BRACE);
    return;
  }
  h.add(JSON.stringify(value) ?? 'null');
}

/** A short fingerprint of `comparableText` (two independent 32-bit hashes, 64 bits, and the text's length). */
export function fingerprint(doc: Record<string, unknown>): string {
  const h = new TextHash();
  hashCanonical(contentOf(doc), h);
  return `${(h.h1 >>> 0).toString(16).padStart(8, '0')}${(h.h2 >>> 0).toString(16).padStart(8, '0')}:${h.length}`;
}

/** `comparableText(a) === comparableText(b)`, without building either text. */
export function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if ((a._deleted === true) !== (b._deleted === true)) return false;
  let na = 0;
  for (const k of Object.keys(a)) {
    if (BOOKKEEPING.has(k) || a[k] === undefined) continue;
    na++;
    if (b[k] === undefined || !Object.prototype.hasOwnProperty.call(b, k) || !sameJson(a[k], b[k])) return false;
  }
  let nb = 0;
  for (const k of Object.keys(b)) if (!BOOKKEEPING.has(k) && b[k] !== undefined) nb++;
  return na === nb;
}

/** The same content by identity of every top-level value (bookkeeping aside): what RxDB's shallow copies keep. */
function sameTopLevel(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if ((a._deleted === true) !== (b._deleted === true)) return false;
  let n = 0;
  for (const k of Object.keys(a)) {
    if (BOOKKEEPING.has(k) || a[k] === undefined) continue;
    n++;
    if (a[k] !== b[k]) return false;
  }
  for (const k of Object.keys(b)) if (!BOOKKEEPING.has(k) && b[k] !== undefined) n--;
  return n === 0;
}

/**
 * The last fingerprint of each document, reused when the next copy of it holds the very same
 * top-level values, or equal content. RxDB copies documents shallowly on their way through the replication (the
 * local write event, the push row, the pulled document and the write it causes share their nested
 * objects) and never changes a stored document in place, so such a copy has the same content.
 * Fingerprinting every copy again was a third of the device's time in a 10,000-case pull.
 * Bounded: the oldest entries go first.
 */
export class FingerprintMemo {
  private readonly last = new Map<string, { doc: Record<string, unknown>; fp: string }>();

  constructor(private readonly max = 20_000) {}

  of(id: string, doc: Record<string, unknown>): string {
    const hit = this.last.get(id);
    // Shallow copies by identity; other copies (a document HQ sends back) by comparing, cheaper than hashing.
    if (hit && (sameTopLevel(hit.doc, doc) || sameContent(hit.doc, doc))) return hit.fp;
    const fp = fingerprint(doc);
    this.last.delete(id);
    this.last.set(id, { doc, fp });
    if (this.last.size > this.max) this.last.delete(this.last.keys().next().value!);
    return fp;
  }
}
