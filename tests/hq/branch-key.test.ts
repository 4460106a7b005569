import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../hq/admin';
import type { Logger } from '../../main/log';
import { fileVault, nikHashKey } from '../../main/secrets';
import { createDevice, type SimDevice } from './device-sim';
import { enrol, makeBranch, startListeningHq, type ListeningHq } from './helpers';

// The NIK hash key is branch-wide: HQ makes it on a branch's first enrolment and hands the same key
// to every PC of that branch (and a different one to another branch); main keeps it with the HQ
// credentials and answers it with `secrets.dbKey`. A PC not yet enrolled uses a local key.

let hq: ListeningHq;
let url: string;
const sims: SimDevice[] = [];

beforeAll(async () => {
  hq = await startListeningHq('branchkey');
  url = hq.url;
}, 60_000);
afterAll(async () => {
  for (const d of sims) await d.close();
  await hq?.close();
}, 60_000);

async function enrolAnswer(branch: string): Promise<{ nikKey: string }> {
  const { code } = await createEnrolCode(hq.db, branch);
  const res = await hq.app.inject({ method: 'POST', url: '/v1/enrol', payload: { code, deviceId: crypto.randomUUID(), deviceName: 'PC uji' } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ nikKey: string }>();
}

describe('branch-wide NIK hash key', () => {
  it('HQ issues one key per branch at enrolment: the same for every PC of the branch, another for another branch', async () => {
    const a = await makeBranch(hq.db);
    const b = await makeBranch(hq.db);
    const [a1, a2, b1] = [await enrolAnswer(a), await enrolAnswer(a), await enrolAnswer(b)];
    expect(Buffer.from(a1.nikKey, 'base64')).toHaveLength(32);
    expect(a2.nikKey).toBe(a1.nikKey);
    expect(b1.nikKey).not.toBe(a1.nikKey);
    // Still the same after more enrolments (never rotated by enrolment).
    await enrol(hq.app, hq.db, a);
    expect((await enrolAnswer(a)).nikKey).toBe(a1.nikKey);
  });

  it('two enrolled PCs of a branch get the same NIK key from main (different database keys); scope branch', async () => {
    const a = await makeBranch(hq.db);
    for (const [i, name] of ['k1', 'k2'].entries()) {
      sims.push(await createDevice({ name, branch: a, slot: i + 1, hqUrl: url, code: (await createEnrolCode(hq.db, a)).code, collections: ['config'] }));
    }
    const answers = await Promise.all(sims.map(async (d) => {
      const r = await d.core.dispatch('sim-page', 'secrets.dbKey', undefined);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as { key: string; nikKey?: { key: string; scope: string } };
    }));
    expect(answers[0]!.key).not.toBe(answers[1]!.key);
    expect(answers[0]!.nikKey).toEqual({ key: expect.any(String) as unknown, scope: 'branch' });
    expect(answers[1]!.nikKey).toEqual(answers[0]!.nikKey);
  });

  it('a PC not enrolled uses a local key made once and kept', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-nikkey-'));
    try {
      const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
      const vault = fileVault(dir, quiet);
      const first = nikHashKey(vault, null);
      expect(first.scope).toBe('local');
      expect(Buffer.from(first.key, 'base64')).toHaveLength(32);
      expect(nikHashKey(fileVault(dir, quiet), undefined)).toEqual(first);
      expect(nikHashKey(vault, 'QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=')).toEqual({ key: 'QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=', scope: 'branch' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
