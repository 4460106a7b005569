// Leaving kiosk mode (issue 21 pt 3): the door PC's window stays a kiosk until a head types their
// staff id and PIN, from the door screen or the sign-in screen (nobody signed in). The PIN is checked
// like a sign-in: one at a time per account, counted toward the same lockout, and every failure is
// the one generic sign-in failure (a guard's right PIN is not told apart from a wrong one). Main's
// signed audit chain records both the failures and the head who ended kiosk mode.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../main/core';
import type { Kiosk } from '../../../main/kiosk';
import { fileVault } from '../../../main/secrets';
import { MAX_PIN_ATTEMPTS } from '../../../main/accounts';
import type { DeviceAuditEntry } from '@shared/audit/device-chain';
import { memoryLog, setupPayload, tempDir } from './helpers';

const head = setupPayload.head;
const guard = { staffId: 'satpam.a', name: 'Satpam A', role: 'security' as const, pin: '480213' };
const KIOSK = { displayHost: false, monitor: null, kiosk: true };

/** A core with a fake kiosk window (makeCore has none), the head and a guard, kiosk mode on. */
async function kioskPc() {
  const dir = tempDir();
  const log = memoryLog();
  const applied: boolean[] = [];
  let on = false;
  const kiosk: Kiosk = {
    apply: (next) => void applied.push((on = next)),
    isOn: () => on,
  };
  const core = createCore({ userDataDir: dir, mode: 'browser', version: '0.0.0-test', log, vault: fileVault(path.join(dir, 'secrets'), log), kiosk, testOnlyPinScryptN: 1 << 10 });
  await core.dispatch('head', 'branch.setup', setupPayload);
  await core.dispatch('head', 'staff.add', guard);
  expect(await core.dispatch('head', 'display.setScreens', KIOSK)).toMatchObject({ ok: true });
  await core.dispatch('head', 'staff.signOut', undefined);
  expect(on).toBe(true);
  const chain = (): DeviceAuditEntry[] =>
    fs.readFileSync(path.join(dir, 'audit', 'device-chain.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DeviceAuditEntry);
  const kioskSaved = async () => ((await core.dispatch('x', 'app.info', undefined)) as { ok: true; value: { kiosk?: boolean } }).value.kiosk;
  return { core, kiosk, applied, chain, kioskSaved, isOn: () => on };
}

const GENERIC = { ok: false, error: { code: 'PIN_WRONG', message: 'Wrong staff ID or PIN, or this account cannot sign in now.' } };

describe('leaving kiosk mode with the head\u2019s PIN', () => {
  it('app.info tells every page (signed in or not) whether this PC runs as a kiosk', async () => {
    const pc = await kioskPc();
    expect(await pc.kioskSaved()).toBe(true);
  });

  it('a head\u2019s PIN ends kiosk mode from the door (a guard signed in) and is recorded as the head\u2019s change', async () => {
    const pc = await kioskPc();
    expect(await pc.core.dispatch('door', 'staff.signIn', { staffId: guard.staffId, pin: guard.pin })).toMatchObject({ ok: true });
    expect(await pc.core.dispatch('door', 'display.exitKiosk', { staffId: head.staffId, pin: head.pin })).toEqual({ ok: true, value: { ...KIOSK, kiosk: false } });
    expect(pc.isOn()).toBe(false);
    expect(await pc.kioskSaved()).toBe(false);
    // The guard stays signed in at the door: only the window's kiosk mode ended.
    expect(await pc.core.dispatch('door', 'staff.session', undefined)).toMatchObject({ ok: true, value: { staffId: guard.staffId } });
    const last = pc.chain().at(-1);
    expect([last?.action, last?.actor, last?.details]).toEqual(['settings.changed', { staffId: head.staffId, role: 'head' }, { keys: ['kiosk'] }]);
  });

  it('works from the sign-in screen too, with nobody signed in', async () => {
    const pc = await kioskPc();
    expect(await pc.core.dispatch('nobody', 'display.exitKiosk', { staffId: head.staffId, pin: head.pin })).toMatchObject({ ok: true, value: { kiosk: false } });
    expect(pc.isOn()).toBe(false);
  });

  it('a guard\u2019s right PIN is refused with the generic sign-in failure, kiosk mode stays, and the refusal is audited', async () => {
    const pc = await kioskPc();
    expect(await pc.core.dispatch('door', 'display.exitKiosk', { staffId: guard.staffId, pin: guard.pin })).toEqual(GENERIC);
    expect(pc.isOn()).toBe(true);
    expect(await pc.kioskSaved()).toBe(true);
    const last = pc.chain().at(-1);
    expect([last?.action, last?.actor, last?.details]).toEqual(['staff.signInFailed', null, { staffId: guard.staffId, code: 'FORBIDDEN_ROLE', for: 'kiosk.exit' }]);
  });

  it('a wrong head PIN is refused, audited and counted with sign-in\u2019s: the lockout stops the right PIN as well, in both places', async () => {
    const pc = await kioskPc();
    for (let i = 0; i < MAX_PIN_ATTEMPTS; i += 1) {
      expect(await pc.core.dispatch('door', 'display.exitKiosk', { staffId: head.staffId, pin: '111112' })).toEqual(GENERIC);
    }
    expect(pc.chain().at(-1)).toMatchObject({ action: 'staff.signInFailed', actor: null, details: { staffId: head.staffId, for: 'kiosk.exit' } });
    // Locked out now: the right PIN gets the same answer, here and at sign-in, and kiosk mode stays.
    expect(await pc.core.dispatch('door', 'display.exitKiosk', { staffId: head.staffId, pin: head.pin })).toEqual(GENERIC);
    expect(await pc.core.dispatch('door', 'staff.signIn', { staffId: head.staffId, pin: head.pin })).toEqual(GENERIC);
    expect(pc.isOn()).toBe(true);
    expect(pc.applied).toEqual([true]);
    expect(JSON.stringify(pc.chain())).not.toMatch(/111112|802417|480213/);
  });

  it('wrong PINs sent together are checked one at a time against one counter (no more tries than sign-in allows)', async () => {
    const pc = await kioskPc();
    const tries = Array.from({ length: MAX_PIN_ATTEMPTS }, () => pc.core.dispatch('door', 'display.exitKiosk', { staffId: head.staffId, pin: '111112' }));
    await Promise.all(tries);
    expect(await pc.core.dispatch('door', 'display.exitKiosk', { staffId: head.staffId, pin: head.pin })).toEqual(GENERIC);
    expect(pc.isOn()).toBe(true);
  });

  it('an unknown staff id gets the same answer; before setup nothing is checked', async () => {
    const pc = await kioskPc();
    expect(await pc.core.dispatch('door', 'display.exitKiosk', { staffId: 'tidak.ada', pin: head.pin })).toEqual(GENERIC);
    const dir = tempDir();
    const log = memoryLog();
    const fresh = createCore({ userDataDir: dir, mode: 'browser', version: '0.0.0-test', log, vault: fileVault(path.join(dir, 'secrets'), log), testOnlyPinScryptN: 1 << 10 });
    expect(await fresh.dispatch('c', 'display.exitKiosk', { staffId: head.staffId, pin: head.pin })).toMatchObject({ ok: false, error: { code: 'SETUP_REQUIRED' } });
  });
});
