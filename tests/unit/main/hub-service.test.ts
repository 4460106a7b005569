import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialStore } from '../../../main/hq/credentials';
import type { BranchHubAnswer } from '../../../main/hq-link';
import { DEFAULT_HUB_PORT, hubFromHq, hubListenFromEnv, ownHubUrl } from '../../../main/hub/hosting';
import { HubService } from '../../../main/hub/service';
import { HubSettingsStore } from '../../../main/hub/settings';
import { IpcFailure } from '@shared/ipc/result';
import { memoryLog, tempDir } from './helpers';

// Issue 17: where a PC learns its branch hub (HQ's /v1/branch), what it keeps across restarts
// (<userData>/hub.json) and where the hub listens (LOKET_HUB_HOST / LOKET_HUB_PORT).

const ME = '7d8c1e0a-1111-4a2b-9c3d-000000000001';
const OTHER = '7d8c1e0a-2222-4a2b-9c3d-000000000002';
const FP = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');
const answer = (hub: BranchHubAnswer['hub']): BranchHubAnswer => ({ branch: { code: 'TST01' }, hub });

describe('the hub HQ names', () => {
  it('is used with its first announced address and pinned fingerprint (source hq)', () => {
    expect(hubFromHq(answer({ deviceId: OTHER, fingerprint: FP, addresses: [{ host: '10.0.0.7', port: 47600 }, { host: '10.0.1.7', port: 47600 }] }), ME, false)).toEqual({
      url: 'https://10.0.0.7:47600',
      fingerprint: FP,
      source: 'hq',
    });
    expect(hubFromHq(answer({ deviceId: OTHER, fingerprint: FP, addresses: [{ host: 'fe80::1', port: 47600 }] }), ME, false)).toMatchObject({ url: 'https://[fe80::1]:47600' });
  });

  it('changes nothing before the hub announced itself, or from an older HQ', () => {
    expect(hubFromHq(answer({ deviceId: OTHER, fingerprint: null, addresses: [] }), ME, false)).toBe('keep');
    expect(hubFromHq({ branch: { code: 'TST01' } }, ME, false)).toBe('keep');
  });

  it('is none when the branch has none, or names this PC while it does not host one', () => {
    expect(hubFromHq(answer(null), ME, false)).toBeNull();
    expect(hubFromHq(answer({ deviceId: ME, fingerprint: FP, addresses: [{ host: '10.0.0.7', port: 47600 }] }), ME, false)).toBeNull();
    // This PC hosts it: its own (loopback) address stands.
    expect(hubFromHq(answer({ deviceId: ME, fingerprint: FP, addresses: [{ host: '10.0.0.7', port: 47600 }] }), ME, true)).toBe('keep');
  });
});

describe('where the hub listens', () => {
  it('on every interface at port 47600 unless LOKET_HUB_HOST / LOKET_HUB_PORT say otherwise (0: any)', () => {
    expect(hubListenFromEnv({})).toEqual({ host: '0.0.0.0', port: DEFAULT_HUB_PORT });
    expect(hubListenFromEnv({ LOKET_HUB_HOST: '127.0.0.1', LOKET_HUB_PORT: '0' })).toEqual({ host: '127.0.0.1', port: 0 });
    expect(() => hubListenFromEnv({ LOKET_HUB_PORT: '70000' })).toThrow(/LOKET_HUB_PORT/);
    expect(() => hubListenFromEnv({ LOKET_HUB_PORT: 'abc' })).toThrow(/LOKET_HUB_PORT/);
  });

  it('this PC reaches its own hub on loopback when it listens on every interface', () => {
    expect(ownHubUrl({ url: 'https://0.0.0.0:47600', port: 47600, fingerprint: FP }, '0.0.0.0')).toBe('https://127.0.0.1:47600');
    expect(ownHubUrl({ url: 'https://127.0.0.1:5000', port: 5000, fingerprint: FP }, '127.0.0.1')).toBe('https://127.0.0.1:5000');
  });
});

describe('the hub settings', () => {
  it('keep the pinned hub and hosting across restarts, in a file that is validated', () => {
    const dir = tempDir();
    const store = new HubSettingsStore(dir);
    expect(store.read()).toEqual({ pinned: null, hosting: false, claimPendingBy: null });
    store.update({ pinned: { url: 'https://10.0.0.7:47600', fingerprint: FP, source: 'paired' }, hosting: true });
    expect(new HubSettingsStore(dir).read()).toEqual({ pinned: { url: 'https://10.0.0.7:47600', fingerprint: FP, source: 'paired' }, hosting: true, claimPendingBy: null });
    fs.writeFileSync(path.join(dir, 'hub.json'), '{"pinned": 5}');
    expect(new HubSettingsStore(dir).read()).toEqual({ pinned: null, hosting: false, claimPendingBy: null });
    expect(fs.readdirSync(dir).some((f) => f.startsWith('hub.json.corrupt-'))).toBe(true);
  });
});

describe('learning the hub from HQ', () => {
  const services: HubService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop()));
  });
  const creds: CredentialStore = { read: () => ({ url: 'https://hq.example', branchCode: 'TST01', token: 'token-0123456789', enrolledAt: '2026-03-02T08:00:00.000Z' }), write: () => undefined };

  function service(dir: string, hub: () => BranchHubAnswer | Error) {
    const s = new HubService({
      userDataDir: dir,
      deviceId: ME,
      credentials: creds,
      hq: {
        branchHub: () => {
          const a = hub();
          return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
        },
        claimHubRole: () => Promise.resolve(),
      },
      log: memoryLog(),
      hosting: null,
    });
    services.push(s);
    return s;
  }

  it('pins what HQ names, keeps it across restarts, and drops it when HQ says the branch has none', async () => {
    const dir = tempDir();
    let hq: BranchHubAnswer = answer({ deviceId: OTHER, fingerprint: FP, addresses: [{ host: '10.0.0.7', port: 47600 }] });
    const s = service(dir, () => hq);
    await s.learnFromHq();
    expect(s.status()).toMatchObject({ role: 'client', hub: { url: 'https://10.0.0.7:47600', source: 'hq' }, connected: false });
    expect(service(dir, () => new IpcFailure('HQ_UNREACHABLE', 'down')).status().hub).toMatchObject({ url: 'https://10.0.0.7:47600' });
    hq = answer(null);
    await s.learnFromHq();
    expect(s.status()).toMatchObject({ role: 'none', hub: null });
  });

  it('keeps a hub paired while the WAN was down when HQ names none, and follows HQ when it names one', async () => {
    const dir = tempDir();
    let hq: BranchHubAnswer | Error = new IpcFailure('HQ_UNREACHABLE', 'down');
    const s = service(dir, () => hq);
    s.pin({ url: 'https://10.0.0.9:47600', fingerprint: FP, source: 'paired' });
    await s.learnFromHq();
    expect(s.status().hub).toMatchObject({ source: 'paired' });
    hq = answer(null);
    await s.learnFromHq();
    expect(s.status().hub).toMatchObject({ source: 'paired' });
    hq = answer({ deviceId: OTHER, fingerprint: FP, addresses: [{ host: '10.0.0.7', port: 47600 }] });
    await s.learnFromHq();
    expect(s.status().hub).toMatchObject({ url: 'https://10.0.0.7:47600', source: 'hq' });
  });

  it('cannot host without a way to run the hub', async () => {
    const s = service(tempDir(), () => answer(null));
    await expect(s.become('kepala.uji')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
