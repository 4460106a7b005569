import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq } from '../../hq/app';
import type { HqApp } from '../../hq/app';
import { addStaff } from '../../hq/admin';
import { pgSql } from '../../hq/db';
import type { Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { captureLog, enrol, freshDatabase, makeBranch, ticket } from './helpers';
import type { TestDevice } from './helpers';

// Issue 20 pt 2: several HQ processes on one PostgreSQL database. Two apps, each with its own
// pool and its own LISTEN connection, as two processes would have: a device's stream held by one
// hears what is written through the other, within a second.

interface Proc {
  db: Sql;
  app: HqApp;
  url: string;
  log: ReturnType<typeof captureLog>;
}

let procs: Proc[] = [];
let drop: () => Promise<void>;
let databaseUrl: string;
let branch: string;
let device: TestDevice;

async function startProc(url: string): Promise<Proc> {
  const log = captureLog();
  const logger = createLogger({ level: 'warn', destination: log.stream });
  const db = pgSql(url, logger);
  const app = buildHq({ db, log: logger, enrolRateLimit: { max: 1000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { db, app, url: `http://127.0.0.1:${addr.port}`, log };
}

beforeAll(async () => {
  const fresh = await freshDatabase('multi-process');
  drop = fresh.drop;
  databaseUrl = fresh.url;
  const setup = pgSql(fresh.url);
  await migrate(setup);
  await setup.close();
  procs = [await startProc(fresh.url), await startProc(fresh.url)];
  branch = await makeBranch(procs[0]!.db);
  device = await enrol(procs[0]!.app, procs[0]!.db, branch);
}, 60_000);

afterAll(async () => {
  for (const p of procs) {
    await p.app.close();
    await p.db.close();
  }
  await drop?.();
});

/** An event stream over real HTTP that collects its events. */
function stream(baseUrl: string, auth: Record<string, string>) {
  const events: { type: string; collection?: string; seq?: number; at: number }[] = [];
  let res: IncomingMessage | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    const req = request(`${baseUrl}/v1/sync/stream`, { headers: { ...auth, accept: 'text/event-stream' } }, (r) => {
      res = r;
      let buf = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push({ ...(JSON.parse(data.slice(6)) as { type: string }), at: performance.now() });
          if (data && events.length === 1) resolve();
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  return {
    events,
    opened,
    close: () => res?.destroy(),
    /** The first 'changed' event of `collection` at or after `seq`; rejects after `ms`. */
    async changed(collection: string, ms: number): Promise<{ seq?: number; at: number }> {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        const e = events.find((x) => x.type === 'changed' && x.collection === collection);
        if (e) return e;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no 'changed' ${collection} event within ${ms} ms; got ${JSON.stringify(events)}`);
    },
  };
}

describe('several HQ processes on one database', () => {
  it('a stream held by process 2 hears a push made through process 1 within a second, and the other way round', async () => {
    const [p1, p2] = procs as [Proc, Proc];
    for (const [writer, holder] of [
      [p1, p2],
      [p2, p1],
    ] as const) {
      const s = stream(holder.url, device.auth);
      await s.opened;
      expect(s.events[0]?.type).toBe('RESYNC');
      const at = performance.now();
      const res = await writer.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: ticket(branch) }] });
      expect(res.statusCode, res.body).toBe(200);
      const seq = (await writer.db.query<{ s: string }>(`SELECT max(server_seq)::text AS s FROM documents WHERE branch_code = $1 AND collection = 'tickets'`, [branch])).rows[0]!.s;
      const heard = await s.changed('tickets', 1_000);
      expect(heard.at - at).toBeLessThan(1_000);
      expect(heard.seq).toBe(Number(seq));
      s.close();
    }
  });

  it('a stream held by the writing process hears its own write exactly once', async () => {
    const [p1] = procs as [Proc, Proc];
    const s = stream(p1.url, device.auth);
    await s.opened;
    const res = await p1.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: ticket(branch) }] });
    expect(res.statusCode).toBe(200);
    await s.changed('tickets', 1_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.events.filter((e) => e.type === 'changed')).toHaveLength(1);
    s.close();
  });

  it('while its LISTEN connection is down, a process’s streams still hear its own writes at once; the reconnect then resyncs them', async () => {
    const [p1] = procs as [Proc, Proc];
    const s = stream(p1.url, device.auth);
    await s.opened;
    const lostBefore = p1.log.lines.filter((l) => l.includes('notification connection lost')).length;
    const killed = await p1.db.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'loket-hq-listen'`,
    );
    expect(killed.rows.length).toBeGreaterThan(0);
    const until = performance.now() + 2_000;
    while (p1.log.lines.filter((l) => l.includes('notification connection lost')).length === lostBefore) {
      if (performance.now() > until) throw new Error('the process did not notice its LISTEN connection was lost');
      await new Promise((r) => setTimeout(r, 10));
    }
    // Pushed before the reconnect (1 s after the loss): the notice cannot come back through PostgreSQL.
    const res = await p1.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: ticket(branch) }] });
    expect(res.statusCode, res.body).toBe(200);
    const heard = await s.changed('tickets', 500);
    expect(s.events.filter((e) => e.type === 'RESYNC' && e.at < heard.at)).toHaveLength(1); // only the stream's opening one
    // Listening again: the reconnect resyncs the stream, and own writes are heard once, through PostgreSQL.
    const resynced = performance.now() + 5_000;
    while (s.events.filter((e) => e.type === 'RESYNC').length < 2) {
      if (performance.now() > resynced) throw new Error(`no RESYNC after the reconnect; got ${JSON.stringify(s.events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = s.events.filter((e) => e.type === 'changed').length;
    expect((await p1.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: ticket(branch) }] })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.events.filter((e) => e.type === 'changed').length - before).toBe(1);
    s.close();
  });

  it('another branch’s streams hear nothing; an HQ write made outside any HQ process (the admin CLI) reaches the streams', async () => {
    const [p1, p2] = procs as [Proc, Proc];
    const other = await makeBranch(p1.db);
    const otherDevice = await enrol(p1.app, p1.db, other);
    const mine = stream(p2.url, device.auth);
    const theirs = stream(p2.url, otherDevice.auth);
    await Promise.all([mine.opened, theirs.opened]);
    // The admin CLI opens its own connection to the database: no HQ process wrote this.
    const cli = pgSql(databaseUrl);
    try {
      await addStaff(cli, { branchCode: branch, staffId: `staf9.${branch.toLowerCase()}`, name: 'Petugas Baru', role: 'officer' });
    } finally {
      await cli.close();
    }
    await mine.changed('staff', 1_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(theirs.events.filter((e) => e.type === 'changed')).toEqual([]);
    mine.close();
    theirs.close();
  });
});
