import { afterEach, describe, expect, it } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { checkLimits, MAX_TEXT_CHARS, storableText } from '@shared/records';
import { openTestDb, uniqueName } from './db-helpers';

// The record limits are the same on the device and at HQ (issue 14): a write HQ would refuse for
// its text or its size is refused on the PC, before it is saved, with what is wrong.

let db: LoketDatabase | null = null;
afterEach(async () => {
  await db?.remove();
  db = null;
});

const ticket = (extra: Record<string, unknown> = {}) => ({
  id: `UJI01:2026-03-02:A1-${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`,
  branchCode: 'UJI01',
  service: 'jht-claim',
  status: 'waiting',
  number: 'A1-001',
  day: '2026-03-02',
  slot: 1,
  seq: 1,
  nikHash: 'ab'.repeat(32),
  issuedAt: '2026-03-02T01:00:00.000Z',
  updatedAt: '2026-03-02T01:00:00.000Z',
  history: [{ status: 'waiting', at: '2026-03-02T01:00:00.000Z' }],
  ...extra,
});

describe('record limits on the device', () => {
  it('refuses a local write with a cut character or oversized text, and saves nothing', async () => {
    db = await openTestDb(uniqueName());
    const cut = ticket({ number: 'A1-0\uD83D' });
    await expect(db.tickets.insert(cut as never)).rejects.toThrow(/^tickets: number: contains a lone UTF-16 surrogate/);
    const long = ticket({ history: [{ status: 'waiting', at: 'x'.repeat(MAX_TEXT_CHARS + 1) }] });
    await expect(db.tickets.insert(long as never)).rejects.toThrow(`tickets: history.0.at: text longer than ${MAX_TEXT_CHARS} characters`);
    expect(await db.tickets.count().exec()).toBe(0);
    // A valid ticket is saved, and an edit that would break the limits is refused the same way.
    const ok = await db.tickets.insert(ticket() as never);
    await expect(ok.incrementalPatch({ number: 'A1-\u0000' })).rejects.toThrow(/contains U\+0000/);
    expect((await db.tickets.findOne(ok.primary).exec())?.number).toBe('A1-001');
  });

  it('the same check HQ runs: storable text passes, and storableText repairs what does not', () => {
    const repaired = storableText('Peserta \uD83D Uji\u0000 \uD83D\uDE00');
    expect(repaired).toBe('Peserta \uFFFD Uji \uD83D\uDE00');
    expect(checkLimits('tickets', ticket({ number: repaired.slice(0, 10) }))).toEqual({ ok: true });
  });
});
