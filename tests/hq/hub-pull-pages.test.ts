import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticket } from './helpers';
import { branchWithHub, fresh, hqDocuments, type Branch } from './hub-helpers';

// Issue 17 and the pull pages HQ cuts by bytes (hq/store.ts PULL_MAX_BYTES, tests/hq/pull-pages.test.ts):
// the hub's own pull from HQ (hq/hub/upstream.ts) goes on after a page HQ cut (`more: true`) though
// it is shorter than the hub asked for, so one round takes in everything HQ holds of the branch.

let br: Branch;
beforeAll(async () => {
  br = await branchWithHub('hub_pull_pages');
}, 180_000);
afterAll(async () => {
  await br?.close();
});

/** Each ticket counts as this many bytes at HQ: five go in a 4 MiB page. */
const COUNTED_BYTES = 1_000_000;

describe('the hub pulling from HQ', () => {
  it('takes in every document in one round though HQ cut its pages by bytes', async () => {
    const docs = Array.from({ length: 12 }, () => ticket(br.a));
    // PC 1 pushed them straight to HQ while the hub was away.
    const res = await br.hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: br.pc1.auth, payload: docs.map(fresh) });
    expect(res.statusCode).toBe(200);
    await br.hq.db.query(`UPDATE documents SET data_bytes = $2 WHERE collection = 'tickets' AND branch_code = $1`, [br.a, COUNTED_BYTES]);

    expect((await br.hub.upstream.syncOnce()).hq).toBe('ok');
    const atHub = (await hqDocuments(br.hub.db, 'tickets')).map((d) => d.id);
    expect(atHub.sort()).toEqual(docs.map((d) => String(d.id)).sort());
  });
});
