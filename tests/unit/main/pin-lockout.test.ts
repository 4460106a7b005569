import fs from 'node:fs';
import path from 'node:path';
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PIN_ATTEMPTS, SESSION_ABSOLUTE_MS } from '../../../main/accounts';
import type { StaffSummary } from '@shared/staff/schema';
import { makeCore, setupPayload } from './helpers';

// Issue 18 pt 4: a PIN lockout that holds under concurrency; sessions main itself ends.

const officer = { staffId: 'petugas.a', name: 'Petugas A', role: 'officer' as const, pin: '480213' };

async function setUp(opts: Parameters<typeof makeCore>[0] = {}) {
  const h = makeCore(opts);
  expect(await h.core.dispatch('head', 'branch.setup', setupPayload)).toMatchObject({ ok: true });
  expect(await h.core.dispatch('head', 'staff.add', officer)).toMatchObject({ ok: true });
  return h;
}

describe('PIN lockout under concurrency (issue 18)', () => {
  it('40 wrong PINs and the right one sent together do not sign in', async () => {
    const { core, events } = await setUp();
    const wrong = Array.from({ length: 40 }, (_, i) => core.dispatch(`wrong-${i}`, 'staff.signIn', { staffId: officer.staffId, pin: String(700000 + i * 7) }));
    const right = core.dispatch('attacker', 'staff.signIn', officer);
    const results = await Promise.all([...wrong, right]);
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    expect(events.some((e) => e.clientId !== 'head' && e.event === 'session.changed' && e.payload !== null)).toBe(false);
    const list = await core.dispatch('head', 'staff.list', undefined);
    expect(list.ok && (list.value as StaffSummary[]).find((s) => s.staffId === officer.staffId)?.lockedUntil).toBeTruthy();
  });

  it('unknown, deactivated, locked and wrong-PIN sign-ins get one and the same failure', async () => {
    const { core } = await setUp();
    await core.dispatch('head', 'staff.add', { ...officer, staffId: 'petugas.b', name: 'Petugas B' });
    await core.dispatch('head', 'staff.setActive', { staffId: 'petugas.b', active: false });
    const wrong = await core.dispatch('c', 'staff.signIn', { staffId: officer.staffId, pin: '999991' });
    const unknown = await core.dispatch('c', 'staff.signIn', { staffId: 'tidak.ada', pin: officer.pin });
    const deactivated = await core.dispatch('c', 'staff.signIn', { staffId: 'petugas.b', pin: officer.pin });
    for (let i = 1; i < MAX_PIN_ATTEMPTS; i++) await core.dispatch('c', 'staff.signIn', { staffId: officer.staffId, pin: '999991' });
    const locked = await core.dispatch('c', 'staff.signIn', officer);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    for (const r of [unknown, deactivated, locked]) expect(r).toEqual(wrong);
  });

  it('PIN hashes are peppered at scrypt N=2^17, and an unknown id costs a hash too (real cost)', async () => {
    const { core, dir } = await setUp({ realPinCost: true });
    const file = fs.readFileSync(path.join(dir, 'staff.json'), 'utf8');
    const hash = /"pinHash": "([^"]+)"/.exec(file)?.[1] ?? '';
    const [kind, n, r, p, salt, stored] = hash.split('$');
    expect([kind, n, r, p]).toEqual(['scrypt2', String(1 << 17), '8', '1']);
    // Without the pepper (held in the vault, not in staff.json) the PIN cannot be checked from the file.
    const unpeppered = scryptSync(setupPayload.head.pin, Buffer.from(salt ?? '', 'base64'), 32, { N: 1 << 17, r: 8, p: 1, maxmem: 256 << 20 });
    expect(unpeppered.toString('base64')).not.toBe(stored);

    const time = async (staffId: string) => {
      const start = performance.now();
      await core.dispatch('c', 'staff.signIn', { staffId, pin: '999991' });
      return performance.now() - start;
    };
    const known = await time(officer.staffId);
    const unknown = await time('tidak.ada');
    expect(known).toBeGreaterThan(50);
    expect(unknown).toBeGreaterThan(known / 2);
  });
});

describe('main ends sessions itself (issue 18)', () => {
  it('locks a session left idle past the auto-lock time, and ends one past its absolute limit', async () => {
    let clock = new Date('2026-11-25T08:00:00Z');
    const { core, events } = await setUp({ now: () => clock });
    const minutes = (m: number) => (clock = new Date(clock.getTime() + m * 60_000));
    expect(await core.dispatch('pc', 'staff.signIn', officer)).toMatchObject({ ok: true });
    minutes(4);
    expect(await core.dispatch('pc', 'secrets.dbKey', undefined)).toMatchObject({ ok: true });
    // Default auto-lock is 5 minutes: main locks too, even if the renderer never asked.
    minutes(7);
    expect(await core.dispatch('pc', 'secrets.dbKey', undefined)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(events.filter((e) => e.clientId === 'pc').at(-1)).toMatchObject({ event: 'session.changed', payload: { locked: true } });
    expect(await core.dispatch('pc', 'staff.unlock', { pin: officer.pin })).toMatchObject({ ok: true, value: { locked: false } });
    // Busy all day: still signed out once the absolute limit has passed since sign-in.
    const steps = Math.ceil(SESSION_ABSOLUTE_MS / (4 * 60_000));
    for (let i = 0; i < steps; i++) {
      minutes(4);
      await core.dispatch('pc', 'settings.get', undefined);
    }
    expect(await core.dispatch('pc', 'secrets.dbKey', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await core.dispatch('pc', 'staff.session', undefined)).toEqual({ ok: true, value: null });
    expect(events.filter((e) => e.clientId === 'pc').at(-1)).toMatchObject({ event: 'session.changed', payload: null });
  });

  it('in the desktop app the OS input idle time counts, not only calls', async () => {
    let clock = new Date('2026-11-25T08:00:00Z');
    let inputIdleMs = 0;
    const { core } = await setUp({ now: () => clock, inputIdleMs: () => inputIdleMs });
    expect(await core.dispatch('pc', 'staff.signIn', officer)).toMatchObject({ ok: true });
    // Typing a long form without calls to main: not idle.
    clock = new Date(clock.getTime() + 20 * 60_000);
    expect(await core.dispatch('pc', 'secrets.dbKey', undefined)).toMatchObject({ ok: true });
    // Nobody at the keyboard, though the page keeps calling.
    inputIdleMs = 7 * 60_000;
    expect(await core.dispatch('pc', 'secrets.dbKey', undefined)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
  });
});
