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
}

let procs: Proc[] = [];
let drop: () => Promise<void>;
let databaseUrl: string;
let branch: string;
let device: TestDevice;

async function startProc(url: string): Promise<Proc> {
  const db = pgSql(url);
  const app = buildHq({ db, log: createLogger({ level: 'warn', destination: captureLog().stream }), enrolRateLimit: { max: 1000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { db, app, url: `http://127.0.0.1:${addr.port}` };
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
