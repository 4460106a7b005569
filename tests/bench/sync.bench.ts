// Sync benchmark, in one run on loopback (issue 6 item 9); writes tests/bench/results/sync.json.
//
//  1. Ours: HQ (hq/main.ts as its own process, on a private PostgreSQL cluster) and simulated
//     devices in this process built like tests/hq/device-sim.ts: main's core (HQ link: token, fetch,
//     event stream) + the renderer's replication module (renderer/src/sync/replication.ts, the app's
//     default batch sizes) on RxDB's memory storage: bare (like PouchDB's memory adapter), bare through
//     browser mode's capped bridge (≤48 KiB per push call), and under the app's storage stack (z-schema + field
//     encryption). 10,000 generated jmo-reset cases (valid journals: HQ replays each one) are
//     inserted locally, then timed: replication start → HQ has acknowledged all 10,000. Then a
//     freshly enrolled device pulls them all: start → initial replication done, 10,000 local.
//  2. Peer: PouchDB 9 (memory adapter, so local storage is in memory on both sides) replicating the
//     same 10,000 JSON bodies to pouchdb-server 4.2 (its own process, LevelDB on a temp dir: on disk,
//     like PostgreSQL here) on 127.0.0.1, default replication options; then a fresh memory PouchDB
//     pulling them. Installed on demand in tests/bench/peer (its own package-lock).
//  3. HQ load (hq-load.bench.ts): 2,000 devices, one push every 10 s each, for 60 s.
// Ratios are peer time / our time (> 1: we are faster). Generated data only (NIKs of a made-up
// district, "Peserta Uji" names, example.org addresses).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxDatabase, type RxDocumentData, type RxJsonSchema, type RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createBranch, createEnrolCode } from '../../hq/admin';
import type { Sql } from '../../hq/db';
import { createCore, type Core } from '../../main/core';
import type { Logger } from '../../main/log';
import { fileVault } from '../../main/secrets';
import { COLLECTIONS, openDatabase } from '../../renderer/src/data/db/database';
import { wrappedFieldEncryptionStorage } from '../../renderer/src/data/db/field-encryption';
import { wrappedValidateCompiledZSchemaStorage } from '../../renderer/src/data/db/schema-validation';
import { caseSchemaV0, type CaseDoc } from '../../renderer/src/data/db/schemas';
import { startReplication, type Replication, type SyncBridge } from '../../renderer/src/sync/replication';
import { SyncStatusStore } from '../../renderer/src/sync/status';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { nikHashForBranchKey } from '../../hq/validate';
import { BROWSER_BRIDGE_MAX_BODY } from '@shared/ipc/api';
import type { EventPayload, ResponseOf } from '@shared/ipc/contract';
import type { IpcResult } from '@shared/ipc/result';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { makeNik, officer } from '../unit/machines/fixtures';
import { startPgCluster } from '../hq/pg-cluster';
import {
  DEFAULT_LOAD,
  REPO_ROOT,
  freePort,
  freshDatabase,
  log as logLine,
  processCpuMs,
  r1,
  r2,
  runHqLoad,
  startHqProcess,
  type HqProcess,
  type LoadResult,
} from './hq-load.bench';

const DOCS = Number(process.env.LOKET_SYNC_DOCS ?? 10_000);
const BRANCH = 'BNCH1';
/** The branch's NIK hash key, set before the first enrolment so the generated cases' hashes hold at every fresh HQ. */
const BENCH_NIK_KEY = Buffer.alloc(32, 11).toString('base64');
const TARGET_RATIO = 3;
/** Issue 19 pt 4: the app storage stack at least ×1.5 the peer, on push and on pull. */
const APP_TARGET_RATIO = 1.5;
const STEP_TIMEOUT_MS = 900_000;
const PEER_DIR = path.join(REPO_ROOT, 'tests', 'bench', 'peer');
const log = (line: string) => logLine('sync', line);
const quietLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const CLIENT = 'bench-page';

// ---- documents ------------------------------------------------------------------------------------

const JOURNEY: { type: string; payload: (i: number) => object }[] = [
  { type: 'identity.checked', payload: () => ({ ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }) },
  { type: 'contact.updated', payload: (i) => ({ email: `peserta.${i}@example.org`, phone: `0812${String(10_000_000 + i).slice(-8)}` }) },
  { type: 'reset.requested', payload: () => ({}) },
  { type: 'reset.confirmed', payload: () => ({}) },
  { type: 'receipt.issued', payload: () => ({}) },
];

/** JMO-reset cases as the renderer's CaseJournal stores them: journal + replayed snapshot; 60% closed. */
function makeCases(branch: string, n: number): CaseDoc[] {
  const out: CaseDoc[] = [];
  const day0 = Date.UTC(2026, 2, 2); // Monday 2 March 2026
  for (let i = 0; i < n; i++) {
    const week = Math.floor(i / 500);
    const weekday = Math.floor(i / 100) % 5;
    const opened = day0 + (week * 7 + weekday) * 86_400_000 + 1 * 3_600_000 + (i % 100) * 3 * 60_000; // 08:00 WIB on
    const at = (step: number) => new Date(opened + step * 90_000).toISOString();
    const id = `CASE-${branch}-${String(i + 1).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
    const nik = makeNik(`19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, i % 2 === 0 ? 'male' : 'female', 1 + (i % 9000));
    // What HQ checks (issue 14): its own rules for the branch, input ids agreeing, the NIK hash under the branch key.
    const input = { openedAt: at(0), caseId: id, nik, config: { ...DEFAULT_CASE_CONFIG, branchCode: branch } };
    const steps = i % 10 < 6 ? JOURNEY.length : i % 5;
    const events = JOURNEY.slice(0, steps).map((e, k) => ({ type: e.type, at: at(k + 1), actor: officer, ...e.payload(i) }));
    const r = replay(CASE_MACHINES['jmo-reset'], input as never, events);
    if (r.rejected) throw new Error(`generated case ${i} does not replay: ${r.rejected.reason}`);
    const snapshot = storedSnapshot(r.snapshot as never) as unknown as Record<string, unknown>;
    out.push({
      id,
      branchCode: branch,
      flow: 'jmo-reset',
      status: snapshot.status === 'done' ? 'closed' : 'open',
      nikHash: nikHashForBranchKey(BENCH_NIK_KEY, nik),
      person: { nik, name: `Peserta Uji ${i + 1}`, phone: `0812${String(10_000_000 + i).slice(-8)}`, email: `peserta.${i}@example.org` },
      input,
      events,
      snapshot,
      journalLength: events.length,
      openedAt: at(0),
      updatedAt: at(steps),
    });
  }
  return out;
}

// ---- our device: main's core + the renderer's replication, RxDB memory storage ------------------------

/**
 * `app`: the app's storage stack (z-schema validation, compiled once + WebCrypto AES-GCM field encryption) over memory;
 * `bare`: RxDB memory storage alone (the case schema without `encrypted`), like PouchDB's memory
 * adapter on the peer side, so the ratio compares the sync path and not the app's local safeguards.
 */
type Stack = 'app' | 'bare' | 'bareBrowserBridge';

/**
 * `bareBrowserBridge`: the bare stack with browser mode's bridge limit (the renderer posts each call
 * over HTTP with a 64 KiB body cap, so push calls carry ≤48 KiB of rows: ~18 cases) instead of
 * Electron's IPC (calls of up to MAX_PUSH_ROWS rows / 3 MiB): what the call size is worth.
 */
const BROWSER_BRIDGE = { maxPushBytes: BROWSER_BRIDGE_MAX_BODY * 0.75 };

interface BenchDevice {
  core: Core;
  db: RxDatabase<{ cases: RxCollection<CaseDoc> }>;
  bridge: SyncBridge;
  status: SyncStatusStore;
  counters: { pushCalls: number; pushRows: number; ackedRows: number; pullCalls: number; pulledDocs: number; failures: number; bridgeMs: number };
  close(): Promise<void>;
}

async function openCases(stack: Stack, name: string, key: string): Promise<BenchDevice['db']> {
  if (stack === 'app') return (await openDatabase({ name, key, storage: getRxStorageMemory(), collections: { cases: COLLECTIONS.cases } })) as unknown as BenchDevice['db'];
  const db = await createRxDatabase<{ cases: RxCollection<CaseDoc> }>({ name, storage: getRxStorageMemory(), multiInstance: false, eventReduce: true });
  const { encrypted: _encrypted, ...schema } = caseSchemaV0;
  await db.addCollections({ cases: { schema } });
  return db;
}

/**
 * What each layer of the app's storage stack costs per document (issue 19 pt 4): the documents
 * written in batches of 1,000 (as a pull writes them) and read back by id, through memory storage
 * alone, with validation, with encryption, and with both (the app). CPU time of this process (all
 * its threads: WebCrypto runs on Node's thread pool) per document, which a loaded machine disturbs
 * far less than wall time; wall time beside it.
 */
async function measureLayers(docs: CaseDoc[]) {
  const keys = { queue: BENCH_NIK_KEY, case: BENCH_NIK_KEY };
  const memory = () => getRxStorageMemory() as RxStorage<unknown, unknown>;
  const layers = {
    storage: { storage: memory, encrypted: false },
    validation: { storage: () => wrappedValidateCompiledZSchemaStorage<unknown, unknown>({ storage: memory() }), encrypted: false },
    encryption: { storage: () => wrappedFieldEncryptionStorage({ storage: memory(), keys }), encrypted: true },
    app: { storage: () => wrappedValidateCompiledZSchemaStorage<unknown, unknown>({ storage: wrappedFieldEncryptionStorage({ storage: memory(), keys }) }), encrypted: true },
  };
  const perDoc = (ms: number) => Math.round((ms / docs.length) * 1000) / 1000;
  const out: Record<string, { writeCpuMsPerDoc: number; writeWallMsPerDoc: number; readCpuMsPerDoc: number; readWallMsPerDoc: number }> = {};
  for (const [name, layer] of Object.entries(layers)) {
    const db = await createRxDatabase<{ cases: RxCollection<CaseDoc> }>({ name: `layers-${name}-${randomUUID().slice(0, 8)}`, storage: layer.storage(), multiInstance: false, eventReduce: true });
    const { encrypted: _encrypted, ...plain } = caseSchemaV0;
    await db.addCollections({ cases: { schema: layer.encrypted ? caseSchemaV0 : plain } });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += 1_000) await db.cases.bulkInsert(docs.slice(i, i + 1_000).map((d) => structuredClone(d)));
    const cpu1 = process.cpuUsage(cpu0);
    const t1 = performance.now();
    // Read through a storage instance of a fresh stack over the same memory storage, past RxDB's
    // document cache and the encryption layer's memory of what it wrote, as a fresh page would
    // (IndexedDB hands back copies: every document is opened).
    const writer = (db.cases as unknown as { storageInstance: { schema: RxJsonSchema<RxDocumentData<CaseDoc>> } }).storageInstance;
    const instance = await layer.storage().createStorageInstance<CaseDoc>({
      databaseName: db.name,
      collectionName: 'cases',
      schema: writer.schema,
      options: {},
      multiInstance: false,
      devMode: false,
      databaseInstanceToken: randomUUID(),
    });
    const c1b = process.cpuUsage(cpu0);
    const t1b = performance.now();
    const read = await instance.findDocumentsById(docs.map((d) => d.id), false);
    const cpu2 = process.cpuUsage(cpu0);
    const t2 = performance.now();
    await instance.close();
    if (read.length !== docs.length) throw new Error(`layer ${name}: read ${read.length} of ${docs.length}`);
    const writeCpu = (cpu1.user + cpu1.system) / 1000;
    out[name] = {
      writeCpuMsPerDoc: perDoc(writeCpu),
      writeWallMsPerDoc: perDoc(t1 - t0),
      readCpuMsPerDoc: perDoc((cpu2.user + cpu2.system - (c1b.user + c1b.system)) / 1000),
      readWallMsPerDoc: perDoc(t2 - t1b),
    };
    log(`layers: ${name} write ${out[name].writeCpuMsPerDoc} ms CPU/doc, read ${out[name].readCpuMsPerDoc} ms CPU/doc`);
    await db.remove();
  }
  return out;
}

async function createBenchDevice(stack: Stack, name: string, slot: number, hqUrl: string, code: string): Promise<BenchDevice> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `loket-bench-${name}-`));
  const core = createCore({
    userDataDir: dir,
    mode: 'browser',
    version: '0.0.0-bench',
    log: quietLog,
    vault: fileVault(path.join(dir, 'secrets'), quietLog),
    hqLink: { timeoutMs: 30_000, stream: { minDelayMs: 200, maxDelayMs: 2_000, idleMs: 60_000 } },
  });
  const listeners = new Set<(e: EventPayload<'sync.changed'>) => void>();
  core.onEvent((clientId, event, payload) => {
    if (clientId === CLIENT && event === 'sync.changed') for (const l of listeners) l(payload as EventPayload<'sync.changed'>);
  });
  const setup = await core.dispatch(CLIENT, 'branch.setup', {
    branch: { code: BRANCH, name: 'Cabang Uji Bench', serviceHours: DEFAULT_SERVICE_HOURS, counters: 4 },
    deviceSlot: slot,
    head: { staffId: `kepala.${name}`, name: `Kepala ${name}`, pin: '802417' },
  });
  if (!setup.ok) throw new Error(`setup: ${setup.error.message}`);
  const enrolled = await core.dispatch(CLIENT, 'hq.enrol', { url: hqUrl, code, deviceName: `PC ${name}` });
  if (!enrolled.ok) throw new Error(`enrol: ${enrolled.error.code} ${enrolled.error.message}`);
  core.hq.start();
  const key = await core.dispatch(CLIENT, 'secrets.dbKey', undefined);
  if (!key.ok) throw new Error('no db key');
  const db = await openCases(stack, `bench${name}${randomUUID().slice(0, 8)}`, (key.value as { key: string }).key);
  // bridgeMs: time spent in bridge calls (HTTP to HQ and back, through main's HQ link); the rest is the client.
  const counters = { pushCalls: 0, pushRows: 0, ackedRows: 0, pullCalls: 0, pulledDocs: 0, failures: 0, bridgeMs: 0 };
  const bridge: SyncBridge = {
    pull: async (request) => {
      counters.pullCalls++;
      const t = performance.now();
      const r = (await core.dispatch(CLIENT, 'sync.pull', request)) as IpcResult<ResponseOf<'sync.pull'>>;
      counters.bridgeMs += performance.now() - t;
      if (r.ok) counters.pulledDocs += r.value.documents.length;
      else counters.failures++;
      return r;
    },
    push: async (request) => {
      counters.pushCalls++;
      counters.pushRows += request.rows.length;
      const t = performance.now();
      const r = (await core.dispatch(CLIENT, 'sync.push', request)) as IpcResult<ResponseOf<'sync.push'>>;
      counters.bridgeMs += performance.now() - t;
      if (r.ok) counters.ackedRows += request.rows.length;
      else counters.failures++;
      return r;
    },
    onChanged: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    core,
    db,
    bridge,
    status: new SyncStatusStore(),
    counters,
    async close() {
      await core.hq.stop();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function replicate(stack: Stack, d: BenchDevice, identifier: string): Promise<Replication> {
  return startReplication({
    ...(stack === 'bareBrowserBridge' ? BROWSER_BRIDGE : {}),
    collections: { cases: d.db.cases },
    bridge: d.bridge,
    status: d.status,
    identifier,
    conflicts: { record: () => undefined },
    pollMs: 60_000, // as the app's controller
  });
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = STEP_TIMEOUT_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what}: not done after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function countAtHq(db: Sql): Promise<{ cases: number; quarantined: number }> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM documents WHERE collection = 'cases'`);
  const { rows: q } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM quarantine');
  return { cases: Number(rows[0]?.n), quarantined: Number(q[0]?.n) };
}

interface Timed {
  ms: number;
  docsPerS: number;
}
const timed = (ms: number): Timed => ({ ms: Math.round(ms), docsPerS: Math.round(DOCS / (ms / 1000)) });

async function measureOurs(stack: Stack, db: Sql, hq: HqProcess, docs: CaseDoc[]) {
  const a = await createBenchDevice(stack, `push${stack.toLowerCase()}`, 1, hq.url, (await createEnrolCode(db, BRANCH)).code);
  for (let i = 0; i < docs.length; i += 500) {
    const r = await a.db.cases.bulkInsert(docs.slice(i, i + 500));
    if (r.error.length > 0) throw new Error(`local insert: ${r.error.length} errors`);
  }
  log(`ours (${stack}): ${docs.length} cases in the pushing device; replicating to HQ`);
  const hqCpu0 = processCpuMs(hq.pid);
  const t0 = performance.now();
  const repA = await replicate(stack, a, `hq:${hq.url}:${BRANCH}`);
  await until('push', () => a.counters.ackedRows >= docs.length);
  const pushMs = performance.now() - t0;
  const hqCpuPush = (processCpuMs(hq.pid) ?? NaN) - (hqCpu0 ?? NaN);
  await repA.awaitInSync();
  const inSyncMs = performance.now() - t0;
  const atHq = await countAtHq(db);
  if (atHq.cases !== docs.length || atHq.quarantined !== 0) throw new Error(`HQ holds ${atHq.cases} cases, ${atHq.quarantined} quarantined`);
  const pushCounters = { ...a.counters };
  await repA.stop();
  await a.close();
  log(`ours (${stack}): push ${Math.round(pushMs)} ms (in sync incl. pulling them back ${Math.round(inSyncMs)} ms)`);

  const b = await createBenchDevice(stack, `pull${stack.toLowerCase()}`, 2, hq.url, (await createEnrolCode(db, BRANCH)).code);
  const hqCpu1 = processCpuMs(hq.pid);
  const t1 = performance.now();
  const repB = await replicate(stack, b, `hq:${hq.url}:${BRANCH}`);
  await repB.states.get('cases')!.awaitInitialReplication();
  const pullMs = performance.now() - t1;
  const hqCpuPull = (processCpuMs(hq.pid) ?? NaN) - (hqCpu1 ?? NaN);
  const local = await b.db.cases.count().exec();
  if (local !== docs.length) throw new Error(`fresh device has ${local} cases`);
  const pullCounters = { ...b.counters };
  await repB.stop();
  await b.close();
  log(`ours (${stack}): fresh device pulled ${local} in ${Math.round(pullMs)} ms`);
  return {
    push: { ...timed(pushMs), until: 'every row acknowledged by HQ (HTTP 200 to its push)', inSyncMs: Math.round(inSyncMs), inSyncNote: 'awaitInSync(): the live replication also pulled its own 10,000 documents back after HQ announced them on the event stream', hqCpuMs: Math.round(hqCpuPush), bridgeMs: Math.round(pushCounters.bridgeMs), calls: pushCounters.pushCalls, failures: pushCounters.failures },
    pull: { ...timed(pullMs), until: 'initial replication done and 10,000 cases in the fresh device', hqCpuMs: Math.round(hqCpuPull), bridgeMs: Math.round(pullCounters.bridgeMs), calls: pullCounters.pullCalls, failures: pullCounters.failures },
    hqHolds: atHq,
  };
}

// ---- the peer: PouchDB → pouchdb-server --------------------------------------------------------------

interface PouchDb {
  bulkDocs(docs: object[]): Promise<{ ok?: boolean; error?: string }[]>;
  info(): Promise<{ doc_count: number }>;
  replicate: { to(target: PouchDb | string, opts?: object): Promise<{ ok: boolean; docs_written: number; doc_write_failures: number }>; from(source: PouchDb | string, opts?: object): Promise<{ ok: boolean; docs_written: number; doc_write_failures: number }> };
  destroy(): Promise<unknown>;
  close(): Promise<unknown>;
}
type PouchCtor = { new (name: string, opts?: object): PouchDb; plugin(p: unknown): void; version: string };

function peerModules(): { PouchDB: PouchCtor; versions: Record<string, string> } {
  if (!fs.existsSync(path.join(PEER_DIR, 'node_modules', 'pouchdb-server'))) {
    log('installing the peer (npm ci --prefix tests/bench/peer)');
    execFileSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  }
  const req = createRequire(path.join(PEER_DIR, 'package.json'));
  const PouchDB = req('pouchdb') as PouchCtor;
  PouchDB.plugin(req('pouchdb-adapter-memory'));
  const version = (p: string) => (JSON.parse(fs.readFileSync(path.join(PEER_DIR, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
  return { PouchDB, versions: { pouchdb: version('pouchdb'), 'pouchdb-adapter-memory': version('pouchdb-adapter-memory'), 'pouchdb-server': version('pouchdb-server'), leveldown: version('leveldown') } };
}

async function startPouchServer(base: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = path.join(base, 'pouchdb-server');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const out = fs.openSync(path.join(dir, 'stdout.log'), 'a');
  const bin = path.join(PEER_DIR, 'node_modules', 'pouchdb-server', 'bin', 'pouchdb-server');
  const child: ChildProcess = spawn(process.execPath, [bin, '--host', '127.0.0.1', '--port', String(port), '--dir', path.join(dir, 'data'), '--config', path.join(dir, 'config.json')], {
    cwd: dir,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await until('pouchdb-server start', async () => {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited: ${fs.readFileSync(path.join(dir, 'stdout.log'), 'utf8').slice(-2000)}`);
    try {
      return (await fetch(url)).ok;
    } catch {
      return false;
    }
  }, 60_000);
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function measurePeer(PouchDB: PouchCtor, server: { url: string; pid: number }, docs: CaseDoc[]) {
  const local = new PouchDB(`peer-push-${randomUUID()}`, { adapter: 'memory' });
  for (let i = 0; i < docs.length; i += 500) {
    const r = await local.bulkDocs(docs.slice(i, i + 500).map((d) => ({ _id: d.id, ...d })));
    if (r.some((x) => x.error)) throw new Error('peer local insert failed');
  }
  const remoteUrl = `${server.url}/cases_${randomUUID().slice(0, 8)}`;
  const remote = new PouchDB(remoteUrl);
  await remote.info(); // creates the database: not part of the timing
  log(`peer: ${docs.length} documents in a memory PouchDB; replicating to pouchdb-server`);
  const cpu0 = processCpuMs(server.pid);
  const t0 = performance.now();
  const pushed = await local.replicate.to(remote);
  const pushMs = performance.now() - t0;
  const cpuPush = (processCpuMs(server.pid) ?? NaN) - (cpu0 ?? NaN);
  const remoteCount = (await remote.info()).doc_count;
  if (!pushed.ok || remoteCount !== docs.length) throw new Error(`peer push: ok ${pushed.ok}, server has ${remoteCount}`);
  log(`peer: push ${Math.round(pushMs)} ms`);

  const fresh = new PouchDB(`peer-pull-${randomUUID()}`, { adapter: 'memory' });
  const cpu1 = processCpuMs(server.pid);
  const t1 = performance.now();
  const pulled = await fresh.replicate.from(remoteUrl);
  const pullMs = performance.now() - t1;
  const cpuPull = (processCpuMs(server.pid) ?? NaN) - (cpu1 ?? NaN);
  const freshCount = (await fresh.info()).doc_count;
  if (!pulled.ok || freshCount !== docs.length) throw new Error(`peer pull: ok ${pulled.ok}, fresh has ${freshCount}`);
  log(`peer: fresh PouchDB pulled ${freshCount} in ${Math.round(pullMs)} ms`);
  await Promise.all([local.destroy(), fresh.destroy(), remote.close()]);
  return {
    push: { ...timed(pushMs), until: 'replicate.to() resolved (one-shot), server doc_count checked after', serverCpuMs: Math.round(cpuPush), docsWritten: pushed.docs_written },
    pull: { ...timed(pullMs), until: 'replicate.from() resolved (one-shot) into a fresh memory PouchDB', serverCpuMs: Math.round(cpuPull), docsWritten: pulled.docs_written },
  };
}

// ---- run --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg().map(r2);
  const { PouchDB, versions: peerVersions } = peerModules();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-sync-'));
  const cluster = await startPgCluster('loket-bench-sync-pg-');
  const cleanups: (() => Promise<unknown> | void)[] = [() => cluster.stop(), () => fs.rmSync(tmp, { recursive: true, force: true })];
  try {
    const pgVersion = execFileSync('sh', ['-c', 'ls /usr/lib/postgresql | sort -n | tail -1'], { encoding: 'utf8' }).trim();
    log(`generating ${DOCS} cases (journals replayed through the jmo-reset machine)`);
    const docs = makeCases(BRANCH, DOCS);
    const meanDocBytes = Math.round(docs.reduce((n, d) => n + JSON.stringify(d).length, 0) / docs.length);

    const measurePeerOnce = async (P: PouchCtor, dir: string, d: CaseDoc[]) => {
      const server = await startPouchServer(fs.mkdtempSync(path.join(dir, 'peer-')));
      cleanups.unshift(() => server.stop());
      const m = await measurePeer(P, server, d);
      await server.stop();
      return m;
    };
    const peerBefore = await measurePeerOnce(PouchDB, tmp, docs);

    // Each client stack against its own fresh HQ database and HQ process: equal starting conditions.
    const ours: Partial<Record<Stack, Awaited<ReturnType<typeof measureOurs>>>> = {};
    for (const stack of ['bare', 'bareBrowserBridge', 'app'] as const) {
      if (process.env.LOKET_BENCH_STACKS && !process.env.LOKET_BENCH_STACKS.split(',').includes(stack)) continue; // for profiling one stack
      const sync = await freshDatabase(cluster, `hq_sync_${stack.toLowerCase()}`);
      cleanups.unshift(() => sync.db.close());
      await createBranch(sync.db, { code: BRANCH, name: 'Cabang Uji Bench' });
      await sync.db.query('UPDATE branches SET nik_key = $2 WHERE code = $1', [BRANCH, BENCH_NIK_KEY]);
      const hq = await startHqProcess(sync.url, process.env.LOKET_BENCH_LOG_DIR ?? tmp);
      cleanups.unshift(() => hq.stop());
      ours[stack] = await measureOurs(stack, sync.db, hq, docs);
      await hq.stop();
    }
    if (!ours.bare || !ours.app || !ours.bareBrowserBridge) {
      log(`measured only ${Object.keys(ours).join(', ')} (LOKET_BENCH_STACKS): no results written`);
      return;
    }
    const bare = ours.bare;
    const app = ours.app;
    const browser = ours.bareBrowserBridge;

    const peerAfter = await measurePeerOnce(PouchDB, tmp, docs);
    // The machine is shared and its load swings: the peer runs before and after ours, and the ratio
    // uses the mean of its two runs.
    const peer = {
      push: { ...timed((peerBefore.push.ms + peerAfter.push.ms) / 2), what: 'mean of the runs before and after ours' },
      pull: { ...timed((peerBefore.pull.ms + peerAfter.pull.ms) / 2), what: 'mean of the runs before and after ours' },
      runs: { before: peerBefore, after: peerAfter },
    };
    const loadAfterSync = os.loadavg().map(r2);
    const layerCosts = await measureLayers(docs);
    const minus = (a: number, b: number) => Math.round((a - b) * 1000) / 1000;
    const perDocMs = (ms: number) => Math.round((ms / DOCS) * 1000) / 1000;
    const layers = {
      what: 'cost per document of each layer of the app storage stack: CPU ms of the bench process (all threads) per document, writing in batches of 1,000 and reading back by id; each layer alone over memory storage, then the app (both)',
      measured: layerCosts,
      readNote: 'read back through a second storage stack over the same memory storage (a fresh page): every sealed document is opened',
      breakdownPerDoc: {
        storageWriteCpu: layerCosts.storage!.writeCpuMsPerDoc,
        validationWriteCpu: minus(layerCosts.validation!.writeCpuMsPerDoc, layerCosts.storage!.writeCpuMsPerDoc),
        encryptionWriteCpu: minus(layerCosts.encryption!.writeCpuMsPerDoc, layerCosts.storage!.writeCpuMsPerDoc),
        encryptionReadCpu: minus(layerCosts.encryption!.readCpuMsPerDoc, layerCosts.storage!.readCpuMsPerDoc),
        transportAndHqPushWall: perDocMs(bare.push.ms),
        transportAndHqPullWall: perDocMs(bare.pull.ms),
        appStackPullWallOverBare: minus(perDocMs(app.pull.ms), perDocMs(bare.pull.ms)),
        appStackPushWallOverBare: minus(perDocMs(app.push.ms), perDocMs(bare.push.ms)),
      },
    };

    let load: LoadResult | { skipped: string };
    if (process.env.LOKET_BENCH_SKIP_LOAD === '1') {
      load = { skipped: 'LOKET_BENCH_SKIP_LOAD=1' };
    } else {
      const loadDb = await freshDatabase(cluster, 'hq_load');
      cleanups.unshift(() => loadDb.db.close());
      const hqLoad = await startHqProcess(loadDb.url, process.env.LOKET_BENCH_LOG_DIR ?? tmp);
      cleanups.unshift(() => hqLoad.stop());
      load = await runHqLoad(loadDb.db, loadDb.url, hqLoad, DEFAULT_LOAD);
      await hqLoad.stop();
    }

    const pushRatio = r2(peer.push.ms / bare.push.ms);
    const pullRatio = r2(peer.pull.ms / bare.pull.ms);
    const result = {
      name: 'sync',
      measuredAt: new Date().toISOString(),
      unit: 'ms',
      environment: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        loadAverageBefore: loadBefore,
        loadAverageAfterSyncMeasurements: loadAfterSync,
        postgresql: pgVersion,
        postgresqlSettings: 'private cluster on a temp dir (tests/hq/pg-cluster.ts): fsync=off, synchronous_commit=off, full_page_writes=off',
        versions: { rxdb: '17.6.0', fastify: '5.12.8', pg: '8.23.1', ...peerVersions },
        note: 'Shared 2-core machine with other helpers running tests and builds at the same time: absolute times are noisy; both sides ran in the same run, one after the other, on the same machine. Servers on 127.0.0.1 in their own processes; clients in the bench process.',
      },
      documents: { count: DOCS, kind: 'jmo-reset case: journal of 0–5 machine events + replayed snapshot, generated person (NIK of a made-up district)', meanJsonBytes: meanDocBytes },
      method: {
        order: 'peer (run 1), ours: bare, bareBrowserBridge, app (each against a fresh HQ database and process), peer (run 2), then the HQ load',
        ours: 'HQ = hq/main.ts in its own process (Fastify + pg pool of 10, info log to a file) on PostgreSQL; every pushed case is validated by HQ (zod record schema + journal replay through the machine + snapshot comparison) before the upsert. Client = main/core HQ link (fetch) + renderer/src/sync/replication.ts (RxDB 17 replication, live, app defaults as in Electron: RxDB push batches of 1,000 rows sent as calls of ≤200 rows / 3 MiB, 4 calls in flight; pull batch 1,000) over RxDB memory storage, three times: `bare` (memory storage alone, the comparable of the PouchDB memory adapter), `bareBrowserBridge` (the same through browser mode\'s capped bridge: push calls of ≤48 KiB) and `app` (the app storage stack: z-schema validation compiled once + WebCrypto AES-GCM field encryption over memory). Each stack against its own fresh HQ database and process. Push timed from startReplication() until HQ answered 200 for every row; pull timed for a freshly enrolled device from startReplication() until its initial replication finished (10,000 local).',
        peer: 'pouchdb-server (express-pouchdb, LevelDB via leveldown on a temp dir) in its own process; client PouchDB with the memory adapter (memdown). Same JSON bodies plus _id. replicate.to() / replicate.from(), one-shot, default options (batch_size 100, batches_limit 10). No validation on the server side.',
        storage: 'client-side storage is in memory on both sides (RxDB memory storage vs PouchDB memory adapter); server-side storage is on disk on both sides (PostgreSQL with fsync off vs LevelDB, which does not fsync by default).',
        ratio: 'peer time / our time: above 1 means ours is faster',
      },
      ours,
      peer,
      ratios: {
        what: 'peer time / our time with the bare stack (memory storage on both sides, no local encryption or validation on either): the comparable pair',
        push: pushRatio,
        pull: pullRatio,
        target: TARGET_RATIO,
        pushTargetMet: pushRatio >= TARGET_RATIO,
        pullTargetMet: pullRatio >= TARGET_RATIO,
        withBrowserBridge: { what: 'peer time / our time, bare stack through browser mode\'s bridge (push calls of ≤48 KiB of rows)', push: r2(peer.push.ms / browser.push.ms), pull: r2(peer.pull.ms / browser.pull.ms) },
        withAppStack: {
          what: 'peer time / our time with the app storage stack (z-schema + AES-GCM field encryption): what the app pays on top',
          push: r2(peer.push.ms / app.push.ms),
          pull: r2(peer.pull.ms / app.pull.ms),
          target: APP_TARGET_RATIO,
          pushTargetMet: peer.push.ms / app.push.ms >= APP_TARGET_RATIO,
          pullTargetMet: peer.pull.ms / app.pull.ms >= APP_TARGET_RATIO,
        },
      },
      layers,
      hqLoad: load,
      totalSeconds: r1((Date.now() - started) / 1000),
    };
    fs.mkdirSync(path.join(REPO_ROOT, 'tests', 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'tests', 'bench', 'results', 'sync.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`push: ours ${bare.push.ms} ms (app stack ${app.push.ms}) vs peer ${peer.push.ms} ms → ×${pushRatio}; pull: ours ${bare.pull.ms} ms (app stack ${app.pull.ms}) vs peer ${peer.pull.ms} ms → ×${pullRatio} (target ×${TARGET_RATIO})`);
    log('wrote tests/bench/results/sync.json');
  } finally {
    for (const c of cleanups) {
      try {
        await c();
      } catch (e) {
        console.warn('cleanup:', e instanceof Error ? e.message : e);
      }
    }
  }
}

main()
  .then(() => process.exit(0)) // RxDB/undici timers would otherwise keep the process alive
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
