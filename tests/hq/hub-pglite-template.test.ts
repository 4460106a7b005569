import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { openHubDatabase, templateIntact } from '../../hq/hub/pglite-template';
import { startHub } from '../../hq/hub/server';

// Issue 17: a new hub (a PC made the hub, or one whose data folder was deleted) used to run
// PGlite's initdb, 30–45 s on a busy PC, before it could serve the branch. It now starts from a
// copy of an empty initialised cluster made once per PC (hq/hub/pglite-template.ts); its
// migrations still run; a damaged template is made again. And a hub restarted after a crash keeps
// its port unless another program took it (then it listens on a free one).

const log = createLogger({ level: 'silent' });
const root = mkdtempSync(join(tmpdir(), 'loket-hub-template-'));
const tpl = join(root, 'hub-template');
const tables = async (db: Awaited<ReturnType<typeof openHubDatabase>>['db']) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('documents', 'hub_upstream', 'hub_state')`)).rows[0]!.n;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a new hub database starts from the empty template', () => {
  let initdbMs = 0;

  it('the first new database runs initdb once and leaves the template; the hub migrations run on it', async () => {
    const t0 = Date.now();
    const { db, origin } = await openHubDatabase(join(root, 'a'), tpl, log);
    initdbMs = Date.now() - t0;
    try {
      expect(origin).toBe('initdb');
      expect(templateIntact(tpl)).toBe(true);
      await migrate(db);
      expect(await tables(db)).toBe(3);
      await db.query(`INSERT INTO hub_state (key, value) VALUES ('only-in-a', '1'::jsonb)`);
    } finally {
      await db.close();
    }
  }, 240_000);

  it('the next one is a copy of the template: migrated from scratch, nothing of the first, and faster', async () => {
    const t0 = Date.now();
    const { db, origin } = await openHubDatabase(join(root, 'b'), tpl, log);
    const fromTemplateMs = Date.now() - t0;
    try {
      expect(origin).toBe('template');
      expect(await tables(db)).toBe(0); // the template is PostgreSQL's empty cluster only
      await migrate(db);
      expect(await tables(db)).toBe(3);
      expect((await db.query(`SELECT count(*)::int AS n FROM hub_state WHERE key = 'only-in-a'`)).rows[0]).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
    console.info(`hub database: initdb + template ${initdbMs} ms, from the template ${fromTemplateMs} ms`);
    expect(fromTemplateMs).toBeLessThan(initdbMs);
  }, 120_000);

  it('an existing database is opened as it is', async () => {
    const { db, origin } = await openHubDatabase(join(root, 'a'), tpl, log);
    try {
      expect(origin).toBe('existing');
      expect((await db.query(`SELECT count(*)::int AS n FROM hub_state WHERE key = 'only-in-a'`)).rows[0]).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  }, 120_000);

  it('a damaged template (a file cut short, or a stray one) is made again; the new database is whole', async () => {
    truncateSync(join(tpl, 'PG_VERSION'), 1);
    expect(templateIntact(tpl)).toBe(false);
    const { db, origin } = await openHubDatabase(join(root, 'c'), tpl, log);
    try {
      expect(origin).toBe('initdb');
      expect(templateIntact(tpl)).toBe(true);
      await migrate(db);
      expect(await tables(db)).toBe(3);
    } finally {
      await db.close();
    }
    writeFileSync(join(tpl, 'stray'), 'x');
    expect(templateIntact(tpl)).toBe(false);
  }, 240_000);
});

describe('a restarted hub keeps its port', () => {
  it('listens on the port it had; when another program holds it, on a free one', async () => {
    rmSync(join(tpl, 'stray'), { force: true });
    const start = (port: number) =>
      startHub({
        dataDir: join(root, 'hub'),
        templateDir: tpl,
        branchCode: 'PORT1',
        upstream: { url: 'http://127.0.0.1:9', deviceToken: 'x'.repeat(20), intervalMs: 60_000, timeoutMs: 500 },
        log,
        host: '127.0.0.1',
        port,
        anyPortIfTaken: true,
      });
    let hub = await start(0);
    const first = hub.port;
    await hub.close();
    hub = await start(first);
    expect(hub.port).toBe(first);
    await hub.close();
    // Another program took the port while the hub was down.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(first, '127.0.0.1', resolve));
    try {
      expect((squatter.address() as AddressInfo).port).toBe(first);
      hub = await start(first);
      expect(hub.port).not.toBe(first);
      expect(hub.url).toBe(`https://127.0.0.1:${hub.port}`);
      await hub.close();
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 120_000);
});
