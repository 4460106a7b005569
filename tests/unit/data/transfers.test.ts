import { afterEach, describe, expect, it } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { transferSchemaV0, type TransferDocV0 } from '../../../renderer/src/data/db/migrations';
import type { TransferDoc } from '../../../renderer/src/data/db/schemas';
import { AuditLog } from '../../../renderer/src/data/db/stores';
import { TransferDesk } from '../../../renderer/src/data/db/transfers';
import { openTestDb, uniqueName } from './db-helpers';

// The receiving branch's side of a transfer on one device: incoming and outgoing lists with the
// overdue marker computed from the SLA deadline, accept / decline by the head (audited), and the
// shared rules refusing what HQ would refuse. Generated branch codes and ids; no personal data.

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

const head = { staffId: 'kepala.sby', role: 'head' as const };
const officer = { staffId: 'petugas.sby', role: 'officer' as const };

function transfer(extra: Partial<TransferDoc> = {}): TransferDoc {
  return {
    id: 'CASE-UJI-0100:transfer',
    caseId: 'CASE-UJI-0100',
    fromBranch: 'UJI01',
    toBranch: 'SBY01',
    reason: 'PERSON_REQUESTED',
    slaDeadline: '2026-03-03T08:00:00.000Z',
    status: 'requested',
    at: '2026-03-02T03:00:00.000Z',
    updatedAt: '2026-03-02T03:00:00.000Z',
    ...extra,
  };
}

async function setUp(branch: string, now: string) {
  const db = await openTestDb(uniqueName('loket-transfers'));
  open.push(db);
  const audit = new AuditLog(db.audit, `dev-${branch.toLowerCase()}`);
  const desk = new TransferDesk(db, branch, audit, () => new Date(now));
  return { db, audit, desk };
}

describe('transfers on the receiving branch', () => {
  it('lists incoming transfers with the overdue marker computed from the SLA, and the case summary once the case is here', async () => {
    const { db, desk } = await setUp('SBY01', '2026-03-03T09:00:00.000Z');
    await db.transfers.bulkInsert([
      transfer(),
      transfer({ id: 'CASE-UJI-0101:transfer', caseId: 'CASE-UJI-0101', slaDeadline: '2026-03-04T08:00:00.000Z' }),
      transfer({ id: 'SBY-OUT:transfer', caseId: 'SBY-OUT', fromBranch: 'SBY01', toBranch: 'MDN01' }),
    ]);
    const incoming = await desk.incoming();
    expect(incoming.map((t) => [t.id, t.overdue, t.direction])).toEqual([
      ['CASE-UJI-0100:transfer', true, 'incoming'],
      ['CASE-UJI-0101:transfer', false, 'incoming'],
    ]);
    // The case has not arrived on this device yet: no summary, no crash.
    expect(incoming[0]!.caseSummary).toBeNull();
    expect((await desk.outgoing()).map((t) => t.id)).toEqual(['SBY-OUT:transfer']);
    // Overdue is not stored: the documents still say requested.
    expect((await db.transfers.findOne('CASE-UJI-0100:transfer').exec())!.status).toBe('requested');
  });

  it('the head accepts: status, who (on which device) and when are recorded and audited', async () => {
    const { db, desk, audit } = await setUp('SBY01', '2026-03-02T05:00:00.000Z');
    await db.transfers.insert(transfer());
    const r = await desk.accept('CASE-UJI-0100:transfer', head);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const stored = (await db.transfers.findOne('CASE-UJI-0100:transfer').exec())!.toJSON();
    expect(stored).toMatchObject({
      status: 'accepted',
      decidedAt: '2026-03-02T05:00:00.000Z',
      decidedBy: { staffId: 'kepala.sby', role: 'head', deviceId: 'dev-sby01' },
    });
    expect(stored).not.toHaveProperty('declineReason');
    const entries = await audit.entries();
    expect(entries.map((e) => [e.action, e.subject.id])).toEqual([['transfer.accepted', 'CASE-UJI-0100:transfer']]);
    expect((await audit.verify()).ok).toBe(true);
    // A decision is final.
    expect(await desk.decline('CASE-UJI-0100:transfer', 'Berubah pikiran', head)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });

  it('the head declines with a reason; a short reason or an officer is refused and nothing changes', async () => {
    const { db, desk, audit } = await setUp('SBY01', '2026-03-04T05:00:00.000Z');
    await db.transfers.insert(transfer());
    expect(await desk.decline('CASE-UJI-0100:transfer', 'no', head)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(await desk.accept('CASE-UJI-0100:transfer', officer)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await desk.accept('nope', head)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await db.transfers.findOne('CASE-UJI-0100:transfer').exec())!.status).toBe('requested');
    expect(await audit.entries()).toEqual([]);

    const r = await desk.decline('CASE-UJI-0100:transfer', '  Peserta memilih cabang lain  ', head);
    expect(r).toMatchObject({ ok: true, transfer: { status: 'declined', declineReason: 'Peserta memilih cabang lain', decidedLate: true, overdue: false } });
    const [entry] = await audit.entries();
    expect(entry).toMatchObject({ action: 'transfer.declined', details: { overdue: 1, reasonLength: 27 } });
    // The head's free text stays in the record, not in the audit chain.
    expect(JSON.stringify(entry)).not.toContain('Peserta memilih');
  });

  it('the sending branch cannot accept its own outgoing transfer', async () => {
    const { db, desk, audit } = await setUp('UJI01', '2026-03-02T05:00:00.000Z');
    await db.transfers.insert(transfer());
    const r = await desk.accept('CASE-UJI-0100:transfer', head);
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(r.ok ? '' : r.error.message).toMatch(/only the receiving branch/);
    expect((await db.transfers.findOne('CASE-UJI-0100:transfer').exec())!.status).toBe('requested');
    expect(await audit.entries()).toEqual([]);
  });

  it('migrates v0 transfers: a stored "expired" becomes requested (overdue is computed from the deadline)', async () => {
    const name = uniqueName('loket-transfers-v0');
    const old = await openTestDb(name, { collections: { transfers: { schema: transferSchemaV0 } } });
    const v0: TransferDocV0[] = [
      { ...transfer(), status: 'expired' },
      { ...transfer({ id: 'B:transfer', caseId: 'B' }), status: 'accepted' },
    ];
    await (old.collections as unknown as { transfers: { bulkInsert(d: TransferDocV0[]): Promise<unknown> } }).transfers.bulkInsert(v0);
    await old.close();
    const db = await openTestDb(name);
    open.push(db);
    const docs = (await db.transfers.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => [d.id, d.status]);
    expect(docs).toEqual([
      ['B:transfer', 'accepted'],
      ['CASE-UJI-0100:transfer', 'requested'],
    ]);
    const desk = new TransferDesk(db, 'SBY01', new AuditLog(db.audit, 'dev-x'), () => new Date('2026-03-05T00:00:00.000Z'));
    expect((await desk.incoming()).find((t) => t.id === 'CASE-UJI-0100:transfer')?.overdue).toBe(true);
  });
});
