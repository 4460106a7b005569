import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PIN_ATTEMPTS } from '../../../main/accounts';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';
import { makeCore, setupPayload, tempDir } from './helpers';

// Issue 18 pt 3: roles, PIN hashes, lockout counters and the branch profile cannot be edited into power.

const officer = { staffId: 'petugas.a', name: 'Petugas A', role: 'officer' as const, pin: '480213' };
const attacker = { staffId: 'penyusup', name: 'Penyusup', pin: '730519' };

async function setUp() {
  const h = makeCore();
  expect(await h.core.dispatch('head', 'branch.setup', setupPayload)).toMatchObject({ ok: true });
  expect(await h.core.dispatch('head', 'staff.add', officer)).toMatchObject({ ok: true });
  return h;
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  fs.writeFileSync(file, next);
}

const refused = { ok: false, error: { code: 'STATE_REFUSED' } };

describe('state files cannot be edited into power (issue 18)', () => {
  it('deleting branch.json does not reopen first run, nor hand out the database key, even after a restart', async () => {
    const h = await setUp();
    const key = await h.core.dispatch('head', 'secrets.dbKey', undefined);
    expect(key.ok).toBe(true);
    fs.rmSync(path.join(h.dir, 'branch.json'));
    for (const core of [h.core, makeCore({ dir: h.dir }).core]) {
      expect(await core.dispatch('x', 'app.info', undefined)).toMatchObject(refused);
      expect(await core.dispatch('x', 'branch.setup', { ...setupPayload, head: attacker })).toMatchObject(refused);
      expect(await core.dispatch('x', 'secrets.dbKey', undefined)).toMatchObject({ ok: false });
    }
    expect(fs.existsSync(path.join(h.dir, 'branch.json'))).toBe(false);
  });

  it('a corrupt branch.json does not reopen setup and is left in place', async () => {
    const h = await setUp();
    fs.writeFileSync(path.join(h.dir, 'branch.json'), '{"truncated');
    for (const core of [h.core, makeCore({ dir: h.dir }).core]) {
      expect(await core.dispatch('x', 'app.info', undefined)).toMatchObject(refused);
      expect(await core.dispatch('x', 'branch.setup', { ...setupPayload, head: attacker })).toMatchObject(refused);
    }
    expect(fs.readFileSync(path.join(h.dir, 'branch.json'), 'utf8')).toBe('{"truncated');
  });

  it('an officer edited into a head is refused with a clear message and an audit entry, never trusted', async () => {
    const h = await setUp();
    edit(path.join(h.dir, 'staff.json'), /("staffId": "petugas\.a",\s*"name": "Petugas A",\s*"role": )"officer"/, '$1"head"');
    const signIn = await h.core.dispatch('pc', 'staff.signIn', officer);
    expect(signIn).toMatchObject(refused);
    expect(!signIn.ok && signIn.error.message).toMatch(/staff\.json/);
    expect(await h.core.dispatch('pc', 'settings.set', { autoLockMinutes: 120 })).toMatchObject({ ok: false });
    expect(await makeCore({ dir: h.dir }).core.dispatch('pc', 'staff.signIn', officer)).toMatchObject(refused);
    expect(h.log.lines.some((l) => l.level === 'error' && /audit/.test(l.message) && /staff\.json/.test(l.message))).toBe(true);
  });

  it('deleting the vault as well does not get an edited file trusted', async () => {
    const h = await setUp();
    edit(path.join(h.dir, 'staff.json'), /("staffId": "petugas\.a",\s*"name": "Petugas A",\s*"role": )"officer"/, '$1"head"');
    fs.rmSync(path.join(h.dir, 'secrets'), { recursive: true });
    const again = makeCore({ dir: h.dir }).core;
    expect(await again.dispatch('pc', 'staff.signIn', officer)).toMatchObject(refused);
    expect(await again.dispatch('x', 'branch.setup', { ...setupPayload, head: attacker })).toMatchObject(refused);
  });

  it('a lockout cannot be edited away', async () => {
    const h = await setUp();
    for (let i = 0; i < MAX_PIN_ATTEMPTS; i++) await h.core.dispatch('c', 'staff.signIn', { staffId: officer.staffId, pin: '999991' });
    edit(path.join(h.dir, 'staff.json'), /"lockedUntil": "[^"]+"/, '"lockedUntil": null');
    expect(await h.core.dispatch('c', 'staff.signIn', officer)).toMatchObject(refused);
  });

  it('a head added by hand to staff.json cannot sign in', async () => {
    const h = await setUp();
    const salt = randomBytes(16);
    const hash = scryptSync(attacker.pin, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 });
    edit(
      path.join(h.dir, 'staff.json'),
      /"staff": \[/,
      `"staff": [${JSON.stringify({ ...attacker, pin: undefined, role: 'head', pinHash: `scrypt$32768$8$1$${salt.toString('base64')}$${hash.toString('base64')}`, active: true, failedAttempts: 0, lockedUntil: null, createdAt: new Date().toISOString(), createdBy: null })},`,
    );
    expect(await h.core.dispatch('pc', 'staff.signIn', attacker)).toMatchObject(refused);
  });
});

describe('an install from before the seals (issue 18)', () => {
  /** The files a PC set up before this release holds: plain JSON, PIN hashes of scrypt N=2^15 without pepper. */
  function oldInstall() {
    const dir = tempDir();
    const write = (name: string, value: unknown) => fs.writeFileSync(path.join(dir, name), JSON.stringify(value, null, 2), { mode: 0o600 });
    const oldHash = (pin: string) => {
      const salt = randomBytes(16);
      return `scrypt$32768$8$1$${salt.toString('base64')}$${scryptSync(pin, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 }).toString('base64')}`;
    };
    const account = (s: { staffId: string; name: string; pin: string }, role: string) => ({
      staffId: s.staffId, name: s.name, role, pinHash: oldHash(s.pin), active: true, failedAttempts: 0, lockedUntil: null, createdAt: '2026-10-01T08:00:00.000Z', createdBy: null,
    });
    write('device.json', { deviceId: randomUUID(), createdAt: '2026-10-01T08:00:00.000Z', slot: 1 });
    write('branch.json', { code: 'TST01', name: 'Cabang Uji Satu', serviceHours: DEFAULT_SERVICE_HOURS, counters: 4 });
    write('staff.json', { version: 1, staff: [account(setupPayload.head, 'head'), account(officer, 'officer')] });
    fs.mkdirSync(path.join(dir, 'secrets'), { mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'secrets', 'db.key'), randomBytes(32).toString('base64'), { mode: 0o600 });
    return dir;
  }

  it('is sealed once on its first start, keeps working, and an unsealed file after that is refused', async () => {
    const dir = oldInstall();
    const plainStaff = fs.readFileSync(path.join(dir, 'staff.json'), 'utf8');
    const h = makeCore({ dir });
    expect(await h.core.dispatch('x', 'app.info', undefined)).toMatchObject({ ok: true, value: { setupComplete: true, branch: { code: 'TST01' } } });
    expect(await h.core.dispatch('pc', 'staff.signIn', officer)).toMatchObject({ ok: true, value: { role: 'officer' } });
    for (const name of ['device.json', 'branch.json', 'staff.json']) expect(fs.readFileSync(path.join(dir, name), 'utf8')).toMatch(/"seal"/);
    // The officer's old PIN hash was replaced at that sign-in (peppered, current cost); the head's waits for theirs.
    const hashes = (JSON.parse(fs.readFileSync(path.join(dir, 'staff.json'), 'utf8')) as { body: { staff: { staffId: string; pinHash: string }[] } }).body.staff;
    expect(hashes.find((s) => s.staffId === officer.staffId)?.pinHash).toMatch(/^scrypt2\$/);
    expect(hashes.find((s) => s.staffId === setupPayload.head.staffId)?.pinHash).toMatch(/^scrypt\$32768\$/);
    expect(await makeCore({ dir }).core.dispatch('pc', 'staff.signIn', officer)).toMatchObject({ ok: true });

    // After the upgrade a plain file is an edit, not an old install.
    fs.writeFileSync(path.join(dir, 'staff.json'), plainStaff);
    expect(await makeCore({ dir }).core.dispatch('pc', 'staff.signIn', officer)).toMatchObject(refused);
  });

  it('enrolled with HQ but without its branch profile: first run does not reopen', async () => {
    const dir = oldInstall();
    fs.rmSync(path.join(dir, 'branch.json'));
    fs.writeFileSync(
      path.join(dir, 'secrets', 'hq-link.json'),
      JSON.stringify({ url: 'https://hq.example.test', branchCode: 'TST01', token: 'token-of-a-test-device', enrolledAt: '2026-10-01T08:00:00.000Z' }),
      { mode: 0o600 },
    );
    const { core } = makeCore({ dir });
    expect(await core.dispatch('x', 'app.info', undefined)).toMatchObject(refused);
    expect(await core.dispatch('x', 'branch.setup', { ...setupPayload, head: attacker })).toMatchObject(refused);
  });
});
