import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { buildHq, type HqApp } from '../../hq/app';
import { createBranch, createEnrolCode } from '../../hq/admin';
import { pgSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { comparableText } from '../../renderer/src/sync/fingerprint';
import { createDevice, type SimDevice } from './device-sim';
import { FaultProxy } from './fault-proxy';
import { startPgCluster, type PgCluster } from './pg-cluster';

// Two simulated devices (main's HQ link + the renderer's replication module, RxDB on memory storage)
// sync through a proxy that drops, delays and duplicates 30% of requests, while they write 2,000
// tickets; HQ is restarted (a new Fastify app on the same database) and PostgreSQL is restarted in
// the middle of it. HQ must end with each record exactly once and equal to the devices' copies;
// every device must converge and show nothing pending. Concurrent edits of the same tickets on both
// devices are resolved by the ticket conflict handler (status precedence), the same on both.

const BRANCH = 'REPL1';
const PER_DEVICE = 1_000;
const SHARED_EDITS = 100;
const CONVERGE_MS = 150_000;

let cluster: PgCluster;
let db: Sql;
let hq: { app: HqApp };
let port: number;
let proxy: FaultProxy;
let proxyUrl: string;
const devices: SimDevice[] = [];

/** Wrapped: a Fastify instance is thenable, so an async function cannot return it as is. */
async function startHqApp(onPort: number): Promise<{ app: HqApp }> {
  const app = buildHq({ db, log: createLogger({ level: 'silent' }) });
  await app.listen({ host: '127.0.0.1', port: onPort });
  return { app };
}

beforeAll(async () => {
  cluster = await startPgCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE hq_replication');
  await admin.end();
  db = pgSql(cluster.urlOf('hq_replication'), undefined, 20);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Replikasi' });
  hq = await startHqApp(0);
  port = (hq.app.server.address() as AddressInfo).port;
  proxy = new FaultProxy({ host: '127.0.0.1', port }, { rate: 0, seed: 20260105 });
  proxyUrl = await proxy.listen();
}, 120_000);

/** Each shutdown step is bounded, so a hang shows up by name instead of as a hook time-out. */
async function bounded(what: string, p: Promise<unknown> | undefined, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.warn(`shutdown step did not finish in ${ms} ms: ${what}`);
      resolve();
    }, ms);
  });
  await Promise.race([Promise.resolve(p).catch(() => undefined), late]);
  clearTimeout(timer);
}

afterAll(async () => {
  for (const d of devices) await bounded(`device ${d.name}`, d.close());
  await bounded('proxy', proxy?.close());
  await bounded('hq', hq?.app.close());
  await bounded('db', db?.close());
  cluster?.stop();
}, 90_000);

async function hqTickets(): Promise<Map<string, { data: Record<string, unknown>; deleted: boolean }>> {
  const { rows } = await db.query<{ id: string; data: Record<string, unknown>; deleted: boolean }>(
    `SELECT id, data, deleted FROM documents WHERE collection = 'tickets' AND branch_code = $1`,
    [BRANCH],
  );
  return new Map(rows.map((r) => [r.id, { data: r.data, deleted: r.deleted }]));
}

async function localTickets(d: SimDevice): Promise<Map<string, Record<string, unknown>>> {
  const docs = await d.db.tickets.find().exec();
  return new Map(docs.map((x) => [x.primary, x.toJSON() as Record<string, unknown>]));
}

/** Converged: HQ and every device hold the same set of tickets, equal by content, nothing pending. */
async function differences(expected: number): Promise<string[]> {
  const problems: string[] = [];
  const atHq = await hqTickets();
  if (atHq.size !== expected) problems.push(`HQ has ${atHq.size} tickets, expected ${expected}`);
  for (const d of devices) {
    const local = await localTickets(d);
    if (local.size !== expected) problems.push(`${d.name} has ${local.size}`);
    let unequal = 0;
    for (const [id, doc] of local) {
      const master = atHq.get(id);
      if (!master || comparableText({ ...master.data, _deleted: master.deleted }) !== comparableText(doc)) unequal++;
    }
    if (unequal > 0) problems.push(`${d.name}: ${unequal} differ from HQ`);
    const pending = d.status.getSnapshot().pendingCount;
    if (pending > 0) problems.push(`${d.name}: ${pending} pending`);
  }
  return problems;
}

/** Waits until HQ stores at least `n` tickets (bounded); returns how many it has. */
async function untilHqHas(n: number, ms = 60_000): Promise<number> {
  const end = Date.now() + ms;
  for (;;) {
    const size = (await hqTickets()).size;
    if (size >= n) return size;
    if (Date.now() > end) throw new Error(`HQ has only ${size} tickets after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitConverged(expected: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  let last: string[] = [];
  while (Date.now() < end) {
    last = await differences(expected);
    if (last.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not converged after ${ms} ms: ${last.join('; ')}`);
}

describe('replication through a faulty network, with HQ and PostgreSQL restarts', () => {
  it('2 devices, 2,000 records: HQ has each exactly once, equal to the devices; all converge', async () => {
    const started = Date.now();
    for (const [i, name] of ['a', 'b'].entries()) {
      const { code } = await createEnrolCode(db, BRANCH);
      // Small batches (the app sends up to 1,000 rows in calls of 200): many requests, so the 30%
      // fault rate hits every kind of call many times over, mid-batch included.
      devices.push(await createDevice({ name, branch: BRANCH, slot: i + 1, hqUrl: proxyUrl, code, sizes: { pushBatchSize: 50, pullBatchSize: 100 } }));
    }
    for (const d of devices) await d.startSync();
    proxy.rate = 0.3;

    // Writing, in waves, while the network misbehaves.
    const writing = devices.map(async (d) => {
      const ids: string[] = [];
      for (let wave = 0; wave < 10; wave++) {
        ids.push(...(await d.writeTickets(PER_DEVICE / 10, 25)));
        await new Promise((r) => setTimeout(r, 150));
      }
      return ids;
    });

    // HQ restart in the middle of the sync: close the Fastify app, build a new one on the same database and port.
    const midHq = await untilHqHas(300);
    await hq.app.close();
    await new Promise((r) => setTimeout(r, 500));
    hq = await startHqApp(port);

    // While HQ was down, writes piled up: the status store says they are pending, not synced.
    const pendingDuringOutage = devices.map((d) => d.status.getSnapshot().pendingCount);
    expect(Math.max(...pendingDuringOutage)).toBeGreaterThan(0);

    // A device restarts its replication mid-sync (the app restarting): it resumes from its checkpoints.
    await devices[1]!.stopSync();
    await devices[1]!.startSync();

    // PostgreSQL restart in the middle of the sync (connections cut, down for a second).
    const midPg = await untilHqHas(900);
    await cluster.restart(1_000);

    const [idsA = [], idsB = []] = await Promise.all(writing);
    expect(idsA).toHaveLength(PER_DEVICE);
    expect(idsB).toHaveLength(PER_DEVICE);

    // Concurrent edits of the same tickets on both devices: once both have them, A calls and B serves.
    await waitConverged(2 * PER_DEVICE, CONVERGE_MS);
    const shared = idsA.slice(0, SHARED_EDITS);
    const edit = async (d: SimDevice, status: string, offsetMs: number) => {
      for (const id of shared) {
        const doc = await d.db.tickets.findOne(id).exec();
        if (!doc) throw new Error(`${d.name} lacks ${id}`);
        const at = new Date(Date.parse(doc.updatedAt) + offsetMs).toISOString();
        await doc.incrementalPatch({ status: status as 'called', updatedAt: at, history: [...doc.history, { status: status as 'called', at }] });
      }
    };
    await Promise.all([edit(devices[0]!, 'called', 60_000), edit(devices[1]!, 'serving', 30_000)]);
    await waitConverged(2 * PER_DEVICE, CONVERGE_MS);

    // Exactly once, equal to the devices' copies (checked in waitConverged); precedence won everywhere.
    const atHq = await hqTickets();
    expect(atHq.size).toBe(2 * PER_DEVICE);
    for (const id of [...idsA, ...idsB]) expect(atHq.has(id), id).toBe(true);
    for (const id of shared) {
      const t = atHq.get(id)!.data;
      expect(t.status).toBe('serving'); // serving > called, whatever the timestamps
      expect((t.history as { status: string }[]).map((h) => h.status).sort()).toEqual(['called', 'serving', 'waiting']);
    }
    const { rows: quarantined } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM quarantine');
    expect(Number(quarantined[0]!.n)).toBe(0);
    for (const d of devices) {
      expect(d.status.isAcknowledged('tickets', idsA[0]!)).toBe(true);
      expect(d.status.getSnapshot().pendingCount).toBe(0);
    }

    const stats = devices.map((d) => d.replication!.stats);
    const f = proxy.stats;
    const report = {
      records: atHq.size,
      sharedEdits: SHARED_EDITS,
      requests: f.requests,
      droppedBeforeHq: f.droppedBefore,
      droppedAfterHq: f.droppedAfter,
      delayed: f.delayed,
      duplicated: f.duplicated,
      upstreamErrors: f.upstreamErrors,
      faulted: f.droppedBefore + f.droppedAfter + f.delayed + f.duplicated,
      pulls: stats.reduce((n, s) => n + s.pulls, 0),
      pushes: stats.reduce((n, s) => n + s.pushes, 0),
      retries: stats.reduce((n, s) => n + s.failures, 0),
      conflictsAnswered: stats.reduce((n, s) => n + s.conflicts, 0),
      conflictRecords: stats.reduce((n, s) => n + s.recorded, 0),
      hqTicketsBeforeHqRestart: midHq,
      hqTicketsBeforePgRestart: midPg,
      pendingDuringHqOutage: pendingDuringOutage,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    console.log(`replication under faults: ${JSON.stringify(report)}`);
    // The faults really happened, at about the rate asked for.
    expect(report.faulted / report.requests).toBeGreaterThan(0.2);
    expect(f.droppedAfter).toBeGreaterThan(0);
    expect(f.duplicated).toBeGreaterThan(0);
    expect(report.retries).toBeGreaterThan(0);
  }, 400_000);
});
