import { describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Core } from '../../../main/core';
import { fileVault } from '../../../main/secrets';
import type { Channel, ResponseOf } from '@shared/ipc/contract';
import type { IpcResult } from '@shared/ipc/result';
import { makeCore, memoryLog, setupPayload } from './helpers';

// Issue 18 pt 6, least privilege: the door (security) gets the queue key, never the key that
// decrypts case data, and main refuses it case records on every channel that carries them.
const guard = { staffId: 'satpam.a', name: 'Satpam A', role: 'security' as const, pin: '480213' };
const officer = { staffId: 'petugas.a', name: 'Petugas A', role: 'officer' as const, pin: '571938' };
const admin = { staffId: 'admin.a', name: 'Admin A', role: 'admin' as const, pin: '640281' };

/** A dispatch whose answer is typed by its channel. */
const call = async <C extends Channel>(core: Core, client: string, channel: C, request: unknown = undefined) =>
  (await core.dispatch(client, channel, request)) as IpcResult<ResponseOf<C>>;

async function branch() {
  const made = makeCore();
  const { core } = made;
  await core.dispatch('head', 'branch.setup', setupPayload);
  for (const s of [guard, officer, admin]) await core.dispatch('head', 'staff.add', s);
  await core.dispatch('door', 'staff.signIn', { staffId: guard.staffId, pin: guard.pin });
  await core.dispatch('desk', 'staff.signIn', { staffId: officer.staffId, pin: officer.pin });
  await core.dispatch('it', 'staff.signIn', { staffId: admin.staffId, pin: admin.pin });
  return made;
}

const caseDoc = (id: string) => ({ id, branchCode: 'TST01', person: { nik: '3175000000000001', name: 'Peserta Contoh' }, updatedAt: '2026-12-06T08:00:00.000Z' });
const ticketDoc = (id: string) => ({ id, branchCode: 'TST01', nikHash: 'a'.repeat(64), updatedAt: '2026-12-06T08:00:00.000Z' });

describe('case key by role (issue 18 pt 6)', () => {
  it('the door role asking for the case key is refused; officer, head and admin get it', async () => {
    const { core } = await branch();
    expect(await core.dispatch('door', 'secrets.caseKey', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    const keys = await Promise.all(['desk', 'head', 'it'].map((c) => call(core, c, 'secrets.caseKey')));
    expect(keys.every((k) => k.ok)).toBe(true);
    const [a, b, c] = keys.map((k) => (k.ok ? k.value.key : null));
    expect(a).toBe(b);
    expect(a).toBe(c);
    expect(await core.dispatch('nobody', 'secrets.caseKey', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('every role gets the queue key, and it is not the case key', async () => {
    const { core } = await branch();
    const door = await call(core, 'door', 'secrets.dbKey');
    const desk = await call(core, 'desk', 'secrets.dbKey');
    const caseKey = await call(core, 'desk', 'secrets.caseKey');
    if (!door.ok || !desk.ok || !caseKey.ok) throw new Error('expected the keys');
    expect(door.value.key).toBe(desk.value.key);
    expect(door.value.nikKey).toEqual(desk.value.nikKey); // the door hashes NIKs to find appointments
    expect(door.value.key).not.toBe(caseKey.value.key);
    expect(Buffer.from(door.value.key, 'base64')).toHaveLength(32);
  });

  it("an install from before the split keeps its single key as the case key, so its cases still open; the queue key is new", async () => {
    const { core, dir } = await branch();
    const before = fileVault(path.join(dir, 'secrets'), memoryLog()).dbKey();
    const caseKey = await core.dispatch('head', 'secrets.caseKey', undefined);
    const queueKey = await call(core, 'head', 'secrets.dbKey');
    expect(caseKey).toMatchObject({ ok: true, value: { key: before } });
    expect(queueKey.ok && queueKey.value.key).not.toBe(before);
  });

  it('main refuses case records to the door on sync pull and push, before anything leaves the PC', async () => {
    const { core } = await branch();
    const pullCases = { collection: 'cases', checkpoint: null, limit: 10 } as const;
    expect(await core.dispatch('door', 'sync.pull', pullCases)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await core.dispatch('door', 'sync.pull', { ...pullCases, via: 'hub' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    const push = { collection: 'cases', rows: [{ assumedMasterState: null, newDocumentState: caseDoc('C-1') }] } as const;
    expect(await core.dispatch('door', 'sync.push', push)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    // Its own queue data goes on (here: to an HQ this PC has not joined yet), and so do the officer's cases.
    expect(await core.dispatch('door', 'sync.pull', { ...pullCases, collection: 'tickets' })).toMatchObject({ ok: false, error: { code: 'HQ_NOT_ENROLLED' } });
    expect(await core.dispatch('desk', 'sync.pull', pullCases)).toMatchObject({ ok: false, error: { code: 'HQ_NOT_ENROLLED' } });
  });

  it("main's journal gives the door its queue records back, never the cases an officer wrote on the same PC", async () => {
    const { core } = await branch();
    expect(
      await core.dispatch('desk', 'journal.append', {
        entries: [
          { collection: 'cases', id: 'C-1', doc: caseDoc('C-1') },
          { collection: 'tickets', id: 'T-1', doc: ticketDoc('T-1') },
        ],
      }),
    ).toMatchObject({ ok: true });
    const door = await call(core, 'door', 'journal.records');
    const desk = await call(core, 'desk', 'journal.records');
    if (!door.ok || !desk.ok) throw new Error('expected the records');
    expect(door.value.records.map((r) => r.id)).toEqual(['T-1']);
    expect(JSON.stringify(door.value)).not.toContain('Peserta Contoh');
    // How many were held back, so the door purges its old sealed cases only when main holds none.
    expect(door.value.withheld).toBe(1);
    expect(desk.value.records.map((r) => r.id).sort()).toEqual(['C-1', 'T-1']);
    expect(desk.value.withheld).toBe(0);
  });
});
