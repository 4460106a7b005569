import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHq } from '../../hq/app';
import { openDatabase } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import type { PullResponse } from '@shared/sync/protocol';
import { enrol, makeBranch, ticket } from './helpers';

// The default mode (`npm run hq` without DATABASE_URL): embedded PGlite in a data folder.

describe('embedded PGlite', () => {
  it('runs the same migrations, enrolment, push and pull, and survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-hq-pglite-'));
    try {
      let db = await openDatabase({ HQ_DATA_DIR: dir });
      expect(db.kind).toBe('pglite');
      expect((await migrate(db)).applied.length).toBeGreaterThan(0);
      const app = buildHq({ db, log: createLogger({ level: 'silent' }) });
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
      const branch = await makeBranch(db);
      const device = await enrol(app, db, branch);
      const doc = ticket(branch, randomUUID());
      const row = [{ assumedMasterState: null, newDocumentState: doc }];
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: row });
        expect(res.json()).toEqual([]);
      }
      const pulled = (await app.inject({ url: '/v1/sync/tickets/pull', headers: device.auth })).json<PullResponse>();
      expect(pulled.documents).toEqual([{ ...doc, _deleted: false }]);
      expect(pulled.checkpoint?.seq).toBeTypeOf('number');
      await app.close();
      await db.close();

      db = await openDatabase({ HQ_DATA_DIR: dir });
      expect((await migrate(db)).applied).toEqual([]);
      const again = buildHq({ db, log: createLogger({ level: 'silent' }) });
      const res = (await again.inject({ url: '/v1/sync/tickets/pull', headers: device.auth })).json<PullResponse>();
      expect(res.documents.map((d) => d.id)).toEqual([doc.id]);
      await again.close();
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a data folder another live process holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-hq-pglite-lock-'));
    try {
      writeFileSync(join(dir, '.loket-hq.lock'), String(process.ppid));
      await expect(openDatabase({ HQ_DATA_DIR: dir })).rejects.toThrow(/in use by process/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
