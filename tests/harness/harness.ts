// The real data layer (renderer/src/data/db) in real Chromium, driven by Playwright through
// `window.harness`. Built by build.ts and served by server.ts under the app's CSP.
import { cspViolations } from './csp-watch';
import { benchCounter, type CounterStats } from './counter';
import { SERVICES } from '@shared/cases/schema';
import { CaseJournal } from '../../renderer/src/data/db/case-journal';
import { COLLECTIONS, openDatabase, type CaseDatabase } from '../../renderer/src/data/db/database';
import { TICKET_STATUSES, ticketSchema, type CaseDoc, type TicketDoc } from '../../renderer/src/data/db/schemas';
import { createNikHasher } from '../../renderer/src/data/nik-hash';
import { journalMirror, setWriteMirror } from '../../renderer/src/data/db/write-mirror';
import { createCallSocket, type CallSocketClient } from '../../renderer/src/bridge/call-socket';
import type { IpcResult } from '@shared/ipc/result';
import { getKeyRangeByQueryPlan } from 'rxdb/plugins/storage-dexie';
import { deriveDocKey, openSealed, sealFields } from '../../renderer/src/data/db/field-encryption';
import { issuedAtAround, TicketCalls } from '../../renderer/src/data/db/ticket-calls';
import { callOrder } from '@shared/queue/call-order';
import { localDateOf } from '@shared/dates';
import { BRANCH, HARNESS_KEY, JOURNAL_NOW, JOURNEY_TYPES, RESET_JOURNEY, TICKET_DAYS, person, ticket } from './journey';

/** One acknowledged write: case `id` has at least `len` journal events (0 = the case was opened). */
export type Ack = [id: string, len: number];

export interface OpenResult {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface VerifyResult {
  /** Journal length of every asked-for case as stored now; -1 when the case is missing. */
  lengths: Record<string, number>;
  /** Cases whose stored document is not a consistent prefix of the journey. */
  broken: { id: string; reason: string }[];
  /** restoreOpen(): open cases replayed and compared with their snapshot. */
  restored: number;
  flagged: { id: string; reason: string }[];
  casesInDb: number;
  ms: number;
}

export interface WriteStats {
  /** One duration per journal append, in order (ms). */
  appendMs: number[];
  /** One duration per case open (ms). */
  openMs: number[];
  /** Mean JSON size of the case document after each append (plaintext, bytes). */
  meanDocBytes: number;
}

export interface QueryStats {
  ms: number[];
  meanResults: number;
  distinctQueries: number;
}

export interface HarnessApi {
  ready: true;
  crossOriginIsolated: boolean;
  cspViolations: string[];
  /**
   * Opens the app's database. `ticketsUnencrypted` is a diagnostic only: the same collections but
   * the tickets schema with encryption explicitly off (v2 tickets carry no personal data anyway).
   */
  /** `journal: true` acknowledges through main's journal over the browser-mode socket, as the app does; `'http'` over one POST per append. */
  open(name: string, options?: { ticketsUnencrypted?: boolean; journal?: boolean | 'http' }): Promise<OpenResult>;
  close(): Promise<void>;
  /**
   * Opens (creating it the first time) a one-store sentinel database before anything else touches
   * IndexedDB. Chromium reports a backing store it deleted as corrupt on the first open after it:
   * `upgradeneeded` with the non-standard `dataLoss: 'total'` and `dataLossMessage`.
   */
  dataLossProbe(): Promise<{ created: boolean; dataLoss: string; dataLossMessage: string }>;
  verify(cases: string[]): Promise<VerifyResult>;
  /**
   * Writes until stopped (or `maxWrites`): continues open cases from their stored journal, then
   * opens new ones `<prefix>-<n>`. After each write resolves it calls `window.loketAck`.
   */
  startWriting(prefix: string, maxWrites: number): Promise<void>;
  benchWrites(cases: number, prefix: string): Promise<WriteStats>;
  /** `n` POSTs of a case-sized body to a no-op endpoint of the harness server: the transport's own round trip. */
  benchPing(n: number, bytes: number, transport?: 'http' | 'socket'): Promise<{ ms: number[] }>;
  /** `writers` desks appending at once, each to its own cases: what group commit is for. */
  benchConcurrentWrites(cases: number, prefix: string, writers: number): Promise<{ appendMs: number[]; ms: number }>;
  rawWriteBaseline(dbName: string): Promise<{ ms: number[] }>;
  seedTickets(total: number, chunk: number): Promise<{ ms: number; count: number }>;
  rawSeedTickets(dbName: string, total: number, chunk: number): Promise<{ ms: number; count: number }>;
  queryPlan(n: number, seed: number): QueryParams[];
  benchQueries(plan: QueryParams[]): Promise<QueryStats>;
  rawBenchQueries(dbName: string, plan: QueryParams[]): Promise<QueryStats>;
  /** `n` reads of the counter's queue as the app makes them: a service at a time of one of the ticket days. */
  queueReadPlan(n: number, seed: number): QueueRead[];
  /** TicketCalls.waiting(service) (what "call next" reads) at each planned time, RxDB's query cache emptied before each. */
  benchQueueReads(plan: QueueRead[]): Promise<QueueReadStats>;
  /** The same answer from raw IndexedDB: the same index ranges read with getAll in one transaction, the same filter and call order. */
  rawQueueReads(dbName: string, plan: QueueRead[]): Promise<QueueReadStats>;
  /** The app's field encryption of one case document: sealing and opening its personal fields (one AES-GCM value), one at a time and `batch` at once. */
  benchSealing(n: number, batch: number): Promise<SealingStats>;
  /** Where a queue query's time goes: per query, RxDB's whole exec, its storage query alone, and a native getAll on RxDB's own IndexedDB database. */
  queueBreakdown(plan: QueryParams[]): Promise<QueueBreakdown>;
  /** The counter's speed: `cases` JHT claims with two KPJs opened and taken through every step as the desk's screens do (counter.ts). */
  benchCounter(cases: number, prefix: string): Promise<CounterStats>;
}

export interface QueueRead {
  service: string;
  now: string;
}

export interface QueueReadStats {
  ms: number[];
  /** Tickets answered per read, in plan order (both stacks must agree). */
  counts: number[];
  /** Ids of the first read's answer, in call order. */
  firstIds: string[];
}

export interface SealingStats {
  /** Bytes of the JSON sealed per document (a jmo-reset case's person, input, events and snapshot). */
  jsonBytes: number;
  seal: number[];
  open: number[];
  /** `batch` documents sealed at once (as a bulk write does), then opened at once: ms per document. */
  batch: number;
  batchSealMsPerDoc: number;
  batchOpenMsPerDoc: number;
}

export interface QueueBreakdown {
  /** db.tickets.find(...).exec(): query object, cache lookup, storage, RxDocuments. */
  rxdbExec: number[];
  /** The collection's storage instance's query alone (validation and encryption wrappers over Dexie's cursor). */
  storageQuery: number[];
  /** IDBIndex.getAll with the same key range and limit on the index RxDB's plan chose, in RxDB's own database. */
  nativeGetAllSameDb: number[];
  /** The plan RxDB chose for the first query. */
  index: string[];
  selectorSatisfiedByIndex: boolean;
  sortSatisfiedByIndex: boolean;
}

export interface QueryParams {
  service: string;
  status: string;
  from: string;
  to: string;
}

declare global {
  interface Window {
    harness: HarnessApi;
    /** A CDP binding (Runtime.addBinding) from the Node side in durability runs: JSON of an Ack. */
    loketAck?: (payload: string) => void;
  }
}

let db: CaseDatabase | null = null;
let journal: CaseJournal | null = null;
let lastDocs: CaseDoc[] = [];

function need(): { db: CaseDatabase; journal: CaseJournal } {
  if (!db || !journal) throw new Error('harness: open() first');
  return { db, journal };
}

const errText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** The harness server's journal endpoint over HTTP (one POST per append: browser mode before the socket). */
async function journalAppendHttp(request: unknown): Promise<IpcResult<{ seq: number }>> {
  try {
    const res = await fetch('/journal/append', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    return (await res.json()) as never;
  } catch (e) {
    return { ok: false, error: { code: 'UNAVAILABLE', message: errText(e) } };
  }
}

/** The same over the app's browser-mode socket (renderer/src/bridge/call-socket.ts), as the app does. */
let socket: CallSocketClient | null = null;
function sock(): CallSocketClient {
  socket ??= createCallSocket(new URL('/api/socket', location.href.replace(/^http/, 'ws')).href, (channel, request) =>
    channel === 'journal.append' ? journalAppendHttp(request) : Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'no socket' } }),
  );
  return socket;
}
const journalAppendSocket = (request: unknown) => sock().call('journal.append', request) as Promise<IpcResult<{ seq: number }>>;

async function open(name: string, options: { ticketsUnencrypted?: boolean; journal?: boolean | 'http' } = {}): Promise<OpenResult> {
  const t = performance.now();
  try {
    const collections = options.ticketsUnencrypted ? { ...COLLECTIONS, tickets: { ...COLLECTIONS.tickets, schema: { ...ticketSchema, encrypted: [] } } } : undefined;
    db = await openDatabase({ name, key: HARNESS_KEY, ...(collections ? { collections } : {}) });
    // As the app does: a write is acknowledged only once main's journal has it on disk.
    if (options.journal) setWriteMirror(db, journalMirror(options.journal === 'http' ? journalAppendHttp : journalAppendSocket));
    journal = new CaseJournal(db, await createNikHasher(HARNESS_KEY), BRANCH, () => new Date(JOURNAL_NOW));
    // Touch every collection so a damaged store fails here, not later.
    const c = db.collections;
    await Promise.all([c.config.count().exec(), c.counters.count().exec(), c.staff.count().exec(), c.tickets.count().exec(), db.cases.count().exec(), c.refusals.count().exec(), c.transfers.count().exec(), c.audit.count().exec()]);
    return { ok: true, ms: performance.now() - t };
  } catch (e) {
    return { ok: false, ms: performance.now() - t, error: errText(e) };
  }
}

function journeyProblem(doc: CaseDoc): string | null {
  if (doc.events.length !== doc.journalLength) return `journalLength ${doc.journalLength} but ${doc.events.length} events`;
  if (doc.journalLength > JOURNEY_TYPES.length) return `journal longer than the journey (${doc.journalLength})`;
  for (const [i, e] of doc.events.entries()) if (e.type !== JOURNEY_TYPES[i]) return `event ${i} is ${String(e.type)}, expected ${JOURNEY_TYPES[i]}`;
  const expected = doc.journalLength === JOURNEY_TYPES.length ? 'closed' : 'open';
  if (doc.status !== expected) return `status ${doc.status} at journal length ${doc.journalLength}`;
  return null;
}

async function verify(ids: string[]): Promise<VerifyResult> {
  const t = performance.now();
  const { db, journal } = need();
  const report = await journal.restoreOpen();
  const found = await db.cases.findByIds(ids).exec();
  const lengths: Record<string, number> = {};
  const broken: VerifyResult['broken'] = [];
  for (const id of ids) {
    const doc = found.get(id);
    if (!doc) {
      lengths[id] = -1;
      continue;
    }
    const data = doc.toJSON() as CaseDoc;
    lengths[id] = data.journalLength;
    const problem = journeyProblem(data);
    if (problem) broken.push({ id, reason: problem });
  }
  const casesInDb = await db.cases.count().exec();
  return { lengths, broken, restored: report.restored.length, flagged: report.flagged, casesInDb, ms: performance.now() - t };
}

async function startWriting(prefix: string, maxWrites: number): Promise<void> {
  const { db, journal } = need();
  const ack = (id: string, len: number) => window.loketAck?.(JSON.stringify([id, len] satisfies Ack));
  // Resume where the officer left off: open cases first, in their stored journal state.
  const open = await db.cases.find({ selector: { status: 'open' } }).exec();
  const queue = open.map((d) => ({ id: d.id, len: d.journalLength }));
  let n = 0;
  let current: { id: string; len: number } | null = null;
  for (let writes = 0; writes < maxWrites; writes++) {
    if (!current || current.len >= RESET_JOURNEY.length) {
      const next = queue.shift();
      if (next) current = next;
      else {
        const id = `${prefix}-${String(++n).padStart(4, '0')}`;
        await journal.open({ id, flow: 'jmo-reset', person: person(n) });
        current = { id, len: 0 };
        ack(id, 0);
        continue;
      }
    }
    const r = await journal.append(current.id, RESET_JOURNEY[current.len]);
    if (!r.ok) throw new Error(`append to ${current.id} at ${current.len} refused: ${JSON.stringify(r.rejection)}`);
    current.len = r.doc.journalLength;
    ack(current.id, current.len);
  }
}

async function benchWrites(cases: number, prefix: string): Promise<WriteStats> {
  const { journal } = need();
  const appendMs: number[] = [];
  const openMs: number[] = [];
  let bytes = 0;
  lastDocs = [];
  for (let c = 0; c < cases; c++) {
    const id = `${prefix}-${String(c + 1).padStart(5, '0')}`;
    let t = performance.now();
    await journal.open({ id, flow: 'jmo-reset', person: person(c + 1) });
    openMs.push(performance.now() - t);
    for (const event of RESET_JOURNEY) {
      t = performance.now();
      const r = await journal.append(id, event);
      appendMs.push(performance.now() - t);
      if (!r.ok) throw new Error(`append refused: ${JSON.stringify(r.rejection)}`);
      lastDocs.push(r.doc);
      bytes += JSON.stringify(r.doc).length;
    }
  }
  return { appendMs, openMs, meanDocBytes: bytes / Math.max(1, lastDocs.length) };
}

async function benchPing(n: number, bytes: number, transport: 'http' | 'socket' = 'http'): Promise<{ ms: number[] }> {
  const request = { entries: [{ collection: 'cases', id: 'ping', doc: { id: 'ping', pad: 'x'.repeat(bytes) } }] };
  const body = JSON.stringify(request);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    if (transport === 'socket') await sock().call('journal.ping', request);
    else await (await fetch('/journal/ping', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
    ms.push(performance.now() - t);
  }
  return { ms };
}

async function benchConcurrentWrites(cases: number, prefix: string, writers: number): Promise<{ appendMs: number[]; ms: number }> {
  const { journal } = need();
  const appendMs: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let c = 0; c < cases; c++) {
        const id = `${prefix}-${w}-${String(c + 1).padStart(5, '0')}`;
        await journal.open({ id, flow: 'jmo-reset', person: person(w * cases + c + 1) });
        for (const event of RESET_JOURNEY) {
          const t = performance.now();
          const r = await journal.append(id, event);
          appendMs.push(performance.now() - t);
          if (!r.ok) throw new Error(`append refused: ${JSON.stringify(r.rejection)}`);
        }
      }
    }),
  );
  return { appendMs, ms: performance.now() - t0 };
}

function idb<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IDB transaction aborted'));
  });
}

const rawDbs = new Map<string, IDBDatabase>();
async function rawDb(name: string): Promise<IDBDatabase> {
  const cached = rawDbs.get(name);
  if (cached) return cached;
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => {
    const raw = req.result;
    raw.createObjectStore('cases', { keyPath: 'id' });
    raw.createObjectStore('tickets', { keyPath: 'id' }).createIndex('queue', ['branchCode', 'service', 'status', 'issuedAt']);
  };
  const raw = await idb(req);
  rawDbs.set(name, raw);
  return raw;
}

/** One awaited put per document written in benchWrites (the same documents, same sizes). */
async function rawWriteBaseline(dbName: string): Promise<{ ms: number[] }> {
  const raw = await rawDb(dbName);
  const ms: number[] = [];
  for (const doc of lastDocs) {
    const t = performance.now();
    const tx = raw.transaction('cases', 'readwrite');
    tx.objectStore('cases').put(doc);
    await done(tx);
    ms.push(performance.now() - t);
  }
  return { ms };
}

async function seedTickets(total: number, chunk: number): Promise<{ ms: number; count: number }> {
  const { db } = need();
  const t = performance.now();
  for (let start = 0; start < total; start += chunk) {
    const docs = [];
    for (let i = start; i < Math.min(total, start + chunk); i++) docs.push(ticket(i, total));
    const r = await db.tickets.bulkInsert(docs);
    if (r.error.length) throw new Error(`bulkInsert: ${r.error.length} errors, first ${JSON.stringify(r.error[0])}`);
  }
  return { ms: performance.now() - t, count: await db.tickets.count().exec() };
}

async function rawSeedTickets(dbName: string, total: number, chunk: number): Promise<{ ms: number; count: number }> {
  const raw = await rawDb(dbName);
  const t = performance.now();
  for (let start = 0; start < total; start += chunk) {
    const tx = raw.transaction('tickets', 'readwrite');
    const store = tx.objectStore('tickets');
    for (let i = start; i < Math.min(total, start + chunk); i++) store.put(ticket(i, total));
    await done(tx);
  }
  const ms = performance.now() - t;
  return { ms, count: await idb(raw.transaction('tickets').objectStore('tickets').count()) };
}

/** A deterministic PRNG so both stacks get the same query sequence. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * `n` distinct queue queries: a random service, status, day and a 3-hour window starting at a
 * random minute within service hours. No two are identical, so RxDB's query cache never answers.
 */
function queryPlan(n: number, seed: number): QueryParams[] {
  const rand = rng(seed);
  const seen = new Set<string>();
  const plan: QueryParams[] = [];
  for (let guard = 0; plan.length < n && guard < n * 20; guard++) {
    const service = SERVICES[Math.floor(rand() * SERVICES.length)]!;
    const status = TICKET_STATUSES[Math.floor(rand() * TICKET_STATUSES.length)]!;
    const day = TICKET_DAYS[Math.floor(rand() * TICKET_DAYS.length)]!;
    const startMin = Math.floor(rand() * 4 * 60); // 08:00–12:00 WIB
    const from = new Date(Date.parse(`${day}T01:00:00Z`) + startMin * 60_000).toISOString();
    const to = new Date(Date.parse(from) + 3 * 3_600_000).toISOString();
    const key = `${service}|${status}|${from}`;
    if (seen.has(key)) continue;
    seen.add(key);
    plan.push({ service, status, from, to });
  }
  return plan;
}

async function benchQueries(plan: QueryParams[]): Promise<QueryStats> {
  const { db } = need();
  const ms: number[] = [];
  let results = 0;
  for (const q of plan) {
    const t = performance.now();
    const docs = await db.tickets
      .find({
        selector: { branchCode: BRANCH, service: q.service as never, status: q.status as never, issuedAt: { $gte: q.from, $lt: q.to } },
        sort: [{ issuedAt: 'asc' }],
        limit: 50,
      })
      .exec();
    ms.push(performance.now() - t);
    results += docs.length;
  }
  return { ms, meanResults: results / Math.max(1, plan.length), distinctQueries: new Set(plan.map((q) => JSON.stringify(q))).size };
}

async function rawBenchQueries(dbName: string, plan: QueryParams[]): Promise<QueryStats> {
  const raw = await rawDb(dbName);
  const ms: number[] = [];
  let results = 0;
  for (const q of plan) {
    const t = performance.now();
    const range = IDBKeyRange.bound([BRANCH, q.service, q.status, q.from], [BRANCH, q.service, q.status, q.to], false, true);
    const docs = await idb(raw.transaction('tickets').objectStore('tickets').index('queue').getAll(range, 50));
    ms.push(performance.now() - t);
    results += docs.length;
  }
  return { ms, meanResults: results / Math.max(1, plan.length), distinctQueries: new Set(plan.map((q) => JSON.stringify(q))).size };
}

function queueReadPlan(n: number, seed: number): QueueRead[] {
  const rand = rng(seed);
  return Array.from({ length: n }, () => {
    const service = SERVICES[Math.floor(rand() * SERVICES.length)]!;
    const day = TICKET_DAYS[Math.floor(rand() * TICKET_DAYS.length)]!;
    const minute = Math.floor(rand() * 7 * 60); // 08:00–15:00 WIB
    return { service, now: new Date(Date.parse(`${day}T01:00:00Z`) + minute * 60_000).toISOString() };
  });
}

async function benchQueueReads(plan: QueueRead[]): Promise<QueueReadStats> {
  const { db } = need();
  const out: QueueReadStats = { ms: [], counts: [], firstIds: [] };
  const cache = (db.tickets as unknown as { _queryCache: { _map: Map<string, unknown> } })._queryCache._map;
  for (const r of plan) {
    const calls = new TicketCalls(db, null, BRANCH, 'bench-desk', () => new Date(r.now));
    cache.clear(); // every read goes to the storage, as the first after a change does
    const t = performance.now();
    const waiting = await calls.waiting(r.service as never);
    out.ms.push(performance.now() - t);
    out.counts.push(waiting.length);
    if (out.firstIds.length === 0) out.firstIds = waiting.map((w) => w.id);
  }
  return out;
}

async function rawQueueReads(dbName: string, plan: QueueRead[]): Promise<QueueReadStats> {
  const raw = await rawDb(dbName);
  const out: QueueReadStats = { ms: [], counts: [], firstIds: [] };
  for (const r of plan) {
    const t = performance.now();
    const today = localDateOf(r.now);
    const around = issuedAtAround(today);
    const index = raw.transaction('tickets').objectStore('tickets').index('queue');
    const [walkIns, booked] = await Promise.all([
      idb(index.getAll(IDBKeyRange.bound([BRANCH, r.service, 'waiting', around.$gte], [BRANCH, r.service, 'waiting', around.$lt], false, true))),
      idb(index.getAll(IDBKeyRange.bound([BRANCH, r.service, 'waiting'], [BRANCH, r.service, 'waiting', []]))),
    ]);
    const byId = new Map<string, TicketDoc>();
    for (const d of walkIns as TicketDoc[]) if (d.day === today) byId.set(d.id, d);
    for (const d of booked as TicketDoc[]) if (d.appointment?.date === today) byId.set(d.id, d);
    const waiting = callOrder([...byId.values()], r.now).slice(0, 200);
    out.ms.push(performance.now() - t);
    out.counts.push(waiting.length);
    if (out.firstIds.length === 0) out.firstIds = waiting.map((w) => w.id);
  }
  return out;
}

async function benchSealing(n: number, batch: number): Promise<SealingStats> {
  const { db, journal } = need();
  const id = `SEAL-${Date.now()}`;
  await journal.open({ id, flow: 'jmo-reset', person: person(1) });
  for (const event of RESET_JOURNEY.slice(0, -1)) await journal.append(id, event);
  const doc = (await db.cases.findOne(id).exec())!.toMutableJSON();
  const json = JSON.stringify({ person: doc.person, input: doc.input, events: doc.events, snapshot: doc.snapshot });
  const key = await deriveDocKey(HARNESS_KEY, 'cases');
  const out: SealingStats = { jsonBytes: json.length, seal: [], open: [], batch, batchSealMsPerDoc: 0, batchOpenMsPerDoc: 0 };
  for (let i = 0; i < n; i++) {
    const where = { collection: 'cases', id: `${id}-${i}` };
    let t = performance.now();
    const sealed = await sealFields(key, where, json);
    out.seal.push(performance.now() - t);
    t = performance.now();
    JSON.parse(await openSealed(key, where, sealed));
    out.open.push(performance.now() - t);
  }
  const wheres = Array.from({ length: batch }, (_, i) => ({ collection: 'cases', id: `${id}-b${i}` }));
  let t = performance.now();
  const sealedAll = await Promise.all(wheres.map((w) => sealFields(key, w, json)));
  out.batchSealMsPerDoc = (performance.now() - t) / batch;
  t = performance.now();
  await Promise.all(wheres.map(async (w, i) => JSON.parse(await openSealed(key, w, sealedAll[i])) as unknown));
  out.batchOpenMsPerDoc = (performance.now() - t) / batch;
  return out;
}

/** The queue query of benchQueries as RxDB's mango query. */
function queueMango(q: QueryParams) {
  return {
    selector: { branchCode: BRANCH, service: q.service as never, status: q.status as never, issuedAt: { $gte: q.from, $lt: q.to } },
    sort: [{ issuedAt: 'asc' as const }],
    limit: 50,
  };
}

async function queueBreakdown(plan: QueryParams[]): Promise<QueueBreakdown> {
  const { db } = need();
  const out: QueueBreakdown = { rxdbExec: [], storageQuery: [], nativeGetAllSameDb: [], index: [], selectorSatisfiedByIndex: false, sortSatisfiedByIndex: false };
  const native = await idb(indexedDB.open(`rxdb-dexie-${db.name}--${db.tickets.schema.version}--tickets`));
  try {
    for (const q of plan) {
      let t = performance.now();
      await db.tickets.find(queueMango(q)).exec();
      out.rxdbExec.push(performance.now() - t);
      // A fresh query object each time: its prepared form is what RxDB hands the storage.
      const prepared = db.tickets.find(queueMango(q)).getPreparedQuery();
      t = performance.now();
      await db.tickets.storageInstance.query(prepared);
      out.storageQuery.push(performance.now() - t);
      const qp = prepared.queryPlan;
      const indexName = `[${qp.index.join('+')}]`;
      t = performance.now();
      await idb(native.transaction('docs').objectStore('docs').index(indexName).getAll(getKeyRangeByQueryPlan(['_deleted'], qp, IDBKeyRange) as IDBKeyRange, 50));
      out.nativeGetAllSameDb.push(performance.now() - t);
      if (out.index.length === 0) Object.assign(out, { index: qp.index, selectorSatisfiedByIndex: qp.selectorSatisfiedByIndex, sortSatisfiedByIndex: qp.sortSatisfiedByIndex });
    }
  } finally {
    native.close();
  }
  return out;
}

function dataLossProbe(): Promise<{ created: boolean; dataLoss: string; dataLossMessage: string }> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('loket-sentinel', 1);
    let result = { created: false, dataLoss: 'none', dataLossMessage: '' };
    req.onupgradeneeded = (e) => {
      // Chromium-only attributes of IDBVersionChangeEvent.
      const ev = e as IDBVersionChangeEvent & { dataLoss?: string; dataLossMessage?: string };
      result = { created: true, dataLoss: ev.dataLoss ?? 'unknown', dataLossMessage: ev.dataLossMessage ?? '' };
      req.result.createObjectStore('s');
    };
    req.onsuccess = () => {
      req.result.close();
      resolve(result);
    };
    req.onerror = () => reject(req.error ?? new Error('sentinel open failed'));
  });
}

window.harness = {
  ready: true,
  crossOriginIsolated: globalThis.crossOriginIsolated,
  cspViolations,
  open,
  close: async () => {
    if (db && !db.closed) await db.close();
    db = null;
    journal = null;
  },
  dataLossProbe,
  verify,
  startWriting,
  benchWrites,
  benchConcurrentWrites,
  benchPing,
  rawWriteBaseline,
  seedTickets,
  rawSeedTickets,
  queryPlan,
  benchQueries,
  rawBenchQueries,
  queueBreakdown,
  queueReadPlan,
  benchQueueReads,
  rawQueueReads,
  benchSealing,
  benchCounter: (cases, prefix) => benchCounter(need().db, cases, prefix),
};
