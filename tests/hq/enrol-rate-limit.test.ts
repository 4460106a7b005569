import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../hq/admin';
import { HqErrorBody } from '@shared/sync/protocol';
import { makeBranch, startHq } from './helpers';
import type { Hq } from './helpers';

// Issue 14.7: enrolment attempts are limited per address (default 10 a minute): the 11th gets 429
// with Retry-After and the uniform error body; another address is not affected.

let hq: Hq;
let branch: string;
beforeAll(async () => {
  hq = await startHq('enrol_rate'); // the defaults, as HQ runs
  branch = await makeBranch(hq.db);
});
afterAll(async () => {
  await hq.close();
});

const attempt = (remoteAddress: string, payload: Record<string, unknown>) =>
  hq.app.inject({ method: 'POST', url: '/v1/enrol', remoteAddress, payload });
const wrongCode = () => ({ code: 'ABCD-EFGH-JKMN', deviceId: randomUUID(), deviceName: 'PC' });

describe('enrolment rate limit per address', () => {
  it('the 11th attempt from one address within the minute is 429 with Retry-After; another address still enrols', async () => {
    const flooder = '198.51.100.7';
    for (let i = 1; i <= 10; i++) {
      const res = await attempt(flooder, wrongCode());
      expect(res.statusCode, `attempt ${i}`).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('ENROL_CODE_INVALID');
    }
    const eleventh = await attempt(flooder, wrongCode());
    expect(eleventh.statusCode).toBe(429);
    const retryAfter = Number(eleventh.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(String(eleventh.headers['content-type'])).toMatch(/^application\/json/);
    const body = HqErrorBody.parse(eleventh.json());
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.details).toMatchObject({ retryAfterSeconds: retryAfter });

    // Even a valid code is refused from that address now, and is not consumed.
    const { code } = await createEnrolCode(hq.db, branch);
    const blocked = await attempt(flooder, { code, deviceId: randomUUID(), deviceName: 'PC' });
    expect(blocked.statusCode).toBe(429);

    // Another address enrols with the same code: successful enrolment still works.
    const ok = await attempt('203.0.113.9', { code, deviceId: randomUUID(), deviceName: 'PC kantor' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ token: string; branchCode: string }>()).toMatchObject({ branchCode: branch });
  });

  it('other routes are not limited', async () => {
    for (let i = 0; i < 15; i++) expect((await hq.app.inject({ url: '/healthz', remoteAddress: '198.51.100.8' })).statusCode).toBe(200);
  });

  it('the limit and window are options of buildHq', async () => {
    const strict = await startHq('enrol_rate_opt', { enrolRateLimit: { max: 2, windowMs: 1000 } });
    try {
      const from = '192.0.2.50';
      expect((await strict.app.inject({ method: 'POST', url: '/v1/enrol', remoteAddress: from, payload: wrongCode() })).statusCode).toBe(400);
      expect((await strict.app.inject({ method: 'POST', url: '/v1/enrol', remoteAddress: from, payload: wrongCode() })).statusCode).toBe(400);
      const third = await strict.app.inject({ method: 'POST', url: '/v1/enrol', remoteAddress: from, payload: wrongCode() });
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers['retry-after'])).toBe(1);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await strict.app.inject({ method: 'POST', url: '/v1/enrol', remoteAddress: from, payload: wrongCode() })).statusCode).toBe(400);
    } finally {
      await strict.close();
    }
  });
});
