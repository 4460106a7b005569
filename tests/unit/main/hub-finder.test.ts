import { createServer, type Server } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHubCertificate, type HubCertificate } from '../../../hq/hub/tls';
import { HubFinder, type HubPins } from '../../../main/hub/finder';
import type { Mdns, MdnsAnswer } from '../../../main/hub/discovery';
import { shortCodeOf } from '../../../main/hub/pairing';
import { normalizeFingerprint } from '../../../main/hub/pinned';
import type { HqCredentials } from '../../../main/hq/credentials';
import type { HubStatus, HubTarget } from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import { memoryLog } from './helpers';

// hub.pair / hub.setAddress / hub.discovered through the finder (issue 17 pts 2–3): a real TLS
// server with a hub-like certificate on 127.0.0.1 answering GET /v1/branch for this PC's token; a
// fake hub service records what gets pinned; a fake mDNS delivers answers.

const TOKEN = 'token-of-this-pc-0123456789';
const creds: HqCredentials = { url: 'http://127.0.0.1:1', branchCode: 'JKT01', token: TOKEN, enrolledAt: '2026-03-02T00:00:00Z' };
let cert: HubCertificate;
let server: Server;
let port: number;
let requests: { auth: string | undefined; url: string | undefined }[] = [];
let answerBranch = 'JKT01';

beforeAll(async () => {
  cert = await generateHubCertificate('Loket hub JKT01');
  server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    requests.push({ auth: req.headers.authorization, url: req.url });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ branch: { code: answerBranch, name: 'x' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function fakeHub(initial: Partial<HubStatus> = {}) {
  let status: HubStatus = { role: 'none', hub: null, connected: false, lastContactAt: null, lastError: null, hosting: null, ...initial };
  const pins: (HubTarget | null)[] = [];
  const hub: HubPins = {
    status: () => status,
    pin: (t) => {
      pins.push(t);
      status = { ...status, role: t ? 'client' : 'none', hub: t, connected: false };
      return status;
    },
  };
  return { hub, pins, set: (s: Partial<HubStatus>) => (status = { ...status, ...s }) };
}

class FakeMdns implements Mdns {
  published: { name: string; port: number; txt: Record<string, string> }[] = [];
  up: ((a: MdnsAnswer) => void) | null = null;
  publish(s: { name: string; type: string; port: number; txt: Record<string, string> }) {
    this.published.push(s);
    return { stop: () => void (this.published = this.published.filter((p) => p !== s)) };
  }
  browse(_type: string, on: { up(a: MdnsAnswer): void; down(a: MdnsAnswer): void }) {
    this.up = (a) => on.up(a);
    return { update: () => undefined, stop: () => void (this.up = null) };
  }
  destroy() {}
}

const finderWith = (hub: HubPins, o: { credentials?: HqCredentials | null; mdns?: Mdns | null } = {}) =>
  new HubFinder({ hub, credentials: { read: () => (o.credentials === undefined ? creds : o.credentials), write: () => undefined }, mdns: o.mdns ?? null, log: memoryLog(), timeoutMs: 2_000 });

async function failure(p: Promise<unknown>): Promise<IpcFailure> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof IpcFailure)) throw new Error(`expected an IpcFailure, got ${String(e)}`);
  return e;
}

describe('hub.pair', () => {
  it('the right code pins the hub (source paired) after checking its branch with this PC’s token', async () => {
    const { hub, pins } = fakeHub();
    requests = [];
    const s = await finderWith(hub).pair({ host: '127.0.0.1', port, code: shortCodeOf(cert.fingerprint) });
    expect(pins).toEqual([{ url: `https://127.0.0.1:${port}`, fingerprint: cert.fingerprint, source: 'paired' }]);
    expect(s.role).toBe('client');
    expect(requests).toEqual([{ auth: `Bearer ${TOKEN}`, url: '/v1/branch' }]);
  });

  it('a wrong code pins nothing and sends nothing to the address', async () => {
    const { hub, pins } = fakeHub();
    requests = [];
    const code = shortCodeOf(cert.fingerprint);
    const e = await failure(finderWith(hub).pair({ host: '127.0.0.1', port, code: code.replace(/^\d/, (d) => String((Number(d) + 1) % 10)) }));
    expect(e.code).toBe('HUB_CODE_WRONG');
    expect(pins).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('a hub of another branch is not pinned; an unenrolled PC is told to connect to HQ first', async () => {
    const { hub, pins } = fakeHub();
    answerBranch = 'BDG02';
    try {
      const e = await failure(finderWith(hub).pair({ host: '127.0.0.1', port, code: shortCodeOf(cert.fingerprint) }));
      expect(e.details?.hq?.code).toBe('OTHER_BRANCH');
    } finally {
      answerBranch = 'JKT01';
    }
    expect((await failure(finderWith(hub, { credentials: null }).pair({ host: '127.0.0.1', port, code: shortCodeOf(cert.fingerprint) }))).code).toBe('HQ_NOT_ENROLLED');
    expect(pins).toEqual([]);
  });
});

describe('hub.setAddress', () => {
  it('a new address for the pinned hub is used (source manual); a hub not paired yet is refused; null forgets', async () => {
    const pinned = fakeHub({ role: 'client', hub: { url: 'https://10.9.9.9:47600', fingerprint: cert.fingerprint, source: 'hq' } });
    await finderWith(pinned.hub).setAddress({ host: '127.0.0.1', port });
    expect(pinned.pins).toEqual([{ url: `https://127.0.0.1:${port}`, fingerprint: cert.fingerprint, source: 'manual' }]);
    const fresh = fakeHub();
    const e = await failure(finderWith(fresh.hub).setAddress({ host: '127.0.0.1', port }));
    expect([e.code, e.details?.hq?.code]).toEqual(['HUB_REJECTED', 'NOT_PAIRED']);
    expect(fresh.pins).toEqual([]);
    await finderWith(pinned.hub).setAddress(null);
    expect(pinned.pins.at(-1)).toBeNull();
  });
});

describe('mDNS in the finder', () => {
  const txt = (branch: string, fp: string) => ({ branch, fp: normalizeFingerprint(fp) });

  it('the pinned hub answering at another address is used once the current one has failed, not while it works or before it was tried', () => {
    const mdns = new FakeMdns();
    const f = fakeHub({ role: 'client', hub: { url: 'https://10.9.9.9:47600', fingerprint: cert.fingerprint, source: 'hq' }, connected: true });
    const finder = finderWith(f.hub, { mdns });
    finder.start();
    mdns.up!({ name: 'a', port: 47600, addresses: ['10.0.0.7'], txt: txt('JKT01', cert.fingerprint) });
    expect(f.pins).toEqual([]); // connected: keep what works
    f.set({ connected: false });
    mdns.up!({ name: 'a', port: 47600, addresses: ['10.0.0.7'], txt: txt('JKT01', cert.fingerprint) });
    expect(f.pins).toEqual([]); // not connected yet, but not failed either: the pinned address gets its chance
    f.set({ lastError: { code: 'HUB_UNREACHABLE', message: 'connect ECONNREFUSED', at: '2026-03-02T02:00:00Z' } });
    mdns.up!({ name: 'a', port: 47600, addresses: ['10.0.0.7'], txt: txt('JKT01', cert.fingerprint) });
    expect(f.pins).toEqual([{ url: 'https://10.0.0.7:47600', fingerprint: cert.fingerprint, source: 'mdns' }]);
    // Another certificate never replaces the pin: it is only listed, for pairing.
    mdns.up!({ name: 'b', port: 47601, addresses: ['10.0.0.8'], txt: txt('JKT01', 'CD'.repeat(32)) });
    expect(f.pins).toHaveLength(1);
    expect(finder.discovered(false).hubs.map((h) => [h.host, h.trusted])).toEqual([
      ['10.0.0.7', true],
      ['10.0.0.8', false],
    ]);
    finder.stop();
  });

  it('the hub PC announces its branch and fingerprint while its hub runs, and stops when it stops', () => {
    const mdns = new FakeMdns();
    const f = fakeHub();
    const finder = finderWith(f.hub, { mdns });
    finder.start();
    expect(mdns.published).toEqual([]);
    const running: HubStatus = {
      role: 'host',
      hub: { url: 'https://127.0.0.1:47655', fingerprint: cert.fingerprint, source: 'hq' },
      connected: true,
      lastContactAt: null,
      lastError: null,
      hosting: { state: 'running', crashes: 0, shortCode: shortCodeOf(cert.fingerprint), hqLink: 'ok' },
    };
    finder.hubChanged(running);
    finder.hubChanged(running); // once, not per status
    expect(mdns.published).toEqual([expect.objectContaining({ port: 47655, txt: { branch: 'JKT01', fp: normalizeFingerprint(cert.fingerprint) } })]);
    finder.hubChanged({ ...running, role: 'none', hosting: null, hub: null });
    expect(mdns.published).toEqual([]);
    finder.stop();
  });
});
