// The Sync page's hand-carry export, below the UI: the records the sync status store says HQ has not
// acknowledged are read from a real local database (RxDB with field encryption, on fake IndexedDB)
// in the shape a push carries, exported, and checked with the import code HQ runs.
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog, rxCounterStore } from '../../../renderer/src/data/db/stores';
import { TicketDesk } from '../../../renderer/src/data/db/ticket-desk';
import { collectPendingRecords } from '../../../renderer/src/data/handcarry-collect';
import { exportHandcarry, generateDeviceSigningKey, type HandcarryEnvelope } from '../../../renderer/src/data/handcarry';
import { handcarryCrypto } from '@shared/handcarry/crypto';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { createTicketAllocator } from '../../../renderer/src/data/branch-clock';
import { fingerprint } from '../../../renderer/src/sync/fingerprint';
import { SyncStatusStore } from '../../../renderer/src/sync/status';
import { makeNik, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

const PASS = 'kopi tubruk jam tujuh';
/** HQ's import command opens files with the shared code over Node's WebCrypto (scripts/handcarry-import.ts). */
const { importHandcarry } = handcarryCrypto(webcrypto);
const FAST = { kdfIterations: 1_000, allowWeakKdfForTests: true } as const;
const guard = { staffId: security.staffId, role: security.role };
const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

async function branchPc() {
  const db = await openTestDb(uniqueName('handcarry'));
  open.push(db);
  const clock = () => new Date(wib('2026-03-02', '08:00'));
  const audit = new AuditLog(db.audit, 'dev-pc-1');
  const desk = new TicketDesk(db, await createNikHasher(TEST_KEY), createTicketAllocator({ store: rxCounterStore(db.counters, clock), branchCode: 'UJI01', slot: 1, now: clock }), audit, 'UJI01', clock);
  return { db, desk };
}

/** What the replication does: every local document is observed; HQ acknowledged some. */
async function statusOf(db: LoketDatabase, ackedTicketIds: string[]): Promise<SyncStatusStore> {
  const status = new SyncStatusStore(() => 0);
  for (const [name, coll] of [['tickets', db.tickets], ['audit', db.audit]] as const) {
    for (const d of await coll.find().exec()) {
      const data = d.toJSON() as Record<string, unknown>;
      status.observe(name, d.primary, fingerprint(data));
      if (name === 'tickets' && ackedTicketIds.includes(d.primary)) status.acknowledge(name, d.primary, fingerprint(data));
    }
  }
  return status;
}

describe('hand-carry export of pending records', () => {
  it('exports exactly the records HQ has not acknowledged, as pushed, and the import gets them back', async () => {
    const { db, desk } = await branchPc();
    const issued: { id: string }[] = [];
    for (let i = 0; i < 4; i++) issued.push(await desk.issue({ service: 'jmo-reset', nik: makeNik('1990-02-03', 'male', 300 + i) }, guard));
    const status = await statusOf(db, [issued[0]!.id]);
    const keys = status.pendingKeys();
    const auditCount = (await db.audit.find().exec()).length;
    expect(auditCount).toBeGreaterThan(0);
    expect(keys).toHaveLength(3 + auditCount);
    expect(keys.some((k) => k.id === issued[0]!.id)).toBe(false);

    const progress: number[] = [];
    const records = await collectPendingRecords(keys, { tickets: db.tickets, audit: db.audit }, (done) => progress.push(done));
    expect(records).toHaveLength(keys.length);
    expect(progress.at(-1)).toBe(keys.length);
    for (const r of records) {
      expect(Object.keys(r.doc).filter((k) => k.startsWith('_'))).toEqual(['_deleted']);
      // The same content HQ would get by sync (decrypted, without RxDB's bookkeeping): same fingerprint.
      const live = (await (r.collection === 'tickets' ? db.tickets : db.audit).findOne(r.id).exec())!.toJSON() as Record<string, unknown>;
      expect(fingerprint(r.doc)).toBe(fingerprint(live));
      expect(r.rev).toMatch(/^\d+-/);
    }

    const signingKey = await generateDeviceSigningKey();
    const text = await exportHandcarry({ records, branchCode: 'UJI01', deviceId: 'dev-pc-1', passphrase: PASS, signingKey, ...FAST });
    const back = await importHandcarry(text, { passphrase: PASS, expectedBranchCode: 'UJI01' });
    expect(back.ok && back.records).toEqual(records);
    expect(await importHandcarry(text, { passphrase: 'bukan frasa yang benar', expectedBranchCode: 'UJI01' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE_OR_TAMPERED' } });
    const tampered = JSON.parse(text) as HandcarryEnvelope;
    tampered.recordCount += 1;
    expect(await importHandcarry(JSON.stringify(tampered), { passphrase: PASS, expectedBranchCode: 'UJI01' })).toMatchObject({ ok: false, error: { code: 'BAD_SIGNATURE' } });
  });

  it('carries a pending deletion, and refuses to export when a pending record cannot be read', async () => {
    const { db, desk } = await branchPc();
    const t = await desk.issue({ service: 'jht-claim', nik: makeNik('1988-07-09', 'female', 410) }, guard);
    await (await db.tickets.findOne(t.id).exec())!.remove();
    const records = await collectPendingRecords([{ collection: 'tickets', id: t.id }], { tickets: db.tickets });
    expect(records).toHaveLength(1);
    expect(records[0]!.doc._deleted).toBe(true);
    await expect(collectPendingRecords([{ collection: 'tickets', id: 'no-such-ticket' }], { tickets: db.tickets })).rejects.toThrow(/1 pending record\(s\) could not be read/);
    await expect(collectPendingRecords([{ collection: 'cases', id: 'x' }], { tickets: db.tickets })).rejects.toThrow(/could not be read/);
  });
});
