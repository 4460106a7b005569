import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHq, type HqApp } from '../../hq/app';
import { pgSql, type Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import {
  checkPersonKeys,
  loadPersonKeys,
  newPersonKeyFile,
  openDocument,
  parsePersonKeys,
  PersonKeyError,
  resealPersonFields,
  sealDocument,
  type PersonKeys,
} from '../../hq/person-crypto';
import type { PullResponse } from '@shared/sync/protocol';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { officer } from '../unit/machines/fixtures';
import { captureLog, enrol, freshDatabase, makeBranch, pushValidCase, type TestDevice } from './helpers';

// Issue 18 pt 8: HQ seals the person fields of what it stores (NIK, name, contact, birth date,
// balances: a case's person, input, events, snapshot, flag) with AES-256-GCM under keys kept
// outside the database, bound to collection, branch and id. Read straight from the table they are
// not there; pulls, validation (journal replay against the stored master) and conflicts see them
// opened; rows stored in clear before still read and are re-sealed; a missing or wrong key stops
// HQ at start. Generated NIKs and names only.

const ROOT = join(__dirname, '../..');
const NIK = '3171011506850041'; // as pushValidCase: generated
const NAME = 'Peserta Uji Kasus';
const PHONE = '081234500077';
const EMAIL = 'peserta.uji@example.test';

let db: Sql;
let url: string;
let drop: () => Promise<void>;
let keys: PersonKeys;
let sealed: HqApp;
let clear: HqApp;
let branch: string;
let dev: TestDevice;

const logger = () => createLogger({ level: 'warn', destination: captureLog().stream });

beforeAll(async () => {
  ({ url, drop } = await freshDatabase('person_crypto'));
  db = pgSql(url);
  await migrate(db);
  keys = parsePersonKeys(newPersonKeyFile('k1'));
  await checkPersonKeys(db, keys);
  sealed = buildHq({ db, log: logger(), personKeys: keys });
  clear = buildHq({ db, log: logger() }); // as HQ was before sealing (and the branch hub is)
  await sealed.ready();
  await clear.ready();
  branch = await makeBranch(db);
  dev = await enrol(sealed, db, branch);
});
afterAll(async () => {
  await sealed.close();
  await clear.close();
  await db.close();
  await drop();
});

async function rawRow(id: string): Promise<{ text: string; data: Record<string, unknown> }> {
  const { rows } = await db.query<{ text: string; data: Record<string, unknown> }>(
    `SELECT data::text AS text, data FROM documents WHERE collection = 'cases' AND branch_code = $1 AND id = $2`,
    [branch, id],
  );
  return rows[0]!;
}

async function pullCases(app: HqApp): Promise<Record<string, unknown>[]> {
  const res = await app.inject({ method: 'GET', url: '/v1/sync/cases/pull?limit=100', headers: dev.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PullResponse>().documents;
}

/** The case with identity checked and contact given: the phone and e-mail are in its events and snapshot. */
function withContact(doc: Record<string, unknown>): Record<string, unknown> {
  const at = (t: string) => `2026-03-02T${t}:00+07:00`;
  const events = [
    { type: 'identity.checked', at: at('09:20'), actor: officer, ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true },
    { type: 'contact.updated', at: at('09:25'), actor: officer, email: EMAIL, phone: PHONE },
  ];
  const snapshot = storedSnapshot(replay(CASE_MACHINES['jmo-reset'], doc.input as never, events).snapshot as never);
  const { _deleted, ...content } = doc;
  return { ...content, events, snapshot, journalLength: events.length, updatedAt: at('09:25') };
}

describe('person fields at HQ (issue 18 pt 8)', () => {
  it('are not in the table after a push, and a pull gives them back opened', async () => {
    const id = await pushValidCase(sealed, db, dev);
    const row = await rawRow(id);
    for (const secret of [NIK, NAME]) expect(row.text).not.toContain(secret);
    expect(Object.keys(row.data).sort()).toEqual(['$sealed', 'branchCode', 'flow', 'id', 'journalLength', 'nikHash', 'openedAt', 'status', 'updatedAt']);
    expect(String(row.data.$sealed)).toMatch(/^lkp1\.k1\./);
    const pulled = (await pullCases(sealed)).find((d) => d.id === id)!;
    expect(pulled.person).toEqual({ nik: NIK, name: NAME });
    expect((pulled.input as { nik: string }).nik).toBe(NIK);
    expect(pulled.$sealed).toBeUndefined();
  });

  it('validation replays against the opened master: a grown journal is taken, a retry is a no-op, a stale one gets the opened master back', async () => {
    const id = await pushValidCase(sealed, db, dev);
    const master = (await pullCases(sealed)).find((d) => d.id === id)!;
    const next = withContact(master);
    const push = (assumed: Record<string, unknown> | null, doc: Record<string, unknown>) =>
      sealed.inject({ method: 'POST', url: '/v1/sync/cases/push', headers: dev.auth, payload: [{ assumedMasterState: assumed, newDocumentState: doc }] });
    const res = await push(master, next);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual([]);
    const row = await rawRow(id);
    for (const secret of [NIK, NAME, PHONE, EMAIL]) expect(row.text).not.toContain(secret);
    // The same again: equal to the (opened) master, nothing written.
    const seq = (await db.query<{ s: string }>(`SELECT server_seq::text AS s FROM documents WHERE collection = 'cases' AND id = $1`, [id])).rows[0]!.s;
    expect((await push(master, next)).statusCode).toBe(200);
    expect((await db.query<{ s: string }>(`SELECT server_seq::text AS s FROM documents WHERE collection = 'cases' AND id = $1`, [id])).rows[0]!.s).toBe(seq);
    // Stale assumption: the conflict is the master as pushed, person fields in clear for the device.
    const stale = await push(null, { ...next, updatedAt: '2026-03-02T09:30:00+07:00' });
    expect(stale.statusCode, stale.body).toBe(200);
    const [conflict] = stale.json<Record<string, unknown>[]>();
    expect((conflict!.snapshot as { context: { contact: unknown } }).context.contact).toEqual({ email: EMAIL, phone: PHONE });
    const pulled = (await pullCases(sealed)).find((d) => d.id === id)!;
    expect(pulled.events).toEqual(next.events);
  });

  it('rows stored in clear before still read, a write seals them, and re-sealing seals the rest', async () => {
    const before = await pushValidCase(clear, db, dev);
    const other = await pushValidCase(clear, db, dev);
    expect((await rawRow(before)).text).toContain(NIK); // as HQ stored them until now
    const pulled = (await pullCases(sealed)).find((d) => d.id === before)!;
    expect(pulled.person).toEqual({ nik: NIK, name: NAME });
    const res = await sealed.inject({ method: 'POST', url: '/v1/sync/cases/push', headers: dev.auth, payload: [{ assumedMasterState: pulled, newDocumentState: withContact(pulled) }] });
    expect(res.statusCode, res.body).toBe(200);
    expect((await rawRow(before)).text).not.toContain(NIK);
    const seqBefore = (await db.query<{ s: string }>(`SELECT server_seq::text AS s FROM documents WHERE collection = 'cases' AND id = $1`, [other])).rows[0]!.s;
    const report = await resealPersonFields(db, keys);
    expect(report.resealed).toBeGreaterThanOrEqual(1);
    expect((await rawRow(other)).text).not.toContain(NIK);
    // Same content, same position: devices have nothing new to pull.
    expect((await db.query<{ s: string }>(`SELECT server_seq::text AS s FROM documents WHERE collection = 'cases' AND id = $1`, [other])).rows[0]!.s).toBe(seqBefore);
    expect((await pullCases(sealed)).find((d) => d.id === other)!.person).toEqual({ nik: NIK, name: NAME });
    expect((await resealPersonFields(db, keys)).resealed).toBe(0);
  });

  it('a refused case is sealed in the quarantine too, and shown opened to its branch', async () => {
    const id = await pushValidCase(sealed, db, dev);
    const master = (await pullCases(sealed)).find((d) => d.id === id)!;
    const { _deleted, ...content } = master;
    const bad = { ...content, id: `${id}-X`, nikHash: 'cd'.repeat(32) }; // not the NIK's keyed hash
    const res = await sealed.inject({ method: 'POST', url: '/v1/sync/cases/push', headers: dev.auth, payload: [{ assumedMasterState: null, newDocumentState: bad }] });
    expect(res.statusCode, res.body).toBe(422);
    const { rows } = await db.query<{ text: string }>(`SELECT data::text AS text FROM quarantine WHERE collection = 'cases' AND id = $1`, [bad.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text).not.toContain(NIK);
    expect(rows[0]!.text).not.toContain(NAME);
    const view = await sealed.inject({ method: 'GET', url: '/v1/quarantine', headers: dev.auth });
    const entry = view.json<{ entries: { id: string; data: Record<string, unknown> }[] }>().entries.find((e) => e.id === bad.id)!;
    expect(entry.data.person).toEqual({ nik: NIK, name: NAME });
  });

  it('a handle without keys refuses a sealed row instead of handing out the sealed text', async () => {
    await pushValidCase(sealed, db, dev);
    const res = await clear.inject({ method: 'GET', url: '/v1/sync/cases/pull?limit=100', headers: dev.auth });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('lkp1.');
  });

  it('a sealed value moved to another record does not open (bound to collection, branch and id)', () => {
    const data = { id: 'X-1', branchCode: 'B1', person: { nik: NIK, name: NAME } };
    const s = sealDocument(keys, 'cases', 'B1', 'X-1', data);
    expect(openDocument(keys, 'cases', 'B1', 'X-1', s)).toEqual(data);
    expect(() => openDocument(keys, 'cases', 'B1', 'X-2', s)).toThrow(PersonKeyError);
    expect(() => openDocument(keys, 'cases', 'B2', 'X-1', s)).toThrow(PersonKeyError);
    expect(sealDocument(keys, 'tickets', 'B1', 'X-1', data)).toBe(data); // no person fields there
  });

  it('rotation: a new current key seals, the old one opens until re-sealing retires it', async () => {
    const old = keys.keys.get('k1')!.toString('base64');
    const fresh = JSON.parse(newPersonKeyFile('k2')) as { keys: { k2: string } };
    const rotated = parsePersonKeys(JSON.stringify({ current: 'k2', keys: { k1: old, k2: fresh.keys.k2 } }));
    await checkPersonKeys(db, rotated);
    const report = await resealPersonFields(db, rotated);
    expect(report.retired).toEqual(['k1']);
    const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM documents WHERE collection = 'cases' AND data ->> '$sealed' NOT LIKE 'lkp1.k2.%'`);
    expect(rows[0]!.n).toBe('0');
    const k2only = parsePersonKeys(JSON.stringify({ current: 'k2', keys: { k2: fresh.keys.k2 } }));
    await checkPersonKeys(db, k2only); // k1 may leave the file now
    const app = buildHq({ db, log: logger(), personKeys: k2only });
    try {
      const docs = (await app.inject({ method: 'GET', url: '/v1/sync/cases/pull?limit=100', headers: dev.auth })).json<PullResponse>().documents;
      expect(docs.length).toBeGreaterThan(0);
      for (const d of docs) expect((d.person as { nik: string }).nik).toBe(NIK);
    } finally {
      await app.close();
    }
    keys = k2only;
  });

  it('a wrong or missing key is a clear error, never a fallback to clear text', async () => {
    expect(() => loadPersonKeys({})).toThrow(/HQ_PERSON_KEYS_FILE is not set/);
    expect(() => parsePersonKeys('{"current":"k9","keys":{"k1":"AAAA"}}')).toThrow(PersonKeyError);
    const current = keys.currentId;
    const wrong = parsePersonKeys(newPersonKeyFile(current)); // same id, another key
    await expect(checkPersonKeys(db, wrong)).rejects.toThrow(/is not the key the stored person fields were sealed with/);
    const lacking = parsePersonKeys(newPersonKeyFile('other'));
    await expect(checkPersonKeys(db, lacking)).rejects.toThrow(new RegExp(`lacks key ${current}`));
    await db.query(`DELETE FROM person_keys WHERE key_id = 'other'`); // the check above recorded it
  });

  it('npm run hq refuses to start on PostgreSQL without the key file, or with a wrong one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-person-keys-'));
    try {
      const wrongFile = join(dir, 'keys.json');
      writeFileSync(wrongFile, newPersonKeyFile(keys.currentId), { mode: 0o600 });
      for (const [extra, expected] of [
        [{}, /HQ_PERSON_KEYS_FILE is not set/],
        [{ HQ_PERSON_KEYS_FILE: wrongFile }, /is not the key the stored person fields were sealed with/],
      ] as const) {
        const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, HQ_PORT: '65000', HQ_RETENTION: '0', ...extra };
        if (!('HQ_PERSON_KEYS_FILE' in extra)) delete env.HQ_PERSON_KEYS_FILE;
        const child = spawn(process.execPath, ['--import', 'tsx', 'hq/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        const [code] = (await once(child, 'exit')) as [number | null];
        expect(code, out).toBe(1);
        expect(out).toMatch(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
