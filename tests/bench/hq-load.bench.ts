// @bench-part of sync.bench.ts (scripts/bench.mjs runs it from there, so that tests/bench/results/sync.json
// comes from one run). Run alone: `npx tsx tests/bench/hq-load.bench.ts` (prints, writes nothing).
//
// HQ load: 2,000 simulated devices (enrolled through POST /v1/enrol with one-time codes from the admin
// functions, spread over 20 branches), each pushing one small change (a ticket: insert, then a status
// update with the right assumedMasterState) every 10 s for 60 s: 12,000 pushes at ~200 req/s. Devices
// start evenly staggered over the first 10 s. HTTP/1.1 keep-alive through one agent bounded in
// sockets. Per push: latency from the request being issued to the answer read, and from its
// scheduled time (so agent queueing or a late generator shows up, no coordinated omission). The
// generator measures its own timer lag, event-loop delay and CPU, and HQ's CPU, to show whether it
// or HQ was the bottleneck.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { pgSql, type Sql } from '../../hq/db';
import { migrate } from '../../hq/migrate';
import { startPgCluster, type PgCluster } from '../hq/pg-cluster';
import { testPersonKeysFile } from '../hq/person-keys-file';

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export const r1 = (x: number) => Math.round(x * 10) / 10;
export const r2 = (x: number) => Math.round(x * 100) / 100;
export const r3 = (x: number) => Math.round(x * 1000) / 1000;
export const log = (what: string, line: string) => console.log(`[${what} ${new Date().toISOString().slice(11, 19)}] ${line}`);

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentiles(xs: readonly number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { n: s.length, p50: r2(at(50)), p95: r2(at(95)), p99: r2(at(99)), max: r2(s[s.length - 1]!), mean: r2(s.reduce((a, b) => a + b, 0) / s.length) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A fresh, migrated database on the cluster. */
export async function freshDatabase(cluster: PgCluster, name: string): Promise<{ url: string; db: Sql }> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = cluster.urlOf(name);
  const db = pgSql(url, undefined, 4);
  await migrate(db);
  return { url, db };
}

/** User + system CPU time of a process so far, in ms (Linux /proc), or null elsewhere. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** The PostgreSQL server of a URL's port (postmaster + its backends): pids, for CPU accounting (Linux). */
export function postgresPids(databaseUrl: string): number[] {
  const port = new URL(databaseUrl).port;
  const procs: { pid: number; ppid: number; cmd: string }[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      procs.push({ pid: Number(d), ppid, cmd: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // gone meanwhile
    }
  }
  const master = procs.find((p) => p.cmd.includes('postgres') && p.cmd.includes(` -p ${port} `));
  return master ? [master.pid, ...procs.filter((p) => p.ppid === master.pid).map((p) => p.pid)] : [];
}

const cpuOf = (pids: number[]) => pids.reduce((n, pid) => n + (processCpuMs(pid) ?? 0), 0);

/** Server-side time of each push HQ logged (Fastify's responseTime: request read → answer written), from its log file. */
export function hqPushTimes(logFile: string): number[] {
  const urls = new Map<string, string>();
  const out: number[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const l = JSON.parse(line) as { reqId?: string; msg?: string; req?: { url?: string }; responseTime?: number };
    if (l.msg === 'incoming request' && l.reqId) urls.set(l.reqId, l.req?.url ?? '');
    else if (l.msg === 'request completed' && l.reqId && typeof l.responseTime === 'number' && urls.get(l.reqId)?.endsWith('/push')) out.push(l.responseTime);
  }
  return out;
}

export interface HqProcess {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * `hq/main.ts` as its own process (as deployed: `npm run hq` with DATABASE_URL, info-level log to a
 * file), so its event loop is not shared with the devices or the load generator of this process.
 */
export async function startHqProcess(databaseUrl: string, logDir: string): Promise<HqProcess> {
  const port = await freePort();
  const logFile = path.join(logDir, `hq-${port}.log`);
  const out = fs.openSync(logFile, 'a');
  // LOKET_BENCH_HQ_NODE_ARGS: extra node flags for HQ, e.g. `--cpu-prof --cpu-prof-dir=/tmp/hqprof` to see where its time goes.
  const extra = (process.env.LOKET_BENCH_HQ_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...extra, '--import', 'tsx', 'hq/main.ts'], {
    cwd: REPO_ROOT,
    // HQ_ENROL_RATE_MAX: every simulated device enrols from 127.0.0.1 (the default is 10 a minute per address).
    env: { ...process.env, DATABASE_URL: databaseUrl, HQ_PORT: String(port), NODE_ENV: 'production', HQ_ENROL_RATE_MAX: '1000000', HQ_PERSON_KEYS_FILE: testPersonKeysFile() },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HQ exited (${child.exitCode}): ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('HQ did not become ready in 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    logFile,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---- the load -----------------------------------------------------------------------------------

export interface LoadOptions {
  devices: number;
  branches: number;
  intervalMs: number;
  durationMs: number;
  sockets: number;
  timeoutMs: number;
}

export const DEFAULT_LOAD: LoadOptions = { devices: 2_000, branches: 20, intervalMs: 10_000, durationMs: 60_000, sockets: 256, timeoutMs: 10_000 };

interface LoadDevice {
  index: number;
  branch: string;
  token: string;
  /** The last version of each ticket HQ acknowledged (the assumed master of the next update). */
  acked: Map<string, Record<string, unknown>>;
  tickets: number;
}

interface Sample {
  scheduled: number;
  issued: number;
  done: number;
  status: number;
  error?: string;
}

function request(agent: http.Agent, url: URL, token: string, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}`, accept: 'application/json' },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Enrols `n` devices over `branches` branches, through HQ's own enrolment route, `parallel` at a time. */
async function enrolDevices(db: Sql, hqUrl: string, o: LoadOptions): Promise<LoadDevice[]> {
  const branches: string[] = [];
  for (let b = 0; b < o.branches; b++) {
    const code = `LD${String(b + 1).padStart(3, '0')}`;
    await createBranch(db, { code, name: `Cabang Beban ${b + 1}` });
    branches.push(code);
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const devices: LoadDevice[] = new Array<LoadDevice>(o.devices);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= o.devices) return;
      const branch = branches[i % branches.length]!;
      const { code } = await createEnrolCode(db, branch);
      const deviceId = randomUUID();
      const body = JSON.stringify({ code, deviceId, deviceName: `PC beban ${i + 1}` });
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(new URL('/v1/enrol', hqUrl), { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end(body);
      });
      if (res.status !== 200) throw new Error(`enrol ${i}: ${res.status} ${res.text}`);
      devices[i] = { index: i, branch, token: (JSON.parse(res.text) as { token: string }).token, acked: new Map(), tickets: 0 };
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  agent.destroy();
  return devices;
}

/** The k-th change of a device: even k issues a new ticket, odd k calls the ticket issued just before. */
function changeOf(d: LoadDevice, k: number, at: Date): { assumedMasterState: Record<string, unknown> | null; newDocumentState: Record<string, unknown> } {
  const iso = at.toISOString();
  if (k % 2 === 0) {
    d.tickets++;
    const doc = {
      id: `LOAD-${d.index}-${d.tickets}`,
      branchCode: d.branch,
      service: 'general',
      status: 'waiting',
      number: `B${(d.index % 9) + 1}-${String(d.tickets).padStart(3, '0')}`,
      day: iso.slice(0, 10),
      slot: (d.index % 9) + 1,
      seq: d.tickets,
      nikHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      issuedAt: iso,
      updatedAt: iso,
      history: [{ status: 'waiting', at: iso }],
      _deleted: false,
    };
    return { assumedMasterState: null, newDocumentState: doc };
  }
  const id = `LOAD-${d.index}-${d.tickets}`;
  const master = d.acked.get(id);
  if (!master) {
    // The insert failed: push it again as new (HQ treats an equal document as a no-op).
    d.tickets--;
    return changeOf(d, k - 1, at);
  }
  const doc = { ...master, status: 'called', updatedAt: iso, history: [...(master.history as unknown[]), { status: 'called', at: iso }] };
  return { assumedMasterState: master, newDocumentState: doc };
}

export interface LoadResult {
  what: string;
  options: LoadOptions;
  pushesPlanned: number;
  pushesCompleted: number;
  errors: number;
  errorKinds: Record<string, number>;
  conflicts: number;
  achievedRatePerS: number;
  plannedRatePerS: number;
  wallS: number;
  latencyMs: Percentiles;
  latencyFromScheduleMs: Percentiles;
  generator: {
    timerLagMs: Percentiles;
    eventLoopDelayMs: { p50: number; p99: number; max: number };
    cpuMs: number;
    cpuShareOfOneCore: number;
    maxSocketsInUse: number;
    maxQueuedRequests: number;
  };
  hq: { cpuMs: number | null; cpuShareOfOneCore: number | null; serverSidePushMs: Percentiles; postgresCpuMs: number; postgresCpuShareOfOneCore: number };
  diagnosis: string;
  check: { ticketsAtHq: number; ticketsExpected: number; calledAtHq: number; quarantined: number };
  enrolS: number;
  targetP99Ms: number;
  targetMet: boolean;
}

/** Runs the load against a running HQ on `db` (a fresh database). */
export async function runHqLoad(db: Sql, databaseUrl: string, hq: HqProcess, o: LoadOptions = DEFAULT_LOAD): Promise<LoadResult> {
  const t0 = Date.now();
  log('hq-load', `enrolling ${o.devices} devices over ${o.branches} branches`);
  const devices = await enrolDevices(db, hq.url, o);
  const enrolS = r1((Date.now() - t0) / 1000);
  log('hq-load', `enrolled in ${enrolS} s; pushing for ${o.durationMs / 1000} s`);

  const perDevice = Math.floor(o.durationMs / o.intervalMs);
  const plan: { at: number; device: LoadDevice; k: number }[] = [];
  for (const d of devices) {
    const offset = (d.index / o.devices) * o.intervalMs;
    for (let k = 0; k < perDevice; k++) plan.push({ at: offset + k * o.intervalMs, device: d, k });
  }
  plan.sort((a, b) => a.at - b.at);

  const agent = new http.Agent({ keepAlive: true, maxSockets: o.sockets, maxFreeSockets: o.sockets });
  const pushUrl = new URL('/v1/sync/tickets/push', hq.url);
  const samples: Sample[] = [];
  const lags: number[] = [];
  const errorKinds: Record<string, number> = {};
  let conflicts = 0;
  let maxSockets = 0;
  let maxQueued = 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const cpu0 = process.cpuUsage();
  const hqCpu0 = processCpuMs(hq.pid);
  const pgPids = postgresPids(databaseUrl);
  const pgCpu0 = cpuOf(pgPids);
  const logFrom = hqPushTimes(hq.logFile).length;
  const inFlight = new Set<Promise<void>>();

  const fire = (item: (typeof plan)[number], scheduled: number) => {
    const issued = performance.now();
    lags.push(issued - scheduled);
    const row = changeOf(item.device, item.k, new Date(Date.UTC(2026, 2, 2, 2, 0, 0) + item.at));
    const body = JSON.stringify([row]);
    const p = request(agent, pushUrl, item.device.token, body, o.timeoutMs)
      .then(({ status, text }) => {
        const done = performance.now();
        samples.push({ scheduled, issued, done, status });
        if (status === 200) {
          const answer = JSON.parse(text) as unknown[];
          if (answer.length > 0) conflicts++;
          else item.device.acked.set(String(row.newDocumentState.id), row.newDocumentState);
        } else {
          errorKinds[`HTTP ${status}`] = (errorKinds[`HTTP ${status}`] ?? 0) + 1;
        }
      })
      .catch((e: unknown) => {
        const done = performance.now();
        const msg = e instanceof Error ? e.message : String(e);
        samples.push({ scheduled, issued, done, status: 0, error: msg });
        errorKinds[msg] = (errorKinds[msg] ?? 0) + 1;
      });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    const sockets = Object.values(agent.sockets).reduce((n, s) => n + (s?.length ?? 0), 0);
    const queued = Object.values(agent.requests).reduce((n, s) => n + (s?.length ?? 0), 0);
    if (sockets > maxSockets) maxSockets = sockets;
    if (queued > maxQueued) maxQueued = queued;
  };

  loopDelay.enable();
  const start = performance.now() + 100;
  let i = 0;
  // One timer to the next due push; everything due when it fires goes out at once.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < plan.length && start + plan[i]!.at <= now) {
        fire(plan[i]!, start + plan[i]!.at);
        i++;
      }
      if (i >= plan.length) return resolve();
      setTimeout(tick, Math.max(0, start + plan[i]!.at - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  await Promise.all([...inFlight]);
  const end = performance.now();
  loopDelay.disable();
  const cpu = process.cpuUsage(cpu0);
  const hqCpu1 = processCpuMs(hq.pid);
  const pgCpuMs = cpuOf(pgPids) - pgCpu0;
  agent.destroy();
  await new Promise((r) => setTimeout(r, 500)); // HQ's log lines of the last pushes reach the file
  const serverSide = percentiles(hqPushTimes(hq.logFile).slice(logFrom));

  const wallMs = end - start;
  const ok = samples.filter((s) => s.status === 200);
  const latency = percentiles(ok.map((s) => s.done - s.issued));
  const fromSchedule = percentiles(ok.map((s) => s.done - s.scheduled));
  const errors = samples.length - ok.length + (plan.length - samples.length);
  const genCpuMs = (cpu.user + cpu.system) / 1000;
  const hqCpuMs = hqCpu0 !== null && hqCpu1 !== null ? hqCpu1 - hqCpu0 : null;

  const { rows } = await db.query<{ n: string; called: string }>(
    `SELECT count(*)::text AS n, count(*) FILTER (WHERE data ->> 'status' = 'called')::text AS called FROM documents WHERE collection = 'tickets'`,
  );
  const { rows: q } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM quarantine');
  const targetP99Ms = 200;
  const result: LoadResult = {
    what: `${o.devices} devices over ${o.branches} branches, each pushing one ticket change (insert, then a status update) every ${o.intervalMs / 1000} s for ${o.durationMs / 1000} s, staggered evenly; one keep-alive http.Agent with at most ${o.sockets} sockets; ${o.timeoutMs / 1000} s timeout per push`,
    options: o,
    pushesPlanned: plan.length,
    pushesCompleted: ok.length,
    errors,
    errorKinds,
    conflicts,
    achievedRatePerS: r1(ok.length / (wallMs / 1000)),
    plannedRatePerS: r1(o.devices / (o.intervalMs / 1000)),
    wallS: r1(wallMs / 1000),
    latencyMs: latency,
    latencyFromScheduleMs: fromSchedule,
    generator: {
      timerLagMs: percentiles(lags),
      // The histogram includes its own 10 ms sampling interval: reported beyond it.
      eventLoopDelayMs: { p50: r2(Math.max(0, loopDelay.percentile(50) / 1e6 - 10)), p99: r2(Math.max(0, loopDelay.percentile(99) / 1e6 - 10)), max: r2(Math.max(0, loopDelay.max / 1e6 - 10)) },
      cpuMs: Math.round(genCpuMs),
      cpuShareOfOneCore: r2(genCpuMs / wallMs),
      maxSocketsInUse: maxSockets,
      maxQueuedRequests: maxQueued,
    },
    hq: {
      cpuMs: hqCpuMs === null ? null : Math.round(hqCpuMs),
      cpuShareOfOneCore: hqCpuMs === null ? null : r2(hqCpuMs / wallMs),
      serverSidePushMs: serverSide,
      postgresCpuMs: Math.round(pgCpuMs),
      postgresCpuShareOfOneCore: r2(pgCpuMs / wallMs),
    },
    diagnosis: '',
    check: { ticketsAtHq: Number(rows[0]?.n), ticketsExpected: o.devices * Math.ceil(perDevice / 2), calledAtHq: Number(rows[0]?.called), quarantined: Number(q[0]?.n) },
    enrolS,
    targetP99Ms,
    targetMet: errors === 0 && latency.p99 < targetP99Ms,
  };
  const bound = result.hq.cpuShareOfOneCore !== null && result.hq.cpuShareOfOneCore > 0.8 ? 'HQ CPU' : result.generator.timerLagMs.p99 > 50 ? 'the generator' : null;
  result.diagnosis =
    `Client-side latency p99 ${latency.p99} ms vs HQ server-side p99 ${serverSide.p99} ms (Fastify responseTime); generator timer lag p99 ${result.generator.timerLagMs.p99} ms, ` +
    `CPU ${result.generator.cpuShareOfOneCore} of a core; HQ CPU ${result.hq.cpuShareOfOneCore}, PostgreSQL CPU ${result.hq.postgresCpuShareOfOneCore} of a core; peak ${maxSockets} sockets busy, ${maxQueued} requests queued in the agent. ` +
    (bound ? `Bottleneck: ${bound}. ` : 'Neither HQ, PostgreSQL nor the generator was CPU-bound. ') +
    'Design note: every push holds one global advisory lock for its whole transaction (hq/store.ts: commits follow server_seq) and HQ has a pool of 10 connections, so when PostgreSQL round trips slow down (a busy machine) pushes queue behind the lock.';
  log('hq-load', `${ok.length}/${plan.length} ok, ${errors} errors, ${result.achievedRatePerS} req/s; latency p50 ${latency.p50} / p95 ${latency.p95} / p99 ${latency.p99} ms (from schedule p99 ${fromSchedule.p99}); generator lag p99 ${result.generator.timerLagMs.p99} ms, CPU ${result.generator.cpuShareOfOneCore}; HQ CPU ${result.hq.cpuShareOfOneCore}`);
  return result;
}

/** Standalone: its own cluster and HQ; prints the result. */
async function main(): Promise<void> {
  const cluster = await startPgCluster('loket-bench-load-');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-load-'));
  let hq: HqProcess | null = null;
  let db: Sql | null = null;
  try {
    const fresh = await freshDatabase(cluster, 'hq_load');
    db = fresh.db;
    hq = await startHqProcess(fresh.url, process.env.LOKET_BENCH_LOG_DIR ?? tmp);
    const devices = Number(process.env.LOKET_LOAD_DEVICES ?? DEFAULT_LOAD.devices);
    const durationMs = Number(process.env.LOKET_LOAD_SECONDS ?? DEFAULT_LOAD.durationMs / 1000) * 1000;
    console.log(JSON.stringify(await runHqLoad(db, fresh.url, hq, { ...DEFAULT_LOAD, devices, durationMs }), null, 2));
  } finally {
    await hq?.stop();
    await db?.close();
    cluster.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
