import { describe, expect, it } from 'vitest';
import { SyncStatusStore } from '../../../renderer/src/sync/status';

// Issue 17 pt 7: three levels per record. 'local': only on this PC; 'branch': the branch hub
// acknowledged this content (shared in the branch); 'hq': HQ acknowledged it directly, or the hub
// reported that HQ holds exactly this content. "Received by HQ" never comes before HQ has it.

describe('sync status: three levels per record', () => {
  it('goes local → branch → hq for the content the hub acknowledged and then reported at HQ', () => {
    const s = new SyncStatusStore(() => 1_000);
    s.observe('tickets', 't1', 'v1');
    expect(s.levelOf('tickets', 't1')).toBe('local');
    expect(s.getSnapshot().levels).toEqual({ local: 1, branch: 0, hq: 0 });

    s.acknowledge('tickets', 't1', 'v1', 'hub');
    expect(s.levelOf('tickets', 't1')).toBe('branch');
    expect(s.getSnapshot().levels).toEqual({ local: 0, branch: 1, hq: 0 });
    // Shared in the branch is not received by HQ: still pending for HQ (hand-carry includes it).
    expect(s.isAcknowledged('tickets', 't1')).toBe(false);
    expect(s.pendingKeys()).toEqual([{ collection: 'tickets', id: 't1' }]);
    expect(s.getSnapshot().pending).toEqual([{ collection: 'tickets', id: 't1', since: 1_000, error: null, level: 'branch' }]);
    expect(s.branchRecords(10)).toEqual([{ collection: 'tickets', id: 't1', fp: 'v1' }]);

    s.reportAtHq('tickets', 't1', 'v1');
    expect(s.levelOf('tickets', 't1')).toBe('hq');
    expect(s.isAcknowledged('tickets', 't1')).toBe(true);
    expect(s.getSnapshot()).toMatchObject({ levels: { local: 0, branch: 0, hq: 1 }, pendingCount: 0 });
    expect(s.branchRecords(10)).toEqual([]);
  });

  it('never shows hq for content HQ was not reported to hold: another version, or nothing from the hub yet', () => {
    const s = new SyncStatusStore(() => 0);
    s.observe('tickets', 't1', 'v1');
    // The hub says HQ holds an older or other version: this content is not at HQ.
    s.reportAtHq('tickets', 't1', 'v0');
    expect(s.levelOf('tickets', 't1')).toBe('local');
    s.acknowledge('tickets', 't1', 'v1', 'hub');
    s.reportAtHq('tickets', 't1', 'v0');
    expect(s.levelOf('tickets', 't1')).toBe('branch');

    // A newer edit made while the question was out: the answer was about v1, the PC holds v2.
    s.reportAtHq('tickets', 't1', 'v1');
    expect(s.levelOf('tickets', 't1')).toBe('hq');
    s.observe('tickets', 't1', 'v2');
    expect(s.levelOf('tickets', 't1')).toBe('local');
    s.acknowledge('tickets', 't1', 'v2', 'hub');
    expect(s.levelOf('tickets', 't1')).toBe('branch');
    expect(s.branchRecords(10)).toEqual([{ collection: 'tickets', id: 't1', fp: 'v2' }]);
  });

  it('HQ acknowledging directly is hq at once; a hub acknowledgement never lowers it', () => {
    const s = new SyncStatusStore(() => 0);
    s.observe('cases', 'c1', 'v1');
    s.acknowledge('cases', 'c1', 'v1'); // HQ directly (the default)
    expect(s.levelOf('cases', 'c1')).toBe('hq');
    s.acknowledge('cases', 'c1', 'v1', 'hub'); // the same content given to a new hub (catch-up)
    expect(s.levelOf('cases', 'c1')).toBe('hq');
    expect(s.levelOf('cases', 'unknown')).toBeNull();
  });

  it('a startup seed from the hub replication gives branch, never hq', () => {
    const s = new SyncStatusStore(() => 0);
    s.observe('tickets', 't1', 'v1', undefined, true);
    s.seedAcknowledged('tickets', 't1', 'v1', 'hub');
    expect(s.levelOf('tickets', 't1')).toBe('branch');
    s.observe('tickets', 't2', 'w1', undefined, true);
    s.seedAcknowledged('tickets', 't2', 'w1');
    expect(s.levelOf('tickets', 't2')).toBe('hq');
  });

  it('lists branch records in bounded batches, oldest first, optionally for one collection', () => {
    let now = 0;
    const s = new SyncStatusStore(() => now);
    for (let i = 0; i < 5; i++) {
      now = 100 - i; // the last written is the oldest pending
      s.observe('tickets', `t${i}`, `f${i}`);
      s.acknowledge('tickets', `t${i}`, `f${i}`, 'hub');
    }
    s.observe('audit', 'a1', 'x');
    s.acknowledge('audit', 'a1', 'x', 'hub');
    expect(s.branchRecords(2, 'tickets').map((r) => r.id)).toEqual(['t4', 't3']);
    expect(s.branchRecords(100)).toHaveLength(6);
  });

  it('keeps the hub link and which upstream the replication uses, for the status bar', () => {
    const s = new SyncStatusStore(() => 0);
    expect(s.getSnapshot()).toMatchObject({ hub: null, upstream: null });
    const hub = { role: 'client' as const, hub: { url: 'https://10.0.0.5:47600', fingerprint: 'AB', source: 'hq' as const }, connected: true, lastContactAt: null, lastError: null, hosting: null };
    s.setHub(hub);
    s.setUpstream('hub');
    expect(s.getSnapshot()).toMatchObject({ hub, upstream: 'hub' });
    s.reset();
    expect(s.getSnapshot()).toMatchObject({ upstream: null, levels: { local: 0, branch: 0, hq: 0 } });
  });
});

describe('sync controller: which upstream', () => {
  const hq = { enrolled: true, url: 'https://hq.example.test', branchCode: 'UJI01', connected: false, lastContactAt: null, lastError: null };
  const hub = (connected: boolean, fingerprint = 'ab:cd') => ({
    role: 'client' as const,
    hub: { url: 'https://192.168.1.20:47600', fingerprint, source: 'hq' as const },
    connected,
    lastContactAt: null,
    lastError: null,
    hosting: null,
  });

  it('the hub while it is connected, HQ otherwise; nothing before enrolment; each with its own identifier', async () => {
    const { upstreamFor } = await import('../../../renderer/src/sync/controller');
    expect(upstreamFor(null, hub(true))).toBeNull();
    expect(upstreamFor({ ...hq, enrolled: false }, hub(true))).toBeNull();
    expect(upstreamFor(hq, null)).toEqual({ key: 'hq:https://hq.example.test:UJI01', upstream: 'hq' });
    expect(upstreamFor(hq, hub(false))).toEqual({ key: 'hq:https://hq.example.test:UJI01', upstream: 'hq' });
    expect(upstreamFor(hq, hub(true))).toEqual({ key: 'hub:ABCD:UJI01', upstream: 'hub' });
    // The same hub however its fingerprint is written; another hub (a new certificate) starts its own checkpoints.
    expect(upstreamFor(hq, hub(true, 'AB:CD'))?.key).toBe('hub:ABCD:UJI01');
    expect(upstreamFor(hq, hub(true, 'EF:01'))?.key).toBe('hub:EF01:UJI01');
    expect(upstreamFor(hq, { ...hub(true), hub: null })?.upstream).toBe('hq');
  });
});
