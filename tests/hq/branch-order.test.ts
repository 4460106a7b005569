import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, SyncDocument } from '@shared/sync/protocol';
import { push, validateIncoming, type Validator } from '../../hq/store';
import { enrol, makeBranch, pushValidCase, startHq, ticket } from './helpers';
import type { Hq, TestDevice } from './helpers';

// Issue 20 pt 1: writes are ordered per branch, not across the country. A pull is scoped to one
// branch, so what it must never miss is a row of ITS scope that commits later with a smaller
// server_seq: every write that lands in a branch's scope holds that branch's lock (a transfer:
// both branches'), and no branch waits on another.

let hq: Hq;

beforeAll(async () => {
  hq = await startHq('branch-order', { enrolRateLimit: { max: 1000 } });
  // Every written row waits a random 0–20 ms before its transaction goes on to commit: the window
  // between taking a seq and committing it, where a pull could overtake a smaller seq, is wide
  // open here (without the branch locks, these tests see skips at once).
  await hq.db.exec(`
    CREATE FUNCTION test_commit_jitter() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(random() * 0.02); RETURN NULL; END $$;
    CREATE TRIGGER test_commit_jitter AFTER INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION test_commit_jitter();`);
});
afterAll(async () => {
  await hq?.close();
});

type Row = { assumedMasterState: Record<string, unknown> | null; newDocumentState: Record<string, unknown> };
type Checkpoint = { id: string; seq: number } | null;

async function pushRows(device: TestDevice, collection: string, rows: Row[]) {
  return hq.app.inject({ method: 'POST', url: `/v1/sync/${collection}/push`, headers: device.auth, payload: rows });
}

async function pullPage(device: TestDevice, collection: string, cp: Checkpoint, limit: number): Promise<PullResponse> {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cp) {
    q.set('id', cp.id);
    q.set('seq', String(cp.seq));
  }
  const res = await hq.app.inject({ url: `/v1/sync/${collection}/pull?${q.toString()}`, headers: device.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PullResponse>();
}

async function pullAll(device: TestDevice, collection: string, from: Checkpoint = null): Promise<{ ids: string[]; checkpoint: Checkpoint }> {
  const ids: string[] = [];
  let cp = from;
  for (let page = 0; page < 1000; page++) {
    const res = await pullPage(device, collection, cp, 100);
    ids.push(...res.documents.map((d) => d.id));
    cp = res.checkpoint ?? cp;
    if (res.documents.length < 100) return { ids, checkpoint: cp };
  }
  throw new Error('pull did not finish');
}

/** Pulls in small pages from `from` while `writing()`, then once more after; every id it saw. */
async function followPulls(device: TestDevice, collection: string, from: Checkpoint, writing: () => boolean): Promise<Set<string>> {
  const seen = new Set<string>();
  let cp = from;
  for (let i = 0; i < 20_000; i++) {
    const done = !writing();
    const page = await pullPage(device, collection, cp, 5);
    for (const d of page.documents) seen.add(d.id);
    cp = page.checkpoint ?? cp;
    if (done && page.documents.length === 0) return seen;
  }
  throw new Error('reader did not finish');
}

const within = <T>(ms: number, p: Promise<T>) => Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('per-branch write order', () => {
  it('a push of branch B is not held up while branch A holds its write lock; A’s next push waits for it', async () => {
    const a = await makeBranch(hq.db);
    const b = await makeBranch(hq.db);
    const devA = await enrol(hq.app, hq.db, a);
    const devB = await enrol(hq.app, hq.db, b);
    // An audit entry is checked under the write lock: this check holds A's lock until released.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const holding = new Promise<void>((r) => (locked = r));
    const gated: Validator = async (collection, doc, device, context) => {
      if (collection === 'audit') {
        locked();
        await gate;
        return { ok: true };
      }
      return validateIncoming(collection, doc, device, context);
    };
    const entry = { id: randomUUID(), deviceId: devA.deviceId, seq: 1 } as unknown as SyncDocument;
    const held = push(hq.db, 'audit', { deviceId: devA.deviceId, branchCode: a, name: 'A' }, [{ assumedMasterState: null, newDocumentState: entry }], new Date(), gated);
    await holding;
    try {
      const other = await within(5_000, pushRows(devB, 'tickets', [{ assumedMasterState: null, newDocumentState: ticket(b) }]));
      expect(other === 'timeout' ? 'B waited for A' : other.statusCode).toBe(200);
      // The same branch still waits in line: that is what keeps A's pulls from skipping.
      const sameBranch = pushRows(devA, 'tickets', [{ assumedMasterState: null, newDocumentState: ticket(a) }]);
      expect(await within(500, sameBranch)).toBe('timeout');
      release();
      expect((await sameBranch).statusCode).toBe(200);
    } finally {
      release();
    }
    expect((await held).written).toHaveLength(1);
  }, 30_000);

  it('pulls of many branches never skip a document while every branch pushes in parallel', async () => {
    const branches = await Promise.all(Array.from({ length: 6 }, () => makeBranch(hq.db, undefined, 0)));
    const devices = await Promise.all(branches.map(async (br) => [await enrol(hq.app, hq.db, br), await enrol(hq.app, hq.db, br)] as const));
    const starts = await Promise.all(devices.map(([d]) => pullAll(d, 'tickets').then((r) => r.checkpoint)));
    const pushed = branches.map(() => new Set<string>());
    let writing = true;
    const writer = async (device: TestDevice, into: Set<string>) => {
      // One call after another, as a device does; the devices all at once.
      for (let i = 0; i < 12; i++) {
        const batch = Array.from({ length: 2 }, () => ticket(device.branchCode));
        for (const d of batch) into.add(d.id as string);
        const res = await pushRows(device, 'tickets', batch.map((d) => ({ assumedMasterState: null, newDocumentState: d })));
        expect(res.statusCode, res.body).toBe(200);
      }
    };
    const readers = devices.map(([, reader], i) => followPulls(reader, 'tickets', starts[i]!, () => writing));
    await Promise.all(devices.flatMap((pair, i) => pair.map((d) => writer(d, pushed[i]!))));
    writing = false;
    const seen = await Promise.all(readers);
    seen.forEach((s, i) => expect(s, branches[i]).toEqual(pushed[i]));
  }, 120_000);

  it('transfers: the receiving branch’s pulls of transfers and cases skip nothing while both branches write', async () => {
    const a = await makeBranch(hq.db);
    const b = await makeBranch(hq.db);
    const c = await makeBranch(hq.db);
    const devA = await enrol(hq.app, hq.db, a);
    const devB = await enrol(hq.app, hq.db, b);
    const devB2 = await enrol(hq.app, hq.db, b);
    const readerB = await enrol(hq.app, hq.db, b);
    const casesA: string[] = [];
    const casesB: string[] = [];
    for (let i = 0; i < 12; i++) {
      casesA.push(await pushValidCase(hq.app, hq.db, devA));
      casesB.push(await pushValidCase(hq.app, hq.db, devB));
    }
    const transferOf = (caseId: string, from: string, to: string) => ({
      id: `${caseId}:transfer`,
      caseId,
      fromBranch: from,
      toBranch: to,
      reason: 'own-request',
      status: 'requested',
      slaDeadline: '2026-01-02T08:00:00.000Z',
      at: '2026-01-01T08:00:00.000Z',
      updatedAt: '2026-01-01T08:00:00.000Z',
    });
    const startCases = (await pullAll(readerB, 'cases')).checkpoint;
    const startTransfers = (await pullAll(readerB, 'transfers')).checkpoint;
    let writing = true;
    const cases = followPulls(readerB, 'cases', startCases, () => writing);
    const transfers = followPulls(readerB, 'transfers', startTransfers, () => writing);
    const one = async (device: TestDevice, collection: string, doc: Record<string, unknown>) => {
      const res = await pushRows(device, collection, [{ assumedMasterState: null, newDocumentState: doc }]);
      expect(res.statusCode, res.body).toBe(200);
    };
    const newCasesB: string[] = [];
    const inTurn = async (n: number, step: (i: number) => Promise<void>) => {
      for (let i = 0; i < n; i++) await step(i);
    };
    await Promise.all([
      // A sends its cases to B (each takes a fresh seq in B's scope), B sends its own to C, and B
      // opens new cases, all at once.
      inTurn(12, (i) => one(devA, 'transfers', transferOf(casesA[i]!, a, b))),
      inTurn(12, (i) => one(devB2, 'transfers', transferOf(casesB[i]!, b, c))),
      inTurn(12, async () => void newCasesB.push(await pushValidCase(hq.app, hq.db, devB))),
    ]);
    writing = false;
    const [seenCases, seenTransfers] = await Promise.all([cases, transfers]);
    // What a quiet pull from the same checkpoints returns now: the reader must have seen all of it.
    expect(seenCases).toEqual(new Set((await pullAll(readerB, 'cases', startCases)).ids));
    expect(seenCases).toEqual(new Set([...casesA, ...casesB, ...newCasesB]));
    expect(seenTransfers).toEqual(new Set([...casesA, ...casesB].map((id) => `${id}:transfer`)));
  }, 120_000);

  it('a case written after its transfer reaches the receiving branch, whose pulls skip nothing', async () => {
    const a = await makeBranch(hq.db);
    const b = await makeBranch(hq.db);
    const devA = await enrol(hq.app, hq.db, a);
    const devB = await enrol(hq.app, hq.db, b);
    const readerB = await enrol(hq.app, hq.db, b);
    const caseId = await pushValidCase(hq.app, hq.db, devA);
    const transfer = { id: `${caseId}:transfer`, caseId, fromBranch: a, toBranch: b, reason: 'own-request', status: 'requested', slaDeadline: '2026-01-02T08:00:00.000Z', at: '2026-01-01T08:00:00.000Z', updatedAt: '2026-01-01T08:00:00.000Z' };
    expect((await pushRows(devA, 'transfers', [{ assumedMasterState: null, newDocumentState: transfer }])).statusCode).toBe(200);
    const start = (await pullAll(readerB, 'cases')).checkpoint;
    const { rows } = await hq.db.query<{ data: Record<string, unknown> }>(`SELECT data FROM documents WHERE collection = 'cases' AND branch_code = $1 AND id = $2`, [a, caseId]);
    const before = rows[0]!.data;
    // A changes the transferred case (a note) while B opens cases of its own.
    let writing = true;
    const reader = followPulls(readerB, 'cases', start, () => writing);
    const own: string[] = [];
    await Promise.all([
      (async () => {
        let master = before;
        for (let i = 0; i < 10; i++) {
          const changed = { ...before, updatedAt: `2026-03-02T10:${String(i).padStart(2, '0')}:00+07:00` };
          const res = await pushRows(devA, 'cases', [{ assumedMasterState: master, newDocumentState: changed }]);
          expect(res.statusCode, res.body).toBe(200);
          expect(res.json()).toEqual([]);
          master = changed;
        }
      })(),
      (async () => {
        for (let i = 0; i < 10; i++) own.push(await pushValidCase(hq.app, hq.db, devB));
      })(),
    ]);
    writing = false;
    expect(await reader).toEqual(new Set([caseId, ...own]));
  }, 60_000);
});
