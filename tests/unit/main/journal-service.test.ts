// Main's journal over the bridge (main/journal.ts through core.dispatch): a write answers only once
// it is in the journal, the records come back after a restart (torn tail cut), the sentinel is kept
// per database, and HQ's push answers trim what HQ holds, never more. Generated documents only.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalService } from '../../../main/journal';
import { JOURNAL_FILE } from '../../../main/storage/ack-journal';
import { makeCore, memoryLog, setupPayload, tempDir } from './helpers';

const ticket = (n: number, status = 'waiting') => ({ id: `TST01:2026-12-06:A1-00${n}`, branchCode: 'TST01', status, updatedAt: '2026-12-06T01:00:00.000Z' });

describe('the journal over the bridge', () => {
  it('appends, and after a restart with a torn tail returns every acknowledged record', async () => {
    const { core, dir } = makeCore();
    expect(await core.dispatch('head', 'branch.setup', setupPayload)).toMatchObject({ ok: true });
    for (let n = 1; n <= 3; n++) {
      expect(await core.dispatch('head', 'journal.append', { entries: [{ collection: 'tickets', id: ticket(n).id, doc: ticket(n) }] })).toEqual({ ok: true, value: { seq: n } });
    }
    await core.journal.close();
    // A half-written record after the last acknowledged one (power cut mid-append).
    const file = path.join(dir, 'journal', JOURNAL_FILE);
    fs.appendFileSync(file, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]));

    const again = makeCore({ dir });
    await again.core.dispatch('head', 'staff.signIn', { staffId: setupPayload.head.staffId, pin: setupPayload.head.pin });
    const records = await again.core.dispatch('head', 'journal.records', undefined);
    expect(records).toMatchObject({ ok: true, value: { records: [1, 2, 3].map((n) => ({ seq: n, collection: 'tickets', id: ticket(n).id, doc: ticket(n) })) } });
    expect(again.log.lines.some((l) => l.message === 'journal: cut a torn tail on open')).toBe(true);
    // The file holds no plaintext.
    expect(fs.readFileSync(file).includes(Buffer.from('TST01'))).toBe(false);
  });

  it('journal writes need a session; reading the records needs an unlocked one', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    const entry = { collection: 'audit', id: 'dev:0000000001', doc: { id: 'dev:0000000001' } };
    expect(await core.dispatch('stranger', 'journal.append', { entries: [entry] })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    await core.dispatch('head', 'staff.lock', undefined);
    expect(await core.dispatch('head', 'journal.append', { entries: [entry] })).toMatchObject({ ok: true });
    expect(await core.dispatch('head', 'journal.records', undefined)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
  });

  it('keeps the database sentinel per database', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    expect(await core.dispatch('head', 'journal.sentinel', { database: 'loket-tst01' })).toEqual({ ok: true, value: { epoch: null } });
    expect(await core.dispatch('head', 'journal.setSentinel', { database: 'loket-tst01', epoch: 'epoch-000001' })).toEqual({ ok: true, value: null });
    expect(await core.dispatch('head', 'journal.sentinel', { database: 'loket-tst01' })).toEqual({ ok: true, value: { epoch: 'epoch-000001' } });
    expect(await core.dispatch('head', 'journal.sentinel', { database: 'loket-oth01' })).toEqual({ ok: true, value: { epoch: null } });
  });
});

describe('trim after HQ answers a push', () => {
  it('drops what HQ accepted as written, keeps conflicts and newer writes, and rewrites the file', async () => {
    const dir = tempDir();
    const svc = new JournalService({ dir, dbKey: () => Buffer.alloc(32, 3).toString('base64'), log: memoryLog() });
    await svc.open();
    for (let n = 1; n <= 300; n++) await svc.append([{ collection: 'tickets', id: ticket(n).id, doc: ticket(n) }]);
    await svc.append([{ collection: 'tickets', id: ticket(2).id, doc: ticket(2, 'called') }]);
    const rows = Array.from({ length: 300 }, (_, i) => ({ assumedMasterState: null, newDocumentState: { ...ticket(i + 1), _deleted: false } }));
    // HQ answers ticket 3 with its own copy: a conflict, not an acknowledgement.
    await svc.acknowledgePushed('tickets', rows, [{ ...ticket(3), status: 'done' }]);
    const left = (await svc.records()).records.map((r) => [r.id, r.doc.status]);
    expect(left).toEqual([
      [ticket(3).id, 'waiting'],
      [ticket(2).id, 'called'],
    ]);
    await svc.close();
    expect(fs.statSync(path.join(dir, JOURNAL_FILE)).size).toBeLessThan(2_000);
    const again = new JournalService({ dir, dbKey: () => Buffer.alloc(32, 3).toString('base64'), log: memoryLog() });
    expect((await again.records()).records.map((r) => r.id)).toEqual([ticket(3).id, ticket(2).id]);
    await again.close();
  });
});
