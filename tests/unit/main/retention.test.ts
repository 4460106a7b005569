import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decommissionPc, PERSONAL_DATA_ENTRIES, purgeLocalFiles } from '../../../main/retention';
import { DEFAULT_RETENTION, RetentionTableSchema, type RecordClass } from '@shared/records/retention';
import { IpcFailure } from '@shared/ipc/result';
import type { PushRow, WritableCollection } from '@shared/sync/protocol';
import { memoryLog, tempDir } from './helpers';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const DAY = 86_400_000;

function put(dir: string, rel: string, ageDays: number, content = 'x'): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const t = new Date(NOW.getTime() - ageDays * DAY);
  fs.utimesSync(file, t, t);
  return file;
}

/** Each class of local file: where it lives and its window on the PC. */
const CLASSES: [RecordClass, string, string][] = [
  ['logs', 'logs/main.1.log', 'logs/main.2.log'],
  ['printedPdfs', 'receipts/20261101-120000-receipt-c1.pdf', 'receipts/20261205-120000-receipt-c2.pdf'],
  ['quarantine', 'journal/journal.torn-2026-11-01T00-00-00-000Z.bin', 'journal/journal.unreadable-2026-12-05T00-00-00-000Z.wal'],
  ['leveldbBackups', 'IndexedDB-damaged/2026-11-01-app_loket_0.indexeddb.leveldb/000003.log', 'IndexedDB-damaged/2026-12-05-app_loket_0.indexeddb.leveldb/000003.log'],
];

describe('retention on the PC (issue 18 pt 8)', () => {
  it('the table is one valid config with a window for every class', () => {
    expect(RetentionTableSchema.safeParse(DEFAULT_RETENTION).success).toBe(true);
    expect(DEFAULT_RETENTION.cases.hqDays).toBeGreaterThanOrEqual(3_650);
  });

  it("the README's table gives the same days as the config", () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const rows: [RecordClass, string][] = [
      ['cases', '| cases (with refusals and transfers) |'],
      ['tickets', '| tickets |'],
      ['audit', '| audit |'],
      ['logs', '| logs |'],
      ['printedPdfs', '| printed PDF copies |'],
      ['quarantine', '| quarantine |'],
      ['leveldbBackups', '| LevelDB backups'],
    ];
    const words = (days: number | null) =>
      days === null ? 'not held' : days % 365 <= 3 && days >= 365 ? `${Math.round(days / 365)} year` : `${days} days`;
    for (const [cls, label] of rows) {
      const row = readme.split('\n').find((l) => l.startsWith(label));
      expect(row, cls).toBeDefined();
      const [, hq, pc] = row!.split(' | ');
      expect(hq, cls).toContain(words(DEFAULT_RETENTION[cls].hqDays));
      expect(pc, cls).toContain(words(DEFAULT_RETENTION[cls].pcDays));
    }
  });

  it.each(CLASSES)('%s: removed one day past its window, kept one day inside it', (cls, oldRel, recentRel) => {
    const dir = tempDir();
    const days = DEFAULT_RETENTION[cls].pcDays;
    const old = put(dir, oldRel, days + 1);
    const recent = put(dir, recentRel, days - 1);
    const report = purgeLocalFiles({ userDataDir: dir, now: NOW, log: memoryLog() });
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
    expect(report.removed[cls]?.length).toBe(1);
  });

  it('never touches the live journal, and a damaged-database copy goes as a whole folder', () => {
    const dir = tempDir();
    const wal = put(dir, 'journal/journal.wal', 400);
    put(dir, 'IndexedDB-damaged/2025-01-01-db/000003.log', 400);
    fs.utimesSync(path.join(dir, 'IndexedDB-damaged/2025-01-01-db'), new Date(NOW.getTime() - 400 * DAY), new Date(NOW.getTime() - 400 * DAY));
    purgeLocalFiles({ userDataDir: dir, now: NOW, log: memoryLog() });
    expect(fs.existsSync(wal)).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'IndexedDB-damaged'))).toEqual([]);
  });

  it('runs at start and daily in the desktop app and in browser mode', () => {
    for (const f of ['main/index.ts', 'main/web-server.ts']) {
      expect(fs.readFileSync(path.join(__dirname, '../../..', f), 'utf8'), f).toMatch(/scheduleLocalPurge\(\{ userDataDir/);
    }
  });

  it("drops the current log's lines older than the window and keeps the rest", () => {
    const dir = tempDir();
    const line = (ageDays: number, message: string) => JSON.stringify({ at: new Date(NOW.getTime() - ageDays * DAY).toISOString(), level: 'info', message });
    const days = DEFAULT_RETENTION.logs.pcDays;
    put(dir, 'logs/main.log', 0, [line(days + 5, 'old one'), line(days + 1, 'old two'), line(days - 1, 'recent'), 'not json'].join('\n') + '\n');
    const report = purgeLocalFiles({ userDataDir: dir, now: NOW, log: memoryLog() });
    expect(report.logLines).toBe(2);
    const left = fs.readFileSync(path.join(dir, 'logs/main.log'), 'utf8');
    expect(left).not.toContain('old');
    expect(left).toContain('recent');
    expect(left).toContain('not json');
  });
});

describe('decommission this PC (issue 18 pt 8)', () => {
  const doc = (id: string, extra: Record<string, unknown> = {}) => ({ id, ...extra });
  const records = [
    { collection: 'audit', id: 'a1', doc: doc('a1') },
    { collection: 'transfers', id: 't1', doc: doc('t1') },
    { collection: 'cases', id: 'c1', doc: doc('c1') },
    { collection: 'tickets', id: 'k1', doc: doc('k1') },
  ];

  // A refused decommission is not recorded as one.
  const notAudited = () => Promise.reject(new Error('audited a decommission that did not happen'));

  function pcWithData(): string {
    const dir = tempDir();
    for (const entry of PERSONAL_DATA_ENTRIES) put(dir, entry.endsWith('.json') ? entry : `${entry}/f`, 0);
    put(dir, 'Local State', 0);
    return dir;
  }

  it('erases local personal data once HQ confirms every record, pushing cases before what points at them', async () => {
    const dir = pcWithData();
    const pushed: WritableCollection[] = [];
    let cleared = false;
    const audited: unknown[] = [];
    const result = await decommissionPc({
      userDataDir: dir,
      // Main's chain is written (and taken by HQ) while everything is still in place.
      audit: (details) => {
        audited.push(details);
        for (const entry of PERSONAL_DATA_ENTRIES) expect(fs.existsSync(path.join(dir, entry)), entry).toBe(true);
        return Promise.resolve();
      },
      records: () => Promise.resolve(records),
      push: (collection, rows: PushRow[]) => {
        pushed.push(collection);
        expect(rows.every((r) => r.assumedMasterState === null)).toBe(true);
        return Promise.resolve([]);
      },
      clearBrowserStorage: () => {
        cleared = true;
        return Promise.resolve();
      },
      log: memoryLog(),
    });
    expect(pushed).toEqual(['tickets', 'cases', 'transfers', 'audit']);
    expect(result).toMatchObject({ checked: 4 });
    expect(audited).toEqual([{ checked: 4 }]);
    expect(cleared).toBe(true);
    for (const entry of PERSONAL_DATA_ENTRIES) expect(fs.existsSync(path.join(dir, entry)), entry).toBe(false);
    expect(fs.existsSync(path.join(dir, 'Local State'))).toBe(true);
  });

  it('refuses and erases nothing while HQ holds another version of a record, saying how many are not at HQ', async () => {
    const dir = pcWithData();
    const err = await decommissionPc({
      userDataDir: dir,
      audit: notAudited,
      records: () => Promise.resolve(records),
      push: (collection) => Promise.resolve(collection === 'cases' ? [doc('c1', { status: 'newer at HQ' })] : []),
      log: memoryLog(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcFailure);
    expect(err).toMatchObject({ code: 'CONFLICT', details: { notAtHq: 1, checked: 4 } });
    expect((err as Error).message).toContain('1 of 4 records');
    for (const entry of PERSONAL_DATA_ENTRIES) expect(fs.existsSync(path.join(dir, entry)), entry).toBe(true);
  });

  it('refuses while HQ cannot be reached or refuses records', async () => {
    const dir = pcWithData();
    const unreachable = await decommissionPc({
      userDataDir: dir,
      audit: notAudited,
      records: () => Promise.resolve(records),
      push: () => Promise.reject(new IpcFailure('HQ_UNREACHABLE', 'down')),
      log: memoryLog(),
    }).catch((e: unknown) => e);
    expect(unreachable).toMatchObject({ code: 'HQ_UNREACHABLE', details: { notAtHq: 4 } });
    const refused = await decommissionPc({
      userDataDir: dir,
      audit: notAudited,
      records: () => Promise.resolve(records),
      push: (collection) => (collection === 'audit' ? Promise.reject(new IpcFailure('HQ_REJECTED', 'refused')) : Promise.resolve([])),
      log: memoryLog(),
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', details: { notAtHq: 1 } });
    for (const entry of PERSONAL_DATA_ENTRIES) expect(fs.existsSync(path.join(dir, entry)), entry).toBe(true);
  });

  it('erases nothing when main’s audit entry cannot be written or HQ does not take it', async () => {
    const dir = pcWithData();
    let stopped = false;
    const err = await decommissionPc({
      userDataDir: dir,
      records: () => Promise.resolve(records),
      push: () => Promise.resolve([]),
      audit: () => Promise.reject(new IpcFailure('HQ_UNREACHABLE', 'HQ did not take this PC’s audit chain. Nothing was erased.')),
      beforeErase: () => {
        stopped = true;
        return Promise.resolve();
      },
      log: memoryLog(),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HQ_UNREACHABLE' });
    expect(stopped).toBe(false);
    for (const entry of PERSONAL_DATA_ENTRIES) expect(fs.existsSync(path.join(dir, entry)), entry).toBe(true);
  });
});

describe('device.decommission over the bridge (issue 18 pt 8)', () => {
  it('is the head\'s, and refuses while a record is not at HQ, erasing nothing', async () => {
    const { makeCore, setupPayload } = await import('./helpers');
    const h = makeCore();
    expect(await h.core.dispatch('page-1', 'branch.setup', setupPayload)).toMatchObject({ ok: true, value: { role: 'head' } });
    expect(await h.core.dispatch('page-1', 'journal.append', { entries: [{ collection: 'tickets', id: 't1', doc: { id: 't1' } }] })).toMatchObject({ ok: true });
    const refused = await h.core.dispatch('page-1', 'device.decommission', undefined);
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { notAtHq: 1, checked: 1 } } });
    expect(fs.existsSync(path.join(h.dir, 'journal', 'journal.wal'))).toBe(true);
    expect(fs.existsSync(path.join(h.dir, 'branch.json'))).toBe(true);
    // Main's signed chain records no decommission that did not happen.
    const chain = fs.readFileSync(path.join(h.dir, 'audit', 'device-chain.jsonl'), 'utf8');
    expect(chain).toContain('"branch.setUp"');
    expect(chain).not.toContain('device.decommissioned');
    // Nobody signed in on another page: not even asked.
    expect(await h.core.dispatch('page-2', 'device.decommission', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
