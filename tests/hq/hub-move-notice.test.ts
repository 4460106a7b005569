import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode } from '../../hq/admin';
import { createDevice, type SimDevice } from './device-sim';
import { enrol, makeBranch, startListeningHq } from './helpers';
import type { ListeningHq, TestDevice } from './helpers';

// Issue 17 pt 2: PCs learn a new or moved hub within seconds while HQ is up. HQ tells the branch's
// PCs on its event stream when the branch's hub changes (role claimed, new address or certificate
// announced); each PC then asks HQ for the hub at once, not at its next poll (60 s, kept as the
// fallback). A PC of another branch hears nothing of it.

const FP_A = Array.from({ length: 32 }, () => 'AA').join(':');
const FP_B = Array.from({ length: 32 }, () => 'BB').join(':');

let hq: ListeningHq;
let a: string;
let hubA: TestDevice, hubB: TestDevice, other: TestDevice;
let pc: SimDevice;
let otherPc: SimDevice;

beforeAll(async () => {
  hq = await startListeningHq('hub_move_notice');
  const url = hq.url;
  a = await makeBranch(hq.db);
  const b = await makeBranch(hq.db);
  hubA = await enrol(hq.app, hq.db, a);
  hubB = await enrol(hq.app, hq.db, a);
  other = await enrol(hq.app, hq.db, b);
  pc = await createDevice({ name: 'loket1', branch: a, slot: 1, hqUrl: url, code: (await createEnrolCode(hq.db, a)).code, collections: ['config'] });
  otherPc = await createDevice({ name: 'lain1', branch: b, slot: 1, hqUrl: url, code: (await createEnrolCode(hq.db, b)).code, collections: ['config'] });
  // Polls HQ for the hub every 60 s (the default): only the stream can make it quicker.
  for (const d of [pc, otherPc]) {
    d.core.hub.start();
    await d.core.hub.learnFromHq();
    for (let i = 0; i < 100 && !d.core.hq.status().connected; i++) await new Promise((r) => setTimeout(r, 100));
    if (!d.core.hq.status().connected) throw new Error('the PC’s HQ event stream did not open');
  }
}, 120_000);

afterAll(async () => {
  for (const d of [pc, otherPc]) {
    await d?.core.hub.stop();
    await d?.close();
  }
  await hq?.close();
});

async function becomeHub(d: TestDevice, fingerprint: string, host: string): Promise<void> {
  expect((await hq.app.inject({ method: 'PUT', url: '/v1/hub/role', headers: d.auth, payload: { staffId: 'kepala.uji' } })).statusCode).toBe(200);
  const announced = await hq.app.inject({ method: 'PUT', url: '/v1/hub/announce', headers: d.auth, payload: { fingerprint, addresses: [{ host, port: 47600 }] } });
  expect(announced.statusCode).toBe(200);
}

describe('a PC learns its branch’s hub from HQ’s event stream', () => {
  it('within seconds of the new hub announcing itself', async () => {
    expect(pc.core.hub.status().hub).toBeNull();
    await becomeHub(hubA, FP_A, '10.0.0.7');
    await expect.poll(() => pc.core.hub.status().hub, { timeout: 5_000, interval: 100 }).toMatchObject({ url: 'https://10.0.0.7:47600', fingerprint: FP_A, source: 'hq' });
  });

  it('within seconds of the role moving to another PC of the branch', async () => {
    await becomeHub(hubB, FP_B, '10.0.0.8');
    await expect.poll(() => pc.core.hub.status().hub, { timeout: 5_000, interval: 100 }).toMatchObject({ url: 'https://10.0.0.8:47600', fingerprint: FP_B, source: 'hq' });
  });

  it('a PC of another branch learns only its own branch’s hub, and this branch’s PCs keep theirs', async () => {
    await becomeHub(other, FP_A, '10.0.9.9');
    await expect.poll(() => otherPc.core.hub.status().hub, { timeout: 5_000, interval: 100 }).toMatchObject({ url: 'https://10.0.9.9:47600' });
    expect(pc.core.hub.status().hub).toMatchObject({ url: 'https://10.0.0.8:47600' });
  });
});
