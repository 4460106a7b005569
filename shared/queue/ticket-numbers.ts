// Ticket numbers without a network (DESIGN.md §4 "Queue numbers offline").
//
// A number is `<service letter><slot>-<seq>`, e.g. `B2-017`: the service's letter, the issuing
// PC's slot in its branch (1–9, set at setup) and a per-day sequence, zero-padded to 3 digits and
// growing past 999 when a busy day needs it. Two PCs of one branch have different slots, so they
// can never issue the same number, with or without a network.
//
// Never reused: the counter for (branch, day, service, slot) is *reserved in the store before* the
// number is returned. A crash between the reservation and the printing of the ticket skips a
// number; it can never hand the same number out twice. The reservation is a compare-and-set, so
// two allocators over one store (a restart racing the old instance, two windows) cannot both take
// the same value.
//
// "Day" is the branch's calendar day (Asia/Jakarta, UTC+7, no daylight saving) of the injected
// clock, so the sequence starts again at 1 each local midnight.

import { BranchCode } from '../branch/schema';
import { SERVICE_LETTER } from '../cases/schema';
import { DEFAULT_BRANCH_ZONE, offsetOfZone, type CalendarDate } from '../dates';

/**
 * The persistence a ticket allocator needs: one integer per key.
 * Implementations must make `compareAndSet` atomic on the device (e.g. an RxDB document updated
 * with a revision check, or one IndexedDB readwrite transaction) and durable before it resolves
 * `true`.
 */
export interface CounterStore {
  /** The last reserved sequence for `key`, or null if none was ever reserved. */
  get(key: string): Promise<number | null>;
  /** Sets `key` to `next` only if it currently holds `expected` (null = absent). True if it did. */
  compareAndSet(key: string, expected: number | null, next: number): Promise<boolean>;
}

/** A CounterStore in memory, for tests and for the in-browser preview. */
export class InMemoryCounterStore implements CounterStore {
  private readonly values = new Map<string, number>();

  get(key: string): Promise<number | null> {
    return Promise.resolve(this.values.get(key) ?? null);
  }

  compareAndSet(key: string, expected: number | null, next: number): Promise<boolean> {
    const current = this.values.get(key) ?? null;
    if (current !== expected) return Promise.resolve(false);
    this.values.set(key, next);
    return Promise.resolve(true);
  }

  /** Every stored counter (for tests and diagnostics). */
  snapshot(): ReadonlyMap<string, number> {
    return new Map(this.values);
  }
}

/** Service → one uppercase letter. */
export type ServiceLetters = Readonly<Record<string, string>>;

/** A = JHT claim, B = BPU resignation, C = JMO reset, D = general/info (shared/cases/schema). */
export const DEFAULT_SERVICE_LETTERS: ServiceLetters = SERVICE_LETTER;

export const MIN_SLOT = 1;
export const MAX_SLOT = 9;

export type TicketNumberErrorCode = 'INVALID_SLOT' | 'UNKNOWN_SERVICE' | 'INVALID_LETTERS' | 'INVALID_BRANCH' | 'INVALID_CLOCK' | 'CORRUPT_COUNTER' | 'CONTENTION';

export class TicketNumberError extends Error {
  override readonly name = 'TicketNumberError';
  readonly code: TicketNumberErrorCode;
  constructor(code: TicketNumberErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface IssuedTicket {
  /** e.g. `B2-017` */
  number: string;
  service: string;
  letter: string;
  slot: number;
  seq: number;
  /** The branch's calendar day the number belongs to, `YYYY-MM-DD`. */
  day: CalendarDate;
  branchCode: string;
  /** The instant of issue, as given by the injected clock (ISO-8601, UTC). */
  issuedAt: string;
}

export interface ParsedTicketNumber {
  letter: string;
  slot: number;
  seq: number;
  /** The service the letter stands for in the given map, or null if the map has no such letter. */
  service: string | null;
}

export interface TicketAllocatorOptions {
  store: CounterStore;
  branchCode: string;
  /** This PC's slot in its branch, 1–9. */
  slot: number;
  /** The clock; injected so tests and replays are deterministic. */
  now: () => Date | number;
  /** Service → letter; defaults to DEFAULT_SERVICE_LETTERS. */
  letters?: ServiceLetters;
  /** Compare-and-set retries before giving up with CONTENTION (default 16). */
  maxAttempts?: number;
  /** The branch zone's UTC offset in minutes, read at each call (the zone may become known later); WIB by default. */
  zoneOffset?: () => number;
}

export interface TicketAllocator {
  readonly branchCode: string;
  readonly slot: number;
  /** Reserves and returns the next number for `service` today. */
  issue(service: string): Promise<IssuedTicket>;
  /** The number the next `issue(service)` would most likely give (not reserved; for display). */
  peek(service: string): Promise<string>;
}

const LETTER_RE = /^[A-Z]$/;
const NUMBER_RE = /^([A-Z])([1-9])-(\d{3}|[1-9]\d{3,})$/;

function assertSlot(slot: number): void {
  if (!Number.isInteger(slot) || slot < MIN_SLOT || slot > MAX_SLOT) {
    throw new TicketNumberError('INVALID_SLOT', `Invalid PC slot ${String(slot)}: a slot is a whole number from ${MIN_SLOT} to ${MAX_SLOT}, set once at setup.`);
  }
}

/** Checks that every letter is one uppercase A–Z letter and that no two services share one. */
export function assertServiceLetters(letters: ServiceLetters): void {
  const seen = new Map<string, string>();
  const entries = Object.entries(letters);
  if (entries.length === 0) throw new TicketNumberError('INVALID_LETTERS', 'The service letter map is empty.');
  for (const [service, letter] of entries) {
    if (!LETTER_RE.test(letter)) {
      throw new TicketNumberError('INVALID_LETTERS', `Service "${service}" has letter "${letter}": a service letter is one uppercase letter A–Z.`);
    }
    const other = seen.get(letter);
    if (other !== undefined) {
      throw new TicketNumberError('INVALID_LETTERS', `Services "${other}" and "${service}" share the letter ${letter}: their numbers would collide.`);
    }
    seen.set(letter, service);
  }
}

function letterOf(letters: ServiceLetters, service: string): string {
  const letter = Object.hasOwn(letters, service) ? letters[service] : undefined;
  if (letter === undefined) {
    throw new TicketNumberError('UNKNOWN_SERVICE', `Unknown service "${service}": no ticket letter is configured for it (known: ${Object.keys(letters).join(', ')}).`);
  }
  return letter;
}

function instantOf(now: () => Date | number): number {
  const t = now();
  const ms = typeof t === 'number' ? t : t.getTime();
  if (!Number.isFinite(ms)) throw new TicketNumberError('INVALID_CLOCK', 'The clock returned an invalid time.');
  return ms;
}

/** The branch's calendar day of an instant, at the branch zone's UTC offset in minutes (WIB by default). */
export function branchDayOf(at: Date | number, offsetMinutes: number = offsetOfZone(DEFAULT_BRANCH_ZONE)): CalendarDate {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new TicketNumberError('INVALID_CLOCK', 'Not a valid instant.');
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The store key of one counter: `branch/day/service/slot`. */
export function counterKey(branchCode: string, day: CalendarDate, service: string, slot: number): string {
  return `${branchCode}/${day}/${service}/${slot}`;
}

/** `B2-017`; the sequence is padded to 3 digits and grows beyond 999. */
export function formatTicketNumber(letter: string, slot: number, seq: number): string {
  if (!LETTER_RE.test(letter)) throw new TicketNumberError('INVALID_LETTERS', `"${letter}" is not a service letter (one uppercase letter A–Z).`);
  assertSlot(slot);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new TicketNumberError('CORRUPT_COUNTER', `Invalid sequence ${String(seq)}: sequences start at 1.`);
  return `${letter}${slot}-${String(seq).padStart(3, '0')}`;
}

/**
 * Reads a ticket number such as `B2-017` (surrounding spaces and lowercase tolerated).
 * Returns null for anything that is not a well-formed number: only the canonical form is accepted,
 * so `formatTicketNumber` of the result gives back the same text.
 */
export function parseTicketNumber(text: string, letters: ServiceLetters = DEFAULT_SERVICE_LETTERS): ParsedTicketNumber | null {
  const m = NUMBER_RE.exec(text.trim().toUpperCase());
  if (!m) return null;
  const [, letter = '', slotText = '', seqText = ''] = m;
  const seq = Number(seqText);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  const service = Object.entries(letters).find(([, l]) => l === letter)?.[0] ?? null;
  return { letter, slot: Number(slotText), seq, service };
}

/**
 * An allocator for one PC. Create a new one after every restart over the same store: it carries
 * no state of its own, the store is the only truth.
 */
export function createTicketAllocator(options: TicketAllocatorOptions): TicketAllocator {
  const { store, branchCode, slot, now } = options;
  const letters = options.letters ?? DEFAULT_SERVICE_LETTERS;
  const maxAttempts = options.maxAttempts ?? 16;
  const zoneOffset = options.zoneOffset ?? (() => offsetOfZone(DEFAULT_BRANCH_ZONE));
  if (!BranchCode.safeParse(branchCode).success) {
    throw new TicketNumberError('INVALID_BRANCH', `Invalid branch code "${branchCode}": 3–8 uppercase letters or digits.`);
  }
  assertSlot(slot);
  assertServiceLetters(letters);

  async function current(key: string): Promise<number | null> {
    const value = await store.get(key);
    if (value !== null && (!Number.isSafeInteger(value) || value < 0)) {
      throw new TicketNumberError('CORRUPT_COUNTER', `The stored counter ${key} holds ${String(value)}, not a sequence; refusing to guess a number.`);
    }
    return value;
  }

  // Calls on one allocator run one after another, so they never race each other's compare-and-set
  // (which would make a busy PC retry for nothing); the compare-and-set still guards against other
  // allocators over the same store.
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    branchCode,
    slot,
    async issue(service) {
      // Validated and clocked at call time (before any await), so the number belongs to the moment
      // of the request even when it waits behind others.
      const letter = letterOf(letters, service);
      const at = instantOf(now);
      return serially(() => reserve(service, letter, at));
    },
    async peek(service) {
      const letter = letterOf(letters, service);
      const day = branchDayOf(instantOf(now), zoneOffset());
      const last = await current(counterKey(branchCode, day, service, slot));
      return formatTicketNumber(letter, slot, (last ?? 0) + 1);
    },
  };

  async function reserve(service: string, letter: string, at: number): Promise<IssuedTicket> {
    const day = branchDayOf(at, zoneOffset());
    const key = counterKey(branchCode, day, service, slot);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const last = await current(key);
      const seq = (last ?? 0) + 1;
      // Reserve first: once this resolves true, the number is ours even if we crash right after.
      if (await store.compareAndSet(key, last, seq)) {
        return { number: formatTicketNumber(letter, slot, seq), service, letter, slot, seq, day, branchCode, issuedAt: new Date(at).toISOString() };
      }
    }
    throw new TicketNumberError('CONTENTION', `Could not reserve a number for ${key} after ${maxAttempts} attempts: another writer keeps changing the counter.`);
  }
}
