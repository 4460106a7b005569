import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq, type HqApp } from '../../../hq/app';
import { createBranch, createEnrolCode } from '../../../hq/admin';
import { pgliteSql, type Sql } from '../../../hq/db';
import { createLogger } from '../../../hq/log';
import { migrate } from '../../../hq/migrate';
import { createCore } from '../../../main/core';
import { fileCredentials, safeStorageCredentials } from '../../../main/hq/credentials';
import { checkEnrolment } from '../../../main/hq/enrolment';
import type { SafeStorageLike } from '../../../main/secrets';
import { fileVault } from '../../../main/secrets';
import { memoryLog, setupPayload, tempDir } from './helpers';

// Issue 18 pt 5: only https off the PC. Enrolment takes an https HQ address (http only to this PC, for
// development and these tests) and stored credentials to a plain-http HQ are not used. Against a real
// HQ (Fastify + PGlite) on 127.0.0.1. Moving a PC to another HQ: re-enrol.test.ts.

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
  app = buildHq({ db, log: createLogger({ level: 'silent' }) });
  hqUrl = await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);

afterAll(async () => {
  await app.close();
  await db.close();
});

async function device() {
  const dir = tempDir('loket-enrol-https-');
  const log = memoryLog();
  const core = createCore({
    userDataDir: dir,
    mode: 'browser',
    version: '0.0.0-test',
    log,
    vault: fileVault(path.join(dir, 'secrets'), log),
    hqCredentials: safeStorageCredentials(path.join(dir, 'secrets'), fakeSafeStorage),
    hqLink: { timeoutMs: 3_000 },
  });
  expect(await core.dispatch('head', 'branch.setup', setupPayload)).toMatchObject({ ok: true });
  return { core, dir, log };
}

const enrol = async (core: Awaited<ReturnType<typeof device>>['core'], clientId: string, url: string) => {
  const { code } = await createEnrolCode(db, BRANCH);
  return core.dispatch(clientId, 'hq.enrol', { url, code, deviceName: 'PC Uji' });
};

describe('only https to HQ (issue 18 pt 5)', () => {
  it('refuses to enrol with a plain-http address before anything is sent', async () => {
    const { core } = await device();
    for (const url of ['http://hq.loket.example', 'http://10.20.30.40:8080/', 'http://127.0.0.1.loket.example/']) {
      const res = await core.dispatch('head', 'hq.enrol', { url, code: 'ABCD-EFGH-JKMN', deviceName: 'PC Uji' });
      expect(res, url).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      expect(JSON.stringify(res)).toMatch(/https/);
    }
    expect(core.hq.status()).toMatchObject({ enrolled: false, url: null });
    // http to this PC is fine (development and tests).
    expect(await enrol(core, 'head', hqUrl)).toMatchObject({ ok: true });
  });

  it('does not use stored credentials that point at a plain-http HQ (an older or edited file)', () => {
    const dir = tempDir('loket-creds-');
    const stale = { url: 'http://hq.loket.example', branchCode: BRANCH, token: 'tok-0123456789', enrolledAt: '2026-01-01T00:00:00.000Z' };
    safeStorageCredentials(dir, fakeSafeStorage).write(stale);
    expect(safeStorageCredentials(dir, fakeSafeStorage).read()).toBeNull();
    fs.writeFileSync(path.join(dir, 'hq-link.json'), JSON.stringify(stale));
    expect(fileCredentials(dir, memoryLog()).read()).toBeNull();
    // The same file with an https address is used.
    safeStorageCredentials(dir, fakeSafeStorage).write({ ...stale, url: 'https://hq.loket.example' });
    expect(safeStorageCredentials(dir, fakeSafeStorage).read()?.url).toBe('https://hq.loket.example');
  });
});

describe('checkEnrolment: who may point this PC at an HQ', () => {
  const enrolled = { enrolled: true, url: 'https://hq-a.loket.example/sync' };
  it('lets head and admin enrol a PC that is not enrolled, or renew the link to the same HQ', () => {
    expect(checkEnrolment({ enrolled: false, url: null }, 'https://hq-a.loket.example', 'admin')).toEqual({ previousHq: null });
    expect(checkEnrolment(enrolled, 'https://hq-a.loket.example/sync/', 'admin')).toEqual({ previousHq: null });
  });
  it('lets only the head move it to another HQ, and names the HQ left', () => {
    for (const url of ['https://hq-b.loket.example/sync', 'https://hq-a.loket.example:8443/sync', 'https://hq-a.loket.example/other']) {
      expect(() => checkEnrolment(enrolled, url, 'admin'), url).toThrow(expect.objectContaining({ code: 'FORBIDDEN_ROLE' }));
      expect(() => checkEnrolment(enrolled, url, null), url).toThrow(expect.objectContaining({ code: 'FORBIDDEN_ROLE' }));
      expect(checkEnrolment(enrolled, url, 'head')).toEqual({ previousHq: 'hq-a.loket.example' });
    }
  });
});
