// RxDB's own fields on every stored document. They are not part of a record: they differ between
// devices for the same content (`_rev`, `_meta`, `_attachments`) or travel beside it (`_deleted`,
// HQ's `deleted` column). Everything that compares, validates, hashes or stores a record's content
// strips them with this one function.

export const BOOKKEEPING_FIELDS = ['_deleted', '_rev', '_meta', '_attachments'] as const;
export type BookkeepingField = (typeof BOOKKEEPING_FIELDS)[number];

const BOOKKEEPING: ReadonlySet<string> = new Set(BOOKKEEPING_FIELDS);

/**
 * The document's content: a shallow copy without RxDB's bookkeeping fields. Every other own key is
 * copied as an own field, a parsed `"__proto__"` too (never taken as the copy's prototype), so
 * what is validated is what is stored.
 */
export function withoutBookkeeping<T extends object>(doc: T): Omit<T, BookkeepingField> & Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => !BOOKKEEPING.has(k))) as Omit<T, BookkeepingField> & Record<string, unknown>;
}
