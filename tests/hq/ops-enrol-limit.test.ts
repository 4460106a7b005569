import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HqApp } from '../../hq/app';
import { createEnrolCode } from '../../hq/admin';
import type { Sql } from '../../hq/db';
import { HqErrorBody } from '@shared/sync/protocol';
import { hqProcesses, makeBranch } from './helpers';
import type { HqProcesses } from './helpers';

// Issue 20 pt 2: no in-process state that breaks with two HQ processes. The enrolment rate limit
// per address is counted in PostgreSQL: two apps on one database (each its own pool, as two
// processes), attempts from one address spread over both are counted together. Enrolment codes
// were already in the database: a code used through one process is used for the other too.

interface Proc {
  db: Sql;
  app: HqApp;
}

let hq: HqProcesses | undefined;
let procs: Proc[] = [];
let branch: string;

beforeAll(async () => {
  hq = await hqProcesses('ops-enrol-limit', 2, { enrolRateLimit: { max: 4, windowMs: 60_000 } });
  procs = hq.procs;
  branch = await makeBranch(procs[0]!.db);
}, 60_000);

afterAll(async () => {
  await hq?.close();
});

const attempt = (p: Proc, remoteAddress: string, payload: Record<string, unknown>) => p.app.inject({ method: 'POST', url: '/v1/enrol', remoteAddress, payload });
const wrongCode = () => ({ code: 'ABCD-EFGH-JKMN', deviceId: randomUUID(), deviceName: 'PC' });

describe('two HQ processes share the enrolment limit and the codes', () => {
  it('attempts from one address through both processes count together: the 5th of max 4 is 429, wherever it lands', async () => {
    const from = '198.51.100.21';
    const [a, b] = procs as [Proc, Proc];
    // Two through each process: within the limit.
    for (const p of [a, b, a, b]) expect((await attempt(p, from, wrongCode())).statusCode).toBe(400);
    for (const p of [a, b]) {
      const refused = await attempt(p, from, wrongCode());
      expect(refused.statusCode).toBe(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(HqErrorBody.parse(refused.json()).error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: retryAfter } });
    }
    // Another address is not affected, through either process.
    expect((await attempt(b, '203.0.113.21', wrongCode())).statusCode).toBe(400);
  });

  it('concurrent attempts through both processes lose no count', async () => {
    const from = '198.51.100.22';
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(procs[i % 2]!, from, wrongCode())));
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 400)).toHaveLength(4);
    expect(codes.filter((c) => c === 429)).toHaveLength(6);
  });

  it('an enrolment code used through one process is refused by the other', async () => {
    const { code } = await createEnrolCode(procs[0]!.db, branch);
    const first = await attempt(procs[0]!, '203.0.113.30', { code, deviceId: randomUUID(), deviceName: 'PC satu' });
    expect(first.statusCode, first.body).toBe(200);
    const again = await attempt(procs[1]!, '203.0.113.31', { code, deviceId: randomUUID(), deviceName: 'PC dua' });
    expect(again.statusCode).toBe(400);
    expect(HqErrorBody.parse(again.json()).error.code).toBe('ENROL_CODE_INVALID');
  });
});
