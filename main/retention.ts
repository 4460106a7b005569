// Keep only what the law needs, on this PC (issue 18 pt 8; the table: shared/records/retention.ts,
// the README's "Retention"). Two jobs:
// - `purgeLocalFiles`: logs, printed PDF copies, the journal's quarantined bytes and the copies of a
//   damaged IndexedDB, each after its window. Run at start and once a day.
// - `decommissionPc`: the head retires this PC. Every record this PC still holds for HQ is pushed
//   again (HQ answers an identical record as already held, stores one it lacks, and names one it
//   holds in another version); only when HQ holds every one is the local personal data erased.
//   Otherwise nothing is erased and the answer says how many are not yet at HQ.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_RETENTION, retentionCutoff, type RecordClass, type RetentionTable } from '@shared/records/retention';
import { IpcFailure } from '@shared/ipc/result';
import { MAX_PUSH_ROWS, WRITABLE_COLLECTIONS, type PushResponse, type PushRow, type WritableCollection } from '@shared/sync/protocol';
import type { Logger } from './log';
import { PULLED_VERSIONS_FILE } from './hub/pulled-versions';

export interface PurgeReport {
  /** Files (or folders) removed, by class, as paths relative to userData. */
  removed: Partial<Record<RecordClass, string[]>>;
  /** Log lines dropped from the current log file. */
  logLines: number;
}

/** Where each class of local file lives under userData, and which entries belong to it. */
const LOCAL_FILES: { cls: RecordClass; dir: string; match: RegExp }[] = [
  { cls: 'logs', dir: 'logs', match: /\.log(\.\d+)?$/ },
  { cls: 'printedPdfs', dir: 'receipts', match: /\.pdf$/ },
  { cls: 'quarantine', dir: 'journal', match: /^journal\.(torn-.*\.bin|unreadable-.*\.wal)$/ },
  { cls: 'leveldbBackups', dir: 'IndexedDB-damaged', match: /.*/ },
];

const CURRENT_LOG = 'main.log';

/** Removes what has outlived its window. Never throws for one file: a failure is logged and the rest goes on. */
export function purgeLocalFiles(o: { userDataDir: string; now: Date; log: Logger; table?: RetentionTable }): PurgeReport {
  const table = o.table ?? DEFAULT_RETENTION;
  const report: PurgeReport = { removed: {}, logLines: 0 };
  for (const { cls, dir, match } of LOCAL_FILES) {
    const cutoff = retentionCutoff(table, cls, 'pc', o.now)!.getTime();
    const full = path.join(o.userDataDir, dir);
    let names: string[];
    try {
      names = fs.readdirSync(full);
    } catch {
      continue; // nothing of this class yet
    }
    for (const name of names) {
      if (!match.test(name)) continue;
      const file = path.join(full, name);
      try {
        if (cls === 'logs' && name === CURRENT_LOG) {
          report.logLines += trimLog(file, cutoff);
          continue;
        }
        if (lastWritten(file) >= cutoff) continue;
        fs.rmSync(file, { recursive: true, force: true });
        (report.removed[cls] ??= []).push(path.join(dir, name));
      } catch (e) {
        o.log.error('retention: could not remove', { class: cls, file: name, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  const removed = Object.fromEntries(Object.entries(report.removed).map(([k, v]) => [k, v.length]));
  if (report.logLines > 0 || Object.keys(removed).length > 0) o.log.info('retention: purged', { removed, logLines: report.logLines });
  return report;
}

/** When a file, or the newest file inside a folder (a damaged-database copy), was last written. */
function lastWritten(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = -Infinity;
  for (const name of fs.readdirSync(p)) newest = Math.max(newest, lastWritten(path.join(p, name)));
  return newest === -Infinity ? st.mtimeMs : newest;
}

/** Drops the lines of the current log written before `cutoff` (each line is JSON with `at`). */
function trimLog(file: string, cutoff: number): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const kept = lines.filter((line) => {
    try {
      const at = Date.parse(String((JSON.parse(line) as { at?: unknown }).at));
      return !(at < cutoff);
    } catch {
      return true; // a line we cannot read the date of is kept until the file itself goes
    }
  });
  if (kept.length === lines.length) return 0;
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, kept.map((l) => l + '\n').join(''), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return lines.length - kept.length;
}

/** Runs the purge now and every `everyMs` (default a day); returns the stop function. */
export function scheduleLocalPurge(o: { userDataDir: string; log: Logger; now?: () => Date; everyMs?: number; table?: RetentionTable }): () => void {
  const run = () => purgeLocalFiles({ userDataDir: o.userDataDir, log: o.log, now: (o.now ?? (() => new Date()))(), ...(o.table ? { table: o.table } : {}) });
  run();
  const timer = setInterval(run, o.everyMs ?? 86_400_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** What this PC holds of personal data: our files and folders under userData (Chromium's storage is cleared separately). */
export const PERSONAL_DATA_ENTRIES = [
  'journal',
  'receipts',
  'IndexedDB-damaged',
  'logs',
  'secrets',
  'staff.json',
  'branch.json',
  'device.json',
  'settings.json',
  'hub.json',
  'hub-roster.json',
  // Which records this PC pulled (ids and fingerprints: main/hub/pulled-versions.ts), and its compaction's temp file.
  PULLED_VERSIONS_FILE,
  `${PULLED_VERSIONS_FILE}.tmp`,
] as const;

export interface DecommissionDeps {
  userDataDir: string;
  /** Every record this PC still holds for HQ (the acknowledged-writes journal's live records). */
  records: () => Promise<{ collection: string; id: string; doc: Record<string, unknown> }[]>;
  /** A push straight to HQ (never the hub: only HQ's answer proves HQ holds it). */
  push: (collection: WritableCollection, rows: PushRow[]) => Promise<PushResponse>;
  /** Clears the browser storage (IndexedDB) of the app's pages. */
  clearBrowserStorage?: () => Promise<void>;
  /**
   * Writes the decommission to main's signed audit chain and has HQ take it, once HQ holds every record
   * and before anything is erased (the chain outlives the erase, the device key does not). Throws when
   * HQ does not take it: then nothing is erased.
   */
  audit: (details: { checked: number }) => Promise<void>;
  /** Stops what holds files open (HQ link, hub, journal) once HQ has confirmed. */
  beforeErase?: () => Promise<void>;
  log: Logger;
}

export interface DecommissionResult {
  checked: number;
  erased: string[];
}

// Parents before what points at them (a transfer or refusal needs its case at HQ first).
const PUSH_ORDER: readonly WritableCollection[] = ['tickets', 'cases', 'refusals', 'transfers', 'audit'];

/**
 * Confirms HQ holds every record, then erases local personal data. Refuses (CONFLICT, or
 * HQ_UNREACHABLE; `details.notAtHq` is how many are not yet at HQ) when HQ cannot be reached,
 * refuses a record or holds another version of it.
 */
export async function decommissionPc(d: DecommissionDeps): Promise<DecommissionResult> {
  const records = await d.records();
  let notAtHq = 0;
  let unreachable = false;
  for (const collection of PUSH_ORDER) {
    const docs = records.filter((r) => r.collection === collection).map((r) => r.doc);
    for (let i = 0; i < docs.length; i += MAX_PUSH_ROWS) {
      const batch = docs.slice(i, i + MAX_PUSH_ROWS);
      try {
        const conflicts = await d.push(collection, batch.map((doc) => ({ assumedMasterState: null, newDocumentState: doc }) as PushRow));
        notAtHq += conflicts.length; // HQ holds another version: this one is not there
      } catch (e) {
        notAtHq += batch.length;
        if (e instanceof IpcFailure && e.code === 'HQ_UNREACHABLE') unreachable = true;
        d.log.warn('decommission: HQ did not confirm a batch', { collection, rows: batch.length, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  const unknown = records.filter((r) => !(WRITABLE_COLLECTIONS as readonly string[]).includes(r.collection)).length;
  notAtHq += unknown;
  if (notAtHq > 0) {
    d.log.warn('decommission refused: records not yet at HQ', { notAtHq, checked: records.length });
    throw new IpcFailure(
      unreachable ? 'HQ_UNREACHABLE' : 'CONFLICT',
      unreachable
        ? `HQ cannot be reached: ${notAtHq} of ${records.length} records on this PC are not confirmed at HQ. Nothing was erased.`
        : `${notAtHq} of ${records.length} records on this PC are not yet at HQ. Nothing was erased.`,
      { notAtHq, checked: records.length },
    );
  }
  await d.audit({ checked: records.length });
  await d.beforeErase?.();
  await d.clearBrowserStorage?.();
  const erased: string[] = [];
  for (const entry of PERSONAL_DATA_ENTRIES) {
    const p = path.join(d.userDataDir, entry);
    if (!fs.existsSync(p)) continue;
    fs.rmSync(p, { recursive: true, force: true });
    erased.push(entry);
  }
  d.log.warn('decommission: local personal data erased', { checked: records.length, erased });
  return { checked: records.length, erased };
}
