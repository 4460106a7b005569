import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { expect, inject } from 'vitest';
import { buildHq } from '../../hq/app';
import type { HqApp, HqOptions } from '../../hq/app';
import { addStaff, createBranch, createEnrolCode } from '../../hq/admin';
import { pgSql } from '../../hq/db';
import type { Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { nikHashForBranchKey, nodeSha256Hex } from '../../hq/validate';
import { appendEntry, type AuditEntry, type AuditEntryInput } from '@shared/audit/chain';
import { DEFAULT_CASE_CONFIG, type CaseConfig } from '@shared/cases/config';

// Shared set-up for HQ tests: one fresh database per test file on the cluster started by
// pg-global-setup.ts, an app with a log captured in memory, and enrolled devices.

/** Creates an empty database on the test cluster; returns its URL and a dropper. */
export async function freshDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('hqPostgresUrl');
  const name = `hq_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface LogCapture {
  lines: string[];
  stream: Writable;
}

export function captureLog(): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, stream };
}

export interface Hq {
  db: Sql;
  app: HqApp;
  log: LogCapture;
  close: () => Promise<void>;
}

/** A migrated database and an app over it (not listening: use app.inject, or listen on 127.0.0.1:0). */
export async function startHq(label: string, options: Pick<HqOptions, 'bodyLimit' | 'enrolRateLimit' | 'revocationRecheckMs'> = {}): Promise<Hq> {
  const { url, drop } = await freshDatabase(label);
  const db = pgSql(url);
  await migrate(db);
  const log = captureLog();
  const app = buildHq({ db, log: createLogger({ level: 'info', destination: log.stream }), ...options });
  await app.ready();
  return {
    db,
    app,
    log,
    close: async () => {
      await app.close();
      await db.close();
      await drop();
    },
  };
}

export interface ListeningHq extends Hq {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
}

/** `startHq`, listening on 127.0.0.1 at a free port, for tests that talk to HQ over HTTP (a PC, a hub, fetch). */
export async function startListeningHq(label: string, options: Parameters<typeof startHq>[1] = {}): Promise<ListeningHq> {
  const hq = await startHq(label, options);
  try {
    await hq.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = hq.app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no HQ address');
    return { ...hq, url: `http://127.0.0.1:${addr.port}`, port: addr.port };
  } catch (err) {
    await hq.close();
    throw err;
  }
}

let branchCounter = 0;
/** Generated branch codes and names: no real offices. */
export function branchCode(): string {
  branchCounter += 1;
  return `T${String(branchCounter).padStart(3, '0')}${randomUUID().slice(0, 3).toUpperCase().replace(/[^A-Z0-9]/g, 'X')}`;
}

export interface TestDevice {
  deviceId: string;
  branchCode: string;
  token: string;
  auth: { authorization: string };
}

export async function makeBranch(db: Sql, code = branchCode(), staff = 2): Promise<string> {
  await createBranch(db, { code, name: `Cabang Uji ${code}` });
  for (let i = 1; i <= staff; i++) {
    await addStaff(db, { branchCode: code, staffId: `staf${i}.${code.toLowerCase()}`, name: `Petugas ${i}`, role: i === 1 ? 'head' : 'officer' });
  }
  return code;
}

export async function enrol(app: HqApp, db: Sql, branch: string): Promise<TestDevice> {
  const { code } = await createEnrolCode(db, branch);
  const deviceId = randomUUID();
  const res = await app.inject({ method: 'POST', url: '/v1/enrol', payload: { code, deviceId, deviceName: `PC uji ${deviceId.slice(0, 4)}` } });
  if (res.statusCode !== 200) throw new Error(`enrol failed: ${res.statusCode} ${res.body}`);
  const { token } = res.json<{ token: string }>();
  return { deviceId, branchCode: branch, token, auth: { authorization: `Bearer ${token}` } };
}

/** An HQ with two branches: A with two enrolled devices, B with one (for isolation tests). */
export async function twoBranches(label: string): Promise<{ hq: Hq; a: string; b: string; devA: TestDevice; devA2: TestDevice; devB: TestDevice }> {
  const hq = await startHq(label);
  const a = await makeBranch(hq.db);
  const b = await makeBranch(hq.db);
  return { hq, a, b, devA: await enrol(hq.app, hq.db, a), devA2: await enrol(hq.app, hq.db, a), devB: await enrol(hq.app, hq.db, b) };
}

/** A ticket document that passes HQ's record schema (shared/records); generated, no real person. */
export function ticket(branch: string, id: string = randomUUID(), extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    branchCode: branch,
    service: 'jht-claim',
    status: 'waiting',
    number: 'A1-001',
    day: '2026-01-01',
    slot: 1,
    seq: 1,
    nikHash: 'ab'.repeat(32),
    issuedAt: '2026-01-01T08:00:00.000Z',
    updatedAt: '2026-01-01T08:00:00.000Z',
    history: [{ status: 'waiting', at: '2026-01-01T08:00:00.000Z' }],
    ...extra,
  };
}

/** Row counts and a content checksum of every HQ table and the sequence: equal = nothing changed. */
export async function databaseFingerprint(db: Sql): Promise<string> {
  const tables = ['branches', 'enrol_codes', 'devices', 'documents', 'quarantine', 'schema_migrations'];
  const parts: string[] = [];
  for (const t of tables) {
    const { rows } = await db.query<{ n: string; h: string | null }>(
      `SELECT count(*)::text AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`,
    );
    parts.push(`${t}:${rows[0]?.n}:${rows[0]?.h}`);
  }
  const seq = await db.query<{ last_value: string; is_called: boolean }>('SELECT last_value::text, is_called FROM documents_seq');
  parts.push(`seq:${seq.rows[0]?.last_value}:${seq.rows[0]?.is_called}`);
  return parts.join('\n');
}

export async function countRows(db: Sql, table: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

/** The keyed NIK hash a device of `branch` computes (HQ's branch key, issued at the first enrolment). */
export async function branchNikHash(db: Sql, branch: string, nik: string): Promise<string> {
  const { rows } = await db.query<{ nik_key: string | null }>('SELECT nik_key FROM branches WHERE code = $1', [branch]);
  const key = rows[0]?.nik_key;
  if (!key) throw new Error(`branch ${branch} has no NIK key yet: enrol a device first`);
  return nikHashForBranchKey(key, nik);
}

/** The case rules HQ holds for a branch made by `makeBranch` (the shared defaults, its code). */
export const branchCaseConfig = (branch: string): CaseConfig => ({ ...DEFAULT_CASE_CONFIG, branchCode: branch });

/** Pushes a valid JMO-reset case of `device`'s branch (as the device's case journal builds it); returns its id. */
export async function pushValidCase(app: HqApp, db: Sql, device: TestDevice): Promise<string> {
  const id = `${device.branchCode}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const nik = '3171011506850041'; // generated: district 317101, born 15-06-1985
  const openedAt = '2026-03-02T09:10:00+07:00';
  const input = { openedAt, caseId: id, nik, config: branchCaseConfig(device.branchCode) };
  const { CASE_MACHINES, replay, storedSnapshot } = await import('@state-machines');
  const snapshot = storedSnapshot(replay(CASE_MACHINES['jmo-reset'], input as never, []).snapshot as never);
  const doc = {
    id,
    branchCode: device.branchCode,
    flow: 'jmo-reset',
    status: 'open',
    nikHash: await branchNikHash(db, device.branchCode, nik),
    person: { nik, name: 'Peserta Uji Kasus' },
    input,
    events: [],
    snapshot,
    journalLength: 0,
    openedAt,
    updatedAt: openedAt,
  };
  const res = await app.inject({ method: 'POST', url: '/v1/sync/cases/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: doc }] });
  if (res.statusCode !== 200) throw new Error(`case push failed: ${res.statusCode} ${res.body}`);
  return id;
}

/** Several HQ processes on one database (issue 20): each app with its own pool, as separate processes would be. */
export interface HqProcesses {
  procs: { db: Sql; app: HqApp }[];
  close(): Promise<void>;
}

export async function hqProcesses(label: string, n: number, options: Pick<HqOptions, 'enrolRateLimit'> = {}): Promise<HqProcesses> {
  const fresh = await freshDatabase(label);
  const setup = pgSql(fresh.url);
  await migrate(setup);
  await setup.close();
  const procs: HqProcesses['procs'] = [];
  for (let i = 0; i < n; i++) {
    const db = pgSql(fresh.url);
    const app = buildHq({ db, log: createLogger({ level: 'warn', destination: captureLog().stream }), ...options });
    await app.ready(); // also starts listening for the other processes' change notices
    procs.push({ db, app });
  }
  return {
    procs,
    close: async () => {
      for (const p of procs.splice(0)) {
        await p.app.close();
        await p.db.close();
      }
      await fresh.drop();
    },
  };
}

/**
 * A device's renderer audit chain that HQ receives entry by entry: each call appends the next entry
 * and pushes it (HQ keeps every entry, flagged or not; a push it does not answer 200 fails the test).
 * Returns the entry's seq.
 */
export function rendererChain(app: HqApp, device: TestDevice): (entry: Omit<AuditEntryInput, 'deviceId'>) => Promise<number> {
  let prev: AuditEntry | null = null;
  return async (input) => {
    const entry = await appendEntry(nodeSha256Hex, prev, { deviceId: device.deviceId, ...input });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sync/audit/push',
      headers: device.auth,
      payload: [{ assumedMasterState: null, newDocumentState: { id: `${device.deviceId}:${String(entry.seq).padStart(10, '0')}`, ...entry } }],
    });
    expect(res.statusCode, res.body).toBe(200);
    prev = entry;
    return entry.seq;
  };
}
