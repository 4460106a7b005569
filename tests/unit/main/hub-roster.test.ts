import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialStore } from '../../../main/hq/credentials';
import type { HubChild } from '../../../main/hub/launcher';
import { RosterStore } from '../../../main/hub/roster';
import { HubService } from '../../../main/hub/service';
import { IpcFailure } from '@shared/ipc/result';
import type { RosterPayload, SignedRoster } from '@shared/sync/roster';
import { memoryLog, tempDir } from './helpers';

// Issue 17 pt 3: every PC keeps the latest roster of its branch that HQ signed, so that when the
// head makes it the hub while HQ is unreachable, its hub knows whom to admit. Only a roster signed
// with the key kept before, of this PC's branch, and not older than the one kept is kept.

const BRANCH = 'TST01';
const FP = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');
const hq = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const device = (n: number, revoked = false) => ({
  deviceId: `7d8c1e0a-1111-4a2b-9c3d-00000000000${n}`,
  name: `PC uji ${n}`,
  tokenHash: String(n).repeat(64),
  enrolledAt: '2026-03-02T08:00:00.000Z',
  revokedAt: revoked ? '2026-03-03T08:00:00.000Z' : null,
});

function roster(o: { branch?: string; issuedAt?: string; key?: typeof hq; devices?: RosterPayload['devices'] } = {}): SignedRoster {
  const payload: RosterPayload = {
    branch: { code: o.branch ?? BRANCH, name: 'Cabang Uji', serviceHours: null, counters: 3 },
    devices: o.devices ?? [device(1), device(2), device(3, true)],
    issuedAt: o.issuedAt ?? '2026-03-04T08:00:00.000Z',
  };
  const text = JSON.stringify(payload);
  const key = o.key ?? hq;
  return {
    payload: text,
    signature: sign(null, Buffer.from(text), key.privateKey).toString('base64'),
    publicKey: key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

describe('the roster this PC keeps', () => {
  it('is kept when signed by HQ for this branch, across restarts', () => {
    const dir = tempDir();
    const signed = roster();
    expect(new RosterStore(dir).keep(signed, BRANCH)).toBe('kept');
    expect(new RosterStore(dir).read()).toEqual(signed);
    expect(new RosterStore(dir).keep(signed, BRANCH)).toBe('unchanged');
  });

  it('is not replaced by an altered, foreign-branch, differently signed or older one', () => {
    const dir = tempDir();
    const store = new RosterStore(dir);
    const kept = roster();
    store.keep(kept, BRANCH);
    const altered = { ...kept, payload: kept.payload.replace('"revokedAt":"2026-03-03T08:00:00.000Z"', '"revokedAt":null') };
    expect(altered.payload).not.toBe(kept.payload);
    expect(store.keep(altered, BRANCH)).toBe('bad-signature');
    expect(store.keep(roster({ branch: 'TST02', issuedAt: '2026-03-05T08:00:00.000Z' }), BRANCH)).toBe('other-branch');
    expect(store.keep(roster({ key: other, issuedAt: '2026-03-05T08:00:00.000Z' }), BRANCH)).toBe('other-key');
    expect(store.keep(roster({ issuedAt: '2026-03-01T08:00:00.000Z', devices: [device(1)] }), BRANCH)).toBe('older');
    expect(store.read()).toEqual(kept);
    const newer = roster({ issuedAt: '2026-03-05T08:00:00.000Z', devices: [device(1), device(2, true)] });
    expect(store.keep(newer, BRANCH)).toBe('kept');
    expect(store.read()).toEqual(newer);
  });

  it('a damaged file counts as none (kept aside), so the next roster from HQ is kept', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'hub-roster.json'), '{"payload": 1}');
    const store = new RosterStore(dir);
    expect(store.read()).toBeNull();
    expect(store.keep(roster(), BRANCH)).toBe('kept');
  });
});

describe('learning and using the roster', () => {
  const services: HubService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop()));
  });
  const creds: CredentialStore = { read: () => ({ url: 'https://hq.example', branchCode: BRANCH, token: 'token-0123456789', enrolledAt: '2026-03-02T08:00:00.000Z' }), write: () => undefined };

  it('is fetched with the hub from HQ and given to this PC’s hub when it starts while HQ is unreachable', async () => {
    const dir = tempDir();
    const signed = roster();
    let hqUp = true;
    const started: unknown[] = [];
    const exits: ((code: number | null) => void)[] = [];
    const child: HubChild & { listeners: ((m: unknown) => void)[] } = {
      pid: 4242,
      listeners: [],
      send: (m) => {
        const msg = m as { type: string; config?: unknown };
        if (msg.type === 'stop') setTimeout(() => exits.forEach((l) => l(0)), 1);
        if (msg.type !== 'start') return;
        started.push(msg.config);
        setTimeout(() => child.listeners.forEach((l) => l({ type: 'ready', url: 'https://127.0.0.1:47600', port: 47600, fingerprint: FP })), 1);
      },
      onMessage: (l) => void child.listeners.push(l),
      onExit: (l) => void exits.push(l),
      kill: () => exits.forEach((l) => l(null)),
    };
    const down = () => Promise.reject(new IpcFailure('HQ_UNREACHABLE', 'down'));
    const s = new HubService({
      userDataDir: dir,
      deviceId: device(1).deviceId,
      credentials: creds,
      hq: { branchHub: () => (hqUp ? Promise.resolve({ branch: { code: BRANCH }, hub: null }) : down()), claimHubRole: () => (hqUp ? Promise.resolve() : down()) },
      log: memoryLog(),
      hosting: { entry: 'hub-child.js', spawn: () => () => child, host: '127.0.0.1', port: 0 },
      fetchRoster: () => (hqUp ? Promise.resolve(signed) : down()),
    });
    services.push(s);
    await s.learnFromHq();
    await expect.poll(() => s.rosters.read()).toEqual(signed);
    hqUp = false;
    await s.learnFromHq();
    await s.become('kepala.uji');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ branchCode: BRANCH, roster: signed });
  });
});
