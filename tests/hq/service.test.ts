import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBranch, createEnrolCode, listDevices, revokeDevice, runAdminCommand } from '../../hq/admin';
import { buildHq } from '../../hq/app';
import { pgSql } from '../../hq/db';
import { createLogger, scrub } from '../../hq/log';
import { loadMigrations, migrate } from '../../hq/migrate';
import { HqErrorBody } from '@shared/sync/protocol';
import { captureLog, countRows, enrol, freshDatabase, makeBranch, startHq } from './helpers';
import type { Hq } from './helpers';

let hq: Hq;
beforeAll(async () => {
  hq = await startHq('service');
});
afterAll(async () => {
  await hq.close();
});

describe('migrations', () => {
  it('apply once and are a no-op on restart', async () => {
    const { url, drop } = await freshDatabase('migrations');
    const db = pgSql(url);
    try {
      const first = await migrate(db);
      expect(first.applied).toEqual(loadMigrations().map((m) => m.version));
      const second = await migrate(db);
      expect(second.applied).toEqual([]);
      expect(await countRows(db, 'schema_migrations')).toBe(loadMigrations().length);
    } finally {
      await db.close();
      await drop();
    }
  });

  it('refuse to start when an applied migration file was edited', async () => {
    const { url, drop } = await freshDatabase('migrations_edit');
    const db = pgSql(url);
    try {
      await migrate(db);
      const edited = loadMigrations().map((m) => ({ ...m, checksum: 'x' }));
      await expect(migrate(db, edited)).rejects.toThrow(/changed after it was applied/);
    } finally {
      await db.close();
      await drop();
    }
  });
});

describe('health', () => {
  it('healthz answers while the process is up; readyz once the database is migrated', async () => {
    expect((await hq.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await hq.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });

  it('readyz is 503 with the uniform error before migrations', async () => {
    const { url, drop } = await freshDatabase('not_ready');
    const db = pgSql(url);
    const app = buildHq({ db, log: createLogger({ level: 'silent' }) });
    try {
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(HqErrorBody.parse(res.json()).error.code).toBe('NOT_READY');
    } finally {
      await app.close();
      await db.close();
      await drop();
    }
  });

  it('unknown routes and methods answer the uniform error shape', async () => {
    for (const [method, url] of [['GET', '/nope'], ['DELETE', '/v1/enrol'], ['GET', '/v1/enrol']] as const) {
      const res = await hq.app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(HqErrorBody.parse(res.json()).error.code).toBe('NOT_FOUND');
    }
  });
});

describe('enrolment', () => {
  it('exchanges a one-time code for a token; the code works once; only hashes are stored', async () => {
    const branch = await makeBranch(hq.db);
    const { code } = await createEnrolCode(hq.db, branch);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const deviceId = randomUUID();
    const res = await hq.app.inject({ method: 'POST', url: '/v1/enrol', payload: { code: code.toLowerCase(), deviceId, deviceName: 'Loket 1' } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; branchCode: string; deviceId: string }>();
    expect(body).toMatchObject({ branchCode: branch, deviceId });
    expect(body.token).toMatch(/^lkt_/);

    const again = await hq.app.inject({ method: 'POST', url: '/v1/enrol', payload: { code, deviceId: randomUUID(), deviceName: 'Loket 2' } });
    expect(again.statusCode).toBe(400);
    expect(HqErrorBody.parse(again.json()).error.code).toBe('ENROL_CODE_INVALID');

    // At rest: neither the code (with or without dashes) nor the token appears anywhere.
    const dump = JSON.stringify([
      (await hq.db.query('SELECT * FROM enrol_codes')).rows,
      (await hq.db.query('SELECT * FROM devices')).rows,
    ]);
    expect(dump).not.toContain(code);
    expect(dump).not.toContain(code.replace(/-/g, ''));
    expect(dump).not.toContain(body.token);
    expect(dump).not.toContain(body.token.slice(4));
    const stored = await hq.db.query<{ token_hash: string }>('SELECT token_hash FROM devices WHERE device_id = $1', [deviceId]);
    expect(stored.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses expired codes and an already enrolled device id without using up the code', async () => {
    const branch = await makeBranch(hq.db);
    const old = await createEnrolCode(hq.db, branch, new Date(Date.now() - 25 * 3600_000));
    const expired = await hq.app.inject({ method: 'POST', url: '/v1/enrol', payload: { code: old.code, deviceId: randomUUID(), deviceName: 'PC' } });
    expect(expired.json<HqErrorBody>().error.code).toBe('ENROL_CODE_INVALID');

    const device = await enrol(hq.app, hq.db, branch);
    const { code } = await createEnrolCode(hq.db, branch);
    const dup = await hq.app.inject({ method: 'POST', url: '/v1/enrol', payload: { code, deviceId: device.deviceId, deviceName: 'PC' } });
    expect(dup.statusCode).toBe(409);
    const fresh = await hq.app.inject({ method: 'POST', url: '/v1/enrol', payload: { code, deviceId: randomUUID(), deviceName: 'PC' } });
    expect(fresh.statusCode).toBe(200);
  });
});

describe('access', () => {
  it('every /v1 route but enrol needs a valid, unrevoked token', async () => {
    const branch = await makeBranch(hq.db);
    const device = await enrol(hq.app, hq.db, branch);
    const routes = [
      ['GET', '/v1/branch'],
      ['GET', `/v1/branches/${branch}`],
      ['GET', '/v1/sync/tickets/pull'],
      ['POST', '/v1/sync/tickets/push'],
    ] as const;
    for (const [method, url] of routes) {
      for (const headers of [{}, { authorization: 'Bearer lkt_not-a-real-token-000000' }, { authorization: device.token }]) {
        const res = await hq.app.inject({ method, url, headers, payload: method === 'POST' ? [] : undefined });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(HqErrorBody.parse(res.json()).error.code).toBe('UNAUTHENTICATED');
      }
    }
    expect((await hq.app.inject({ url: '/v1/branch', headers: device.auth })).statusCode).toBe(200);
    await revokeDevice(hq.db, device.deviceId);
    const revoked = await hq.app.inject({ url: '/v1/branch', headers: device.auth });
    expect(revoked.statusCode).toBe(401);
    expect((await listDevices(hq.db, branch))[0]?.revokedAt).not.toBeNull();
  });

  it('GET /v1/branch gives the branch configuration and staff directory of the device only', async () => {
    const branch = await makeBranch(hq.db, undefined, 3);
    const other = await makeBranch(hq.db);
    const device = await enrol(hq.app, hq.db, branch);
    const res = await hq.app.inject({ url: '/v1/branch', headers: device.auth });
    const body = res.json<{ branch: { code: string; counters: number }; staff: { staffId: string; role: string }[] }>();
    expect(body.branch.code).toBe(branch);
    expect(body.staff).toHaveLength(3);
    expect(body.staff.every((s) => s.staffId.endsWith(branch.toLowerCase()))).toBe(true);
    const forbidden = await hq.app.inject({ url: `/v1/branches/${other}`, headers: device.auth });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json<HqErrorBody>().error.code).toBe('FORBIDDEN_BRANCH');
  });
});

describe('admin CLI', () => {
  it('runs the documented commands', async () => {
    const code = `C${randomUUID().slice(0, 4).toUpperCase().replace(/[^A-Z0-9]/g, '0')}`;
    expect(await runAdminCommand(hq.db, ['create-branch', code, 'Cabang', 'Uji'])).toContain('created');
    await expect(runAdminCommand(hq.db, ['create-branch', code, 'Cabang', 'Uji'])).rejects.toThrow(/exists/);
    expect(await runAdminCommand(hq.db, ['enrol-code', code])).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\n/);
    expect(await runAdminCommand(hq.db, ['add-staff', code, 'satpam01', 'Petugas', 'Satu', 'security'])).toContain('saved');
    expect(await runAdminCommand(hq.db, ['list-devices', code])).toBe('no devices');
    await expect(runAdminCommand(hq.db, ['add-staff', code, 'x', 'Nama', 'boss'])).rejects.toThrow();
    await expect(runAdminCommand(hq.db, ['revoke-device', randomUUID()])).rejects.toThrow(/unknown device/);
    await expect(runAdminCommand(hq.db, ['nope'])).rejects.toThrow(/usage/);
    await expect(createBranch(hq.db, { code: 'lower', name: 'Cabang' })).rejects.toThrow();
  });
});

describe('logs', () => {
  it('never hold NIK-like numbers, tokens or authorization headers', async () => {
    const log = captureLog();
    const logger = createLogger({ destination: log.stream });
    const nik = '3174' + '0112' + '9000' + '0001'; // generated 16-digit run, not a person
    logger.info({ person: { nik }, note: `nik ${nik}`, token: 'lkt_abcdef', headers: { authorization: 'Bearer lkt_abcdef' } }, `seen ${nik}`);
    logger.error({ err: new Error(`failed for ${nik} with lkt_secret123`) }, 'boom');
    const text = log.lines.join('\n');
    expect(text).not.toContain(nik);
    expect(text).not.toContain('lkt_abcdef');
    expect(text).not.toContain('lkt_secret123');
    expect(scrub({ code: 'INVALID_PAYLOAD' })).toEqual({ code: 'INVALID_PAYLOAD' });
    expect(scrub({ code: 'ABCD-EFGH-JKMN' })).toEqual({ code: '[REDACTED]' });

    // And the request log of a real request carries no token.
    const branch = await makeBranch(hq.db);
    const device = await enrol(hq.app, hq.db, branch);
    await hq.app.inject({ url: `/v1/sync/tickets/pull?id=${nik}&seq=1`, headers: device.auth });
    const appLog = hq.log.lines.join('\n');
    expect(appLog).not.toContain(device.token);
    expect(appLog).not.toContain(nik);
    // Request lines keep what operations need: method, scrubbed URL, status.
    expect(appLog).toContain('"req":{"method":"GET","url":"/v1/sync/tickets/pull?id=[ID]&seq=1"}');
    expect(appLog).toContain('"res":{"statusCode":200}');
  });
});

describe('unexpected failures', () => {
  it('answer 500 with a generic message and log the cause without secrets', async () => {
    const log = captureLog();
    const broken = {
      kind: 'pg' as const,
      query: () => Promise.reject(new Error('connection reset while reading 3174011290000001')),
      exec: () => Promise.reject(new Error('down')),
      transaction: () => Promise.reject(new Error('down')),
      close: () => Promise.resolve(),
    };
    const app = buildHq({ db: broken, log: createLogger({ destination: log.stream }) });
    const res = await app.inject({ url: '/v1/branch', headers: { authorization: 'Bearer lkt_0123456789abcdef' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    const text = log.lines.join('\n');
    expect(text).toContain('connection reset');
    expect(text).not.toContain('3174011290000001');
    expect(text).not.toContain('lkt_0123456789abcdef');
    await app.close();
  });
});

