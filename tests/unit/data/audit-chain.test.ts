import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AuditEntrySchema,
  AuditInputError,
  GENESIS_PREV_HASH,
  NikInAuditDetailsError,
  appendEntry,
  assertNoNik,
  computeEntryHash,
  sha256Hex,
  verifyChain,
  type AuditEntry,
  type AuditEntryInput,
} from '../../../renderer/src/data/audit-chain';
import { CanonicalJsonError, canonicalJson, type JsonObject } from '../../../renderer/src/data/canonical-json';

// Generated data only: staff ids, case ids and "NIK hashes" are made up.
const FAKE_NIK_HASH = 'a3f1c2d4e5b60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef0';

function input(i: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    deviceId: 'pc-jkt01-2',
    at: new Date(Date.parse('2026-03-02T01:00:00Z') + i * 60_000).toISOString(),
    actor: { staffId: 'siti.a', role: 'officer' },
    action: i % 3 === 0 ? 'person.viewed' : 'case.event',
    subject: i % 3 === 0 ? { kind: 'person', id: FAKE_NIK_HASH } : { kind: 'case', id: `case-${i}` },
    details: i % 3 === 0 ? { screen: 'case-detail' } : { event: 'kpj.added', index: i },
    ...overrides,
  };
}

async function chainOf(n: number, deviceId = 'pc-jkt01-2'): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) out.push(await appendEntry(out.at(-1) ?? null, input(i, { deviceId })));
  return out;
}

const clone = (entries: AuditEntry[]): AuditEntry[] => structuredClone(entries);

describe('canonical JSON', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reversed = JSON.parse(JSON.stringify(value), function (this: unknown, _k: string, v: unknown) {
          if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
          return Object.fromEntries(Object.entries(v).reverse());
        }) as unknown;
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it.each([
    ['undefined', { a: undefined }, '$.a'],
    ['a function', { a: { b: () => 1 } }, '$.a.b'],
    ['NaN', [1, Number.NaN], '$[1]'],
    ['Infinity', { 'x y': Infinity }, '$["x y"]'],
    ['a bigint', { n: 1n }, '$.n'],
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a sparse array', { a: Array<number>(3) }, '$.a[0]'],
  ])('rejects %s, naming where', (_what, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    try {
      canonicalJson(value);
    } catch (e) {
      expect((e as CanonicalJsonError).path).toBe(path);
    }
  });

  it('rejects cycles but accepts a value shared twice', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });
});

describe('audit entries', () => {
  it('start at seq 1 from the all-zero genesis and link each hash to the next entry', async () => {
    const [first, second] = await chainOf(2);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_PREV_HASH });
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatchObject({ seq: 2, prevHash: first!.hash });
    expect(AuditEntrySchema.parse(second)).toEqual(second);
  });

  it('hash the canonical JSON of every field but the hash (SHA-256, hex)', async () => {
    const [entry] = await chainOf(1);
    const { hash, ...body } = entry!;
    expect(hash).toBe(await sha256Hex(canonicalJson(body)));
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // The same entry with its keys in another order hashes the same.
    const reordered = Object.fromEntries(Object.entries(entry!).reverse()) as unknown as AuditEntry;
    expect(await computeEntryHash(reordered)).toBe(hash);
  });

  it('copy the details, so a later change to the caller’s object cannot alter a stored entry', async () => {
    const details: JsonObject = { note: 'before' };
    const entry = await appendEntry(null, input(1, { details }));
    details.note = 'after';
    expect(entry.details).toEqual({ note: 'before' });
  });

  it('refuse another device’s previous entry and invalid fields', async () => {
    const [first] = await chainOf(1, 'pc-a');
    await expect(appendEntry(first!, input(2, { deviceId: 'pc-b' }))).rejects.toThrow(AuditInputError);
    await expect(appendEntry(null, input(2, { action: 'Viewed' as never }))).rejects.toThrow(AuditInputError);
    await expect(appendEntry(null, input(2, { at: 'yesterday' }))).rejects.toThrow(/at/);
    await expect(appendEntry(null, input(2, { actor: { staffId: 'x', role: 'janitor' as never } }))).rejects.toThrow(AuditInputError);
    await expect(appendEntry(null, input(2, { details: { n: Number.NaN } }))).rejects.toThrow(CanonicalJsonError);
  });
});

describe('NIK guard', () => {
  // 16-digit strings shaped like a NIK; generated, not real.
  it.each<{ details: JsonObject }>([
    { details: { note: 'peserta 3174054101900003 datang' } },
    { details: { nested: [{ value: '3174 0541 0190 0003' }] } },
    { details: { value: '317405-410190-0003' } },
    { details: { n: 3174054101900003 } },
    { details: { '3174054101900003': true } },
  ])('refuses details holding a NIK-looking number: %j', async ({ details }) => {
    await expect(appendEntry(null, input(1, { details }))).rejects.toThrow(NikInAuditDetailsError);
  });

  it('never repeats the NIK in its error', () => {
    try {
      assertNoNik({ note: 'x 3174054101900003' });
      expect.fail('expected NikInAuditDetailsError');
    } catch (e) {
      expect(e).toBeInstanceOf(NikInAuditDetailsError);
      expect((e as NikInAuditDetailsError).code).toBe('NIK_IN_AUDIT_DETAILS');
      expect((e as Error).message).toContain('details.note');
      expect((e as Error).message).not.toContain('3174054101900003');
    }
  });

  it('refuses a NIK as the subject id', async () => {
    await expect(appendEntry(null, input(1, { subject: { kind: 'person', id: '3174054101900003' } }))).rejects.toThrow(NikInAuditDetailsError);
  });

  it('allows the NIK’s keyed hash, KPJ numbers (11 digits), phone numbers and timestamps', async () => {
    const allDigitsHash = '3174054101900003317405410190000331740541019000033174054101900003';
    const entry = await appendEntry(null, input(1, { details: { nikHash: allDigitsHash, kpj: '12345678901', phone: '081234567890', at: '2026-03-02T08:15:00+07:00', amount: 50_000_000 } }));
    expect(entry.details.kpj).toBe('12345678901');
  });
});

describe('verifyChain', () => {
  it('accepts a valid chain and an empty one', async () => {
    expect(await verifyChain(await chainOf(12))).toEqual({ ok: true, count: 12 });
    expect(await verifyChain([])).toEqual({ ok: true, count: 0 });
  });

  it('reports edited details at that entry (hash-mismatch)', async () => {
    const chain = clone(await chainOf(10));
    chain[4]!.details = { event: 'kpj.removed', index: 4 };
    expect(await verifyChain(chain)).toEqual({ ok: false, brokenAt: 5, reason: 'hash-mismatch' });
  });

  it('reports an edited entry whose hash was recomputed at the next one (prev-mismatch)', async () => {
    const chain = clone(await chainOf(10));
    chain[4]!.actor = { staffId: 'someone.else', role: 'head' };
    chain[4]!.hash = await computeEntryHash(chain[4]!);
    expect(await verifyChain(chain)).toEqual({ ok: false, brokenAt: 6, reason: 'prev-mismatch' });
  });

  it('reports a changed earlier hash at that entry', async () => {
    const chain = clone(await chainOf(10));
    chain[2]!.hash = 'f'.repeat(64);
    expect(await verifyChain(chain)).toEqual({ ok: false, brokenAt: 3, reason: 'hash-mismatch' });
  });

  it('reports a deleted entry at the missing seq (seq-gap)', async () => {
    const chain = await chainOf(10);
    expect(await verifyChain([...chain.slice(0, 6), ...chain.slice(7)])).toEqual({ ok: false, brokenAt: 7, reason: 'seq-gap' });
    expect(await verifyChain(chain.slice(1))).toEqual({ ok: false, brokenAt: 1, reason: 'seq-gap' });
  });

  it('reports a deleted entry whose successors were renumbered at the renumbered one', async () => {
    const chain = clone(await chainOf(10));
    const cut = [...chain.slice(0, 6), ...chain.slice(7).map((e) => ({ ...e, seq: e.seq - 1 }))];
    expect(await verifyChain(cut)).toEqual({ ok: false, brokenAt: 7, reason: 'prev-mismatch' });
  });

  it('reports two swapped entries at the first displaced seq', async () => {
    const chain = await chainOf(10);
    const swapped = [...chain];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(await verifyChain(swapped)).toEqual({ ok: false, brokenAt: 4, reason: 'seq-gap' });
  });

  it('reports an entry of another device spliced in (device-mismatch)', async () => {
    const mine = await chainOf(5, 'pc-a');
    const theirs = await chainOf(5, 'pc-b');
    expect(await verifyChain([...mine.slice(0, 3), theirs[3]!, mine[4]!])).toEqual({ ok: false, brokenAt: 4, reason: 'device-mismatch' });
    expect(await verifyChain(mine, { deviceId: 'pc-b' })).toEqual({ ok: false, brokenAt: 1, reason: 'device-mismatch' });
  });

  it('reports a malformed entry as a hash mismatch instead of throwing', async () => {
    const chain = clone(await chainOf(4));
    (chain[1] as unknown as Record<string, unknown>).details = { bad: undefined };
    expect(await verifyChain(chain)).toEqual({ ok: false, brokenAt: 2, reason: 'hash-mismatch' });
  });

  it('verifies a segment after a checkpoint, and detects a cut tail against an anchored head', async () => {
    const chain = await chainOf(8);
    expect(await verifyChain(chain.slice(5), { after: { seq: 5, hash: chain[4]!.hash } })).toEqual({ ok: true, count: 3 });
    expect(await verifyChain(chain.slice(5), { after: { seq: 5, hash: chain[3]!.hash } })).toMatchObject({ ok: false, brokenAt: 6, reason: 'prev-mismatch' });
    expect(await verifyChain(chain, { head: { seq: 8, hash: chain[7]!.hash } })).toEqual({ ok: true, count: 8 });
    expect(await verifyChain(chain.slice(0, 6), { head: { seq: 8, hash: chain[7]!.hash } })).toEqual({ ok: false, brokenAt: 7, reason: 'seq-gap' });
  });
});

// ---- property: any single mutation of a random chain is found at or before the mutated entry -----

type Mutation = 'details' | 'actor' | 'at' | 'action' | 'subject' | 'seq' | 'prevHash' | 'hash' | 'deviceId' | 'delete' | 'swapNext' | 'duplicate';

const entryInputArb: fc.Arbitrary<Omit<AuditEntryInput, 'deviceId'>> = fc.record({
  at: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }).map((ms) => new Date(ms).toISOString()),
  actor: fc.record({ staffId: fc.constantFrom('siti.a', 'budi.s', 'satpam01', 'kepala.cabang'), role: fc.constantFrom<AuditEntryInput['actor']['role']>('security', 'officer', 'head', 'admin') }),
  action: fc.constantFrom<AuditEntryInput['action']>('case.event', 'person.viewed', 'staff.signIn', 'ticket.issued'),
  subject: fc.record({ kind: fc.constantFrom('case', 'person', 'ticket'), id: fc.stringMatching(/^[a-z0-9-]{1,20}$/) }),
  details: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null)), { maxKeys: 4 }),
});

describe('verifyChain (property)', () => {
  it('detects any single mutation at the mutated seq, for the right reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryInputArb, { minLength: 2, maxLength: 12 }),
        fc.nat(),
        fc.constantFrom<Mutation>('details', 'actor', 'at', 'action', 'subject', 'seq', 'prevHash', 'hash', 'deviceId', 'delete', 'swapNext', 'duplicate'),
        async (inputs, pick, mutation) => {
          const chain: AuditEntry[] = [];
          for (const i of inputs) chain.push(await appendEntry(chain.at(-1) ?? null, { ...i, deviceId: 'pc-prop' }));
          expect(await verifyChain(chain)).toEqual({ ok: true, count: chain.length });

          const k = pick % (mutation === 'swapNext' ? chain.length - 1 : chain.length);
          const mutatedSeq = k + 1;
          const tampered = clone(chain);
          const e = tampered[k]!;
          switch (mutation) {
            case 'details':
              e.details = { ...e.details, 'tampered!': true }; // 9 characters: no generated key (max 8) collides
              break;
            case 'actor':
              e.actor = { ...e.actor, staffId: `${e.actor.staffId}x` };
              break;
            case 'at':
              e.at = new Date(Date.parse(e.at) + 1000).toISOString();
              break;
            case 'action':
              e.action = e.action === 'person.viewed' ? 'case.event' : 'person.viewed';
              break;
            case 'subject':
              e.subject = { ...e.subject, id: `${e.subject.id}0` };
              break;
            case 'seq':
              e.seq += 1;
              break;
            case 'prevHash':
              e.prevHash = e.prevHash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
              break;
            case 'hash':
              e.hash = e.hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
              break;
            case 'deviceId':
              e.deviceId = 'pc-other';
              break;
            case 'delete':
              tampered.splice(k, 1);
              break;
            case 'swapNext':
              [tampered[k], tampered[k + 1]] = [tampered[k + 1]!, tampered[k]!];
              break;
            case 'duplicate':
              tampered.splice(k, 0, structuredClone(e));
              break;
          }
          const verdict = await verifyChain(tampered);
          // Deleting the last entry leaves a valid (shorter) chain: only an anchored head can tell.
          if (mutation === 'delete' && k === chain.length - 1) {
            expect(verdict).toEqual({ ok: true, count: chain.length - 1 });
            expect(await verifyChain(tampered, { head: { seq: chain.length, hash: chain.at(-1)!.hash } })).toMatchObject({ ok: false });
            return;
          }
          // Found exactly at the mutated entry (a duplicate shows as the copy's successor), for the right reason.
          const reason = {
            details: 'hash-mismatch',
            actor: 'hash-mismatch',
            at: 'hash-mismatch',
            action: 'hash-mismatch',
            subject: 'hash-mismatch',
            hash: 'hash-mismatch',
            seq: 'seq-gap',
            prevHash: 'prev-mismatch',
            deviceId: k === 0 ? 'hash-mismatch' : 'device-mismatch',
            delete: 'seq-gap',
            swapNext: 'seq-gap',
            duplicate: 'seq-gap',
          }[mutation];
          expect(verdict).toEqual({ ok: false, brokenAt: mutation === 'duplicate' ? mutatedSeq + 1 : mutatedSeq, reason });
        },
      ),
      { numRuns: 300 },
    );
  });
});
