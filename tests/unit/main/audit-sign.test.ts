import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEntry, auditSignedText, type AuditEntry } from '@shared/audit/chain';
import type { Channel, ResponseOf } from '@shared/ipc/contract';
import type { IpcResult } from '@shared/ipc/result';
import type { Role } from '@shared/staff/schema';
import type { Core } from '../../../main/core';
import { nodeSha256Hex, verifierFor } from '../../../main/audit/device-key';
import { startWebServer, type WebServer } from '../../../main/web/http-server';
import { makeCore, setupPayload, tempDir } from './helpers';

// Issue 17 (audit-id squatting) / issue 18 pt 7: main signs the renderer's audit entries with the
// device key, which never reaches the renderer (`audit.sign`). It signs only for a signed-in
// session, only entries of this device's own chain whose actor is that session's staff, only an
// entry that hashes to itself, and never one behind an entry it already signed.

const officer = { staffId: 'petugas.a', name: 'Petugas A', role: 'officer' as const, pin: '571938' };
const call = async <C extends Channel>(core: Core, client: string, channel: C, request: unknown = undefined) =>
  (await core.dispatch(client, channel, request)) as IpcResult<ResponseOf<C>>;

async function branch() {
  const made = makeCore();
  const { core } = made;
  await core.dispatch('head', 'branch.setup', setupPayload);
  await core.dispatch('head', 'staff.add', officer);
  await core.dispatch('desk', 'staff.signIn', { staffId: officer.staffId, pin: officer.pin });
  const info = await call(core, 'desk', 'app.info');
  const key = await call(core, 'head', 'handcarry.publicKey');
  if (!info.ok || !key.ok) throw new Error('setup failed');
  return { ...made, deviceId: info.value.deviceId, publicKey: key.value };
}

const entryOf = (deviceId: string, prev: AuditEntry | null = null, actor: { staffId: string; role: Role } = { staffId: officer.staffId, role: officer.role }) =>
  appendEntry(nodeSha256Hex, prev, { deviceId, at: '2026-12-07T08:00:00+07:00', actor, action: 'case.opened', subject: { kind: 'case', id: 'TST01-0001' }, details: {} });

describe('main signs the renderer’s audit entries (audit.sign)', () => {
  it("signs an entry of this device's chain for the signed-in staff: the signature checks under the device key, over the entry's hash", async () => {
    const { core, deviceId, publicKey } = await branch();
    const entry = await entryOf(deviceId);
    const signed = await call(core, 'desk', 'audit.sign', { entry });
    if (!signed.ok) throw new Error(signed.error.message);
    expect(verifierFor(publicKey)(auditSignedText(entry.hash), signed.value.signature)).toBe(true);
    // Over this entry only: it does not stand for another hash, nor for the bare hash (main's own chain signs that).
    expect(verifierFor(publicKey)(entry.hash, signed.value.signature)).toBe(false);
    const next = await entryOf(deviceId, entry);
    const second = await call(core, 'desk', 'audit.sign', { entry: next });
    expect(second.ok).toBe(true);
    // A retry of the same seq (another window won the append) is signed again.
    expect((await call(core, 'desk', 'audit.sign', { entry: next })).ok).toBe(true);
  });

  it("refuses an entry of another device's chain: the squatter cannot get this device's key to sign for another PC", async () => {
    const { core } = await branch();
    const other = await entryOf(randomUUID());
    expect(await call(core, 'desk', 'audit.sign', { entry: other })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('refuses without a signed-in session, after sign-out, and for an actor who is not the signed-in staff', async () => {
    const { core, deviceId } = await branch();
    const entry = await entryOf(deviceId);
    expect(await call(core, 'nobody', 'audit.sign', { entry })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    const asHead = await entryOf(deviceId, null, { staffId: setupPayload.head.staffId, role: 'head' });
    expect(await call(core, 'desk', 'audit.sign', { entry: asHead })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    await core.dispatch('desk', 'staff.signOut', undefined);
    expect(await call(core, 'desk', 'audit.sign', { entry })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('refuses an entry that does not hash to its hash, a malformed one, and one behind what it signed', async () => {
    const { core, deviceId } = await branch();
    const first = await entryOf(deviceId);
    const second = await entryOf(deviceId, first);
    expect(await call(core, 'desk', 'audit.sign', { entry: { ...second, details: { edited: true } } })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call(core, 'desk', 'audit.sign', { entry: { ...second, signature: 'x' } })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect((await call(core, 'desk', 'audit.sign', { entry: second })).ok).toBe(true);
    expect(await call(core, 'desk', 'audit.sign', { entry: first })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('audit.sign in browser mode', () => {
  let server: WebServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('the same channel over the browser bridge: signed for the page’s session, refused for a page without one', async () => {
    const { core, log, deviceId, publicKey } = await branch();
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Loket</title>');
    server = await startWebServer({ core, rendererDir, log, port: 0 });
    const page = await fetch(`${server.url}/`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    const post = (body: unknown) =>
      fetch(`${server!.url}/api/call`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server!.url, cookie }, body: JSON.stringify(body) }).then(
        async (r) => (await r.json()) as IpcResult<{ signature: string }>,
      );
    const entry = await entryOf(deviceId);
    expect(await post({ channel: 'audit.sign', request: { entry } })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await post({ channel: 'staff.signIn', request: { staffId: officer.staffId, pin: officer.pin } })).toMatchObject({ ok: true });
    const signed = await post({ channel: 'audit.sign', request: { entry } });
    if (!signed.ok) throw new Error(signed.error.message);
    expect(verifierFor(publicKey)(auditSignedText(entry.hash), signed.value.signature)).toBe(true);
  });
});
