import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparableText, FingerprintMemo, fingerprint, sameContent } from '../../../renderer/src/sync/fingerprint';

// The fingerprint and the content comparison walk the document instead of building its canonical
// text; they must still mean exactly "the same canonical text" (see fingerprint.ts).

// Any UTF-16 code unit, lone surrogates and control characters included: what JSON.stringify escapes.
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const oddString = fc.string({ unit: fc.oneof(anyCodeUnit, fc.constantFrom('"', '\\', '\n', '\u0000', '\ud83d', '\ude00', 'a')), maxLength: 6 });
const leaf = fc.oneof(fc.string({ maxLength: 6 }), oddString, fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant(undefined));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.constantFrom('a', 'b', 'c', 'é', '"q"', 'z1'), oddString), tie('value'), { maxKeys: 4 })),
}));
const doc = fc.record(
  {
    id: fc.constantFrom('d1', 'd2'),
    a: value,
    b: value,
    _deleted: fc.constantFrom(true, false, undefined),
    _rev: fc.constantFrom('1-a', '2-b'),
    _meta: fc.constant({ lwt: 1 }),
  },
  { requiredKeys: ['id'] },
);

/** The same content with every object's keys in reverse order and the bookkeeping changed. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse().map(([k, x]) => [k, reordered(x)]));
  }
  return v;
}

describe('replication fingerprint and content comparison', () => {
  it('sameContent(a, b) is exactly "equal comparable texts", for any two documents', () => {
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        expect(sameContent(a, b)).toBe(comparableText(a) === comparableText(b));
      }),
      { numRuns: 3_000 },
    );
  });

  it('the same content in another key order, with other bookkeeping, is the same (fingerprint too)', () => {
    fc.assert(
      fc.property(doc, (a) => {
        const b = { ...(reordered(a) as Record<string, unknown>), _rev: '9-z', _meta: { lwt: 2 } };
        expect(sameContent(a, b)).toBe(true);
        expect(fingerprint(b)).toBe(fingerprint(a));
      }),
      { numRuns: 1_000 },
    );
  });

  it('different content gives a different fingerprint, whose length part is the canonical text length', () => {
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        const fa = fingerprint(a);
        expect(fa.split(':')[1]).toBe(String(comparableText(a).length));
        if (comparableText(a) !== comparableText(b)) expect(fingerprint(b)).not.toBe(fa);
        else expect(fingerprint(b)).toBe(fa);
      }),
      { numRuns: 3_000 },
    );
  });

  it('absent, undefined and deleted are told apart as JSON tells them apart', () => {
    expect(sameContent({ id: 'x', a: 1 }, { id: 'x', a: 1, b: undefined })).toBe(true);
    expect(sameContent({ id: 'x', a: null }, { id: 'x' })).toBe(false);
    expect(sameContent({ id: 'x', a: [undefined] }, { id: 'x', a: [null] })).toBe(true);
    expect(sameContent({ id: 'x', _deleted: false }, { id: 'x' })).toBe(true);
    expect(sameContent({ id: 'x', _deleted: true }, { id: 'x' })).toBe(false);
    expect(fingerprint({ id: 'x', _deleted: true })).not.toBe(fingerprint({ id: 'x' }));
  });

  it('the memo gives the fingerprint of the document it is handed, reusing it only for shallow copies', () => {
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 20 }), (docs) => {
        const memo = new FingerprintMemo(8);
        for (const d of docs) {
          const id = String(d.id);
          expect(memo.of(id, d)).toBe(fingerprint(d));
          // RxDB's copies: the same top-level values, other bookkeeping.
          expect(memo.of(id, { ...d, _rev: '7-c', _meta: { lwt: 9 } })).toBe(fingerprint(d));
        }
      }),
      { numRuns: 500 },
    );
    const memo = new FingerprintMemo();
    const events = [{ type: 'a' }];
    const v1 = { id: 'x', events, status: 'open' };
    const first = memo.of('x', v1);
    // A new version: a new array (RxDB documents are never changed in place), or a changed top-level value.
    expect(memo.of('x', { ...v1, events: [...events, { type: 'b' }] })).not.toBe(first);
    expect(memo.of('x', { ...v1, status: 'closed' })).toBe(fingerprint({ ...v1, status: 'closed' }));
    expect(memo.of('x', { ...v1, extra: 1 })).toBe(fingerprint({ ...v1, extra: 1 }));
    expect(memo.of('x', { ...v1, _deleted: true })).toBe(fingerprint({ ...v1, _deleted: true }));
  });

  it('the memo stays within its bound, forgetting the oldest first', () => {
    const memo = new FingerprintMemo(3);
    const docs = ['a', 'b', 'c', 'd'].map((id) => ({ id, v: [id] }));
    for (const d of docs) memo.of(d.id, d);
    const size = (memo as unknown as { last: Map<string, unknown> }).last;
    expect([...size.keys()]).toEqual(['b', 'c', 'd']);
  });
});
