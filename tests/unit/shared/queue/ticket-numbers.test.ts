import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVICE_LETTERS,
  InMemoryCounterStore,
  TicketNumberError,
  branchDayOf,
  counterKey,
  createTicketAllocator,
  formatTicketNumber,
  parseTicketNumber,
  type CounterStore,
  type IssuedTicket,
} from '@shared/queue/ticket-numbers';

const SERVICES = Object.keys(DEFAULT_SERVICE_LETTERS);
/** 2026-03-02 08:00 at the branch (UTC+7). */
const MORNING = Date.parse('2026-03-02T01:00:00Z');

function fixedClock(start: number) {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = ms), advance: (ms: number) => (t += ms) };
}

function allocator(store: CounterStore, slot: number, now: () => number) {
  return createTicketAllocator({ store, branchCode: 'JKT01', slot, now });
}

function expectTicketError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TicketNumberError);
    expect((e as TicketNumberError).code).toBe(code);
    return;
  }
  expect.fail(`expected a TicketNumberError ${code}`);
}

describe('ticket number format', () => {
  it('is <letter><slot>-<seq>, the seq padded to three digits and growing past 999', () => {
    expect(formatTicketNumber('B', 2, 17)).toBe('B2-017');
    expect(formatTicketNumber('A', 9, 999)).toBe('A9-999');
    expect(formatTicketNumber('A', 1, 1000)).toBe('A1-1000');
  });

  it('parses what it formats, and names the service of the letter', () => {
    expect(parseTicketNumber('B2-017')).toEqual({ letter: 'B', slot: 2, seq: 17, service: 'bpu-resignation' });
    expect(parseTicketNumber(' a1-1000 ')).toEqual({ letter: 'A', slot: 1, seq: 1000, service: 'jht-claim' });
    expect(parseTicketNumber('Z3-001')).toEqual({ letter: 'Z', slot: 3, seq: 1, service: null });
  });

  it.each(['', 'B2017', 'B0-001', 'B10-001', 'B2-17', 'B2-000', 'B2-0017', 'BB2-001', 'B2-01a', '2B-001'])('rejects "%s"', (text) => {
    expect(parseTicketNumber(text)).toBeNull();
  });

  it('round-trips for any letter, slot and sequence', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 10_000_000 }), (letter, slot, seq) => {
        const text = formatTicketNumber(letter, slot, seq);
        expect(parseTicketNumber(text)).toMatchObject({ letter, slot, seq });
        expect(formatTicketNumber(letter, slot, seq)).toBe(text);
      }),
    );
  });
});

describe('branch day (Asia/Jakarta, UTC+7)', () => {
  it('changes at local midnight, 17:00 UTC', () => {
    expect(branchDayOf(Date.parse('2026-03-01T16:59:59.999Z'))).toBe('2026-03-01');
    expect(branchDayOf(Date.parse('2026-03-01T17:00:00Z'))).toBe('2026-03-02');
    expect(branchDayOf(new Date('2026-12-31T17:30:00Z'))).toBe('2027-01-01');
  });
});

describe('ticket allocator', () => {
  it('issues 001, 002, … per service on one PC, the service letter and slot in front', async () => {
    const store = new InMemoryCounterStore();
    const pc = allocator(store, 2, () => MORNING);
    const a = [await pc.issue('bpu-resignation'), await pc.issue('bpu-resignation'), await pc.issue('jht-claim'), await pc.issue('bpu-resignation')];
    expect(a.map((t) => t.number)).toEqual(['B2-001', 'B2-002', 'A2-001', 'B2-003']);
    expect(a[0]).toMatchObject({ service: 'bpu-resignation', letter: 'B', slot: 2, seq: 1, day: '2026-03-02', branchCode: 'JKT01', issuedAt: '2026-03-02T01:00:00.000Z' });
    expect(await pc.peek('bpu-resignation')).toBe('B2-004');
    expect(store.snapshot().get(counterKey('JKT01', '2026-03-02', 'bpu-resignation', 2))).toBe(3);
  });

  it('grows past 999 instead of wrapping', async () => {
    const store = new InMemoryCounterStore();
    await store.compareAndSet(counterKey('JKT01', '2026-03-02', 'general', 1), null, 998);
    const pc = allocator(store, 1, () => MORNING);
    expect([(await pc.issue('general')).number, (await pc.issue('general')).number]).toEqual(['D1-999', 'D1-1000']);
  });

  it('continues after a restart: a new allocator over the same store never reissues a number', async () => {
    const store = new InMemoryCounterStore();
    const clock = fixedClock(MORNING);
    const first = allocator(store, 1, clock.now);
    await first.issue('jmo-reset');
    await first.issue('jmo-reset');
    const afterRestart = allocator(store, 1, clock.now);
    expect((await afterRestart.issue('jmo-reset')).number).toBe('C1-003');
  });

  it('skips, never reuses, a number reserved just before a crash', async () => {
    const store = new InMemoryCounterStore();
    const clock = fixedClock(MORNING);
    // The reservation is written, then the app dies before printing the ticket.
    void (await allocator(store, 1, clock.now).issue('jht-claim'));
    // The write lands but the process dies before it hears back (the store's ack is lost).
    const lostAck: CounterStore = {
      get: (k) => store.get(k),
      compareAndSet: async (k, e, n) => {
        await store.compareAndSet(k, e, n);
        throw new Error('renderer crashed');
      },
    };
    await expect(allocator(lostAck, 1, clock.now).issue('jht-claim')).rejects.toThrow('renderer crashed');
    expect((await allocator(store, 1, clock.now).issue('jht-claim')).number).toBe('A1-003');
  });

  it('restarts the sequence at 001 on the next branch day, and keeps counting if the clock goes back', async () => {
    const store = new InMemoryCounterStore();
    const clock = fixedClock(Date.parse('2026-03-01T16:58:00Z')); // 23:58 WIB
    const pc = allocator(store, 3, clock.now);
    await pc.issue('general');
    expect((await pc.issue('general')).number).toBe('D3-002');
    clock.advance(3 * 60_000); // 00:01 WIB, the next day
    const next = await pc.issue('general');
    expect(next).toMatchObject({ number: 'D3-001', day: '2026-03-02' });
    clock.advance(-3 * 60_000); // the clock is corrected back to yesterday
    expect((await pc.issue('general')).number).toBe('D3-003');
  });

  it('never gives two PCs the same number, even offline with separate stores', async () => {
    const pc1 = allocator(new InMemoryCounterStore(), 1, () => MORNING);
    const pc2 = allocator(new InMemoryCounterStore(), 2, () => MORNING);
    const tickets = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? pc1 : pc2).issue('jht-claim')));
    expect(new Set(tickets.map((t) => t.number)).size).toBe(50);
  });

  it('gives concurrent callers on one store distinct, contiguous numbers (compare-and-set)', async () => {
    const store = new InMemoryCounterStore();
    const a = allocator(store, 1, () => MORNING);
    const b = allocator(store, 1, () => MORNING); // e.g. an old instance still running after a restart
    const tickets = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).issue('general')));
    expect(tickets.map((t) => t.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('gives up with CONTENTION instead of looping forever when the counter keeps moving', async () => {
    const stubborn: CounterStore = { get: () => Promise.resolve(5), compareAndSet: () => Promise.resolve(false) };
    await expect(createTicketAllocator({ store: stubborn, branchCode: 'JKT01', slot: 1, now: () => MORNING, maxAttempts: 3 }).issue('general')).rejects.toMatchObject({
      code: 'CONTENTION',
    });
  });

  it('refuses a corrupt stored counter rather than guessing', async () => {
    const corrupt: CounterStore = { get: () => Promise.resolve(-1), compareAndSet: () => Promise.resolve(true) };
    await expect(allocator(corrupt, 1, () => MORNING).issue('general')).rejects.toMatchObject({ code: 'CORRUPT_COUNTER' });
  });

  it.each([0, 10, -1, 1.5, Number.NaN])('rejects slot %s with a clear error', (slot) => {
    expectTicketError(() => allocator(new InMemoryCounterStore(), slot, () => MORNING), 'INVALID_SLOT');
    expect(() => allocator(new InMemoryCounterStore(), slot, () => MORNING)).toThrow(/slot .* from 1 to 9/);
  });

  it('rejects an unknown service with a clear error', async () => {
    const pc = allocator(new InMemoryCounterStore(), 1, () => MORNING);
    await expect(pc.issue('JHT_CLAIM')).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE', message: expect.stringContaining('Unknown service "JHT_CLAIM"') as unknown });
    await expect(pc.issue('toString')).rejects.toMatchObject({ code: 'UNKNOWN_SERVICE' });
  });

  it('rejects a letter map where two services share a letter, or a letter is not A–Z', () => {
    const base = { store: new InMemoryCounterStore(), branchCode: 'JKT01', slot: 1, now: () => MORNING };
    expectTicketError(() => createTicketAllocator({ ...base, letters: { JHT_CLAIM: 'A', INFO: 'A' } }), 'INVALID_LETTERS');
    expectTicketError(() => createTicketAllocator({ ...base, letters: { JHT_CLAIM: 'a' } }), 'INVALID_LETTERS');
    expectTicketError(() => createTicketAllocator({ ...base, letters: { JHT_CLAIM: 'AB' } }), 'INVALID_LETTERS');
    expectTicketError(() => createTicketAllocator({ ...base, branchCode: 'jkt 01' }), 'INVALID_BRANCH');
  });

  it('uses a custom letter map', async () => {
    const pc = createTicketAllocator({ store: new InMemoryCounterStore(), branchCode: 'JKT01', slot: 4, now: () => MORNING, letters: { JHT_CLAIM: 'A', BPU_RESIGNATION: 'B', JMO_RESET: 'C', INFO: 'D' } });
    expect((await pc.issue('INFO')).number).toBe('D4-001');
  });
});

// ---- property: random interleavings of issue / restart / crash on two PCs -----------------------

type Op =
  | { kind: 'issue'; pc: 0 | 1; service: string }
  | { kind: 'crash'; pc: 0 | 1; service: string } // reserved, then the app dies: the number is never used
  | { kind: 'lostAck'; pc: 0 | 1; service: string } // the write lands, the process dies before the reply
  | { kind: 'restart'; pc: 0 | 1 }
  | { kind: 'tick'; ms: number };

const pcArb = fc.constantFrom<0 | 1>(0, 1);
const serviceArb = fc.constantFrom(...SERVICES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('issue' as const), pc: pcArb, service: serviceArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), pc: pcArb, service: serviceArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lostAck' as const), pc: pcArb, service: serviceArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), pc: pcArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 8 * 60_000 }) }) },
);

describe('ticket numbers under random interleavings (property)', () => {
  it('two PCs with restarts and crashes: no number twice, per-slot sequences contiguous and increasing, reset each day', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(opArb, { minLength: 1, maxLength: 40 }), async (s, ops) => {
        const clock = fixedClock(Date.parse('2026-03-01T16:45:00Z')); // 23:45 WIB: runs cross midnight
        const pcs = ([1, 2] as const).map((slot) => {
          const disk = new InMemoryCounterStore(); // each PC has its own local store: they never talk
          const reservations: Array<{ key: string; seq: number }> = [];
          // Every store call resolves when the scheduler decides: arbitrary interleavings.
          const store: CounterStore = {
            get: s.scheduleFunction((k: string) => disk.get(k)),
            compareAndSet: s.scheduleFunction(async (k: string, e: number | null, n: number) => {
              const ok = await disk.compareAndSet(k, e, n);
              if (ok) reservations.push({ key: k, seq: n });
              return ok;
            }),
          };
          const lostAckStore: CounterStore = {
            get: (k) => store.get(k),
            compareAndSet: async (k, e, n) => {
              if (await store.compareAndSet(k, e, n)) throw new Error('crashed before the reply');
              return false;
            },
          };
          const make = () => createTicketAllocator({ store, branchCode: 'JKT01', slot, now: clock.now, maxAttempts: 1_000 });
          return { slot, disk, reservations, lostAckStore, current: make(), make };
        });

        const used: Array<Promise<IssuedTicket>> = [];
        const wasted: Array<Promise<unknown>> = [];
        for (const op of ops) {
          if (op.kind === 'tick') clock.advance(op.ms);
          else if (op.kind === 'restart') pcs[op.pc]!.current = pcs[op.pc]!.make();
          else if (op.kind === 'issue') used.push(pcs[op.pc]!.current.issue(op.service));
          else if (op.kind === 'crash') {
            wasted.push(pcs[op.pc]!.current.issue(op.service));
            pcs[op.pc]!.current = pcs[op.pc]!.make(); // the app restarts while the old call is in flight
          } else {
            const pc = pcs[op.pc]!;
            wasted.push(createTicketAllocator({ store: pc.lostAckStore, branchCode: 'JKT01', slot: pc.slot, now: clock.now, maxAttempts: 1_000 }).issue(op.service));
            pc.current = pc.make();
          }
        }
        await s.waitFor(Promise.allSettled([...used, ...wasted]));
        const usedTickets = await Promise.all(used);

        // 1. No number is handed out twice on one branch day, across both PCs.
        const seen = new Set(usedTickets.map((t) => `${t.day} ${t.number}`));
        expect(seen.size).toBe(usedTickets.length);
        for (const pc of pcs) {
          // 2. Every reservation of a counter is the previous one + 1, starting at 1 each day:
          //    monotonic, nothing reused, and crashes only skip numbers.
          const byKey = new Map<string, number[]>();
          for (const r of pc.reservations) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.seq]);
          for (const [key, seqs] of byKey) {
            expect(seqs, key).toEqual(seqs.map((_, i) => i + 1));
            expect(pc.disk.snapshot().get(key)).toBe(seqs.length);
          }
          // 3. Every number used by this PC was reserved by it, carries its slot, and its day's key.
          for (const t of usedTickets.filter((x) => x.slot === pc.slot)) {
            expect(byKey.get(counterKey('JKT01', t.day, t.service, pc.slot))).toContain(t.seq);
            expect(t.number.slice(1, 2)).toBe(String(pc.slot));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
