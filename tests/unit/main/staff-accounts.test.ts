import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_LOCK_MS, MAX_PIN_ATTEMPTS } from '../../../main/accounts';
import type { StaffSummary } from '@shared/staff/schema';
import { makeCore, setupPayload } from './helpers';

const officer = { staffId: 'petugas.a', name: 'Petugas A', role: 'officer' as const, pin: '480213' };

async function setUp(now: () => Date) {
  const h = makeCore({ now });
  await h.core.dispatch('head', 'branch.setup', setupPayload);
  await h.core.dispatch('head', 'staff.add', officer);
  return h;
}

describe('staff sign-in', () => {
  it('stores a peppered scrypt hash, never the PIN', async () => {
    const { dir } = await setUp(() => new Date());
    const file = fs.readFileSync(path.join(dir, 'staff.json'), 'utf8');
    expect(file).not.toContain(officer.pin);
    expect(file).not.toContain(setupPayload.head.pin);
    expect(file).toMatch(/"pinHash": "scrypt2\$\d+\$8\$1\$/);
    expect((fs.statSync(path.join(dir, 'staff.json')).mode & 0o777).toString(8)).toBe('600');
  });

  it('staff list never carries PIN hashes', async () => {
    const { core } = await setUp(() => new Date());
    const list = await core.dispatch('head', 'staff.list', undefined);
    expect(JSON.stringify(list)).not.toContain('scrypt');
    expect(list).toMatchObject({ ok: true, value: [{ staffId: 'kepala.uji', role: 'head' }, { staffId: 'petugas.a', role: 'officer' }] });
  });

  it(`locks after ${MAX_PIN_ATTEMPTS} wrong PINs, then doubles the lock on each further failure`, async () => {
    let clock = new Date('2026-11-25T08:00:00Z');
    const { core } = await setUp(() => clock);
    // Sign-in failures all look the same (issue 18); the head sees the lock in the staff list.
    const lockedUntil = async () => {
      const list = await core.dispatch('head', 'staff.list', undefined);
      return list.ok ? (list.value as StaffSummary[]).find((s) => s.staffId === officer.staffId)?.lockedUntil : 'no list';
    };
    const wrong = () => core.dispatch('c', 'staff.signIn', { staffId: officer.staffId, pin: '999991' });
    for (let i = 1; i < MAX_PIN_ATTEMPTS; i++) {
      expect(await wrong()).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
      expect(await lockedUntil()).toBeNull();
    }
    expect(await wrong()).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    expect(await lockedUntil()).toBe(new Date(clock.getTime() + BASE_LOCK_MS).toISOString());
    // While locked even the right PIN is refused.
    expect(await core.dispatch('c', 'staff.signIn', officer)).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    clock = new Date(clock.getTime() + BASE_LOCK_MS + 1);
    expect(await wrong()).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    expect(await lockedUntil()).toBe(new Date(clock.getTime() + 2 * BASE_LOCK_MS).toISOString());
    clock = new Date(clock.getTime() + 2 * BASE_LOCK_MS + 1);
    expect(await core.dispatch('c', 'staff.signIn', officer)).toMatchObject({ ok: true, value: { staffId: 'petugas.a', role: 'officer' } });
    // A success resets the counter: the next lock comes after MAX_PIN_ATTEMPTS wrong PINs again.
    for (let i = 1; i < MAX_PIN_ATTEMPTS; i++) await wrong();
    expect(await lockedUntil()).toBeNull();
  });

  it('an unknown staff id is refused like a wrong PIN', async () => {
    const { core } = await setUp(() => new Date());
    expect(await core.dispatch('c', 'staff.signIn', { staffId: 'tidak.ada', pin: '480213' })).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
  });

  it('a deactivated account cannot sign in and its open session ends', async () => {
    const { core, events } = await setUp(() => new Date());
    await core.dispatch('officer-pc', 'staff.signIn', officer);
    expect(await core.dispatch('head', 'staff.setActive', { staffId: officer.staffId, active: false })).toMatchObject({ ok: true, value: { active: false } });
    expect(events.filter((e) => e.clientId === 'officer-pc').at(-1)).toMatchObject({ event: 'session.changed', payload: null });
    expect(await core.dispatch('officer-pc', 'staff.signIn', officer)).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
  });

  it('the last active head cannot be deactivated, nor can anyone deactivate themselves', async () => {
    const { core } = await setUp(() => new Date());
    expect(await core.dispatch('head', 'staff.setActive', { staffId: 'kepala.uji', active: false })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('a duplicate staff id is a CONFLICT naming the field', async () => {
    const { core } = await setUp(() => new Date());
    expect(await core.dispatch('head', 'staff.add', officer)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { issues: [{ path: 'staffId' }] } },
    });
  });

  it('weak PINs are refused for new accounts', async () => {
    const { core } = await setUp(() => new Date());
    for (const pin of ['000000', '123456', '987654', '890123']) {
      expect(await core.dispatch('head', 'staff.add', { ...officer, staffId: 'petugas.b', pin })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
  });

  it('unlocking with wrong PINs until lockout ends the session', async () => {
    const { core } = await setUp(() => new Date());
    await core.dispatch('pc', 'staff.signIn', officer);
    await core.dispatch('pc', 'staff.lock', undefined);
    for (let i = 0; i < MAX_PIN_ATTEMPTS - 1; i++) {
      expect(await core.dispatch('pc', 'staff.unlock', { pin: '999991' })).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    }
    expect(await core.dispatch('pc', 'staff.unlock', { pin: '999991' })).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    expect(await core.dispatch('pc', 'staff.session', undefined)).toEqual({ ok: true, value: null });
  });

  it('sessions and settings survive nothing they should not: a restart keeps accounts, forgets sessions', async () => {
    const h = await setUp(() => new Date());
    const again = makeCore({ dir: h.dir });
    expect(await again.core.dispatch('head', 'staff.session', undefined)).toEqual({ ok: true, value: null });
    expect(await again.core.dispatch('head', 'staff.signIn', officer)).toMatchObject({ ok: true });
    expect(await again.core.dispatch('x', 'app.info', undefined)).toMatchObject({ ok: true, value: { setupComplete: true, branch: { code: 'TST01' } } });
  });
});

describe('the head resets a staff member’s PIN (issue 16)', () => {
  const temporary = '571938';

  it('the member signs in with the new PIN and must set their own before anything else', async () => {
    const { core, dir, events } = await setUp(() => new Date('2026-11-25T08:00:00Z'));
    await core.dispatch('officer-pc', 'staff.signIn', officer);
    const reset = await core.dispatch('head', 'staff.resetPin', { staffId: officer.staffId, pin: temporary });
    expect(reset).toMatchObject({ ok: true, value: { staffId: officer.staffId, mustChangePin: true } });
    // The member's open session ends (like a deactivation); the old PIN no longer works.
    expect(events.filter((e) => e.clientId === 'officer-pc').at(-1)).toMatchObject({ event: 'session.changed', payload: null });
    expect(await core.dispatch('officer-pc', 'staff.signIn', officer)).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    // Who reset it and when is kept with the account (and the renderer audits it in the chain).
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'staff.json'), 'utf8')) as { body: { staff: { staffId: string; pinResetBy?: string; pinResetAt?: string }[] } };
    expect(file.body.staff.find((s) => s.staffId === officer.staffId)).toMatchObject({ pinResetBy: 'kepala.uji', pinResetAt: '2026-11-25T08:00:00.000Z' });
    expect(JSON.stringify(file)).not.toContain(temporary);

    const signedIn = await core.dispatch('officer-pc', 'staff.signIn', { staffId: officer.staffId, pin: temporary });
    expect(signedIn).toMatchObject({ ok: true, value: { staffId: officer.staffId, mustChangePin: true } });
    // Until a new PIN is set, nothing but the PIN change (and signing out) is allowed.
    expect(await core.dispatch('officer-pc', 'secrets.dbKey', undefined)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(await core.dispatch('officer-pc', 'staff.changePin', { pin: '999991', newPin: '640281' })).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    expect(await core.dispatch('officer-pc', 'staff.changePin', { pin: temporary, newPin: temporary })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await core.dispatch('officer-pc', 'staff.changePin', { pin: temporary, newPin: '123456' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const changed = await core.dispatch('officer-pc', 'staff.changePin', { pin: temporary, newPin: '640281' });
    expect(changed).toMatchObject({ ok: true, value: { staffId: officer.staffId, mustChangePin: false } });
    expect(events.filter((e) => e.clientId === 'officer-pc').at(-1)).toMatchObject({ event: 'session.changed', payload: { mustChangePin: false } });
    expect(await core.dispatch('officer-pc', 'secrets.dbKey', undefined)).toMatchObject({ ok: true });
    await core.dispatch('officer-pc', 'staff.signOut', undefined);
    expect(await core.dispatch('officer-pc', 'staff.signIn', { staffId: officer.staffId, pin: '640281' })).toMatchObject({ ok: true, value: { mustChangePin: false } });
  });

  it('clears a lockout; refuses weak PINs, unknown staff, other roles and the head’s own account', async () => {
    const { core } = await setUp(() => new Date('2026-11-25T08:00:00Z'));
    for (let i = 0; i < MAX_PIN_ATTEMPTS; i++) await core.dispatch('c', 'staff.signIn', { staffId: officer.staffId, pin: '999991' });
    expect(await core.dispatch('c', 'staff.signIn', officer)).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    expect(await core.dispatch('head', 'staff.resetPin', { staffId: officer.staffId, pin: '123456' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await core.dispatch('head', 'staff.resetPin', { staffId: 'tidak.ada', pin: temporary })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await core.dispatch('head', 'staff.resetPin', { staffId: 'kepala.uji', pin: temporary })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await core.dispatch('head', 'staff.resetPin', { staffId: officer.staffId, pin: temporary })).toMatchObject({ ok: true, value: { lockedUntil: null } });
    expect(await core.dispatch('c', 'staff.signIn', { staffId: officer.staffId, pin: temporary })).toMatchObject({ ok: true });
    // An officer may not reset anyone's PIN.
    expect(await core.dispatch('c', 'staff.resetPin', { staffId: 'kepala.uji', pin: temporary })).toMatchObject({ ok: false });
  });
});

describe('the language belongs to the staff member, not to the PC (issue 16)', () => {
  it('a member’s choice follows them to their next sign-in and leaves the PC default alone', async () => {
    const { core } = await setUp(() => new Date());
    expect(await core.dispatch('pc', 'staff.signIn', officer)).toMatchObject({ ok: true, value: { language: null } });
    expect(await core.dispatch('pc', 'staff.setLanguage', { language: 'en' })).toMatchObject({ ok: true, value: { staffId: officer.staffId, language: 'en' } });
    expect(await core.dispatch('pc', 'staff.setLanguage', { language: 'fr' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    await core.dispatch('pc', 'staff.signOut', undefined);
    // The sign-in screen keeps the PC's default; the head signing in gets theirs (none chosen yet).
    expect(await core.dispatch('pc', 'settings.get', undefined)).toMatchObject({ ok: true, value: { language: 'id' } });
    expect(await core.dispatch('pc', 'staff.signIn', { staffId: 'kepala.uji', pin: setupPayload.head.pin })).toMatchObject({ ok: true, value: { language: null } });
    await core.dispatch('pc', 'staff.signOut', undefined);
    expect(await core.dispatch('pc', 'staff.signIn', officer)).toMatchObject({ ok: true, value: { language: 'en' } });
    expect(await core.dispatch('nobody', 'staff.setLanguage', { language: 'en' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
