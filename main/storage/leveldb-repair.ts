// Cuts a torn tail off the write-ahead logs (and MANIFEST) of Chromium's IndexedDB (LevelDB) before
// Chromium opens the profile. Pure Node fs, no Electron import, so it is unit-testable and the
// durability harness runs exactly this code. See docs/durability-findings.md; upstream bug:
// https://github.com/google/leveldb/issues/1287 (fix proposed in google/leveldb#1336). Drop this
// once Chromium ships that fix or the SQLite IndexedDB backend.
//
// Why: Chromium opens IndexedDB's LevelDB with `reuse_logs` and `paranoid_checks`, and appends a
// log record with two write() calls (header, then payload). A kill between them (or in the middle
// of a long write) leaves a torn record at the end of the log. On the next open LevelDB treats the
// torn tail as end-of-file (fine: that transaction never completed) but then *reuses* the log and
// appends new records after the torn bytes. On the open after that, the torn record is no longer at
// the end: LevelDB reports "Corruption: checksum mismatch", and Chromium deletes the origin's whole
// IndexedDB ("IndexedDB recovering from a corrupted (and deleted) database.").
//
// The repair cuts a log back to the end of its last complete logical record, which is exactly what
// LevelDB reads anyway, so no committed transaction is dropped. Damage that is NOT at the end of a
// file is never cut (that would drop committed records behind it): it is only reported. It must run
// while no browser has the profile open.
//
// Log format (leveldb/doc/log_format.md): 32 KiB blocks; each physical record is a 7-byte header
// (masked CRC32C of type+payload u32 LE, payload length u16 LE, type u8: FULL=1, FIRST=2, MIDDLE=3,
// LAST=4) and its payload; a block's last < 7 bytes are a zero trailer.
import fs from 'node:fs';
import path from 'node:path';

export const BLOCK_SIZE = 32_768;
export const HEADER_SIZE = 7;
export const RecordType = { FULL: 1, FIRST: 2, MIDDLE: 3, LAST: 4 } as const;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC32C (Castagnoli) of buf[start, end). */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const MASK_DELTA = 0xa282ead8;

/** LevelDB stores CRCs masked (rotated and offset) so a CRC of data holding CRCs stays strong. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

export interface LogScan {
  size: number;
  /** Offset just past the last complete logical record (FULL, or FIRST…LAST) or block trailer. */
  lastComplete: number;
  /** Why the bytes after lastComplete are not a complete record, or null if there are none. */
  tail: string | null;
  /** A bad record that is not at the end of the file: not a torn tail, never cut. */
  midFileCorruption: string | null;
}

/** True if buf[from, to) is all zero bytes. */
function allZero(data: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (data[i] !== 0) return false;
  return true;
}

export function scanLog(data: Uint8Array): LogScan {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.length;
  let off = 0;
  let lastComplete = 0;
  let inFragment = false;
  let tail: string | null = null;
  while (off < n) {
    const left = BLOCK_SIZE - (off % BLOCK_SIZE);
    if (left < HEADER_SIZE) {
      off += left; // block trailer (zeros)
      if (!inFragment) lastComplete = Math.min(off, n);
      continue;
    }
    if (off + HEADER_SIZE > n) {
      tail = `torn header (${n - off} of ${HEADER_SIZE} bytes)`;
      break;
    }
    const length = view.getUint16(off + 4, true);
    const type = data[off + 6]!;
    // A header of zeros to the end of the file: the file was extended (preallocated, or a write
    // whose data never reached the disk) but the record never written. Torn, not corrupt.
    if (type === 0 && allZero(data, off, n)) {
      tail = `zero-filled tail (${n - off} bytes)`;
      break;
    }
    if (HEADER_SIZE + length > left || type < RecordType.FULL || type > RecordType.LAST) {
      // A broken header that is the last thing in the file has nothing behind it to lose: a torn
      // write. Before the end it is corruption.
      if (off + HEADER_SIZE === n) {
        tail = `bad header at the end of the file (type ${type}, length ${length})`;
        break;
      }
      return { size: n, lastComplete, tail: null, midFileCorruption: `bad header at ${off} (type ${type}, length ${length})` };
    }
    if (off + HEADER_SIZE + length > n) {
      tail = `torn payload (type ${type}, ${n - off - HEADER_SIZE} of ${length} bytes)`;
      break;
    }
    if (unmaskCrc(view.getUint32(off, true)) !== crc32c(data, off + 6, off + HEADER_SIZE + length)) {
      // Only the last record can be torn; a bad checksum before it is real corruption.
      if (off + HEADER_SIZE + length === n) {
        tail = `bad checksum in last record (type ${type}, length ${length})`;
        break;
      }
      return { size: n, lastComplete, tail: null, midFileCorruption: `checksum mismatch at ${off}` };
    }
    off += HEADER_SIZE + length;
    if (type === RecordType.FULL || type === RecordType.LAST) {
      inFragment = false;
      lastComplete = off;
    } else inFragment = true;
  }
  if (tail === null && inFragment) tail = 'record fragments without their LAST fragment';
  return { size: n, lastComplete, tail, midFileCorruption: null };
}

export interface LogRepair {
  /** `<origin dir>/<file>`, relative to the IndexedDB folder (origins only, no record contents). */
  file: string;
  from: number;
  to: number;
  reason: string;
}

export interface RepairReport {
  /** Files whose torn tail was cut off. */
  repaired: LogRepair[];
  /** Files damaged before their end (or a MANIFEST with no complete record): left as they are. */
  corrupt: string[];
  /** Files scanned. */
  scanned: number;
  /** Copies of damaged origin folders (with backupDamagedTo), made before Chromium can delete them. */
  backedUp: string[];
}

const LOG_FILE = /^(\d+\.log|MANIFEST-\d+)$/;

/** File names and sizes of a folder, as one comparable string. */
function listing(dir: string): string {
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => `${f}:${fs.statSync(path.join(dir, f)).size}`)
    .join('|');
}

function hasSameCopy(dir: string, backups: string, name: string): boolean {
  if (!fs.existsSync(backups)) return false;
  const now = listing(dir);
  return fs.readdirSync(backups).some((b) => b.endsWith(`-${name}`) && listing(path.join(backups, b)) === now);
}

/**
 * Cuts torn tails off every LevelDB log and MANIFEST in every `*.leveldb` folder of an IndexedDB
 * folder: `<userData>/IndexedDB` in Electron, `<profile>/Default/IndexedDB` in Chromium. A missing
 * folder is not an error (first start). `dryRun` only reports. `backupDamagedTo` copies every
 * origin folder with damage before its end there (the repair itself never cuts such damage).
 */
export function repairIndexedDbLogs(indexedDbDir: string, opts: { dryRun?: boolean; backupDamagedTo?: string } = {}): RepairReport {
  const report: RepairReport = { repaired: [], corrupt: [], scanned: 0, backedUp: [] };
  let dirs: string[];
  try {
    dirs = fs.readdirSync(indexedDbDir).filter((d) => d.endsWith('.leveldb'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return report;
    throw e;
  }
  const damaged = new Set<string>();
  for (const dir of dirs.sort()) {
    let files: string[];
    try {
      files = fs.readdirSync(path.join(indexedDbDir, dir));
    } catch {
      continue; // not a folder
    }
    for (const f of files.sort()) {
      // The write-ahead logs and the MANIFEST: both are in the log format and both are reused.
      if (!LOG_FILE.test(f)) continue;
      const file = path.join(indexedDbDir, dir, f);
      const name = `${dir}/${f}`;
      const scan = scanLog(fs.readFileSync(file));
      report.scanned++;
      // A MANIFEST without one complete record cannot be opened either way: leave it alone.
      const problem = scan.midFileCorruption ?? (scan.tail && f.startsWith('MANIFEST-') && scan.lastComplete === 0 ? `${scan.tail}, no complete record` : null);
      if (problem) {
        damaged.add(dir);
        report.corrupt.push(`${name}: ${problem}`);
      } else if (scan.tail) {
        if (!opts.dryRun) fs.truncateSync(file, scan.lastComplete);
        report.repaired.push({ file: name, from: scan.size, to: scan.lastComplete, reason: scan.tail });
      }
    }
  }
  // Chromium will most likely delete a damaged store on open. Keep a copy first, so support can
  // still recover what it held: nothing is lost silently.
  if (opts.backupDamagedTo && !opts.dryRun) {
    for (const dir of damaged) {
      // The same damaged store seen again (Chromium did not delete it): one copy is enough.
      if (hasSameCopy(path.join(indexedDbDir, dir), opts.backupDamagedTo, dir)) continue;
      const to = path.join(opts.backupDamagedTo, `${new Date().toISOString().replace(/[:.]/g, '-')}-${dir}`);
      fs.cpSync(path.join(indexedDbDir, dir), to, { recursive: true });
      report.backedUp.push(to);
    }
  }
  return report;
}

/**
 * The IndexedDB folders of an Electron userData folder: the default session's
 * (`<userData>/IndexedDB/<origin>.indexeddb.leveldb`) and any persistent partition's
 * (`<userData>/Partitions/<name>/IndexedDB`).
 */
export function electronIndexedDbDirs(userDataDir: string): string[] {
  const dirs = [path.join(userDataDir, 'IndexedDB')];
  const partitions = path.join(userDataDir, 'Partitions');
  try {
    for (const p of fs.readdirSync(partitions).sort()) dirs.push(path.join(partitions, p, 'IndexedDB'));
  } catch {
    // no partitions
  }
  return dirs;
}

/** Repairs every IndexedDB folder of an Electron userData folder; damaged stores are copied to `<userData>/IndexedDB-damaged`. */
export function repairUserDataIndexedDb(userDataDir: string): RepairReport {
  const total: RepairReport = { repaired: [], corrupt: [], scanned: 0, backedUp: [] };
  for (const dir of electronIndexedDbDirs(userDataDir)) {
    const r = repairIndexedDbLogs(dir, { backupDamagedTo: path.join(userDataDir, 'IndexedDB-damaged') });
    const rel = path.relative(userDataDir, dir);
    total.repaired.push(...r.repaired.map((x) => ({ ...x, file: path.join(rel, x.file) })));
    total.corrupt.push(...r.corrupt.map((c) => path.join(rel, c)));
    total.scanned += r.scanned;
    total.backedUp.push(...r.backedUp);
  }
  return total;
}
