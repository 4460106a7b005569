import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PulledVersions } from '../../../main/hub/pulled-versions';
import type { PushRow, SyncDocument } from '@shared/sync/protocol';

// Issue 17, authorship: main marks the versions this PC holds from a pull when it pushes them to a
// hub; a version it saw first in a push is its own write and never marked.

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loket-pulled-'));
  file = path.join(dir, 'hub-pulled-versions.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const doc = (id: string, status = 'waiting'): SyncDocument => ({ id, branchCode: 'KC001', status, _deleted: false });
const row = (d: SyncDocument, extra: Partial<PushRow> = {}): PushRow => ({ assumedMasterState: null, newDocumentState: d, ...extra });
const marks = (rows: PushRow[]) => rows.map((r) => r.pulled === true);

describe('versions this PC pulled, marked when pushed to a hub', () => {
  it('marks a version that came in a pull (or as the upstream’s copy in a conflict)', () => {
    const v = new PulledVersions(file, silent);
    v.pulled('tickets', [doc('t1')]);
    v.pulled('tickets', [{ ...doc('t2'), _meta: { lwt: 1 } }]); // bookkeeping is not content
    expect(marks(v.forPush('tickets', [row(doc('t1')), row(doc('t2')), row(doc('t3'))]))).toEqual([true, true, false]);
  });

  it('never marks this PC’s own write, even when it comes back in a pull (from any upstream)', () => {
    const v = new PulledVersions(file, silent);
    expect(marks(v.forPush('tickets', [row(doc('t1'))]))).toEqual([false]); // pushed to HQ first
    v.pulled('tickets', [doc('t1')]); // the echo, from HQ or a hub that holds it without an author
    expect(marks(v.forPush('tickets', [row(doc('t1'))]))).toEqual([false]);
  });

  it('an edit of a pulled record is this PC’s write; a newer pulled version is marked again', () => {
    const v = new PulledVersions(file, silent);
    v.pulled('tickets', [doc('t1')]);
    expect(marks(v.forPush('tickets', [row(doc('t1', 'called'))]))).toEqual([false]);
    v.pulled('tickets', [doc('t1', 'serving')]);
    expect(marks(v.forPush('tickets', [row(doc('t1', 'serving'))]))).toEqual([true]);
  });

  it('drops a mark the page sent: only main decides', () => {
    const v = new PulledVersions(file, silent);
    expect(marks(v.forPush('tickets', [row(doc('t1'), { pulled: true })]))).toEqual([false]);
  });

  it('a version this PC wrote that came back first from a hub call is its own', () => {
    const v = new PulledVersions(file, silent);
    v.own('tickets', [doc('t1', 'called')]);
    v.pulled('tickets', [doc('t1', 'called')]);
    expect(marks(v.forPush('tickets', [row(doc('t1', 'called'))]))).toEqual([false]);
  });

  it('is kept across restarts (a torn last line is skipped), per collection', () => {
    const v = new PulledVersions(file, silent);
    v.pulled('tickets', [doc('t1')]);
    v.forPush('tickets', [row(doc('t2'))]);
    appendFileSync(file, '["tickets\\u0000t3","ab');
    const again = new PulledVersions(file, silent);
    expect(marks(again.forPush('tickets', [row(doc('t1')), row(doc('t2'))]))).toEqual([true, false]);
    expect(marks(again.forPush('audit', [row(doc('t1'))]))).toEqual([false]);
    expect(readFileSync(file, 'utf8')).not.toContain('"ab');
  });

  it('is bounded: the oldest records go first (then pushed unmarked, as before)', () => {
    const v = new PulledVersions(file, silent, 2);
    v.pulled('tickets', [doc('t1'), doc('t2'), doc('t3')]);
    expect(marks(v.forPush('tickets', [row(doc('t1')), row(doc('t3'))]))).toEqual([false, true]);
  });
});
