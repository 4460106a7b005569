import { describe, expect, it } from 'vitest';
import { conflictHandlerFor, mergeTickets } from '../../../renderer/src/sync/conflicts';
import { fingerprint } from '../../../renderer/src/sync/fingerprint';
import { SyncStatusStore, type ConflictRecord } from '../../../renderer/src/sync/status';

// The renderer's sync status store and conflict handlers (pure parts of renderer/src/sync, tested
// here beside the HQ link they report on). The end-to-end behaviour is in tests/hq/replication.test.ts.

const ticket = (extra: Record<string, unknown> = {}) => ({
  id: 't1',
  branchCode: 'TST01',
  status: 'waiting',
  updatedAt: '2026-01-05T01:00:00.000Z',
  history: [{ status: 'waiting', at: '2026-01-05T01:00:00.000Z' }],
  ...extra,
});

describe('sync status: acknowledged only when HQ answered for that exact content', () => {
  it('a local write is pending until HQ acknowledges that content; a newer edit is pending again', () => {
    let now = 1_000_000;
    const s = new SyncStatusStore(() => now);
    const v1 = ticket();
    s.observe('tickets', 't1', fingerprint(v1));
    expect(s.getSnapshot()).toMatchObject({ pendingCount: 1, oldestPendingSince: 1_000_000 });
    expect(s.isAcknowledged('tickets', 't1')).toBe(false);

    // An acknowledgement of other content (an older revision) does not count.
    s.acknowledge('tickets', 't1', fingerprint(ticket({ status: 'called' })));
    expect(s.isAcknowledged('tickets', 't1')).toBe(false);

    now += 60_000;
    s.acknowledge('tickets', 't1', fingerprint({ ...v1, _rev: '9-x', _meta: { lwt: 1 } })); // bookkeeping is not content
    expect(s.isAcknowledged('tickets', 't1')).toBe(true);
    expect(s.getSnapshot()).toMatchObject({ pendingCount: 0, oldestPendingSince: null });

    now += 60_000;
    s.observe('tickets', 't1', fingerprint(ticket({ status: 'called' })));
    now += 60_000;
    s.observe('tickets', 't1', fingerprint(ticket({ status: 'serving' })));
    // Pending since the first unsent change, not the latest.
    expect(s.getSnapshot()).toMatchObject({ pendingCount: 1, oldestPendingSince: 1_120_000 });
  });

  it('a record HQ refused stays pending with the reason; a startup seed never overrides a fresher answer', () => {
    const s = new SyncStatusStore(() => 5);
    const fp = fingerprint(ticket());
    s.observe('tickets', 't1', fp);
    s.reject('tickets', 't1', fp, 'schema: status invalid');
    expect(s.getSnapshot().pending).toEqual([{ collection: 'tickets', id: 't1', since: 5, error: 'schema: status invalid', level: 'local' }]);

    const other = fingerprint(ticket({ id: 't2' }));
    s.observe('tickets', 't2', other);
    s.acknowledge('tickets', 't2', other);
    s.seedAcknowledged('tickets', 't2', 'stale');
    expect(s.isAcknowledged('tickets', 't2')).toBe(true);
    // A startup scan does not undo a change event that came first.
    s.observe('tickets', 't2', 'newer');
    s.observe('tickets', 't2', other, undefined, true);
    expect(s.isAcknowledged('tickets', 't2')).toBe(false);
  });
});

describe('sync status: a record HQ refused', () => {
  it('counts as refused, with the latest reason, only while it holds the refused content; an accepted edit acknowledges it', () => {
    let now = 10;
    const s = new SyncStatusStore(() => now);
    const refused = fingerprint(ticket({ branchCode: 'LAIN1' }));
    s.observe('tickets', 't1', refused);
    s.reject('tickets', 't1', refused, 'branch: document claims branch LAIN1');
    now = 20;
    s.observe('tickets', 't2', 'other');
    s.reject('tickets', 't2', 'other', 'schema: status invalid');
    expect(s.getSnapshot()).toMatchObject({ pendingCount: 2, refusedCount: 2, lastRefusal: { collection: 'tickets', id: 't2', reason: 'schema: status invalid' } });
    // A startup seed of what RxDB's meta holds does not make a refused record acknowledged unless it is that content.
    s.seedAcknowledged('tickets', 't1', fingerprint(ticket()));
    expect(s.isAcknowledged('tickets', 't1')).toBe(false);

    // The officer edits t1: still pending, no longer refused (that content was never sent).
    const edited = fingerprint(ticket({ status: 'called' }));
    s.observe('tickets', 't1', edited);
    expect(s.getSnapshot()).toMatchObject({ pendingCount: 2, refusedCount: 1 });
    expect(s.getSnapshot().pending.find((p) => p.id === 't1')?.error).toBeNull();
    // HQ stores the edit: acknowledged, and the old refusal is forgotten.
    s.acknowledge('tickets', 't1', edited);
    expect(s.isAcknowledged('tickets', 't1')).toBe(true);
    expect(s.getSnapshot()).toMatchObject({ pendingCount: 1, refusedCount: 1, lastRefusal: { id: 't2' } });
    expect(s.pendingKeys()).toEqual([{ collection: 'tickets', id: 't2' }]);
  });
});

describe('conflict handlers: never "server wins"', () => {
  it('tickets: the further status wins whatever the timestamps; histories are united; the same on both sides', () => {
    const called = ticket({ status: 'called', updatedAt: '2026-01-05T03:00:00.000Z', history: [...ticket().history, { status: 'called', at: '2026-01-05T03:00:00.000Z' }] });
    const serving = ticket({ status: 'serving', updatedAt: '2026-01-05T02:00:00.000Z', history: [...ticket().history, { status: 'serving', at: '2026-01-05T02:00:00.000Z' }] });
    const a = mergeTickets(called, serving);
    const b = mergeTickets(serving, called);
    expect(a.status).toBe('serving');
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect((a.history as { status: string }[]).map((h) => h.status)).toEqual(['waiting', 'serving', 'called']);
    // Final statuses tie: the later update wins.
    const done = ticket({ status: 'done', updatedAt: '2026-01-05T04:00:00.000Z' });
    const noShow = ticket({ status: 'no-show', updatedAt: '2026-01-05T05:00:00.000Z' });
    expect(mergeTickets(done, noShow).status).toBe('no-show');
    expect(mergeTickets(noShow, done).status).toBe('no-show');
  });

  it('other collections keep the later update and report the conflict; audit keeps HQ and reports', async () => {
    const records: ConflictRecord[] = [];
    const sink = { record: (c: ConflictRecord) => void records.push(c) };
    const local = { id: 'r1', status: 'upheld', updatedAt: '2026-01-05T05:00:00.000Z' };
    const remote = { id: 'r1', status: 'pending', updatedAt: '2026-01-05T04:00:00.000Z' };
    const refusals = conflictHandlerFor('refusals', sink);
    expect(refusals.isEqual({ ...local, _deleted: false }, { ...local, _deleted: false }, 'x')).toBe(true);
    const kept = await refusals.resolve({ newDocumentState: { ...local, _deleted: false }, realMasterState: { ...remote, _deleted: false } }, 'x');
    expect(kept).toMatchObject({ status: 'upheld' });
    expect(records).toEqual([expect.objectContaining({ collection: 'refusals', id: 'r1', kept: 'local' })]);

    const audit = conflictHandlerFor('audit', sink);
    const hqCopy = await audit.resolve({ newDocumentState: { id: 'a1', hash: 'x', _deleted: false }, realMasterState: { id: 'a1', hash: 'y', _deleted: false } }, 'x');
    expect(hqCopy).toMatchObject({ hash: 'y' });
    expect(records.at(-1)).toMatchObject({ collection: 'audit', id: 'a1', kept: 'hq' });
  });

  it('cases: two journals that cannot be merged keep both copies, flagged, and a conflict record', async () => {
    const records: ConflictRecord[] = [];
    const copies: Record<string, unknown>[] = [];
    const sink = { record: (c: ConflictRecord) => void records.push(c), keepLocalCopy: (_c: string, doc: Record<string, unknown>) => Promise.resolve(void copies.push(doc)) };
    const base = { id: 'c1', flow: 'jht-claim', status: 'open', events: [], snapshot: {}, journalLength: 0, updatedAt: '2026-01-05T01:00:00.000Z', _deleted: false };
    const resolved = await conflictHandlerFor('cases', sink).resolve(
      { newDocumentState: { ...base, input: { a: 1 } }, realMasterState: { ...base, input: { a: 2 } } },
      'x',
    );
    expect(resolved).toMatchObject({ id: 'c1', status: 'conflict', input: { a: 2 }, flag: { reason: expect.stringContaining('DIFFERENT_INPUT') as unknown } });
    expect(copies).toEqual([expect.objectContaining({ status: 'conflict', input: { a: 1 }, id: expect.stringMatching(/^c1~conflict~/) as unknown })]);
    expect(records).toEqual([expect.objectContaining({ collection: 'cases', id: 'c1', kept: 'hq' })]);
  });
});
