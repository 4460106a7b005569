// `npm run bench -- hq-scale` → tests/bench/results/hq-scale.json (issue 20 pt 6).
//
// HQ at scale: simulated devices spread over branches, each holding an open event stream and pushing
// one ticket change every 10 s, against TWO HQ processes (hq/main.ts, each its own process) on one
// PostgreSQL primary with a synchronous standby (streaming replication, synchronous_standby_names,
// synchronous_commit=on). Sections, all in one run:
//  - baseline: the same devices and processes with every device in ONE branch, so every push takes
//    the same branch lock, as every push took the single global lock before per-branch ordering;
//    against the same devices over many branches. Push-only (no streams: one branch would fan every
//    push out to every device), so the ratio is the lock's alone.
//  - curve: 1,000 / 2,000 / 5,000 devices with streams: push latency, stream notice latency, errors,
//    HQ and PostgreSQL CPU ms per push (primary and standby separately);
//  - overload: the largest curve point that held its target, offered twice its rate (one push
//    every 5 s): no answer 5xx but 503, every refused push accepted on a later try, HQ's memory;
//  - failover: HQ processes reaching PostgreSQL through one address (tests/hq/pg-cluster.ts
//    MovableAddress); the primary killed mid-run, the standby promoted, the address moved: seconds
//    without service and acknowledged pushes lost.
// Sizes: LOKET_SCALE_SIZES (default 1000,2000,5000), LOKET_SCALE_BASELINE (2000), LOKET_SCALE_SECONDS
// (60), LOKET_SCALE_BRANCHES (300), LOKET_SCALE_ONLY (comma list of sections). Everything on
// 127.0.0.1; every loop bounded. The load average at the start and the end is in the result: the
// figures of a run on a busy machine are not the figures of a quiet one.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { pgSql, type Sql } from '../../hq/db';
import { migrate } from '../../hq/migrate';
import { MovableAddress, startPgCluster, startStandby, type PgCluster } from '../hq/pg-cluster';
import { log as logAt, percentiles, postgresPids, processCpuMs, r1, r2, r3, REPO_ROOT, startHqProcess, type HqProcess, type Percentiles } from './hq-load.bench';

const log = (line: string) => logAt('hq-scale', line);
const INTERVAL_MS = 10_000;
const TARGET_P99_MS = 200;
const TARGET_NOTICE_P99_MS = 1_000;
const STANDBY = 'loket_standby';

const intList = (v: string | undefined, d: number[]) => (v ? v.split(',').map((x) => Number(x.trim())) : d);
const sizes = intList(process.env.LOKET_SCALE_SIZES, [1_000, 2_000, 5_000]);
const baselineDevices = Number(process.env.LOKET_SCALE_BASELINE ?? 2_000);
const durationMs = Number(process.env.LOKET_SCALE_SECONDS ?? 60) * 1000;
const branchCount = Number(process.env.LOKET_SCALE_BRANCHES ?? 300);
const only = (process.env.LOKET_SCALE_ONLY ?? 'baseline,curve,overload,failover').split(',');

interface Device {
  index: number;
  branch: string;
  token: string;
  proc: number;
  tickets: number;
  acked: Map<string, Record<string, unknown>>;
  lastSeq: number;
  /** Pushes of other devices of the branch this device's stream should hear: since which seq, sent when. */
  waiters: { since: number; t0: number }[];
  stream: http.ClientRequest | null;
  watcher: Device | null;
}

function postJson(agent: http.Agent | false, url: URL, body: string, token?: string, timeoutMs = 30_000): Promise<{ status: number; text: string; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(url, { method: 'POST', agent, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: Number(res.headers['retry-after'] ?? 0) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Branches `prefix001…`, devices enrolled through HQ's route, alternating between the HQ processes. */
async function enrolDevices(db: Sql, procs: HqProcess[], prefix: string, devices: number, branches: number): Promise<Device[]> {
  const codes: string[] = [];
  for (let b = 0; b < branches; b++) {
    const code = `${prefix}${String(b + 1).padStart(3, '0')}`;
    await createBranch(db, { code, name: `Cabang Skala ${prefix} ${b + 1}` });
    codes.push(code);
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const out = new Array<Device>(devices);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= devices) return;
      const branch = codes[i % codes.length]!;
      const { code } = await createEnrolCode(db, branch);
      // Each branch with devices on both processes: consecutive devices of a branch alternate.
      const proc = (codes.length % procs.length === 0 ? i + Math.floor(i / codes.length) : i) % procs.length;
      const res = await postJson(agent, new URL('/v1/enrol', procs[proc]!.url), JSON.stringify({ code, deviceId: randomUUID(), deviceName: `PC skala ${i + 1}` }));
      if (res.status !== 200) throw new Error(`enrol ${i}: ${res.status} ${res.text}`);
      out[i] = { index: i, branch, token: (JSON.parse(res.text) as { token: string }).token, proc, tickets: 0, acked: new Map(), lastSeq: 0, waiters: [], stream: null, watcher: null };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  agent.destroy();
  // Each device's watcher: the next device of its branch held by the other HQ process (its stream hears the push through NOTIFY).
  const byBranch = new Map<string, Device[]>();
  for (const d of out) byBranch.set(d.branch, [...(byBranch.get(d.branch) ?? []), d]);
  for (const group of byBranch.values()) for (const d of group) d.watcher = group.find((w) => w.proc !== d.proc) ?? null;
  return out;
}

/** Opens every device's event stream; `notices` collects stream notice latencies (ms). */
async function openStreams(devices: Device[], procs: HqProcess[], notices: number[]): Promise<void> {
  let next = 0;
  const open = (d: Device) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(new URL('/v1/sync/stream', procs[d.proc]!.url), { headers: { authorization: `Bearer ${d.token}`, accept: 'text/event-stream' }, agent: false }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream ${d.index}: ${res.statusCode}`));
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const at = block.indexOf('data: ');
            if (at < 0) continue;
            const e = JSON.parse(block.slice(at + 6)) as { type: string; seq?: number };
            if (e.type === 'RESYNC') resolve();
            if (e.type !== 'changed' || e.seq === undefined) continue;
            if (e.seq > d.lastSeq) d.lastSeq = e.seq;
            const now = performance.now();
            d.waiters = d.waiters.filter((w) => (e.seq! > w.since ? (notices.push(now - w.t0), false) : true));
          }
        });
        res.on('error', () => undefined);
      });
      req.on('error', (e) => (d.stream ? undefined : reject(e)));
      req.end();
      d.stream = req;
    });
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= devices.length) return;
        await open(devices[i]!);
      }
    }),
  );
}

function closeStreams(devices: Device[]): void {
  for (const d of devices) {
    d.stream?.destroy();
    d.stream = null;
    d.waiters = [];
  }
}

/** The k-th change of a device: even k a new ticket, odd k calls it (the acknowledged version is the assumed master). */
function changeOf(d: Device, k: number, at: Date): { assumedMasterState: Record<string, unknown> | null; newDocumentState: Record<string, unknown> } {
  const iso = at.toISOString();
  const id = `SCALE-${d.branch}-${d.index}-${k % 2 === 0 ? d.tickets + 1 : d.tickets}`;
  const master = d.acked.get(id);
  if (k % 2 === 1 && master) {
    return { assumedMasterState: master, newDocumentState: { ...master, status: 'called', updatedAt: iso, history: [...(master.history as unknown[]), { status: 'called', at: iso }] } };
  }
  if (k % 2 === 0) d.tickets++;
  const n = d.tickets;
  return {
    assumedMasterState: null,
    newDocumentState: {
      id: `SCALE-${d.branch}-${d.index}-${n}`,
      branchCode: d.branch,
      service: 'general',
      status: 'waiting',
      number: `B${(d.index % 9) + 1}-${String(n).padStart(3, '0')}`,
      day: iso.slice(0, 10),
      slot: (d.index % 9) + 1,
      seq: n,
      nikHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      issuedAt: iso,
      updatedAt: iso,
      history: [{ status: 'waiting', at: iso }],
      _deleted: false,
    },
  };
}

const rssMb = (pid: number) => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};
const cpuOf = (pids: number[]) => pids.reduce((n, pid) => n + (processCpuMs(pid) ?? 0), 0);

/**
 * CPU ms of a PostgreSQL server so far: the postmaster, its live backends (listed now: connections
 * come and go) and the backends it has reaped (cutime + cstime of the postmaster). 0 once it is gone.
 */
function serverCpuMs(url: string): number {
  const [master, ...children] = postgresPids(url);
  if (master === undefined) return 0;
  try {
    const f = fs.readFileSync(`/proc/${master}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    const reaped = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // cutime, cstime
    return (processCpuMs(master) ?? 0) + reaped + cpuOf(children);
  } catch {
    return 0;
  }
}

interface RunResult {
  section: string;
  devices: number;
  branches: number;
  streams: boolean;
  intervalMs: number;
  offeredRatePerS: number;
  achievedRatePerS: number;
  wallS: number;
  pushesPlanned: number;
  pushesAccepted: number;
  answers: Record<string, number>;
  errors: number;
  refusedThenAccepted: number;
  neverAccepted: number;
  latencyMs: Percentiles;
  noticeMs: Percentiles | null;
  noticesMissed: number;
  cpuMsPerPush: { hq: number; postgresPrimary: number; postgresStandby: number };
  cpuShareOfOneCore: { hq: number; postgresPrimary: number; postgresStandby: number; generator: number };
  generatorTimerLagP99Ms: number;
  hqRssMb: { before: number; max: number; after: number };
  targetMet: boolean;
  /** Where the pushes over the target came from: the seconds of the run (from its start) holding most of them. */
  slowPushes: { over: number; count: number; seconds: number; busiestSeconds: { second: number; count: number }[] };
}

interface RunContext {
  db: Sql;
  procs: HqProcess[];
  primary: PgCluster;
  standby: PgCluster | null;
}

/** One load run: every device pushes one change per `intervalMs` for `durationMs`, staggered; a 503 is retried after Retry-After plus jitter. */
async function runLoad(
  ctx: RunContext,
  section: string,
  devices: Device[],
  o: { streams: boolean; intervalMs: number; branches: number; onTick?: (elapsedMs: number) => void; onAnswer?: (status: number, at: number) => void },
): Promise<RunResult> {
  const notices: number[] = [];
  if (o.streams) {
    log(`${section}: opening ${devices.length} streams`);
    await openStreams(devices, ctx.procs, notices);
  }
  const perDevice = Math.max(1, Math.floor(durationMs / o.intervalMs));
  const plan: { at: number; d: Device; k: number }[] = [];
  for (const d of devices) for (let k = 0; k < perDevice; k++) plan.push({ at: (d.index / devices.length) * o.intervalMs + k * o.intervalMs, d, k });
  plan.sort((a, b) => a.at - b.at);
  const agents = ctx.procs.map(() => new http.Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 128 }));
  const answers: Record<string, number> = {};
  const latencies: number[] = [];
  const slowAt: number[] = [];
  const lags: number[] = [];
  let accepted = 0;
  let refusedThenAccepted = 0;
  let neverAccepted = 0;
  const hqPids = ctx.procs.map((p) => p.pid);
  const rssBefore = hqPids.reduce((n, pid) => n + rssMb(pid), 0);
  let rssMax = rssBefore;
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, hqPids.reduce((n, pid) => n + rssMb(pid), 0))), 500);
  const standbyCpu = () => (ctx.standby ? serverCpuMs(ctx.standby.url) : 0);
  const cpu0 = { hq: cpuOf(hqPids), primary: serverCpuMs(ctx.primary.url), standby: standbyCpu(), gen: process.cpuUsage() };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const inFlight = new Set<Promise<void>>();

  const send = async (item: (typeof plan)[number], scheduled: number) => {
    const row = changeOf(item.d, item.k, new Date(Date.UTC(2026, 2, 2, 2, 0, 0) + item.at));
    const body = JSON.stringify([row]);
    const url = new URL('/v1/sync/tickets/push', ctx.procs[item.d.proc]!.url);
    let refused = false;
    // Bounded: a refused push is tried again at most 20 times.
    for (let attempt = 0; attempt < 20; attempt++) {
      const t0 = performance.now();
      if (attempt === 0) lags.push(t0 - scheduled);
      const w = o.streams && item.d.watcher?.stream ? item.d.watcher : null;
      const waiter = { since: w?.lastSeq ?? 0, t0 };
      w?.waiters.push(waiter);
      const r = await postJson(agents[item.d.proc]!, url, body, item.d.token).catch((e: unknown) => ({ status: 0, text: String(e), retryAfter: 0 }));
      answers[r.status] = (answers[r.status] ?? 0) + 1;
      o.onAnswer?.(r.status, performance.now());
      if (r.status === 200) {
        if (attempt === 0) {
          const ms = performance.now() - t0;
          latencies.push(ms);
          if (ms > TARGET_P99_MS) slowAt.push(t0);
        }
        accepted++;
        if (refused) refusedThenAccepted++;
        if ((JSON.parse(r.text) as unknown[]).length === 0) item.d.acked.set(String(row.newDocumentState.id), row.newDocumentState);
        return;
      }
      if (w) w.waiters = w.waiters.filter((x) => x !== waiter);
      refused = true;
      // The device's back-off (main/hq/backoff.ts): Retry-After plus up to half again.
      const waitMs = Math.max(1, r.retryAfter || 1) * 1000 * (1 + Math.random() * 0.5);
      await new Promise((res) => setTimeout(res, waitMs));
    }
    neverAccepted++;
  };

  const start = performance.now() + 100;
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      o.onTick?.(now - start);
      while (i < plan.length && start + plan[i]!.at <= now) {
        const p = send(plan[i]!, start + plan[i]!.at);
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        i++;
      }
      if (i >= plan.length) return resolve();
      setTimeout(tick, Math.max(0, Math.min(100, start + plan[i]!.at - performance.now())));
    };
    setTimeout(tick, 100);
  });
  await Promise.all([...inFlight]);
  const wallMs = performance.now() - start;
  await new Promise((r) => setTimeout(r, 1_000)); // late notices
  loop.disable();
  clearInterval(rssTimer);
  const gen = process.cpuUsage(cpu0.gen);
  const cpu = { hq: cpuOf(hqPids) - cpu0.hq, primary: serverCpuMs(ctx.primary.url) - cpu0.primary, standby: standbyCpu() - cpu0.standby, gen: (gen.user + gen.system) / 1000 };
  const missed = devices.reduce((n, d) => n + d.waiters.length, 0);
  if (o.streams) closeStreams(devices);
  for (const a of agents) a.destroy();
  const latency = percentiles(latencies);
  const notice = o.streams ? percentiles(notices) : null;
  const errors = Object.entries(answers).reduce((n, [s, c]) => n + (s === '200' || s === '503' ? 0 : c), 0) + neverAccepted;
  const per = (ms: number) => r3(ms / Math.max(1, accepted));
  const share = (ms: number) => r2(ms / wallMs);
  // Spread over the run (load) or packed into a few seconds (a pause somewhere: GC, a checkpoint)?
  const bySecond = new Map<number, number>();
  for (const t of slowAt) bySecond.set(Math.floor((t - start) / 1000), (bySecond.get(Math.floor((t - start) / 1000)) ?? 0) + 1);
  const busiestSeconds = [...bySecond].map(([second, count]) => ({ second, count })).sort((a, b) => b.count - a.count).slice(0, 5);
  const result: RunResult = {
    section,
    devices: devices.length,
    branches: o.branches,
    streams: o.streams,
    intervalMs: o.intervalMs,
    offeredRatePerS: r1(devices.length / (o.intervalMs / 1000)),
    achievedRatePerS: r1(accepted / (wallMs / 1000)),
    wallS: r1(wallMs / 1000),
    pushesPlanned: plan.length,
    pushesAccepted: accepted,
    answers,
    errors,
    refusedThenAccepted,
    neverAccepted,
    latencyMs: latency,
    noticeMs: notice,
    noticesMissed: missed,
    cpuMsPerPush: { hq: per(cpu.hq), postgresPrimary: per(cpu.primary), postgresStandby: per(cpu.standby) },
    cpuShareOfOneCore: { hq: share(cpu.hq), postgresPrimary: share(cpu.primary), postgresStandby: share(cpu.standby), generator: share(cpu.gen) },
    generatorTimerLagP99Ms: percentiles(lags).p99,
    hqRssMb: { before: Math.round(rssBefore), max: Math.round(rssMax), after: Math.round(hqPids.reduce((n, pid) => n + rssMb(pid), 0)) },
    targetMet: errors === 0 && (answers['503'] ?? 0) === 0 && latency.p99 < TARGET_P99_MS && (notice === null || notice.p99 < TARGET_NOTICE_P99_MS),
    slowPushes: { over: TARGET_P99_MS, count: slowAt.length, seconds: bySecond.size, busiestSeconds },
  };
  log(
    `${section}: ${devices.length} devices, ${result.achievedRatePerS}/${result.offeredRatePerS} pushes/s, answers ${JSON.stringify(answers)}, p50 ${latency.p50} / p99 ${latency.p99} ms` +
      (notice ? `, notice p99 ${notice.p99} ms (${missed} missed)` : '') +
      `; CPU ms/push HQ ${result.cpuMsPerPush.hq}, PG ${result.cpuMsPerPush.postgresPrimary} + standby ${result.cpuMsPerPush.postgresStandby}`,
  );
  return result;
}

async function adminQuery<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

async function syncStandby(primary: PgCluster): Promise<PgCluster> {
  const standby = await startStandby(primary, STANDBY);
  await adminQuery(primary.url, `ALTER SYSTEM SET synchronous_standby_names = '${STANDBY}'`);
  await adminQuery(primary.url, 'SELECT pg_reload_conf()');
  for (let i = 0; i < 300; i++) {
    const rows = await adminQuery<{ s: string }>(primary.url, 'SELECT sync_state AS s FROM pg_stat_replication');
    if (rows[0]?.s === 'sync') return standby;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the standby did not become synchronous');
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const loadStart = os.loadavg().map(r2);
  const cleanups: (() => Promise<void> | void)[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-scale-'));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const out: Record<string, unknown> = {};
  // Stopped early (Ctrl-C, timeout): stop the clusters and HQ processes all the same.
  const onSignal = () => {
    void (async () => {
      for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
      process.exit(130);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // HQ on PostgreSQL seals person fields with keys from a file (hq/person-crypto.ts): a throwaway one.
  if (!process.env.HQ_PERSON_KEYS_FILE) {
    const keys = path.join(tmp, 'person-keys.json');
    fs.writeFileSync(keys, JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }), { mode: 0o600 });
    process.env.HQ_PERSON_KEYS_FILE = keys;
  }
  try {
    const primary = await startPgCluster('loket-bench-scale-', { synchronous_commit: 'on' });
    cleanups.unshift(() => primary.stop());
    await adminQuery(primary.url, 'CREATE DATABASE hq_scale');
    const standby = await syncStandby(primary);
    cleanups.unshift(() => standby.stop());
    const db = pgSql(primary.urlOf('hq_scale'), undefined, 4);
    cleanups.unshift(() => db.close());
    await migrate(db);

    let pool: Device[] = [];
    if (only.some((s) => s !== 'failover')) {
      const procs = [await startHqProcess(primary.urlOf('hq_scale'), tmp), await startHqProcess(primary.urlOf('hq_scale'), tmp)];
      const stopProcs = async () => {
        for (const p of procs) await p.stop();
      };
      cleanups.unshift(stopProcs);
      const ctx: RunContext = { db, procs, primary, standby };

      if (only.includes('baseline')) {
        log(`baseline: ${baselineDevices} devices in 1 branch, then over ${branchCount} branches (push only)`);
        const one = await enrolDevices(db, procs, 'SL', baselineDevices, 1);
        const singleLock = await runLoad(ctx, 'baseline-one-lock', one, { streams: false, intervalMs: INTERVAL_MS, branches: 1 });
        const many = await enrolDevices(db, procs, 'PB', baselineDevices, branchCount);
        const perBranch = await runLoad(ctx, 'baseline-per-branch', many, { streams: false, intervalMs: INTERVAL_MS, branches: branchCount });
        out.baseline = {
          what: `${baselineDevices} devices, 2 HQ processes, synchronous standby, push only: all in one branch (every push on one lock, as under the single global lock) vs over ${branchCount} branches (per-branch locks)`,
          singleLock,
          perBranch,
          ratio: {
            p99: r2(singleLock.latencyMs.p99 / perBranch.latencyMs.p99),
            p50: r2(singleLock.latencyMs.p50 / perBranch.latencyMs.p50),
            achievedRate: r2(perBranch.achievedRatePerS / singleLock.achievedRatePerS),
          },
        };
      }

      const curve: RunResult[] = [];
      if (only.includes('curve') || only.includes('overload')) {
        // One pool of devices over the branches; a size takes its first n (device i is in branch i mod branches).
        pool = await enrolDevices(db, procs, 'CV', Math.max(...sizes), branchCount);
        const point = async (n: number) => {
          const devices = pool.slice(0, n);
          for (const d of devices) d.watcher = devices.find((w) => w.branch === d.branch && w.proc !== d.proc && w !== d) ?? null;
          const r = await runLoad(ctx, `curve-${n}`, devices, { streams: true, intervalMs: INTERVAL_MS, branches: Math.min(branchCount, n) });
          curve.push(r);
          return r;
        };
        // Every size is measured (its CPU per push is the cost curve), unless HQ fell far behind: a larger size only fails further.
        for (const n of sizes) if ((await point(n)).achievedRatePerS < 0.5 * (n / (INTERVAL_MS / 1000))) break;
        // None held the target: halve the devices until one does, so the result names the highest rate held.
        for (let n = Math.floor(Math.min(...sizes) / 2); n >= 100 && !curve.some((c) => c.targetMet); n = Math.floor(n / 2)) await point(n);
        curve.sort((a, b) => a.devices - b.devices);
        out.curve = curve;
        const held = [...curve].reverse().find((c) => c.targetMet);
        out.highestHeld = held
          ? { devices: held.devices, pushesPerS: held.achievedRatePerS, p99Ms: held.latencyMs.p99, noticeP99Ms: held.noticeMs?.p99 ?? null }
          : { devices: null, note: `no size from 100 devices up held p99 < ${TARGET_P99_MS} ms` };
      }

      if (only.includes('overload')) {
        const held = [...curve].reverse().find((c) => c.targetMet) ?? curve[0];
        if (held) {
          log(`overload: ${held.devices} devices at twice their rate (one push every ${INTERVAL_MS / 2000} s)`);
          const devices = pool.slice(0, held.devices);
          for (const d of devices) d.watcher = devices.find((w) => w.branch === d.branch && w.proc !== d.proc && w !== d) ?? null;
          const overload = await runLoad(ctx, 'overload', devices, { streams: true, intervalMs: INTERVAL_MS / 2, branches: Math.min(branchCount, held.devices) });
          const count = (keep: (status: number) => boolean) => Object.entries(overload.answers).reduce((n, [s, c]) => n + (keep(Number(s)) ? c : 0), 0);
          // Status 0: no answer within the generator's 30 s (not an HQ answer); the push was tried again.
          out.overload = { ...overload, sustainableFrom: `curve-${held.devices}`, answers5xxOtherThan503: count((s) => s >= 500 && s !== 503), noAnswerIn30s: count((s) => s === 0) };
        }
      }
      await stopProcs();
      cleanups.splice(cleanups.indexOf(stopProcs), 1);
    }

    if (only.includes('failover')) {
      // HQ reaches PostgreSQL through one address that the "failover tool" (this bench) moves.
      const address = new MovableAddress(primary.port);
      const port = await address.listen();
      cleanups.unshift(() => address.close());
      const url = `postgres://loket@127.0.0.1:${port}/hq_scale`;
      const procs = [await startHqProcess(url, tmp), await startHqProcess(url, tmp)];
      const stopProcs = async () => {
        for (const p of procs) await p.stop();
      };
      cleanups.unshift(stopProcs);
      const n = Math.min(1_000, sizes[0] ?? 1_000);
      const devices = pool.length >= n ? pool.slice(0, n) : await enrolDevices(db, procs, 'FO', n, Math.min(branchCount, n));
      let crashedAt = 0;
      let moved = 0;
      let firstOkAfterCrash = 0;
      let acceptedBeforeCrash = 0;
      let crashing = false;
      const acked = () => devices.reduce((k, d) => k + d.acked.size, 0);
      const run = await runLoad({ db, procs, primary, standby }, 'failover', devices, {
        streams: false,
        intervalMs: INTERVAL_MS,
        branches: Math.min(branchCount, n),
        onAnswer: (status, at) => {
          if (status === 200 && crashedAt && !firstOkAfterCrash && at > crashedAt && moved) firstOkAfterCrash = at;
        },
        onTick: (elapsed) => {
          if (crashing || elapsed < durationMs / 3) return;
          crashing = true;
          log('failover: killing the primary, promoting the standby, moving the address');
          acceptedBeforeCrash = acked();
          crashedAt = performance.now();
          void (async () => {
            await primary.crash();
            await standby.promote();
            address.move(standby.port);
            moved = performance.now();
          })();
        },
      });
      // Lost: an acknowledged ticket missing, or its acknowledged call missing, on the new primary.
      const ackedDocs = devices.flatMap((d) => [...d.acked.values()]);
      const ids = ackedDocs.map((doc) => String(doc.id));
      const newPrimary = pgSql(standby.urlOf('hq_scale'), undefined, 2);
      const { rows } = await newPrimary.query<{ id: string; status: string }>(`SELECT id, data ->> 'status' AS status FROM documents WHERE collection = 'tickets' AND id = ANY($1::text[])`, [ids]);
      await newPrimary.close();
      const stored = new Map(rows.map((r) => [r.id, r.status]));
      const lost = ackedDocs.filter((doc) => stored.get(String(doc.id)) !== doc.status && !(doc.status === 'waiting' && stored.get(String(doc.id)) === 'called')).length;
      out.failover = {
        what: `${n} devices pushing every ${INTERVAL_MS / 1000} s through 2 HQ processes; at a third of the run the primary is killed (pg_ctl stop -m immediate), the standby promoted (pg_ctl promote) and HQ's database address moved at once (no failure detection time: a failover tool adds its own)`,
        promotionAndMoveS: r2((moved - crashedAt) / 1000),
        secondsWithoutService: firstOkAfterCrash ? r2((firstOkAfterCrash - crashedAt) / 1000) : null,
        acknowledged: ids.length,
        acknowledgedLost: lost,
        acknowledgedBeforeCrash: acceptedBeforeCrash,
        // CPU is left out: the primary's processes are gone before the end of the run.
        run: { ...run, cpuMsPerPush: undefined, cpuShareOfOneCore: undefined },
      };
      await stopProcs();
      cleanups.splice(cleanups.indexOf(stopProcs), 1);
    }
  } finally {
    for (const c of cleanups) await Promise.resolve(c()).catch((e: unknown) => console.error(e));
  }
  const result = {
    name: 'hq-scale',
    measuredAt: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: r1(os.totalmem() / 2 ** 30),
      loadAverageAtStart: loadStart,
      loadAverageAtEnd: os.loadavg().map(r2),
      note: 'One 2-core machine holds the load generator (every device, its stream and its pushes, in one Node process), both HQ processes, the primary and the standby. PostgreSQL runs with fsync=off and full_page_writes=off (tests/hq/pg-cluster.ts), synchronous_commit=on with a synchronous standby: the standby round trip is paid, the disk flush is not.',
    },
    options: { sizes, baselineDevices, durationS: durationMs / 1000, branches: branchCount, intervalS: INTERVAL_MS / 1000, hqProcesses: 2, targetP99Ms: TARGET_P99_MS, targetNoticeP99Ms: TARGET_NOTICE_P99_MS, sections: only },
    ...out,
    totalSeconds: Math.round((Date.now() - t0) / 1000),
  };
  const file = path.join(REPO_ROOT, 'tests/bench/results/hq-scale.json');
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${path.relative(REPO_ROOT, file)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
