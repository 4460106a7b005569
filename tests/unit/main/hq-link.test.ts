import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq, type HqApp } from '../../../hq/app';
import { addStaff, createBranch, createEnrolCode } from '../../../hq/admin';
import { pgliteSql, type Sql } from '../../../hq/db';
import { createLogger } from '../../../hq/log';
import { migrate } from '../../../hq/migrate';
import { createCore } from '../../../main/core';
import { safeStorageCredentials } from '../../../main/hq/credentials';
import type { SafeStorageLike } from '../../../main/secrets';
import { fileVault } from '../../../main/secrets';
import type { HqStatus, SyncChanged } from '@shared/ipc/contract';
import type { PullResponse } from '@shared/sync/protocol';
import { memoryLog, setupPayload, tempDir } from './helpers';

// Main's HQ link against a real HQ (Fastify + PGlite, in this process) on 127.0.0.1: enrolment,
// the token at rest, pull/push through the bridge dispatch, typed errors, and SSE relayed as events.

const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};

const BRANCH = setupPayload.branch.code;
let db: Sql;
let app: HqApp;
let hqUrl: string;

beforeAll(async () => {
  db = await pgliteSql(undefined);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Satu' });
  await createBranch(db, { code: 'OTH01', name: 'Cabang Lain' });
  await addStaff(db, { branchCode: BRANCH, staffId: 'petugas.hq', name: 'Petugas HQ', role: 'officer' });
  app = buildHq({ db, log: createLogger({ level: 'silent' }) });
  hqUrl = await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);

afterAll(async () => {
  await app.close();
  await db.close();
});

/** A device: main's core with a fake OS keychain, set up for BRANCH, the head signed in as `head`. */
async function device(opts: { stream?: boolean } = {}) {
  const dir = tempDir('loket-hq-link-');
  const log = memoryLog();
  const events: { clientId: string; event: string; payload: unknown }[] = [];
  const core = createCore({
    userDataDir: dir,
    mode: 'browser',
    version: '0.0.0-test',
    log,
    vault: fileVault(path.join(dir, 'secrets'), log),
    hqCredentials: safeStorageCredentials(path.join(dir, 'secrets'), fakeSafeStorage),
    hqLink: { timeoutMs: 3_000, stream: { minDelayMs: 50, maxDelayMs: 200, idleMs: 5_000 } },
  });
  core.onEvent((clientId, event, payload) => events.push({ clientId, event, payload }));
  expect(await core.dispatch('head', 'branch.setup', setupPayload)).toMatchObject({ ok: true });
  if (opts.stream !== false) core.hq.start();
  return { core, dir, events };
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function everyFile(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** A complete ticket as the renderer stores it (v2: only a made-up NIK hash, no person). */
const doc = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  branchCode: BRANCH,
  service: 'jht-claim',
  status: 'waiting',
  number: 'A1-001',
  day: '2026-01-01',
  slot: 1,
  seq: 1,
  nikHash: 'f'.repeat(64),
  issuedAt: '2026-01-01T08:00:00.000Z',
  updatedAt: '2026-01-01T08:00:00.000Z',
  history: [{ status: 'waiting', at: '2026-01-01T08:00:00.000Z' }],
  ...extra,
});

describe("main's HQ link", () => {
  it('enrols with a one-time code; the token is stored encrypted, never in plain text, and never crosses the bridge', async () => {
    const { core, dir } = await device({ stream: false });
    expect(await core.dispatch('head', 'hq.status', undefined)).toMatchObject({ ok: true, value: { enrolled: false, connected: false } });
    const { code } = await createEnrolCode(db, BRANCH);
    const res = await core.dispatch('head', 'hq.enrol', { url: hqUrl, code: code.toLowerCase(), deviceName: 'PC Uji 1' });
    expect(res).toEqual({ ok: true, value: { branchCode: BRANCH } });

    const { rows } = await db.query<{ token_hash: string }>('SELECT token_hash FROM devices WHERE device_id = $1', [core.state.deviceId]);
    expect(rows).toHaveLength(1);
    // The token is on disk only encrypted: no file holds it in plain text.
    const creds = safeStorageCredentials(path.join(dir, 'secrets'), fakeSafeStorage).read();
    expect(creds?.token).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    for (const file of everyFile(dir)) expect(fs.readFileSync(file, 'utf8'), file).not.toContain(creds!.token);
    expect((fs.statSync(path.join(dir, 'secrets', 'hq-link.enc')).mode & 0o777).toString(8)).toBe('600');

    // Nothing the renderer can ask for carries it.
    const status = await core.dispatch('head', 'hq.status', undefined);
    expect(status).toMatchObject({ ok: true, value: { enrolled: true, url: hqUrl, branchCode: BRANCH } });
    expect(JSON.stringify(status)).not.toContain(creds!.token);
    expect(JSON.stringify(await core.dispatch('head', 'app.info', undefined))).not.toContain(creds!.token);
    expect(core.state.settings().hqUrl).toBe(hqUrl);

    // The code worked once.
    const again = await device({ stream: false });
    expect(await again.core.dispatch('head', 'hq.enrol', { url: hqUrl, code, deviceName: 'PC Uji 2' })).toMatchObject({
      ok: false,
      error: { code: 'HQ_REJECTED', details: { hq: { status: 400, code: 'ENROL_CODE_INVALID' } } },
    });
  });

  it('only head or admin may enrol; a code of another branch is refused and no token is kept', async () => {
    const { core, dir } = await device({ stream: false });
    await core.dispatch('head', 'staff.add', { staffId: 'petugas.a', name: 'Petugas A', role: 'officer', pin: '480213' });
    await core.dispatch('officer', 'staff.signIn', { staffId: 'petugas.a', pin: '480213' });
    const { code } = await createEnrolCode(db, BRANCH);
    expect(await core.dispatch('officer', 'hq.enrol', { url: hqUrl, code, deviceName: 'PC' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });

    const other = await createEnrolCode(db, 'OTH01');
    expect(await core.dispatch('head', 'hq.enrol', { url: hqUrl, code: other.code, deviceName: 'PC' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(fs.existsSync(path.join(dir, 'secrets', 'hq-link.enc'))).toBe(false);
    expect(await core.dispatch('head', 'sync.pull', { collection: 'tickets', checkpoint: null, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'HQ_NOT_ENROLLED' },
    });
  });

  it('pull and push go through the bridge dispatch: exactly once, conflicts come back, staff comes down', async () => {
    const { core } = await device({ stream: false });
    const { code } = await createEnrolCode(db, BRANCH);
    expect(await core.dispatch('head', 'hq.enrol', { url: hqUrl, code, deviceName: 'PC Uji' })).toMatchObject({ ok: true });
    const id = randomUUID();
    const row = { assumedMasterState: null, newDocumentState: doc(id) };
    for (let i = 0; i < 2; i++) {
      // The second push is a retry: a no-op at HQ, not a conflict.
      expect(await core.dispatch('head', 'sync.push', { collection: 'tickets', rows: [row] })).toEqual({ ok: true, value: [] });
    }
    const conflicting = { assumedMasterState: null, newDocumentState: doc(id, { status: 'called' }) };
    expect(await core.dispatch('head', 'sync.push', { collection: 'tickets', rows: [conflicting] })).toEqual({
      ok: true,
      value: [{ ...doc(id), _deleted: false }],
    });

    const pulled = await core.dispatch('head', 'sync.pull', { collection: 'tickets', checkpoint: null, limit: 1000 });
    expect(pulled.ok).toBe(true);
    const value = (pulled as { value: PullResponse }).value;
    expect(value.documents.filter((d) => d.id === id)).toEqual([{ ...doc(id), _deleted: false }]);
    const after = await core.dispatch('head', 'sync.pull', { collection: 'tickets', checkpoint: value.checkpoint, limit: 10 });
    expect(after).toEqual({ ok: true, value: { documents: [], checkpoint: null } });

    const staff = await core.dispatch('head', 'sync.pull', { collection: 'staff', checkpoint: null, limit: 100 });
    expect(staff).toMatchObject({ ok: true, value: { documents: [expect.objectContaining({ staffId: 'petugas.hq', role: 'officer' })] } });
    const contact = core.hq.status().lastContactAt;
    expect(contact).not.toBeNull();
    expect(await core.dispatch('head', 'app.info', undefined)).toMatchObject({ ok: true, value: { hq: { lastContactAt: contact } } });
  });

  it('HQ 4xx comes back as HQ_REJECTED with HQ code and details; bad payloads never reach HQ', async () => {
    const { core } = await device({ stream: false });
    const { code } = await createEnrolCode(db, BRANCH);
    await core.dispatch('head', 'hq.enrol', { url: hqUrl, code, deviceName: 'PC Uji' });
    const foreign = { assumedMasterState: null, newDocumentState: { ...doc(randomUUID()), branchCode: 'OTH01' } };
    const res = await core.dispatch('head', 'sync.push', { collection: 'tickets', rows: [foreign] });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'HQ_REJECTED', details: { hq: { status: 403, code: 'FORBIDDEN_BRANCH', details: { rejected: [{ id: foreign.newDocumentState.id }] } } } },
    });
    expect(core.hq.status().lastError).toMatchObject({ code: 'HQ_REJECTED:FORBIDDEN_BRANCH' });
    // Read-only collections cannot even be asked for a push.
    expect(await core.dispatch('head', 'sync.push', { collection: 'staff', rows: [foreign] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('HQ down: HQ_UNREACHABLE, typed, never a throw; the status says so', async () => {
    const { core } = await device({ stream: false });
    // A port nobody listens on: bind one, close it, use it.
    const probe = buildHq({ db, log: createLogger({ level: 'silent' }) });
    const deadUrl = await probe.listen({ host: '127.0.0.1', port: 0 });
    const { code } = await createEnrolCode(db, BRANCH);
    expect(await core.dispatch('head', 'hq.enrol', { url: deadUrl, code, deviceName: 'PC Uji' })).toMatchObject({ ok: true });
    await probe.close();
    const res = await core.dispatch('head', 'sync.pull', { collection: 'tickets', checkpoint: null, limit: 10 });
    expect(res).toMatchObject({ ok: false, error: { code: 'HQ_UNREACHABLE', details: { hq: { status: 0 } } } });
    expect(await core.dispatch('head', 'hq.status', undefined)).toMatchObject({
      ok: true,
      value: { enrolled: true, connected: false, lastError: { code: 'HQ_UNREACHABLE' } },
    });
    expect(await core.dispatch('head', 'hq.enrol', { url: deadUrl, code, deviceName: 'PC' })).toMatchObject({ ok: false, error: { code: 'HQ_UNREACHABLE' } });
  });

  it('keeps one SSE stream to HQ and relays RESYNC and changes as bridge events; reconnects after HQ restarts', async () => {
    // Its own HQ on its own port, so it can be stopped and started again on that port.
    const own = buildHq({ db, log: createLogger({ level: 'silent' }) });
    const url = await own.listen({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(url).port);
    const { core, events } = await device();
    const { code } = await createEnrolCode(db, BRANCH);
    expect(await core.dispatch('head', 'hq.enrol', { url, code, deviceName: 'PC Stream' })).toMatchObject({ ok: true });
    const syncEvents = () => events.filter((e) => e.event === 'sync.changed').map((e) => e.payload as SyncChanged);
    const statusEvents = () => events.filter((e) => e.event === 'hq.changed').map((e) => e.payload as HqStatus);
    await until('RESYNC on connect', () => syncEvents().some((e) => 'resync' in e));
    await until('connected status', () => statusEvents().some((s) => s.connected));
    expect(core.hq.status().connected).toBe(true);
    expect(await core.dispatch('head', 'app.info', undefined)).toMatchObject({ ok: true, value: { hq: { connected: true } } });
    // Events go to the signed-in client only.
    expect(new Set(events.filter((e) => e.event.startsWith('sync.') || e.event.startsWith('hq.')).map((e) => e.clientId))).toEqual(new Set(['head']));

    // Another device of the branch pushes: this one hears about it.
    const other = await device({ stream: false });
    const c2 = await createEnrolCode(db, BRANCH);
    await other.core.dispatch('head', 'hq.enrol', { url, code: c2.code, deviceName: 'PC Lain' });
    await other.core.dispatch('head', 'sync.push', { collection: 'tickets', rows: [{ assumedMasterState: null, newDocumentState: doc(randomUUID()) }] });
    await until('changed event', () => syncEvents().some((e) => 'collection' in e && e.collection === 'tickets'));

    // HQ goes away: not connected, with the error; HQ comes back on the same port: connected again, RESYNC.
    await own.close();
    await until('disconnected', () => !core.hq.status().connected);
    expect(core.hq.status().lastError?.code).toMatch(/^HQ_UNREACHABLE/);
    const resyncsBefore = syncEvents().filter((e) => 'resync' in e).length;
    const back = buildHq({ db, log: createLogger({ level: 'silent' }) });
    await back.listen({ host: '127.0.0.1', port });
    try {
      await until('reconnected', () => core.hq.status().connected);
      await until('RESYNC after reconnect', () => syncEvents().filter((e) => 'resync' in e).length > resyncsBefore);
      expect(core.hq.status().lastError).toBeNull();
    } finally {
      await core.hq.stop();
      await back.close();
    }
    expect(core.hq.status().connected).toBe(false);
  });
});
