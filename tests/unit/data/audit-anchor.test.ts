import { afterEach, describe, expect, it } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog } from '../../../renderer/src/data/db/stores';
import { openTestDb, uniqueName } from './db-helpers';

// Issue 18 pt 7: the renderer's audit chain head is anchored into main's signed chain (`audit.anchor`)
// after every append, in chain order, so a cut tail (which verifies on its own) no longer matches.

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

const entry = (n: number) => ({ at: `2026-03-02T0${n}:00:00.000Z`, actor: { staffId: 'kepala.uji', role: 'head' as const }, action: 'case.event' as const, subject: { kind: 'case', id: `c${n}` }, details: {} });

describe('the renderer anchors its audit chain head in main', () => {
  it('sends each new head (seq and hash), in order, once appended', async () => {
    const db = await openTestDb(uniqueName('loket-anchor'));
    open.push(db);
    const heads: { seq: number; hash: string }[] = [];
    const audit = new AuditLog(db.audit, 'dev-anchor-1', (head) => {
      heads.push(head);
      return Promise.resolve(null);
    });
    const appended = await Promise.all([audit.append(entry(1)), audit.append(entry(2)), audit.append(entry(3))]);
    await audit.anchored();
    expect(heads).toEqual(appended.map((e) => ({ seq: e.seq, hash: e.hash })));
    expect(heads.map((h) => h.seq)).toEqual([1, 2, 3]);
  });

  it('a refused anchor (no session) neither fails the append nor stops the next anchor', async () => {
    const db = await openTestDb(uniqueName('loket-anchor'));
    open.push(db);
    let calls = 0;
    const audit = new AuditLog(db.audit, 'dev-anchor-2', () => (++calls === 1 ? Promise.reject(new Error('NOT_SIGNED_IN')) : Promise.resolve(null)));
    await expect(audit.append(entry(1))).resolves.toMatchObject({ seq: 1 });
    await expect(audit.append(entry(2))).resolves.toMatchObject({ seq: 2 });
    await audit.anchored();
    expect(calls).toBe(2);
  });
});
