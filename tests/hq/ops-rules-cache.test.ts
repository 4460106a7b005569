import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq } from '../../hq/app';
import type { HqApp } from '../../hq/app';
import { branchRules, setLocalClosures } from '../../hq/branch-rules';
import { pgSql } from '../../hq/db';
import type { Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { captureLog, freshDatabase, makeBranch } from './helpers';

// Issue 20 pt 2, caches: each HQ process caches a branch's case rules (hq/branch-rules.ts, 10 s).
// Rules changed through process 1 (the head's local closures) must hold in process 2 at once, or
// process 2 would judge pushes by the old rules for up to 10 s: the branch's config notice
// (LISTEN/NOTIFY) drops process 2's cached copy. Two apps on one database, as two processes.

let procs: { db: Sql; app: HqApp }[] = [];
let drop: () => Promise<void>;
let branch: string;

beforeAll(async () => {
  const fresh = await freshDatabase('ops-rules-cache');
  drop = fresh.drop;
  const setup = pgSql(fresh.url);
  await migrate(setup);
  await setup.close();
  for (let i = 0; i < 2; i++) {
    const db = pgSql(fresh.url);
    const app = buildHq({ db, log: createLogger({ level: 'warn', destination: captureLog().stream }) });
    await app.ready(); // starts listening for change notices
    procs.push({ db, app });
  }
  branch = await makeBranch(procs[0]!.db);
}, 60_000);

afterAll(async () => {
  for (const p of procs) {
    await p.app.close();
    await p.db.close();
  }
  procs = [];
  await drop?.();
});

const closuresIn = async (db: Sql) => (await branchRules(db, branch))?.versions.flatMap((v) => v.config.localClosures ?? []) ?? [];

describe('the branch rules cache with two HQ processes', () => {
  it('a local closure set through process 1 holds in process 2 within a second (not after its 10 s cache)', async () => {
    const [p1, p2] = procs as [(typeof procs)[number], (typeof procs)[number]];
    expect(await closuresIn(p2.db)).toEqual([]); // process 2 has the rules cached now
    await setLocalClosures(p1.db, branch, ['2027-03-03']);
    const end = Date.now() + 1_000;
    let seen: string[] = [];
    while (Date.now() < end) {
      seen = await closuresIn(p2.db);
      if (seen.length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toEqual(['2027-03-03']);
  });
});
