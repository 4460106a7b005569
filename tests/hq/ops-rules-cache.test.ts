import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { branchRules, setLocalClosures } from '../../hq/branch-rules';
import type { Sql } from '../../hq/db';
import { hqProcesses, makeBranch } from './helpers';
import type { HqProcesses } from './helpers';

// Issue 20 pt 2, caches: each HQ process caches a branch's case rules (hq/branch-rules.ts, 10 s).
// Rules changed through process 1 (the head's local closures) must hold in process 2 at once, or
// process 2 would judge pushes by the old rules for up to 10 s: the branch's config notice
// (LISTEN/NOTIFY) drops process 2's cached copy. Two apps on one database, as two processes.

let hq: HqProcesses | undefined;
let procs: HqProcesses['procs'] = [];
let branch: string;

beforeAll(async () => {
  hq = await hqProcesses('ops-rules-cache', 2);
  procs = hq.procs;
  branch = await makeBranch(procs[0]!.db);
}, 60_000);

afterAll(async () => {
  await hq?.close();
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
