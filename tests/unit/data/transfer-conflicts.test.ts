import { describe, expect, it } from 'vitest';
import { conflictHandlerFor } from '../../../renderer/src/sync/conflicts';
import type { ConflictRecord } from '../../../renderer/src/sync/status';
import { transferChange, transferWriter, type TransferRecord } from '@shared/records';

// Transfers under sync conflicts and the shared rules HQ and the devices both apply.

const requested: TransferRecord = {
  id: 'K1:transfer',
  caseId: 'K1',
  fromBranch: 'UJI01',
  toBranch: 'SBY01',
  reason: 'PERSON_REQUESTED',
  slaDeadline: '2026-03-03T08:00:00.000Z',
  status: 'requested',
  at: '2026-03-02T03:00:00.000Z',
  updatedAt: '2026-03-02T03:00:00.000Z',
};
const by = { staffId: 'kepala.sby', role: 'head', deviceId: 'dev-sby-1' };
const accepted: TransferRecord = { ...requested, status: 'accepted', decidedAt: '2026-03-02T04:00:00.000Z', decidedBy: by, updatedAt: '2026-03-02T04:00:00.000Z' };
const declined: TransferRecord = { ...requested, status: 'declined', decidedAt: '2026-03-02T05:00:00.000Z', decidedBy: { ...by, deviceId: 'dev-sby-2' }, declineReason: 'Peserta batal pindah', updatedAt: '2026-03-02T05:00:00.000Z' };
const row = (d: object) => ({ ...d, _deleted: false });

describe('transfer conflicts on a device', () => {
  it('a decision beats "requested" whatever the clocks say, and is not reported as a conflict', async () => {
    const records: ConflictRecord[] = [];
    const h = conflictHandlerFor('transfers', { record: (c) => void records.push(c) });
    // The local copy is "newer" by the device clock, but HQ already has the receiving branch's decision.
    const stale = { ...requested, updatedAt: '2030-01-01T00:00:00.000Z' };
    expect(await h.resolve({ newDocumentState: row(stale), realMasterState: row(accepted) }, 'x')).toMatchObject({ status: 'accepted' });
    expect(await h.resolve({ newDocumentState: row(accepted), realMasterState: row(stale) }, 'x')).toMatchObject({ status: 'accepted' });
    expect(records).toEqual([]);
  });

  it('two different decisions (two PCs of the receiving branch) keep HQ’s and report the other', async () => {
    const records: ConflictRecord[] = [];
    const h = conflictHandlerFor('transfers', { record: (c) => void records.push(c) });
    expect(await h.resolve({ newDocumentState: row(declined), realMasterState: row(accepted) }, 'x')).toMatchObject({ status: 'accepted' });
    expect(records).toEqual([expect.objectContaining({ collection: 'transfers', id: 'K1:transfer', kept: 'hq' })]);
  });
});

describe('transfer rules (shared by HQ and the devices)', () => {
  it('only the sending branch creates, only the receiving branch decides, once', () => {
    expect(transferWriter(null, requested, 'UJI01')).toEqual({ ok: true });
    expect(transferWriter(null, requested, 'SBY01')).toMatchObject({ ok: false, kind: 'branch' });
    expect(transferWriter(requested, accepted, 'SBY01')).toEqual({ ok: true });
    expect(transferWriter(requested, accepted, 'UJI01')).toMatchObject({ ok: false, kind: 'branch' });
    expect(transferWriter(requested, accepted, 'MDN01')).toMatchObject({ ok: false, kind: 'branch' });
    expect(transferWriter(requested, { ...accepted, toBranch: 'MDN01' }, 'SBY01')).toMatchObject({ ok: false, reason: expect.stringMatching(/toBranch/) as unknown });
    // A retry of what HQ has is fine for either side.
    expect(transferWriter(accepted, accepted, 'UJI01')).toEqual({ ok: true });

    expect(transferChange(null, requested, false, 'dev-uji-1')).toEqual({ ok: true });
    expect(transferChange(null, accepted, false, 'dev-uji-1')).toMatchObject({ ok: false });
    expect(transferChange(null, { ...requested, toBranch: 'UJI01' }, false, 'dev-uji-1')).toMatchObject({ ok: false });
    expect(transferChange(null, { ...requested, slaDeadline: requested.at }, false, 'dev-uji-1')).toMatchObject({ ok: false });
    expect(transferChange(requested, accepted, false, 'dev-sby-1')).toEqual({ ok: true });
    expect(transferChange(requested, accepted, false, 'dev-other')).toMatchObject({ ok: false, reason: expect.stringMatching(/deviceId/) as unknown });
    expect(transferChange(requested, { ...accepted, declineReason: 'x' }, false, 'dev-sby-1')).toMatchObject({ ok: false });
    expect(transferChange(requested, { ...declined, declineReason: 'no' }, false, 'dev-sby-2')).toMatchObject({ ok: false });
    expect(transferChange(requested, declined, false, 'dev-sby-2')).toEqual({ ok: true });
    expect(transferChange(accepted, declined, false, 'dev-sby-2')).toMatchObject({ ok: false, reason: expect.stringMatching(/final/) as unknown });
    expect(transferChange(requested, requested, true, 'dev-uji-1')).toMatchObject({ ok: false, reason: expect.stringMatching(/deleted/) as unknown });
  });
});
