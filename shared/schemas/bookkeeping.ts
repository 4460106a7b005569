// RxDB's own fields on every stored document. They are not part of a record: they differ between
// devices for the same content (`_rev`, `_meta`, `_attachments`) or travel beside it (`_deleted`,
// HQ's `deleted` column). Everything that compares, validates, hashes or stores a record's content
// strips them with this one function.

export const BOOKKEEPING_FIELDS = ['_deleted', '_rev', '_meta', '_attachments'] as const;
export type BookkeepingField = (typeof BOOKKEEPING_FIELDS)[number];

const BOOKKEEPING: ReadonlySet<string> = new Set(BOOKKEEPING_FIELDS);

/** The document's content: a shallow copy without RxDB's bookkeeping fields. */
export function withoutBookkeeping<T extends object>(doc: T): Omit<T, BookkeepingField> & Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(doc)) if (!BOOKKEEPING.has(k)) out[k] = (doc as Record<string, unknown>)[k];
  return out as Omit<T, BookkeepingField> & Record<string, unknown>;
}
