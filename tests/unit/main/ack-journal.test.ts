// The acknowledged-writes journal (main/storage/ack-journal.ts): its file format (length-prefixed,
// CRC32C-checked, AES-256-GCM records), the torn tail cut on open, group commit order, and trim
// (compaction) never dropping a record that HQ has not acknowledged. Generated documents only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32c } from '../../../main/storage/leveldb-repair';
import {
  AckJournal,
  FILE_HEADER_SIZE,
  JOURNAL_FILE,
  journalKeyFrom,
  MAGIC,
  RECORD_HEADER_SIZE,
  scanJournal,
  type JournalEntry,
} from '../../../main/storage/ack-journal';

const KEY = journalKeyFrom(Buffer.alloc(32, 7).toString('base64'));
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-journal-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const ticket = (n: number, status = 'waiting'): JournalEntry => ({ collection: 'tickets', id: `UJI02:2026-12-06:A1-${String(n).padStart(3, '0')}`, doc: { id: `t${n}`, status, updatedAt: `2026-12-06T01:00:0${n % 10}.000Z` } });
const file = () => path.join(dir, JOURNAL_FILE);

describe('journal file format', () => {
  it('writes a header, then length-prefixed records whose CRC32C covers the encrypted payload', async () => {
    const j = await AckJournal.open({ dir, key: KEY });
    await j.append([ticket(1), ticket(2)]);
    await j.close();
    const buf = fs.readFileSync(file());
    expect(buf.subarray(0, 8).equals(MAGIC)).toBe(true);
    let off = FILE_HEADER_SIZE;
    let n = 0;
    while (off < buf.length) {
      const len = buf.readUInt32LE(off);
      const payload = buf.subarray(off + RECORD_HEADER_SIZE, off + RECORD_HEADER_SIZE + len);
      expect(buf.readUInt32LE(off + 4)).toBe(crc32c(payload));
      // Encrypted: the plaintext id does not appear in the file.
      expect(payload.includes(Buffer.from('A1-001'))).toBe(false);
      off += RECORD_HEADER_SIZE + len;
      n++;
    }
    expect(off).toBe(buf.length);
    expect(n).toBe(2);
  });

  it('reopens with every record, in order, and continues the sequence', async () => {
    const j = await AckJournal.open({ dir, key: KEY });
    await j.append([ticket(1)]);
    await j.append([ticket(2), ticket(3)]);
    await j.close();
    const again = await AckJournal.open({ dir, key: KEY });
    expect(again.records().map((r) => [r.seq, r.doc.id])).toEqual([
      [1, 't1'],
      [2, 't2'],
      [3, 't3'],
    ]);
    expect(await again.append([ticket(4)])).toBe(4);
    await again.close();
  });

  it('a record whose bytes changed fails its CRC and ends the readable journal', async () => {
    const j = await AckJournal.open({ dir, key: KEY });
    await j.append([ticket(1)]);
    await j.append([ticket(2)]);
    await j.close();
    const buf = fs.readFileSync(file());
    buf[buf.length - 3]! ^= 0xff;
    const scan = scanJournal(buf, KEY);
    expect(scan.records.map((r) => r.doc?.id)).toEqual(['t1']);
    expect(scan.problem).toMatch(/checksum mismatch/);
  });

  it('a file written with another key is kept aside whole, never overwritten', async () => {
    const j = await AckJournal.open({ dir, key: KEY });
    await j.append([ticket(1)]);
    await j.close();
    const other = await AckJournal.open({ dir, key: journalKeyFrom(Buffer.alloc(32, 9).toString('base64')) });
    expect(other.records()).toEqual([]);
    expect(other.openReport.keptAside).toMatch(/journal\.unreadable-/);
    expect(fs.existsSync(other.openReport.keptAside!)).toBe(true);
    await other.close();
  });
});

describe('torn tail', () => {
  async function twoRecords(): Promise<{ end1: number; size: number }> {
    const j = await AckJournal.open({ dir, key: KEY });
    await j.append([ticket(1)]);
    const end1 = j.stats().fileBytes;
    await j.append([ticket(2)]);
    const size = j.stats().fileBytes;
    await j.close();
    return { end1, size };
  }

  for (const [name, cut] of [
    ['in the middle of the payload', (end1: number, size: number) => end1 + RECORD_HEADER_SIZE + Math.floor((size - end1 - RECORD_HEADER_SIZE) / 2)],
    ['in the middle of the record header', (end1: number) => end1 + 3],
    ['right after the header', (end1: number) => end1 + RECORD_HEADER_SIZE],
  ] as const) {
    it(`is cut on open when the last record is torn ${name}, and appends go after the last good record`, async () => {
      const { end1, size } = await twoRecords();
      fs.truncateSync(file(), cut(end1, size));
      const j = await AckJournal.open({ dir, key: KEY });
      expect(j.records().map((r) => r.doc.id)).toEqual(['t1']);
      expect(j.openReport.cutBytes).toBeGreaterThan(0);
      expect(fs.statSync(file()).size).toBe(end1);
      expect(fs.existsSync(j.openReport.keptAside!)).toBe(true);
      await j.append([ticket(3)]);
      await j.close();
      // The next open reads every record: nothing was appended behind garbage.
      const again = await AckJournal.open({ dir, key: KEY });
      expect(again.records().map((r) => r.doc.id)).toEqual(['t1', 't3']);
      expect(again.openReport.cutBytes).toBe(0);
      await again.close();
    });
  }

  it('a tail of zeros (a file extended but never written) is cut too', async () => {
    const { size } = await twoRecords();
    fs.appendFileSync(file(), Buffer.alloc(4096));
    const j = await AckJournal.open({ dir, key: KEY });
    expect(j.records()).toHaveLength(2);
    expect(fs.statSync(file()).size).toBe(size);
    await j.close();
  });

  it('a torn file header starts a new journal', async () => {
    fs.writeFileSync(file(), MAGIC.subarray(0, 5));
    const j = await AckJournal.open({ dir, key: KEY });
    expect(j.records()).toEqual([]);
    await j.append([ticket(1)]);
    await j.close();
    const again = await AckJournal.open({ dir, key: KEY });
    expect(again.records()).toHaveLength(1);
    await again.close();
  });
});

describe('group commit', () => {
  it('appends made while a flush is on disk share the next flush, and resolve in call order', async () => {
    let syncs = 0;
    let release: () => void = () => undefined;
    const j = await AckJournal.open({
      dir,
      key: KEY,
      sync: async (fh) => {
        syncs++;
        if (syncs === 1) await new Promise<void>((r) => (release = r));
        await fh.datasync();
      },
    });
    const order: number[] = [];
    const first = j.append([ticket(1)]).then((s) => order.push(s));
    await new Promise((r) => setTimeout(r, 10)); // the first flush is now waiting on its sync
    const rest = [2, 3, 4, 5].map((n) => j.append([ticket(n)]).then((s) => order.push(s)));
    release();
    await Promise.all([first, ...rest]);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(j.groups).toEqual([1, 4]);
    expect(syncs).toBe(2);
    await j.close();
    // File order is sequence order.
    expect(scanJournal(fs.readFileSync(file()), KEY).records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('nothing resolves before its bytes are synced', async () => {
    let synced = false;
    const j = await AckJournal.open({
      dir,
      key: KEY,
      sync: async (fh) => {
        await new Promise((r) => setTimeout(r, 20));
        await fh.datasync();
        synced = true;
      },
    });
    await j.append([ticket(1)]);
    expect(synced).toBe(true);
    await j.close();
  });

  it('a failed sync rejects the group and every later append', async () => {
    const j = await AckJournal.open({ dir, key: KEY, sync: () => Promise.reject(new Error('EIO')) });
    await expect(j.append([ticket(1)])).rejects.toThrow('EIO');
    await expect(j.append([ticket(2)])).rejects.toThrow('EIO');
    expect(j.records()).toEqual([]);
    await j.close();
  });
});

describe('trim: acknowledged records only', () => {
  it('keeps only the latest record per document, and drops it only when HQ acknowledged exactly that content', async () => {
    const j = await AckJournal.open({ dir, key: KEY, compactMinRecords: 1 });
    await j.append([ticket(1, 'waiting')]);
    await j.append([ticket(1, 'called')]);
    await j.append([ticket(2, 'waiting')]);
    await j.append([{ collection: 'audit', id: 'dev:0000000001', doc: { id: 'dev:0000000001', seq: 1 } }]);
    await j.append([ticket(3, 'waiting')]);
    // HQ acknowledges the older version of t1: the newer one is not covered.
    expect(j.acknowledge('tickets', ticket(1).id, ticket(1, 'waiting').doc)).toBe(false);
    // HQ acknowledges t2 as written (RxDB's own fields do not count).
    expect(j.acknowledge('tickets', ticket(2).id, { ...ticket(2, 'waiting').doc, _rev: '1-x', _meta: { lwt: 1 } })).toBe(true);
    // The newest record of a collection stays even when acknowledged (a chain's tail after a wipe).
    expect(j.acknowledge('audit', 'dev:0000000001', { id: 'dev:0000000001', seq: 1 })).toBe(true);
    expect(j.acknowledge('tickets', ticket(3).id, ticket(3, 'waiting').doc)).toBe(true);
    expect(await j.compact()).toEqual({ before: 5, after: 3 });
    const kept = [
      ['t1', 'called'],
      ['dev:0000000001', undefined],
      ['t3', 'waiting'],
    ];
    expect(j.records().map((r) => [r.doc.id, r.doc.status])).toEqual(kept);
    await j.close();
    const again = await AckJournal.open({ dir, key: KEY });
    expect(again.records().map((r) => [r.doc.id, r.doc.status])).toEqual(kept);
    // Sequences continue after a trim.
    expect(await again.append([ticket(4)])).toBe(6);
    await again.close();
  });

  it('a write after the acknowledged one survives the trim, even if it arrives while trimming', async () => {
    const j = await AckJournal.open({ dir, key: KEY });
    await j.append([ticket(1, 'waiting')]);
    j.acknowledge('tickets', ticket(1).id, ticket(1, 'waiting').doc);
    await j.append([ticket(2, 'waiting')]);
    const write = j.append([ticket(1, 'serving')]);
    const trim = j.compact();
    await Promise.all([write, trim]);
    await j.close();
    const again = await AckJournal.open({ dir, key: KEY });
    expect(again.records().map((r) => [r.doc.id, r.doc.status])).toEqual([
      ['t2', 'waiting'],
      ['t1', 'serving'],
    ]);
    await again.close();
  });

  it('wants a compaction only once dead records outnumber live ones', async () => {
    const j = await AckJournal.open({ dir, key: KEY, compactMinRecords: 4 });
    for (let i = 0; i < 4; i++) await j.append([ticket(1, `s${i}`)]);
    expect(j.wantsCompaction()).toBe(true);
    await j.compact();
    expect(j.wantsCompaction()).toBe(false);
    expect(j.stats()).toMatchObject({ fileRecords: 1, liveRecords: 1, lastSeq: 4 });
    await j.close();
  });
});

describe('undo: an entry appended ahead of a database write that then failed', () => {
  it('the undo makes the latest record of the document what the database holds, or nothing; after a reopen and a trim too', async () => {
    const j = await AckJournal.open({ dir, key: KEY, compactMinRecords: 1 });
    await j.append([ticket(1, 'waiting'), ticket(2, 'waiting')]);
    // Ahead of two database writes: ticket 1 called, ticket 3 new.
    await j.append([ticket(1, 'called'), ticket(3, 'waiting')]);
    // Both writes failed: ticket 1 is back to what the database holds, ticket 3 was never there.
    await j.append([
      { ...ticket(1, 'waiting'), undo: true },
      { collection: ticket(3).collection, id: ticket(3).id, undo: true, doc: null },
    ]);
    const expected = [
      [ticket(2).id, 'waiting'],
      [ticket(1).id, 'waiting'],
    ];
    expect(j.records().map((r) => [r.id, r.doc.status])).toEqual(expected);
    await j.close();
    // The undo records are in the file: a reopen reads the same.
    const scan = scanJournal(fs.readFileSync(file()), KEY);
    expect(scan.records.filter((r) => r.undo).map((r) => r.doc?.status ?? null)).toEqual(['waiting', null]);
    const again = await AckJournal.open({ dir, key: KEY, compactMinRecords: 1 });
    expect(again.records().map((r) => [r.id, r.doc.status])).toEqual(expected);
    // A trim keeps the live state only: nothing of ticket 3 is left in the file.
    await again.compact();
    expect(scanJournal(fs.readFileSync(file()), KEY).records.map((r) => r.id)).toEqual([ticket(2).id, ticket(1).id]);
    await again.close();
  });
});
