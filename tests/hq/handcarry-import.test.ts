// HQ's hand-carry import command (scripts/handcarry-import.ts, issue 18 pt 7) against HQ's own
// database on real PostgreSQL: it trusts only the device keys HQ registered for the branch
// (branchDeviceKeys, registered with the device's first audit upload after enrolment) and refuses a
// file signed by an unregistered or a revoked device, with a clear message. No trust list can be
// handed in. Record contents are never printed.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceAuditLog } from '../../main/audit/device-log';
import { fileVault, type SecretVault } from '../../main/secrets';
import { handcarrySigningKey } from '../../main/storage/handcarry-key';
import { revokeDevice } from '../../hq/admin';
import { buildHq, type HqApp } from '../../hq/app';
import { pgSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { exportHandcarry, importSigningKeyJwk, type HandcarryRecord } from '../../renderer/src/data/handcarry';
import { enrol, freshDatabase, makeBranch, type TestDevice } from './helpers';
import { memoryLog, tempDir } from '../unit/main/helpers';

const root = path.resolve(import.meta.dirname, '../..');
const tsxCli = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const script = path.join(root, 'scripts/handcarry-import.ts');
const PASS = 'kopi tubruk jam tujuh';

/** Generated records: no real names, a made-up NIK hash instead of a NIK. */
const records = (branch: string): HandcarryRecord[] =>
  Array.from({ length: 6 }, (_, i) => ({
    collection: ['cases', 'tickets', 'audit'][i % 3]!,
    id: `rec-${i}`,
    rev: `1-${i}`,
    doc: { branchCode: branch, nikHash: String(i).padStart(64, 'c'), name: `Peserta Uji ${i}` },
  }));

let url: string;
let drop: () => Promise<void>;
let db: Sql;
let app: HqApp;
let branch: string;
let other: string;
let dev: TestDevice;
let dev2: TestDevice;
let dir: string;
const vaults = new Map<string, SecretVault>();

/** Enrols a PC and sends its first audit upload, which registers its key (as main does right after enrolment). */
async function registeredPc(code: string): Promise<TestDevice> {
  const device = await enrol(app, db, code);
  const vault = fileVault(tempDir(), memoryLog());
  vaults.set(device.deviceId, vault);
  const log = new DeviceAuditLog({ dir: path.join(tempDir(), 'audit'), deviceId: device.deviceId, key: () => handcarrySigningKey(vault), now: () => new Date() });
  await log.record('device.enrolled', { staffId: `staf1.${code.toLowerCase()}`, role: 'head' }, { branchCode: code });
  const res = await app.inject({ method: 'POST', url: '/v1/audit/device', headers: device.auth, payload: { publicKey: handcarrySigningKey(vault).publicKey, entries: log.entries() } });
  expect(res.statusCode, res.body).toBe(200);
  return device;
}

/** A hand-carry file as the PC's main signs it (the device key from its vault). */
async function fileFrom(name: string, o: { vault: SecretVault; deviceId: string; branchCode?: string }): Promise<string> {
  const code = o.branchCode ?? branch;
  const text = await exportHandcarry({
    records: records(code),
    branchCode: code,
    deviceId: o.deviceId,
    passphrase: PASS,
    signingKey: await importSigningKeyJwk(handcarrySigningKey(o.vault)),
    kdfIterations: 1_000,
    allowWeakKdfForTests: true,
  });
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const full: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LOKET_HANDCARRY_PASSPHRASE: PASS };
  delete full.HQ_DATA_DIR;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete full[k];
    else full[k] = v;
  }
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [tsxCli, script, ...args], { cwd: root, env: full, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

beforeAll(async () => {
  ({ url, drop } = await freshDatabase('handcarry_import'));
  db = pgSql(url);
  await migrate(db);
  app = buildHq({ db, log: createLogger({ level: 'silent' }) });
  await app.ready();
  branch = await makeBranch(db);
  other = await makeBranch(db);
  dev = await registeredPc(branch);
  dev2 = await registeredPc(branch);
  dir = await mkdtemp(path.join(tmpdir(), 'loket-handcarry-import-'));
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.close();
  await drop();
  await rm(dir, { recursive: true, force: true });
});

describe('scripts/handcarry-import.ts: the sender is checked against the keys HQ registered', () => {
  it('imports a file signed by a registered device of the branch; prints a summary and writes the records only where asked', async () => {
    const file = await fileFrom('good.loket', { vault: vaults.get(dev.deviceId)!, deviceId: dev.deviceId });
    const out = path.join(dir, 'records.json');
    const [text, json] = await Promise.all([run([file, '--branch', branch, '--out', out]), run([file, '--branch', branch, '--json'])]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`branch:      ${branch}`);
    expect(text.stdout).toContain(`device:      ${dev.deviceId}`);
    expect(text.stdout).toContain('records:     6');
    expect(text.stdout).toMatch(/cases: 2\n/);
    expect(text.stdout).toContain('registered at HQ for this device of the branch');
    expect(text.stdout).not.toContain('Peserta Uji'); // record contents are never printed
    const written = JSON.parse(await readFile(out, 'utf8')) as { records: HandcarryRecord[] };
    expect(written.records).toEqual(records(branch));
    if (process.platform !== 'win32') expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, meta: { recordCount: 6, trusted: true, deviceId: dev.deviceId }, byCollection: { cases: 2, tickets: 2, audit: 2 }, warnings: [expect.stringContaining('key derivation is weak')] });
  }, 120_000);

  it('refuses a file signed by a key HQ never registered, by a device of another branch, or naming another device', async () => {
    const stranger = await fileFrom('stranger.loket', { vault: fileVault(tempDir(), memoryLog()), deviceId: dev.deviceId });
    const foreignPc = await registeredPc(other);
    // Signed by the other branch's registered PC, claiming this branch.
    const foreign = await fileFrom('foreign.loket', { vault: vaults.get(foreignPc.deviceId)!, deviceId: foreignPc.deviceId });
    // Signed by dev2's registered key, naming dev.
    const posing = await fileFrom('posing.loket', { vault: vaults.get(dev2.deviceId)!, deviceId: dev.deviceId });
    const [a, b, c] = await Promise.all([run([stranger, '--branch', branch]), run([foreign, '--branch', branch, '--json']), run([posing, '--branch', branch])]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/^error UNTRUSTED_DEVICE: The file is signed by a key that is not enrolled for branch/);
    expect(a.stderr).toContain('Only a device HQ registered for the branch');
    expect(b.code).toBe(1);
    expect(JSON.parse(b.stdout)).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_DEVICE' } });
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(`error DEVICE_MISMATCH: The file names device "${dev.deviceId}" but is signed with the key HQ registered for device "${dev2.deviceId}"`);
  }, 120_000);

  it('has no --trusted-keys: a trust list handed in is a usage error', async () => {
    const keys = path.join(dir, 'keys.json');
    await writeFile(keys, JSON.stringify({ keys: [handcarrySigningKey(fileVault(tempDir(), memoryLog())).publicKey] }));
    const file = await fileFrom('keys.loket', { vault: fileVault(tempDir(), memoryLog()), deviceId: 'pc-tanpa-daftar' });
    const r = await run([file, '--branch', branch, '--trusted-keys', keys]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('There is no --trusted-keys: only the device keys HQ registered for the branch are trusted.');
  }, 60_000);

  it('says where HQ’s database should be when it cannot reach one (exit 2), and creates nothing', async () => {
    const empty = path.join(dir, 'no-hq-here');
    const file = await fileFrom('nodb.loket', { vault: vaults.get(dev.deviceId)!, deviceId: dev.deviceId });
    const [noDir, badUrl] = await Promise.all([
      run([file, '--branch', branch, '--json'], { DATABASE_URL: undefined, HQ_DATA_DIR: empty }),
      run([file, '--branch', branch], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }),
    ]);
    expect(noDir.code).toBe(2);
    const refused = JSON.parse(noDir.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(refused).toMatchObject({ ok: false, error: { code: 'HQ_DATABASE_UNAVAILABLE' } });
    expect(refused.error.message).toContain('Set DATABASE_URL');
    await expect(stat(empty)).rejects.toThrow();
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^error HQ_DATABASE_UNAVAILABLE: Cannot read the device keys HQ registered/);
  }, 60_000);

  it('exits 1 with the code and message on a rejected file, 2 on a usage error', async () => {
    const file = await fileFrom('checks.loket', { vault: vaults.get(dev.deviceId)!, deviceId: dev.deviceId });
    const [wrongPass, foreign, missing, usage, noPass] = await Promise.all([
      run([file, '--branch', branch], { LOKET_HANDCARRY_PASSPHRASE: 'kopi-tubruk-jam-delapan' }),
      run([file, '--branch', other]),
      run([path.join(dir, 'nope.json'), '--branch', branch]),
      run([file]),
      run([file, '--branch', branch], { LOKET_HANDCARRY_PASSPHRASE: undefined }),
    ]);
    expect(wrongPass).toMatchObject({ code: 1, stdout: '' });
    expect(wrongPass.stderr).toMatch(/^error WRONG_PASSPHRASE_OR_TAMPERED: The file could not be decrypted/);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(new RegExp(`^error FOREIGN_BRANCH: .*${branch}, not ${other}`));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error FILE_NOT_READABLE');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage:');
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toContain('LOKET_HANDCARRY_PASSPHRASE');
  }, 120_000);

  // Last: it revokes dev.
  it('refuses a file from a device HQ has revoked, naming the device and when', async () => {
    const file = await fileFrom('revoked.loket', { vault: vaults.get(dev.deviceId)!, deviceId: dev.deviceId });
    expect((await run([file, '--branch', branch])).code).toBe(0);
    await revokeDevice(db, dev.deviceId);
    const r = await run([file, '--branch', branch]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error REVOKED_DEVICE: The file is signed by device "${dev.deviceId}" of branch ${branch}, which HQ revoked on \\d{4}-\\d\\d-\\d\\dT[^ ]+: files from a revoked device are refused\\.`));
  }, 120_000);
});
