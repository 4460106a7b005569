// The acknowledged-writes journal: a write-ahead mirror, in main, of every record the renderer
// shows as saved (case journal appends, tickets, ticket counters, audit entries). Chromium's
// IndexedDB commits without fsync and, after some crashes, deletes the whole origin's database
// (docs/durability-findings.md); this file is fsync'd before the renderer says "saved", so a power
// cut cannot take back what the screen confirmed. Pure Node (no Electron): unit-tested, and the
// durability harness runs this same code.
//
// File `<dir>/journal.wal`:
//   header: magic "LKWAL001" (8 bytes), sequence floor u64 LE (the highest seq assigned when the
//           file was written: a trim never lets a sequence be reused)
//   record: payload length u32 LE, CRC32C of the payload u32 LE, payload
//   payload: AES-256-GCM of the record's JSON { s: seq, c: collection, i: id, d: document, u?: 1 }:
//            iv (12 bytes) | tag (16 bytes) | ciphertext, with AAD "loket-journal-v1"
// The key is derived (HKDF-SHA256) from the database key: the same key class as the data it mirrors.
//
// Group commit: appends arriving while a write + fdatasync is in flight are written together by the
// next one, so a busy door shares one disk flush between many tickets.
// Torn tail: on open the file is cut back to the end of its last complete, CRC-valid record (the
// cut bytes are kept aside for support), *before* anything is appended: LevelDB's reuse_logs bug,
// not repeated here.
// Bounded: only the latest record per (collection, id) matters (documents are whole states), and a
// record HQ (or the branch hub) acknowledged with exactly that content is dropped; `compact()`
// rewrites the file with what is left. It never drops a record newer than the acknowledged one.
// The newest record of each collection is always kept, acknowledged or not: after a wipe it gives
// back the tail of a chain (the device's audit log) so new entries continue it instead of forking.
// Undo (`u: 1`): the renderer appends a record in parallel with its IndexedDB write; if that write
// fails, it appends an undo carrying what the database still holds (or `d: null`: nothing), so the
// latest record of that document is again what was acknowledged, and a restore never brings back a
// write the screen reported as failed. A null document removes the key; a trim then drops it.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '@shared/canonical-json';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import { crc32c } from './leveldb-repair';

export const JOURNAL_FILE = 'journal.wal';
export const MAGIC = Buffer.from('LKWAL001', 'ascii');
export const FILE_HEADER_SIZE = 16;
export const RECORD_HEADER_SIZE = 8;
const IV_SIZE = 12;
const TAG_SIZE = 16;
/** Larger than any document we write; a length beyond it is garbage, not a record. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;
const AAD = Buffer.from('loket-journal-v1', 'utf8');

export type Doc = Record<string, unknown>;

export interface JournalEntry {
  collection: string;
  id: string;
  doc: Doc;
}

/** Takes back a record appended ahead of its database write, which then failed: `doc` is what the database holds (null: nothing). */
export interface JournalUndo {
  collection: string;
  id: string;
  undo: true;
  doc: Doc | null;
}

export type JournalAppendEntry = JournalEntry | JournalUndo;

/** A live record: the latest state of one document. */
export interface JournalRecord extends JournalEntry {
  seq: number;
}

/** A record as read from the file: an undo may carry no document. */
export interface ScannedRecord {
  seq: number;
  collection: string;
  id: string;
  doc: Doc | null;
  undo?: true;
}

/** The journal key: HKDF-SHA256 of the database key (base64), so the file is as protected as the database. */
export function journalKeyFrom(dbKeyBase64: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(dbKeyBase64, 'base64'), Buffer.from('loket'), Buffer.from('journal v1'), 32));
}

/** A document's content, whoever stored it: canonical JSON without RxDB's `_` fields, hashed. */
export function docDigest(doc: Doc): string {
  return createHash('sha256').update(canonicalJson(withoutBookkeeping(doc))).digest('hex');
}

export function encodeRecord(key: Buffer, rec: ScannedRecord): Buffer {
  const iv = randomBytes(IV_SIZE);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const json = JSON.stringify(rec.undo ? { s: rec.seq, c: rec.collection, i: rec.id, d: rec.doc, u: 1 } : { s: rec.seq, c: rec.collection, i: rec.id, d: rec.doc });
  const ct = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([iv, cipher.getAuthTag(), ct]);
  const header = Buffer.alloc(RECORD_HEADER_SIZE);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32c(payload), 4);
  return Buffer.concat([header, payload]);
}

function decodePayload(key: Buffer, payload: Buffer): ScannedRecord | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, IV_SIZE));
    decipher.setAAD(AAD);
    decipher.setAuthTag(payload.subarray(IV_SIZE, IV_SIZE + TAG_SIZE));
    const text = Buffer.concat([decipher.update(payload.subarray(IV_SIZE + TAG_SIZE)), decipher.final()]).toString('utf8');
    const r = JSON.parse(text) as { s: number; c: string; i: string; d: Doc | null; u?: 1 };
    return r.u ? { seq: r.s, collection: r.c, id: r.i, doc: r.d, undo: true } : { seq: r.s, collection: r.c, id: r.i, doc: r.d };
  } catch {
    return null;
  }
}

export function fileHeader(baseSeq: number): Buffer {
  const h = Buffer.alloc(FILE_HEADER_SIZE);
  MAGIC.copy(h, 0);
  h.writeBigUInt64LE(BigInt(baseSeq), 8);
  return h;
}

export interface JournalScan {
  baseSeq: number;
  records: ScannedRecord[];
  /** End of the last complete, valid record (the file's valid length). */
  goodEnd: number;
  size: number;
  /** Why the scan stopped before the end of the file, if it did. */
  problem: string | null;
  /** The header is not ours (or the key is not the one the file was written with): nothing was read. */
  foreign: boolean;
}

/** Reads a journal file's bytes: every valid record up to the first torn or damaged one. */
export function scanJournal(buf: Buffer, key: Buffer): JournalScan {
  const size = buf.length;
  if (size < FILE_HEADER_SIZE) return { baseSeq: 0, records: [], goodEnd: 0, size, problem: size ? 'torn file header' : null, foreign: false };
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return { baseSeq: 0, records: [], goodEnd: 0, size, problem: 'not a journal file', foreign: true };
  const baseSeq = Number(buf.readBigUInt64LE(8));
  const records: ScannedRecord[] = [];
  let off = FILE_HEADER_SIZE;
  let problem: string | null = null;
  let lastSeq = 0;
  while (off < size) {
    if (off + RECORD_HEADER_SIZE > size) {
      problem = 'torn record header';
      break;
    }
    const len = buf.readUInt32LE(off);
    const crc = buf.readUInt32LE(off + 4);
    if (len < IV_SIZE + TAG_SIZE || len > MAX_RECORD_BYTES) {
      problem = `bad record length ${len} at ${off}`;
      break;
    }
    if (off + RECORD_HEADER_SIZE + len > size) {
      problem = `torn record at ${off} (${size - off - RECORD_HEADER_SIZE} of ${len} bytes)`;
      break;
    }
    const payload = buf.subarray(off + RECORD_HEADER_SIZE, off + RECORD_HEADER_SIZE + len);
    if (crc32c(payload) !== crc) {
      problem = `checksum mismatch at ${off}`;
      break;
    }
    const rec = decodePayload(key, payload);
    if (!rec) {
      // A CRC-valid record that does not decrypt: another key, not a tear.
      if (records.length === 0) return { baseSeq, records: [], goodEnd: 0, size, problem: 'records do not decrypt with this key', foreign: true };
      problem = `record at ${off} does not decrypt`;
      break;
    }
    if (rec.seq <= lastSeq) {
      problem = `sequence goes back at ${off}`;
      break;
    }
    lastSeq = rec.seq;
    records.push(rec);
    off += RECORD_HEADER_SIZE + len;
  }
  return { baseSeq, records, goodEnd: off, size, problem, foreign: false };
}

export interface OpenReport {
  records: number;
  /** Bytes cut off the end (a torn tail); they are kept aside in `keptAside`. */
  cutBytes: number;
  problem: string | null;
  keptAside: string | null;
}

export interface AckJournalOptions {
  dir: string;
  key: Buffer;
  /** Wait this long before a flush so more appends join it (default 0: only what arrives during a flush joins). */
  groupWindowMs?: number;
  /** Compact when the file holds this many times more records than are live, and at least `compactMinRecords`. */
  compactRatio?: number;
  compactMinRecords?: number;
  /** Test hook: called instead of fdatasync. */
  sync?: (fh: fs.promises.FileHandle) => Promise<void>;
}

interface Pending {
  bufs: Buffer[];
  records: ScannedRecord[];
  resolve: (seq: number) => void;
  reject: (e: Error) => void;
}

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`;

async function syncDir(dir: string): Promise<void> {
  // Makes a created or renamed file's directory entry durable; Windows cannot open a directory.
  try {
    const fh = await fs.promises.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* not supported here */
  }
}

export class AckJournal {
  private fh: fs.promises.FileHandle | null = null;
  private size = 0;
  private lastSeq = 0;
  private fileRecords = 0;
  /** The latest record of each (collection, id), in sequence order; `acked`: HQ or the hub holds it. */
  private readonly live = new Map<string, JournalRecord & { digest: string; acked: boolean }>();
  private pending: Pending[] = [];
  private flushQueued = false;
  private ops: Promise<unknown> = Promise.resolve();
  private failed: Error | null = null;
  /** Group sizes of the flushes so far (for tests and the bench). */
  readonly groups: number[] = [];
  readonly file: string;

  private constructor(
    private readonly o: AckJournalOptions,
    readonly openReport: OpenReport,
  ) {
    this.file = path.join(o.dir, JOURNAL_FILE);
  }

  /** Opens (or creates) the journal, cutting a torn tail first. */
  static async open(o: AckJournalOptions): Promise<AckJournal> {
    await fs.promises.mkdir(o.dir, { recursive: true, mode: 0o700 });
    const file = path.join(o.dir, JOURNAL_FILE);
    let buf: Buffer;
    try {
      buf = await fs.promises.readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      buf = Buffer.alloc(0);
    }
    const scan = scanJournal(buf, o.key);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let keptAside: string | null = null;
    if (scan.foreign) {
      // Never overwrite what we cannot read: keep the whole file aside and start a new one.
      keptAside = path.join(o.dir, `journal.unreadable-${stamp}.wal`);
      await fs.promises.rename(file, keptAside);
    } else if (scan.goodEnd < scan.size && scan.goodEnd >= FILE_HEADER_SIZE) {
      keptAside = path.join(o.dir, `journal.torn-${stamp}.bin`);
      await fs.promises.writeFile(keptAside, buf.subarray(scan.goodEnd), { mode: 0o600 });
    }
    const journal = new AckJournal(o, { records: scan.records.length, cutBytes: scan.foreign ? 0 : scan.size - scan.goodEnd, problem: scan.problem, keptAside });
    const fresh = scan.foreign || scan.goodEnd < FILE_HEADER_SIZE;
    const fh = await fs.promises.open(file, fresh ? 'w+' : 'r+', 0o600);
    if (fresh) {
      await fh.write(fileHeader(0), 0, FILE_HEADER_SIZE, 0);
      await fh.truncate(FILE_HEADER_SIZE);
      await fh.sync();
      await syncDir(o.dir);
      journal.size = FILE_HEADER_SIZE;
    } else {
      if (scan.goodEnd < scan.size) {
        await fh.truncate(scan.goodEnd);
        await fh.sync();
      }
      journal.size = scan.goodEnd;
      journal.lastSeq = scan.baseSeq;
    }
    journal.fh = fh;
    for (const r of scan.records) journal.remember(r);
    journal.fileRecords = scan.records.length;
    return journal;
  }

  private remember(r: ScannedRecord): void {
    this.lastSeq = Math.max(this.lastSeq, r.seq);
    const k = keyOf(r.collection, r.id);
    this.live.delete(k); // re-insert keeps the map in seq order
    // An undo to "nothing": the document was never in the database, so nothing is to be restored.
    if (r.doc) this.live.set(k, { seq: r.seq, collection: r.collection, id: r.id, doc: r.doc, digest: docDigest(r.doc), acked: false });
  }

  /** Runs file operations one at a time (flushes and compactions). */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.ops.then(task, task);
    this.ops = run.catch(() => undefined);
    return run;
  }

  /**
   * Appends records; resolves with the last one's sequence once they are on disk (written and
   * fdatasync'd). Sequences follow call order, and so does the order in the file.
   */
  append(entries: JournalAppendEntry[]): Promise<number> {
    if (this.failed) return Promise.reject(this.failed);
    if (!this.fh) return Promise.reject(new Error('journal is closed'));
    const records = entries.map((e): ScannedRecord => ('undo' in e && e.undo ? { collection: e.collection, id: e.id, doc: e.doc, undo: true, seq: ++this.lastSeq } : { collection: e.collection, id: e.id, doc: e.doc, seq: ++this.lastSeq }));
    const bufs = records.map((r) => encodeRecord(this.o.key, r));
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ bufs, records, resolve, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        void this.exclusive(() => this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    if (this.o.groupWindowMs) await new Promise((r) => setTimeout(r, this.o.groupWindowMs));
    // Everything that arrived while the previous flush ran joins this one.
    this.flushQueued = false;
    const group = this.pending;
    this.pending = [];
    if (!group.length) return;
    const fh = this.fh;
    try {
      if (this.failed) throw this.failed;
      if (!fh) throw new Error('journal is closed');
      const data = Buffer.concat(group.flatMap((p) => p.bufs));
      let written = 0;
      while (written < data.length) written += (await fh.write(data, written, data.length - written, this.size + written)).bytesWritten;
      await (this.o.sync ? this.o.sync(fh) : fh.datasync());
      this.size += data.length;
      this.groups.push(group.length);
      for (const p of group) {
        for (const r of p.records) this.remember(r);
        this.fileRecords += p.records.length;
      }
      for (const p of group) p.resolve(p.records.at(-1)?.seq ?? this.lastSeq);
    } catch (e) {
      // The file's state past `size` is unknown: cut it back and refuse further appends.
      this.failed ??= e instanceof Error ? e : new Error(String(e));
      await fh?.truncate(this.size).catch(() => undefined);
      for (const p of group) p.reject(this.failed);
    }
  }

  /** What a trim keeps: unacknowledged records, and the newest record of each collection. */
  private kept(): (JournalRecord & { digest: string; acked: boolean })[] {
    const newest = new Map<string, number>();
    for (const r of this.live.values()) newest.set(r.collection, Math.max(newest.get(r.collection) ?? 0, r.seq));
    return [...this.live.values()].filter((r) => !r.acked || newest.get(r.collection) === r.seq);
  }

  /** The records to restore from: the latest per (collection, id) that a trim keeps, oldest first. */
  records(): JournalRecord[] {
    return this.kept().map(({ digest: _d, acked: _a, ...r }) => r);
  }

  /**
   * HQ (or the hub) now holds this exact content of (collection, id). The record is dropped only
   * if it is the latest one for that document: a newer write stays until it is acknowledged too.
   */
  acknowledge(collection: string, id: string, doc: Doc): boolean {
    const k = keyOf(collection, id);
    const rec = this.live.get(k);
    if (!rec || rec.digest !== docDigest(doc)) return false;
    rec.acked = true;
    return true;
  }

  /** True when the file holds enough dead records (superseded or acknowledged) to be worth a rewrite. */
  wantsCompaction(): boolean {
    const ratio = this.o.compactRatio ?? 2;
    return this.fileRecords >= (this.o.compactMinRecords ?? 256) && this.fileRecords >= ratio * Math.max(1, this.kept().length);
  }

  /**
   * Rewrites the file with the live records only (temp file, fsync, rename, directory fsync), so a
   * crash at any point leaves either the old file or the new one.
   */
  compact(): Promise<{ before: number; after: number }> {
    return this.exclusive(async () => {
      if (!this.fh) throw new Error('journal is closed');
      if (this.failed) throw this.failed;
      const keep = this.kept();
      for (const r of this.live.values()) if (!keep.includes(r)) this.live.delete(keyOf(r.collection, r.id));
      const before = this.fileRecords;
      const data = Buffer.concat([fileHeader(this.lastSeq), ...keep.map((r) => encodeRecord(this.o.key, r))]);
      const tmp = `${this.file}.tmp`;
      const out = await fs.promises.open(tmp, 'w', 0o600);
      try {
        await out.write(data, 0, data.length, 0);
        await out.sync();
      } finally {
        await out.close();
      }
      await this.fh.close();
      this.fh = null;
      await fs.promises.rename(tmp, this.file);
      await syncDir(this.o.dir);
      this.fh = await fs.promises.open(this.file, 'r+');
      this.size = data.length;
      this.fileRecords = keep.length;
      return { before, after: keep.length };
    });
  }

  stats(): { fileBytes: number; fileRecords: number; liveRecords: number; lastSeq: number } {
    return { fileBytes: this.size, fileRecords: this.fileRecords, liveRecords: this.kept().length, lastSeq: this.lastSeq };
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      await this.fh?.close();
      this.fh = null;
    });
  }
}
