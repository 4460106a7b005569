import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../hq/admin';
import { pull } from '../../hq/store';
import { createDevice, type SimDevice } from './device-sim';
import { makeBranch, startListeningHq, type ListeningHq } from './helpers';

// HQ cuts a pull page at a byte budget as well as at the asked number of documents (hq/store.ts,
// PULL_MAX_BYTES). RxDB takes a page shorter than its batch as "nothing more": a fresh PC whose
// branch's first 1,000 documents were over the budget (about 4 KB each: sealed cases, JHT cases
// with several KPJs) ended its first pull after one page and held the rest only after the next
// write in the branch. HQ now says when it cut a page (`more`), and the PC pulls on.

let hq: ListeningHq;
let url: string;
const sims: SimDevice[] = [];
/** Each ticket counts as this many bytes at HQ: five go in a 4 MiB page (rows while the total before them is under it). */
const COUNTED_BYTES = 1_000_000;

beforeAll(async () => {
  hq = await startListeningHq('pullpages');
  url = hq.url;
}, 60_000);
afterAll(async () => {
  for (const d of sims) await d.close();
  await hq?.close();
}, 60_000);

async function device(name: string, branch: string, slot: number): Promise<SimDevice> {
  const d = await createDevice({ name, branch, slot, hqUrl: url, code: (await createEnrolCode(hq.db, branch)).code, collections: ['tickets', 'config'] });
  sims.push(d);
  return d;
}

describe('pull pages cut by bytes', () => {
  it('HQ marks a page it cut by bytes with more: true, and not the last one', async () => {
    const branch = await makeBranch(hq.db);
    const writer = await device('tulis1', branch, 1);
    await writer.writeTickets(12);
    await writer.startSync();
    await writer.replication!.awaitInSync();
    await hq.db.query(`UPDATE documents SET data_bytes = $2 WHERE collection = 'tickets' AND branch_code = $1`, [branch, COUNTED_BYTES]);

    const pages: { count: number; more: boolean }[] = [];
    let after: { id: string; seq: number } | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await pull(hq.db, 'tickets', branch, after, 1000);
      const body = JSON.parse(page.json) as { documents: unknown[]; more?: boolean };
      pages.push({ count: body.documents.length, more: body.more === true });
      if (!page.checkpoint) break;
      after = page.checkpoint;
    }
    expect(pages).toEqual([
      { count: 5, more: true },
      { count: 5, more: true },
      { count: 2, more: false },
      { count: 0, more: false },
    ]);
  });

  it('a fresh PC holds every document once its first pull ends, though HQ cut the pages by bytes', async () => {
    const branch = await makeBranch(hq.db);
    const writer = await device('tulis2', branch, 1);
    const ids = await writer.writeTickets(30);
    await writer.startSync();
    await writer.replication!.awaitInSync();
    await hq.db.query(`UPDATE documents SET data_bytes = $2 WHERE collection = 'tickets' AND branch_code = $1`, [branch, COUNTED_BYTES]);

    const fresh = await device('baru2', branch, 2);
    await fresh.startSync();
    await fresh.replication!.states.get('tickets')!.awaitInitialReplication();
    const held = await fresh.db.tickets.find().exec();
    expect(held.map((t) => t.id).sort()).toEqual([...ids].sort());
  }, 120_000);
});
