import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PULLED_VERSIONS_FILE, PulledVersions } from '../../../main/hub/pulled-versions';
import { pushMarked, type MarkingUpstream } from '../../../main/hub/push-marked';
import { decommissionPc } from '../../../main/retention';
import type { PushRow, SyncDocument } from '@shared/sync/protocol';

// Issue 17: a version this PC only pulled goes marked `pulled` to any upstream that says it takes
// the mark (a hub or HQ of this release: /v1/branch `pulledMarks`), so neither takes it as this
// PC's write. An older upstream refuses the mark (its push rows are strict): such rows are held
// back from it, never sent unmarked, and the rest of the push goes as before.

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
let dir: string;
let versions: PulledVersions;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loket-marked-'));
  versions = new PulledVersions(path.join(dir, PULLED_VERSIONS_FILE), silent);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const doc = (id: string, status = 'waiting'): SyncDocument => ({ id, branchCode: 'KC001', status, _deleted: false });
const row = (d: SyncDocument): PushRow => ({ assumedMasterState: null, newDocumentState: d });

function upstream(takes: boolean, answer: SyncDocument[] = []): MarkingUpstream & { sent: PushRow[][] } {
  const sent: PushRow[][] = [];
  return {
    sent,
    takesPulledMarks: () => Promise.resolve(takes),
    push: (_collection, rows) => {
      sent.push(rows);
      return Promise.resolve(answer);
    },
  };
}

describe('pushing to an upstream, marks and all', () => {
  it('sends the rows this PC pulled marked to an upstream that takes the mark (a hub or HQ alike)', async () => {
    versions.pulled('tickets', [doc('t1')]);
    const up = upstream(true);
    const { sent, conflicts, heldBack } = await pushMarked(versions, up, 'tickets', [row(doc('t1')), row(doc('t2'))]);
    expect(heldBack).toEqual([]);
    expect(up.sent).toEqual([[{ ...row(doc('t1')), pulled: true }, row(doc('t2'))]]);
    expect(sent).toEqual(up.sent[0]);
    expect(conflicts).toEqual([]);
  });

  it('holds back the pulled rows from an upstream that does not take the mark; the rest goes unmarked', async () => {
    versions.pulled('tickets', [doc('t1')]);
    const up = upstream(false);
    const { sent, heldBack } = await pushMarked(versions, up, 'tickets', [row(doc('t1')), row(doc('t2'))]);
    expect(up.sent).toEqual([[row(doc('t2'))]]);
    expect(sent).toEqual([row(doc('t2'))]);
    // Said, so that nothing shows it as received by that upstream.
    expect(heldBack).toEqual(['t1']);
    // Only pulled rows: nothing is sent (an empty push is refused by every upstream).
    expect(await pushMarked(versions, up, 'tickets', [row(doc('t1'))])).toEqual({ sent: [], conflicts: [], heldBack: ['t1'] });
    expect(up.sent).toHaveLength(1);
    // Still held as pulled: marked the day an upstream takes the mark.
    const newer = upstream(true);
    await pushMarked(versions, newer, 'tickets', [row(doc('t1'))]);
    expect(newer.sent).toEqual([[{ ...row(doc('t1')), pulled: true }]]);
  });

  it('the upstream’s copies in its answer are versions written elsewhere', async () => {
    const theirs = doc('t3', 'called');
    await pushMarked(versions, upstream(true, [theirs]), 'tickets', [row(doc('t3'))]);
    const up = upstream(true);
    await pushMarked(versions, up, 'tickets', [row(theirs)]);
    expect(up.sent[0]?.[0]?.pulled).toBe(true);
  });
});

describe('the file of pulled versions', () => {
  it('is erased when the PC is decommissioned', async () => {
    versions.pulled('tickets', [doc('t1')]);
    const file = path.join(dir, PULLED_VERSIONS_FILE);
    expect(existsSync(file)).toBe(true);
    const result = await decommissionPc({ userDataDir: dir, records: () => Promise.resolve([]), push: () => Promise.resolve([]), audit: () => Promise.resolve(), log: silent });
    expect(result.erased).toContain(PULLED_VERSIONS_FILE);
    expect(existsSync(file)).toBe(false);
  });
});
