// Repairs a torn tail of the write-ahead logs (and MANIFEST) of Chromium's IndexedDB (LevelDB)
// before the browser starts on a profile. See docs/durability-findings.md; upstream bug:
// https://github.com/google/leveldb/issues/1287 (fix proposed in google/leveldb#1336).
//
// Why: Chromium opens IndexedDB's LevelDB with `reuse_logs` and `paranoid_checks`, and appends a
// log record with two write() calls (header, then payload). A SIGKILL between them (or in the middle
// of a long write) leaves a torn record at the end of the log. On the next open LevelDB treats the
// torn tail as end-of-file (fine: that transaction never completed) but then *reuses* the log and
// appends new records after the torn bytes. On the open after that, the torn record is no longer at
// the end: LevelDB reports "Corruption: checksum mismatch", and Chromium responds by deleting the
// origin's whole IndexedDB ("IndexedDB recovering from a corrupted (and deleted) database.").
//
// The repair cuts each log back to the end of its last complete record, which is exactly what
// LevelDB would have read anyway, so no committed data is dropped; it only stops later appends
// from landing behind garbage. It must run while no browser has the profile open.
import fs from 'node:fs';
import path from 'node:path';

const BLOCK = 32_768;
const HEADER = 7;
const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32c(buf: Buffer, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function unmask(masked: number): number {
  const rot = (masked - 0xa282ead8) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

export interface LogScan {
  size: number;
  /** Offset just past the last complete logical record (FULL, or FIRST…LAST). */
  lastComplete: number;
  /** Why the bytes after lastComplete are not a complete record, or null if there are none. */
  tail: string | null;
  /** A bad record that is not at the end of the file: not a torn tail, left alone. */
  midFileCorruption: string | null;
}

export function scanLog(data: Buffer): LogScan {
  const n = data.length;
  let off = 0;
  let lastComplete = 0;
  let inFragment = false;
  let tail: string | null = null;
  while (off < n) {
    const left = BLOCK - (off % BLOCK);
    if (left < HEADER) {
      off += left; // block trailer (zeros)
      if (!inFragment) lastComplete = Math.min(off, n);
      continue;
    }
    if (off + HEADER > n) {
      tail = `torn header (${n - off} of ${HEADER} bytes)`;
      break;
    }
    const length = data.readUInt16LE(off + 4);
    const type = data[off + 6]!;
    if (HEADER + length > left || type < FULL || type > LAST) {
      return { size: n, lastComplete, tail: null, midFileCorruption: `bad header at ${off} (type ${type}, length ${length})` };
    }
    if (off + HEADER + length > n) {
      tail = `torn payload (type ${type}, ${n - off - HEADER} of ${length} bytes)`;
      break;
    }
    if (unmask(data.readUInt32LE(off)) !== crc32c(data, off + 6, off + HEADER + length)) {
      // Only the last record can be torn; a bad checksum before it is real corruption.
      if (off + HEADER + length === n) {
        tail = `bad checksum in last record (type ${type}, length ${length})`;
        break;
      }
      return { size: n, lastComplete, tail: null, midFileCorruption: `checksum mismatch at ${off}` };
    }
    off += HEADER + length;
    if (type === FULL || type === LAST) {
      inFragment = false;
      lastComplete = off;
    } else if (type === FIRST || type === MIDDLE) inFragment = true;
  }
  if (tail === null && inFragment) tail = 'record fragments without their LAST fragment';
  return { size: n, lastComplete, tail, midFileCorruption: null };
}

export interface LogRepair {
  file: string;
  from: number;
  to: number;
  reason: string;
}

/** Cuts torn tails off every IndexedDB LevelDB log and MANIFEST of the profile; returns what it cut. */
export function repairIndexedDbLogs(profileDir: string): { repaired: LogRepair[]; corrupt: string[] } {
  const repaired: LogRepair[] = [];
  const corrupt: string[] = [];
  const root = path.join(profileDir, 'Default', 'IndexedDB');
  if (!fs.existsSync(root)) return { repaired, corrupt };
  for (const dir of fs.readdirSync(root)) {
    if (!dir.endsWith('.leveldb')) continue;
    for (const f of fs.readdirSync(path.join(root, dir))) {
      // The write-ahead logs and the MANIFEST: both are in the log format and both are reused.
      if (!/^(\d+\.log|MANIFEST-\d+)$/.test(f)) continue;
      const file = path.join(root, dir, f);
      const scan = scanLog(fs.readFileSync(file));
      if (scan.midFileCorruption) corrupt.push(`${path.join(dir, f)}: ${scan.midFileCorruption}`);
      // A MANIFEST without one complete record cannot be opened either way: leave it alone.
      else if (scan.tail && f.startsWith('MANIFEST-') && scan.lastComplete === 0) corrupt.push(`${path.join(dir, f)}: ${scan.tail}, no complete record`);
      else if (scan.tail) {
        fs.truncateSync(file, scan.lastComplete);
        repaired.push({ file: path.join(dir, f), from: scan.size, to: scan.lastComplete, reason: scan.tail });
      }
    }
  }
  return { repaired, corrupt };
}
