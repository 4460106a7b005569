import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq, type HqApp } from '../../../hq/app';
import { createBranch, createEnrolCode } from '../../../hq/admin';
import { pgliteSql, type Sql } from '../../../hq/db';
import { createLogger } from '../../../hq/log';
import { migrate } from '../../../hq/migrate';
import { createCore } from '../../../main/core';
import { safeStorageCredentials } from '../../../main/hq/credentials';
import type { SafeStorageLike } from '../../../main/secrets';
import { fileVault } from '../../../main/secrets';
import { memoryLog, setupPayload, tempDir } from './helpers';

// Issue 18 pt 5: moving an enrolled PC to another HQ is for the branch head only, and audited.
// Against two real HQs (Fastify + PGlite, each its own database) on 127.0.0.1.

const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};

const BRANCH = setupPayload.branch.code;
let db: Sql;
let app: HqApp;
let hqUrl: string;
/** A second HQ (its own database), to move a PC to. */
let otherDb: Sql;
let otherApp: HqApp;
let otherHqUrl: string;

beforeAll(async () => {
  db = await pgliteSql(undefined);
  await migrate(db);
  await createBranch(db, { code: BRANCH, name: 'Cabang Uji Satu' });
  app = buildHq({ db, log: createLogger({ level: 'silent' }) });
  hqUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  otherDb = await pgliteSql(undefined);
  await migrate(otherDb);
  await createBranch(otherDb, { code: BRANCH, name: 'Cabang Uji Satu' });
  otherApp = buildHq({ db: otherDb, log: createLogger({ level: 'silent' }) });
  otherHqUrl = await otherApp.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(async () => {
  await app.close();
  await otherApp.close();
  await db.close();
  await otherDb.close();
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
  const { code } = await createEnrolCode(url === otherHqUrl ? otherDb : db, BRANCH);
  return core.dispatch(clientId, 'hq.enrol', { url, code, deviceName: 'PC Uji' });
};

describe('moving a PC to another HQ (issue 18 pt 5)', () => {
  it('is for the branch head only (an admin is refused before anything is sent); the move is audited', async () => {
    const { core } = await device();
    expect(await enrol(core, 'head', hqUrl)).toMatchObject({ ok: true });
    expect(await core.dispatch('head', 'staff.add', { staffId: 'admin.uji', name: 'Admin Uji', role: 'admin', pin: '480213' })).toMatchObject({ ok: true });
    expect(await core.dispatch('adm', 'staff.signIn', { staffId: 'admin.uji', pin: '480213' })).toMatchObject({ ok: true });

    const moved = await enrol(core, 'adm', otherHqUrl);
    expect(moved).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(core.hq.status().url).toBe(hqUrl);

    // The same HQ is not a move: main lets the admin through (this HQ then answers that the PC is enrolled already).
    expect(await enrol(core, 'adm', `${hqUrl}/`)).toMatchObject({ ok: false, error: { code: 'HQ_REJECTED', details: { hq: { code: 'DEVICE_EXISTS' } } } });

    expect(await enrol(core, 'head', otherHqUrl)).toMatchObject({ ok: true });
    expect(core.hq.status().url).toBe(otherHqUrl);
    const enrolments = core.audit.entries().filter((e) => e.action === 'device.enrolled');
    expect(enrolments.at(-1)).toMatchObject({
      actor: { staffId: setupPayload.head.staffId, role: 'head' },
      details: { hq: new URL(otherHqUrl).host, previousHq: new URL(hqUrl).host },
    });
  });
});
