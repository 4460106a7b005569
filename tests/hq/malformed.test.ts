import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, EnrolRequest, HqErrorBody, MAX_DOC_DEPTH, MAX_PUSH_ROWS, PushBody } from '@shared/sync/protocol';
import { createEnrolCode } from '../../hq/admin';
import { databaseFingerprint, enrol, makeBranch, startHq, ticket } from './helpers';
import type { Hq, TestDevice } from './helpers';

// At least 1,000 generated malformed requests per endpoint: wrong types, missing fields, huge
// strings, bad JSON, wrong content types, oversized bodies, bad queries and tokens. Every one must
// get a 4xx with the uniform error body, and the database must be byte-for-byte unchanged.

const RUNS = 1200;
const BODY_LIMIT = 64 * 1024;
const ENROL_LIMIT = 4 * 1024;

let hq: Hq;
let branch: string;
let other: string;
let device: TestDevice;
const tried: Record<string, number> = {};
const statuses: Record<string, Record<number, number>> = {};

beforeAll(async () => {
  // The enrolment rate limit (10 a minute per address by default) is raised: all 1,200 requests come
  // from one address, and this test is about what the route answers to each of them.
  hq = await startHq('malformed', { bodyLimit: BODY_LIMIT, enrolRateLimit: { max: 100_000 } });
  branch = await makeBranch(hq.db);
  other = await makeBranch(hq.db);
  device = await enrol(hq.app, hq.db, branch);
  // Some content to protect: documents, a quarantined record, an unused code.
  await hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: ticket(branch) }] });
  await hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: device.auth, payload: [{ assumedMasterState: null, newDocumentState: ticket(other) }] });
});
afterAll(async () => {
  console.log(
    `malformed payloads tried per endpoint: ${Object.entries(tried)
      .map(([k, v]) => `${k}=${v} ${JSON.stringify(statuses[k])}`)
      .join(', ')}`,
  );
  await hq.close();
});

interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

// Printable ASCII: what an HTTP header value can carry at all.
const headerText = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
const anyText = (min: number, max: number) => fc.string({ unit: 'binary', minLength: min, maxLength: max });
const hugeText = fc.integer({ min: 101, max: 3000 }).map((n) => 'x'.repeat(n));
const json = (v: unknown) => JSON.stringify(v);
const notJson = anyText(1, 200).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});
const wrongContentType = fc.oneof(
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/html', 'application/octet-stream', 'application/jsonx'),
  fc.stringMatching(/^[a-z]{1,12}\/[a-z.+-]{1,12}$/).filter((t) => !t.startsWith('application/json')),
);
const badAuth = fc.oneof(
  headerText(300),
  headerText(300).map((s) => `Bearer ${s}`),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer lkt_x', 'Token lkt_abc'),
  fc.stringMatching(/^[A-Za-z0-9_-]{10,200}$/).map((s) => `Bearer lkt_${s}`),
);

/** Body-level faults any JSON endpoint must refuse: bad JSON, media type, size, emptiness. */
function transportFaults(method: 'POST', url: string, headers: Record<string, string>, limit: number): fc.Arbitrary<Req> {
  return fc.oneof(
    notJson.map((payload) => ({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload })),
    fc.tuple(wrongContentType, fc.jsonValue()).map(([ct, v]) => ({ method, url, headers: { ...headers, 'content-type': ct }, payload: json(v) ?? 'null' })),
    fc.jsonValue().map((v) => ({ method, url, headers: { ...headers }, payload: json(v) ?? 'null' })),
    fc.integer({ min: limit + 1, max: limit * 3 }).map((n) => ({
      method,
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: json({ pad: 'x'.repeat(n) }),
    })),
    fc.constant({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: '' }),
    fc.constantFrom('PUT', 'DELETE', 'PATCH').map((m) => ({ method: m, url, headers, payload: '[]' })),
  );
}

async function send(r: Req) {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer: ${r.method} ${r.url}`)), 5000).unref());
  return Promise.race([hq.app.inject({ method: r.method, url: r.url, headers: r.headers, payload: r.payload }), timeout]);
}

/** Runs the property: every request 4xx with the uniform body; the database unchanged afterwards. */
async function expectAllRefused(endpoint: string, arb: fc.Arbitrary<Req>): Promise<void> {
  const before = await databaseFingerprint(hq.db);
  let count = 0;
  const byStatus: Record<number, number> = (statuses[endpoint] = {});
  await fc.assert(
    fc.asyncProperty(arb, async (r) => {
      count++;
      const res = await send(r);
      byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
      const bodyOk = HqErrorBody.safeParse(JSON.parse(res.body || 'null')).success;
      if (res.statusCode < 400 || res.statusCode >= 500 || !bodyOk || !String(res.headers['content-type']).startsWith('application/json')) {
        throw new Error(`${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
  tried[endpoint] = count;
  expect(count).toBeGreaterThanOrEqual(1000);
  expect(await databaseFingerprint(hq.db)).toBe(before);
}

/** Positive control: the same endpoint does answer a well-formed request (so the 4xx above mean something). */
async function expectAccepted(r: Req): Promise<void> {
  const res = await send(r);
  expect(res.statusCode, res.body).toBe(200);
}

describe('malformed requests: 4xx, uniform error, no database change', () => {
  it('POST /v1/enrol', async () => {
    const url = '/v1/enrol';
    const valid = { code: 'ABCD-EFGH-JKMN', deviceId: randomUUID(), deviceName: 'PC' };
    const mutated = fc.oneof(
      fc.jsonValue(),
      fc.record({ code: fc.jsonValue(), deviceId: fc.jsonValue(), deviceName: fc.jsonValue() }, { requiredKeys: [] }),
      fc.constantFrom('code', 'deviceId', 'deviceName').map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
      fc.tuple(fc.constantFrom('code', 'deviceId', 'deviceName'), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), hugeText, anyText(0, 40))).map(
        ([k, v]) => ({ ...valid, [k]: v }),
      ),
      fc.tuple(anyText(1, 20), fc.jsonValue()).map(([k, v]) => ({ ...valid, [`x${k}`]: v })),
      // Well-formed but unknown codes: refused without consuming anything.
      fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{12}$/).map((code) => ({ ...valid, code })),
    );
    await expectAllRefused(
      'enrol',
      fc.oneof(
        { weight: 3, arbitrary: mutated.map((v) => ({ method: 'POST' as const, url, headers: { 'content-type': 'application/json' }, payload: json(v) ?? 'null' })) },
        { weight: 2, arbitrary: transportFaults('POST', url, {}, ENROL_LIMIT) },
      ),
    );
    expect(EnrolRequest.safeParse(valid).success).toBe(true);
    const { code } = await createEnrolCode(hq.db, branch);
    await expectAccepted({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: json({ ...valid, code }) });
  });

  it('POST /v1/sync/:collection/push', async () => {
    const headers = device.auth;
    const doc = () => ticket(branch);
    const row = (d: Record<string, unknown> = doc()) => ({ assumedMasterState: null, newDocumentState: d });
    const deep = fc.integer({ min: MAX_DOC_DEPTH + 1, max: MAX_DOC_DEPTH + 40 }).map((n) => {
      let v: unknown = 'leaf';
      for (let i = 0; i < n; i++) v = { v };
      return v;
    });
    const wrongValue = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.string());
    const body = fc.oneof(
      fc.jsonValue(),
      fc.array(fc.jsonValue(), { maxLength: 5 }),
      fc.constant([]),
      fc.constantFrom('assumedMasterState', 'newDocumentState').map((k) => [Object.fromEntries(Object.entries(row()).filter(([key]) => key !== k))]),
      fc.tuple(anyText(1, 20), fc.jsonValue()).map(([k, v]) => [{ ...row(), [`x${k}`]: v }]),
      wrongValue.map((v) => [{ assumedMasterState: null, newDocumentState: v }]),
      fc.oneof(wrongValue.filter((v) => typeof v !== 'string'), hugeText, fc.constant(''), anyText(0, 20).map((s) => `a\u0001${s}`)).map((id) => [row({ ...doc(), id })]),
      wrongValue.filter((v) => typeof v !== 'boolean').map((v) => [row({ ...doc(), _deleted: v })]),
      fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer())).map((v) => [{ assumedMasterState: v, newDocumentState: doc() }]),
      fc.constant(0).map(() => [{ assumedMasterState: doc(), newDocumentState: doc() }]), // ids differ
      fc.integer({ min: MAX_PUSH_ROWS + 1, max: MAX_PUSH_ROWS + 20 }).map((n) => Array.from({ length: n }, () => row())),
      fc.constant(0).map(() => {
        const d = doc();
        return [row(d), row({ ...d, status: 'called' })];
      }),
      deep.map((v) => [row({ ...doc(), nested: v })]),
      anyText(0, 10).map((s) => [row({ ...doc(), note: `${s}\u0000` })]),
      anyText(0, 10).map((s) => [row({ ...doc(), [`k\u0000${s}`]: 1 })]),
      fc.tuple(fc.nat({ max: 3 }), wrongValue).map(([i, v]) => {
        const rows: unknown[] = [row(), row(), row(), row()];
        rows[i] = v;
        return rows;
      }),
    );
    const schemaInvalid = body.filter((v) => !PushBody.safeParse(v).success);
    const collection = fc.constantFrom(...COLLECTIONS.filter((c) => c !== 'staff' && c !== 'config'));
    const badCollection = fc.oneof(
      anyText(1, 30).filter((c) => !(COLLECTIONS as readonly string[]).includes(c)).map((c) => encodeURIComponent(c)),
      fc.constantFrom('staff', 'config'),
    );
    await expectAllRefused(
      'push',
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(collection, schemaInvalid).map(([c, v]) => ({ method: 'POST' as const, url: `/v1/sync/${c}/push`, headers: { ...headers, 'content-type': 'application/json' }, payload: json(v) ?? 'null' })) },
        { weight: 3, arbitrary: collection.chain((c) => transportFaults('POST', `/v1/sync/${c}/push`, headers, BODY_LIMIT)) },
        { weight: 1, arbitrary: badCollection.map((c) => ({ method: 'POST' as const, url: `/v1/sync/${c}/push`, headers: { ...headers, 'content-type': 'application/json' }, payload: json([row()]) })) },
        { weight: 1, arbitrary: badAuth.map((a) => ({ method: 'POST' as const, url: '/v1/sync/tickets/push', headers: { authorization: a, 'content-type': 'application/json' }, payload: json([row()]) })) },
        { weight: 1, arbitrary: fc.constant(0).map(() => ({ method: 'POST' as const, url: `/v1/branches/${other}/sync/tickets/push`, headers: { ...headers, 'content-type': 'application/json' }, payload: json([row(ticket(other))]) })) },
      ),
    );
    await expectAccepted({ method: 'POST', url: '/v1/sync/tickets/push', headers: { ...headers, 'content-type': 'application/json' }, payload: json([row()]) });
  });

  it('per-record faults (cut surrogates, U+0000, oversized text, another branch’s ids): never 5xx, the rest of the push lands', async () => {
    // Unlike the requests above these are well-formed pushes: HQ quarantines the bad rows (422, or
    // 403 for another branch's documents) and stores the good ones of the same push.
    const othersTicket = ticket(other);
    const othersDevice = await enrol(hq.app, hq.db, other);
    await hq.app.inject({ method: 'POST', url: '/v1/sync/tickets/push', headers: othersDevice.auth, payload: [{ assumedMasterState: null, newDocumentState: othersTicket }] });
    const othersIds = [String(othersTicket.id), `${other}:2026-03-03:A1-001`];
    const lone = fc.constantFrom('\uD83D', '\uDE00', 'a\uDBFFb', '\uDC00\uD800');
    const text = (bad: fc.Arbitrary<string>) => fc.tuple(anyText(0, 8), bad, anyText(0, 8)).map(([x, y, z]) => x + y + z);
    const field = fc.constantFrom('number', 'day', 'nikHash', 'issuedAt');
    const faulty = fc.oneof(
      fc.tuple(field, text(lone)).map(([k, v]) => ({ ...ticket(branch), [k]: v })),
      fc.tuple(field, text(fc.constant('\u0000'))).map(([k, v]) => ({ ...ticket(branch), [k]: v })),
      text(lone).map((k) => ({ ...ticket(branch), history: [{ status: 'waiting', at: '2026-01-01T08:00:00.000Z', [k]: 1 }] })),
      fc.integer({ min: 4_001, max: 20_000 }).map((n) => ({ ...ticket(branch), history: [{ status: 'waiting', at: 'x'.repeat(n) }] })),
      fc.constantFrom(...othersIds).map((id) => ticket(branch, id)), // another branch's id, as this branch's own: allowed, own space
      fc.constantFrom(...othersIds).map((id) => ticket(other, id)), // another branch's document: 403, stored nowhere
    );
    const statusSeen: Record<number, number> = (statuses['push-per-record'] = {});
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(faulty, { minLength: 1, maxLength: 4, selector: (d) => String((d as { id?: unknown }).id) }), async (bad) => {
        runs++;
        const good = ticket(branch);
        const rows = [...bad, good].map((d) => ({ assumedMasterState: null, newDocumentState: d }));
        const res = await send({ method: 'POST', url: '/v1/sync/tickets/push', headers: { ...device.auth, 'content-type': 'application/json' }, payload: json(rows) });
        statusSeen[res.statusCode] = (statusSeen[res.statusCode] ?? 0) + 1;
        if (res.statusCode >= 500 || ![200, 403, 422].includes(res.statusCode)) throw new Error(`${res.statusCode} ${res.body.slice(0, 300)}`);
        const { rows: stored } = await hq.db.query('SELECT 1 FROM documents WHERE collection = $1 AND branch_code = $2 AND id = $3', ['tickets', branch, good.id]);
        if (stored.length !== 1) throw new Error(`the valid row of the push was not stored (${res.statusCode})`);
      }),
      { numRuns: 300, endOnFailure: true },
    );
    tried['push-per-record'] = runs;
    // Another branch's documents were never touched.
    const { rows } = await hq.db.query<{ data: { status: string } }>('SELECT data FROM documents WHERE branch_code = $1 AND id = $2', [other, othersTicket.id]);
    expect(rows.map((r) => r.data.status)).toEqual(['waiting']);
    expect(statusSeen[500] ?? 0).toBe(0);
  });

  it('GET /v1/sync/:collection/pull', async () => {
    const q = (entries: [string, string][]) => new URLSearchParams(entries).toString();
    const notSeq = anyText(0, 20).filter((s) => !/^(0|[1-9]\d{0,15})$/.test(s));
    const notLimit = anyText(0, 10).filter((s) => !/^[1-9]\d{0,3}$/.test(s) || Number(s) > 1000);
    const query = fc.oneof(
      notSeq.map((s) => q([['id', 'x'], ['seq', s]])),
      fc
        .oneof(fc.integer({ min: -1e9, max: -1 }).map(String), fc.double().map(String), fc.stringMatching(/^[1-9]\d{16,30}$/))
        .filter((s) => !/^(0|[1-9]\d{0,15})$/.test(s)) // a double can be 0 or an integer
        .map((s) => q([['id', 'x'], ['seq', s]])),
      notLimit.map((s) => q([['limit', s]])),
      fc.integer({ min: 1001, max: 1e9 }).map((n) => q([['limit', String(n)]])),
      anyText(1, 50).map((id) => q([['id', id]])),
      fc.nat().map((n) => q([['seq', String(n)]])),
      hugeText.map((id) => q([['id', id], ['seq', '1']])),
      anyText(0, 10).map((s) => q([['id', `a\u0002${s}`], ['seq', '1']])),
      fc.tuple(anyText(1, 20), anyText(0, 20)).filter(([k]) => !['id', 'seq', 'limit'].includes(k)).map(([k, v]) => q([[k, v]])),
      fc.constantFrom('seq', 'limit', 'id').map((k) => q([['id', 'x'], ['seq', '1'], ['limit', '5'], [k, '2']])),
    );
    const collection = fc.constantFrom(...COLLECTIONS);
    const badCollection = anyText(1, 30).filter((c) => !(COLLECTIONS as readonly string[]).includes(c)).map(encodeURIComponent);
    await expectAllRefused(
      'pull',
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(collection, query).map(([c, s]) => ({ method: 'GET' as const, url: `/v1/sync/${c}/pull?${s}`, headers: device.auth })) },
        { weight: 2, arbitrary: badCollection.map((c) => ({ method: 'GET' as const, url: `/v1/sync/${c}/pull`, headers: device.auth })) },
        { weight: 2, arbitrary: badAuth.map((a) => ({ method: 'GET' as const, url: '/v1/sync/tickets/pull', headers: { authorization: a } })) },
        { weight: 1, arbitrary: collection.map((c) => ({ method: 'GET' as const, url: `/v1/branches/${other}/sync/${c}/pull`, headers: device.auth })) },
        { weight: 1, arbitrary: fc.constantFrom('POST', 'PUT', 'DELETE').map((m) => ({ method: m, url: '/v1/sync/tickets/pull', headers: device.auth })) },
      ),
    );
    await expectAccepted({ method: 'GET', url: '/v1/sync/tickets/pull?id=x&seq=1&limit=5', headers: device.auth });
  });

  it('GET /v1/branch and /v1/branches/:code', async () => {
    const badCode = anyText(1, 40).filter((c) => c !== branch).map(encodeURIComponent);
    await expectAllRefused(
      'branch',
      fc.oneof(
        { weight: 3, arbitrary: badAuth.map((a) => ({ method: 'GET' as const, url: '/v1/branch', headers: { authorization: a } })) },
        { weight: 3, arbitrary: badCode.map((c) => ({ method: 'GET' as const, url: `/v1/branches/${c}`, headers: device.auth })) },
        {
          weight: 2,
          arbitrary: fc
            .array(fc.tuple(anyText(1, 20), anyText(0, 20)), { minLength: 1, maxLength: 4 })
            .map((entries) => ({ method: 'GET' as const, url: `/v1/branch?${new URLSearchParams(entries).toString()}`, headers: device.auth })),
        },
        { weight: 1, arbitrary: badAuth.map((a) => ({ method: 'GET' as const, url: `/v1/branches/${branch}`, headers: { authorization: a } })) },
        { weight: 1, arbitrary: fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH').map((m) => ({ method: m, url: '/v1/branch', headers: device.auth, payload: '{}' })) },
      ),
    );
    await expectAccepted({ method: 'GET', url: `/v1/branches/${branch}`, headers: device.auth });
  });

  it('GET /v1/sync/stream', async () => {
    const query = fc
      .array(fc.tuple(anyText(1, 20), anyText(0, 20)), { minLength: 1, maxLength: 4 })
      .map((entries) => new URLSearchParams(entries).toString());
    await expectAllRefused(
      'stream',
      fc.oneof(
        { weight: 3, arbitrary: badAuth.map((a) => ({ method: 'GET' as const, url: '/v1/sync/stream', headers: { authorization: a } })) },
        { weight: 3, arbitrary: query.map((s) => ({ method: 'GET' as const, url: `/v1/sync/stream?${s}`, headers: device.auth })) },
        { weight: 1, arbitrary: fc.constant({ method: 'GET' as const, url: `/v1/branches/${other}/sync/stream`, headers: device.auth }) },
        { weight: 1, arbitrary: fc.constantFrom('POST', 'PUT', 'DELETE').map((m) => ({ method: m, url: '/v1/sync/stream', headers: device.auth, payload: '{}' })) },
      ),
    );
  });
});
