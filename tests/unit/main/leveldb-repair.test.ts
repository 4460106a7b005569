// The tail repair the app runs over IndexedDB's LevelDB logs before every start
// (main/storage/leveldb-repair.ts, docs/durability-findings.md), on synthetic logs written here in
// LevelDB's log format: 32 KiB blocks, 7-byte headers (masked CRC32C u32, length u16, type u8).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOCK_SIZE, crc32c, electronIndexedDbDirs, HEADER_SIZE, maskCrc, RecordType, repairIndexedDbLogs, repairUserDataIndexedDb, scanLog, unmaskCrc } from '../../../main/storage/leveldb-repair';

type Type = (typeof RecordType)[keyof typeof RecordType];

function physical(type: Type, payload: Buffer): Buffer {
  const h = Buffer.alloc(HEADER_SIZE);
  h.writeUInt16LE(payload.length, 4);
  h[6] = type;
  h.writeUInt32LE(maskCrc(crc32c(Buffer.concat([Buffer.from([type]), payload]))), 0);
  return Buffer.concat([h, payload]);
}

/** Writes logical records the way log::Writer does: fragments across blocks, zero trailers. */
function writeLog(records: Buffer[]): { data: Buffer; ends: number[] } {
  const parts: Buffer[] = [];
  let off = 0;
  const ends: number[] = [];
  for (const rec of records) {
    let left = rec;
    let begin = true;
    do {
      const room = BLOCK_SIZE - (off % BLOCK_SIZE);
      if (room < HEADER_SIZE) {
        parts.push(Buffer.alloc(room));
        off += room;
        continue;
      }
      const avail = room - HEADER_SIZE;
      const frag = left.subarray(0, avail);
      const end = frag.length === left.length;
      const type = begin && end ? RecordType.FULL : begin ? RecordType.FIRST : end ? RecordType.LAST : RecordType.MIDDLE;
      const p = physical(type, frag);
      parts.push(p);
      off += p.length;
      left = left.subarray(frag.length);
      begin = false;
    } while (left.length > 0);
    ends.push(off);
  }
  return { data: Buffer.concat(parts), ends };
}

const payload = (i: number, size = 100) => Buffer.alloc(size, (i * 7 + 1) & 0xff);

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-leveldb-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An IndexedDB folder with one origin store holding `log` as its 000003.log. */
function store(log: Buffer, name = '000003.log'): { idb: string; file: string } {
  const idb = path.join(tmp, 'IndexedDB');
  const dir = path.join(idb, 'app_loket_0.indexeddb.leveldb');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, log);
  return { idb, file };
}

describe('CRC helpers', () => {
  it('computes CRC32C and round-trips LevelDB masking', () => {
    // The standard CRC32C check value.
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    for (const c of [0, 1, 0xe3069283, 0xffffffff]) expect(unmaskCrc(maskCrc(c))).toBe(c);
    expect(maskCrc(0xe3069283)).not.toBe(0xe3069283);
  });
});

describe('scanLog', () => {
  it('finds no tail in a clean log, including records fragmented across blocks', () => {
    const { data, ends } = writeLog([payload(1), payload(2, 40_000), payload(3, 70_000), payload(4)]);
    expect(data.length).toBeGreaterThan(3 * BLOCK_SIZE);
    const scan = scanLog(data);
    expect(scan).toEqual({ size: data.length, lastComplete: ends.at(-1), tail: null, midFileCorruption: null });
  });

  it('reports a torn payload, a torn header and fragments without their LAST', () => {
    const { data, ends } = writeLog([payload(1), payload(2), payload(3, 500)]);
    expect(scanLog(data.subarray(0, data.length - 200))).toMatchObject({ lastComplete: ends[1], tail: 'torn payload (type 1, 300 of 500 bytes)' });
    expect(scanLog(data.subarray(0, ends[1]! + 3))).toMatchObject({ lastComplete: ends[1], tail: 'torn header (3 of 7 bytes)' });
    // Header written, payload not (the kill between the two write() calls that started it all).
    expect(scanLog(data.subarray(0, ends[1]! + HEADER_SIZE))).toMatchObject({ lastComplete: ends[1], tail: 'torn payload (type 1, 0 of 500 bytes)' });
    const big = writeLog([payload(1), payload(9, 50_000)]);
    const firstOnly = big.data.subarray(0, BLOCK_SIZE); // FIRST fragment complete, LAST missing
    expect(scanLog(firstOnly)).toMatchObject({ lastComplete: big.ends[0], tail: 'record fragments without their LAST fragment', midFileCorruption: null });
  });
});

describe('repairIndexedDbLogs', () => {
  it('leaves a clean log untouched', () => {
    const { data } = writeLog([payload(1), payload(2, 40_000), payload(3)]);
    const { idb, file } = store(data);
    const before = fs.statSync(file).mtimeMs;
    const r = repairIndexedDbLogs(idb);
    expect(r).toEqual({ repaired: [], corrupt: [], scanned: 1, backedUp: [] });
    expect(fs.readFileSync(file).equals(data)).toBe(true);
    expect(fs.statSync(file).mtimeMs).toBe(before);
  });

  it('truncates a torn last record (partial block) to the end of the last complete record', () => {
    const { data, ends } = writeLog([payload(1), payload(2), payload(3, 5_253)]);
    const torn = data.subarray(0, ends[1]! + HEADER_SIZE + 4_480);
    const { idb, file } = store(torn);
    const r = repairIndexedDbLogs(idb);
    expect(r.repaired).toEqual([{ file: 'app_loket_0.indexeddb.leveldb/000003.log', from: torn.length, to: ends[1], reason: 'torn payload (type 1, 4480 of 5253 bytes)' }]);
    expect(r.corrupt).toEqual([]);
    expect(fs.readFileSync(file).equals(data.subarray(0, ends[1]))).toBe(true);
    expect(scanLog(fs.readFileSync(file)).tail).toBeNull();
  });

  it('truncates a torn multi-block record back to before its FIRST fragment', () => {
    const { data, ends } = writeLog([payload(1), payload(2, 80_000)]);
    const torn = data.subarray(0, 2 * BLOCK_SIZE + 100); // FIRST and MIDDLE complete, LAST torn
    const { idb, file } = store(torn);
    const r = repairIndexedDbLogs(idb);
    expect(r.repaired[0]).toMatchObject({ from: torn.length, to: ends[0] });
    expect(fs.statSync(file).size).toBe(ends[0]);
  });

  it('truncates a zero-filled tail (a file extended but never written)', () => {
    const { data, ends } = writeLog([payload(1), payload(2)]);
    const zeroed = Buffer.concat([data, Buffer.alloc(4_096)]);
    const { idb, file } = store(zeroed);
    const r = repairIndexedDbLogs(idb);
    expect(r.repaired).toEqual([{ file: 'app_loket_0.indexeddb.leveldb/000003.log', from: zeroed.length, to: ends[1], reason: 'zero-filled tail (4096 bytes)' }]);
    expect(fs.readFileSync(file).equals(data)).toBe(true);
  });

  it('accepts a missing IndexedDB folder, an empty log and a store without logs', () => {
    expect(repairIndexedDbLogs(path.join(tmp, 'nothing-here'))).toEqual({ repaired: [], corrupt: [], scanned: 0, backedUp: [] });
    const { idb, file } = store(Buffer.alloc(0));
    expect(repairIndexedDbLogs(idb)).toEqual({ repaired: [], corrupt: [], scanned: 1, backedUp: [] });
    expect(fs.statSync(file).size).toBe(0);
    fs.rmSync(file);
    fs.writeFileSync(path.join(path.dirname(file), 'LOCK'), '');
    expect(repairIndexedDbLogs(idb).scanned).toBe(0);
  });

  it('is idempotent: a second run finds nothing to do', () => {
    const { data, ends } = writeLog([payload(1), payload(2), payload(3)]);
    const { idb, file } = store(data.subarray(0, ends[2]! - 10));
    expect(repairIndexedDbLogs(idb).repaired).toHaveLength(1);
    const once = fs.readFileSync(file);
    expect(repairIndexedDbLogs(idb)).toEqual({ repaired: [], corrupt: [], scanned: 1, backedUp: [] });
    expect(fs.readFileSync(file).equals(once)).toBe(true);
    expect(once.length).toBe(ends[1]);
  });

  it('never cuts a corrupt record in the middle: it reports it, leaves the file as it is, and copies the store when asked', () => {
    const { data, ends } = writeLog([payload(1), payload(2), payload(3), payload(4)]);
    const bad = Buffer.from(data);
    const at = ends[1]! + HEADER_SIZE + 10;
    bad[at] = bad[at]! ^ 0xff; // a payload byte of record 3 of 4: its CRC no longer matches
    const { idb, file } = store(bad);
    expect(scanLog(bad)).toMatchObject({ lastComplete: ends[1], tail: null, midFileCorruption: `checksum mismatch at ${ends[1]}` });
    const backups = path.join(tmp, 'IndexedDB-damaged');
    const r = repairIndexedDbLogs(idb, { backupDamagedTo: backups });
    expect(r.repaired).toEqual([]);
    expect(r.corrupt).toEqual([`app_loket_0.indexeddb.leveldb/000003.log: checksum mismatch at ${ends[1]}`]);
    expect(fs.readFileSync(file).equals(bad)).toBe(true);
    expect(r.backedUp).toHaveLength(1);
    expect(fs.readFileSync(path.join(r.backedUp[0]!, '000003.log')).equals(bad)).toBe(true);
    // Seen again unchanged on the next start: reported again, but not copied a second time.
    const again = repairIndexedDbLogs(idb, { backupDamagedTo: backups });
    expect(again.corrupt).toHaveLength(1);
    expect(again.backedUp).toEqual([]);
    expect(fs.readdirSync(backups)).toHaveLength(1);
  });

  it('reports a broken header before the end (a garbage type) as corruption, not a tail', () => {
    const { data, ends } = writeLog([payload(1), payload(2), payload(3)]);
    const bad = Buffer.from(data);
    bad[ends[0]! + 6] = 9;
    const { idb, file } = store(bad);
    const r = repairIndexedDbLogs(idb);
    expect(r.corrupt).toEqual([`app_loket_0.indexeddb.leveldb/000003.log: bad header at ${ends[0]} (type 9, length 100)`]);
    expect(fs.readFileSync(file).equals(bad)).toBe(true);
  });

  it('repairs a MANIFEST tail, but leaves a MANIFEST with no complete record alone', () => {
    const { data, ends } = writeLog([payload(1, 60), payload(2, 60)]);
    const { idb, file } = store(data.subarray(0, ends[1]! - 5), 'MANIFEST-000001');
    expect(repairIndexedDbLogs(idb).repaired).toMatchObject([{ file: 'app_loket_0.indexeddb.leveldb/MANIFEST-000001', to: ends[0] }]);
    fs.writeFileSync(file, data.subarray(0, ends[0]! - 5));
    const r = repairIndexedDbLogs(idb);
    expect(r.repaired).toEqual([]);
    expect(r.corrupt).toEqual([expect.stringContaining('MANIFEST-000001: torn payload')]);
    expect(fs.statSync(file).size).toBe(ends[0]! - 5);
  });

  it("dry run reports without writing", () => {
    const { data, ends } = writeLog([payload(1), payload(2)]);
    const { idb, file } = store(data.subarray(0, ends[1]! - 1));
    expect(repairIndexedDbLogs(idb, { dryRun: true }).repaired).toHaveLength(1);
    expect(fs.statSync(file).size).toBe(ends[1]! - 1);
  });
});

describe('repairUserDataIndexedDb (Electron layout)', () => {
  it('repairs <userData>/IndexedDB and every partition, with paths relative to userData', () => {
    const { data, ends } = writeLog([payload(1), payload(2)]);
    const torn = data.subarray(0, ends[1]! - 3);
    const put = (rel: string) => {
      const dir = path.join(tmp, rel);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, '000005.log'), torn);
    };
    put('IndexedDB/app_loket_0.indexeddb.leveldb');
    put('Partitions/kiosk/IndexedDB/app_loket_0.indexeddb.leveldb');
    fs.mkdirSync(path.join(tmp, 'IndexedDB', 'app_loket_0.indexeddb.blob'));
    expect(electronIndexedDbDirs(tmp)).toEqual([path.join(tmp, 'IndexedDB'), path.join(tmp, 'Partitions', 'kiosk', 'IndexedDB')]);
    const r = repairUserDataIndexedDb(tmp);
    expect(r.repaired.map((x) => [x.file, x.to])).toEqual([
      [path.join('IndexedDB', 'app_loket_0.indexeddb.leveldb', '000005.log'), ends[0]],
      [path.join('Partitions', 'kiosk', 'IndexedDB', 'app_loket_0.indexeddb.leveldb', '000005.log'), ends[0]],
    ]);
    expect(repairUserDataIndexedDb(tmp).repaired).toEqual([]);
  });
});
