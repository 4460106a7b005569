import { afterEach, describe, expect, it } from 'vitest';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import { AuditLog } from '../../../renderer/src/data/db/stores';
import { auditSignedText, type AuditEntry } from '@shared/audit/chain';
import { AuditEntrySigner } from '../../../main/audit/entry-signer';
import { verifierFor } from '../../../main/audit/device-key';
import { fileVault } from '../../../main/secrets';
import { handcarrySigningKey } from '../../../main/storage/handcarry-key';
import { memoryLog, tempDir } from '../main/helpers';
import { openTestDb, uniqueName } from './db-helpers';

// Issue 17 (audit-id squatting): each new entry of the renderer's audit chain is signed by main with
// the device key before it is stored (`audit.sign`), and stored with its signature, which stays
// outside the hash. Main refusing or failing leaves the entry unsigned: an append never fails on it.

const open: LoketDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

const actor = { staffId: 'kepala.uji', role: 'head' as const };
const session = { ...actor, name: 'Kepala Uji', locked: false, signedInAt: '2026-03-02T00:00:00.000Z', mustChangePin: false };
const entry = (n: number) => ({ at: `2026-03-02T0${n}:00:00.000Z`, actor, action: 'case.event' as const, subject: { kind: 'case', id: `c${n}` }, details: {} });

describe("the renderer's audit entries are signed by main", () => {
  it('stores each entry with main’s signature of its hash; the chain still verifies', async () => {
    const db = await openTestDb(uniqueName('loket-audit-sign'));
    open.push(db);
    const key = handcarrySigningKey(fileVault(tempDir(), memoryLog()));
    const signer = new AuditEntrySigner({ deviceId: () => 'dev-sign-1', key: () => key });
    const audit = new AuditLog(db.audit, 'dev-sign-1', undefined, (e: AuditEntry) => signer.sign(e, session));
    const appended = await Promise.all([audit.append(entry(1)), audit.append(entry(2)), audit.append(entry(3))]);
    const stored = await audit.entries();
    expect(stored).toEqual(appended);
    const verify = verifierFor(key.publicKey);
    expect(stored.every((e) => e.signature !== undefined && verify(auditSignedText(e.hash), e.signature))).toBe(true);
    expect(await audit.verify()).toEqual({ ok: true, count: 3 });
  });

  it('main refusing (no session) leaves the entry unsigned and the append goes on', async () => {
    const db = await openTestDb(uniqueName('loket-audit-sign'));
    open.push(db);
    const audit = new AuditLog(db.audit, 'dev-sign-2', undefined, () => Promise.reject(new Error('NOT_SIGNED_IN')));
    const first = await audit.append(entry(1));
    expect(first.signature).toBeUndefined();
    const noAnswer = new AuditLog(db.audit, 'dev-sign-2', undefined, () => Promise.resolve(null));
    await expect(noAnswer.append(entry(2))).resolves.toMatchObject({ seq: 2 });
    expect(await noAnswer.verify()).toEqual({ ok: true, count: 2 });
  });
});
