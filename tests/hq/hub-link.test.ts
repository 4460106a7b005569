import { createServer as createTcpServer, Socket } from 'node:net';
import type { Server as TcpServer } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHubCertificate } from '../../hq/hub/tls';
import { createCore } from '../../main/core';
import type { Core } from '../../main/core';
import type { CredentialStore, HqCredentials } from '../../main/hq/credentials';
import { HubLink } from '../../main/hub/link';
import { fileVault } from '../../main/secrets';
import type { HubStatus, HubTarget, SyncChanged } from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import type { PullResponse, PushRow } from '@shared/sync/protocol';
import { memoryLog, setupPayload, tempDir } from '../unit/main/helpers';
import { branchWithHub, fresh, hqDocuments } from './hub-helpers';
import type { Branch } from './hub-helpers';
import { ticket } from './helpers';
import type { TestDevice } from './helpers';

// Issue 17: main's link to the branch hub (main/hub/link.ts) against a real hub (hq/ in branch mode
// on PGlite, HTTPS on 127.0.0.1) linked to a real HQ (PostgreSQL). A PC pulls and pushes through the
// hub with its own HQ token; it talks only to the pinned certificate and only to a hub of its own
// branch; it says the hub is unreachable within 10 s of it going away; `sync.*` goes to the
// upstream the renderer names (`via`), never silently to the other one.

let br: Branch;
const links: HubLink[] = [];

beforeAll(async () => {
  br = await branchWithHub('hub_link');
}, 120_000);

afterAll(async () => {
  await Promise.all(links.map((l) => l.stop()));
  await br?.close();
});

function credentialsOf(device: TestDevice): CredentialStore {
  const c: HqCredentials = { url: br.hqUrl, branchCode: device.branchCode, token: device.token, enrolledAt: new Date().toISOString() };
  return { read: () => c, write: () => undefined };
}

function linkFor(device: TestDevice, target: HubTarget | null) {
  const statuses: HubStatus[] = [];
  const changed: SyncChanged[] = [];
  const link = new HubLink({
    credentials: credentialsOf(device),
    log: memoryLog(),
    stream: { minDelayMs: 100, maxDelayMs: 1_000 },
    onStatus: (s) => statuses.push(s),
    onChanged: (e) => changed.push(e),
  });
  links.push(link);
  link.setTarget(target);
  return { link, statuses, changed };
}

const hubTarget = (): HubTarget => ({ url: br.hub.url, fingerprint: br.hub.fingerprint, source: 'hq' });

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<number> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - start;
}

async function failureOf(p: Promise<unknown>): Promise<IpcFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof IpcFailure) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('the hub link', () => {
  it('pushes and pulls through the hub with this PC’s own token, and relays the hub’s notices as via hub', async () => {
    const one = linkFor(br.pc1, hubTarget());
    const two = linkFor(br.pc2, hubTarget());
    one.link.start();
    await until('pc1 connected', () => one.link.status().connected);
    expect(one.link.status()).toMatchObject({ role: 'client', hub: hubTarget(), connected: true, lastError: null, hosting: null });

    const doc = ticket(br.a);
    expect(await two.link.push('tickets', [fresh(doc) as PushRow])).toEqual([]);
    const pulled = await one.link.pull('tickets', null, 100);
    expect(pulled.documents.map((d) => d.id)).toContain(doc.id);
    await until('pc1 told of the change', () => one.changed.some((e) => 'collection' in e && e.collection === 'tickets' && e.via === 'hub'));
    // The hub relays it to HQ as pc2's record.
    await br.hub.upstream.syncOnce();
    expect((await hqDocuments(br.hq.db, 'tickets')).find((r) => r.id === doc.id)).toMatchObject({ device_id: br.pc2.deviceId });
  });

  it('refuses a hub that presents another certificate than the pinned one', async () => {
    const other = await generateHubCertificate('Loket hub palsu');
    const { link } = linkFor(br.pc1, { url: br.hub.url, fingerprint: other.fingerprint, source: 'manual' });
    const failure = await failureOf(link.pull('tickets', null, 10));
    expect(failure.code).toBe('HUB_REJECTED');
    expect(failure.details?.hq).toMatchObject({ status: 0, code: 'FINGERPRINT_MISMATCH' });
    expect(link.status()).toMatchObject({ connected: false, lastError: { code: 'HUB_REJECTED:FINGERPRINT_MISMATCH' } });
  });

  it('never uses a hub of another branch: the hub does not know the PC, and a hub that says another branch gets nothing', async () => {
    // A PC of branch B at branch A's hub: its token is not one the hub learnt from HQ.
    const { link } = linkFor(br.pcB, hubTarget());
    expect((await failureOf(link.pull('tickets', null, 10))).code).toBe('HUB_REJECTED');

    // A hub (pinned certificate) that answers for another branch: nothing of this branch is pushed to it.
    const cert = await generateHubCertificate('Loket hub cabang lain');
    const seen: string[] = [];
    const fake: HttpsServer = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/v1/branch' ? { branch: { code: br.b, name: 'Cabang lain', serviceHours: {}, counters: 4 }, staff: [] } : []));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    try {
      const port = (fake.address() as { port: number }).port;
      const wrong = linkFor(br.pc1, { url: `https://127.0.0.1:${port}`, fingerprint: cert.fingerprint, source: 'manual' });
      const failure = await failureOf(wrong.link.push('tickets', [fresh(ticket(br.a)) as PushRow]));
      expect(failure.code).toBe('HUB_REJECTED');
      expect(failure.details?.hq?.code).toBe('FORBIDDEN_BRANCH');
      expect(seen).toEqual(['GET /v1/branch']);
      expect(wrong.link.status().lastError?.message).toMatch(/another branch|of branch/);
    } finally {
      await new Promise((r) => fake.close(r));
    }
  });

  it('says the hub is unreachable within 10 s when its PC goes silent (no packet comes back), and reconnects when it is back', async () => {
    // A TCP relay in front of the hub that can swallow everything, like a PC switched off mid-morning.
    let silent = false;
    const sockets = new Set<Socket>();
    const relay: TcpServer = createTcpServer((client) => {
      const upstream = new Socket();
      upstream.connect(br.hub.port, '127.0.0.1');
      sockets.add(client);
      sockets.add(upstream);
      client.on('data', (d) => void (!silent && upstream.write(d)));
      upstream.on('data', (d) => void (!silent && client.write(d)));
      const end = () => {
        if (silent) return; // a switched-off PC closes nothing
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end);
      upstream.on('close', end);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as { port: number }).port;
    try {
      const { link } = linkFor(br.pc1, { url: `https://127.0.0.1:${port}`, fingerprint: br.hub.fingerprint, source: 'mdns' });
      // The production timing: no test hooks for the probe.
      link.start();
      await until('connected', () => link.status().connected);
      silent = true;
      const ms = await until('unreachable', () => !link.status().connected, 10_000);
      expect(ms).toBeLessThanOrEqual(10_000);
      expect(link.status().lastError?.code).toBe('HUB_UNREACHABLE');
      silent = false;
      await until('connected again', () => link.status().connected, 20_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => relay.close(r));
    }
  }, 60_000);
});

describe('sync.* routing by via (main core)', () => {
  let core: Core;
  const client = 'client-1';

  beforeAll(async () => {
    const dir = tempDir();
    const log = memoryLog();
    core = createCore({ userDataDir: dir, mode: 'browser', version: '0.0.0-test', log, vault: fileVault(`${dir}/secrets`, log), hqCredentials: credentialsOf(br.pc1), hub: { hosting: null } });
    const setup = await core.dispatch(client, 'branch.setup', setupPayload);
    expect(setup.ok).toBe(true);
    core.hub.pin(hubTarget());
  });
  afterAll(async () => {
    await core?.hub.stop();
  });

  it('sends a push to the upstream named, and only there', async () => {
    // The hub has had no round since its first: what goes to HQ directly is not at the hub yet.
    const direct = ticket(br.a);
    const viaHq = await core.dispatch(client, 'sync.push', { collection: 'tickets', rows: [fresh(direct)] });
    expect(viaHq).toEqual({ ok: true, value: [] });
    expect((await hqDocuments(br.hq.db, 'tickets')).map((r) => r.id)).toContain(direct.id);
    const atHub = await core.dispatch(client, 'sync.pull', { collection: 'tickets', checkpoint: null, limit: 500, via: 'hub' });
    expect(atHub.ok).toBe(true);
    expect((atHub as { value: PullResponse }).value.documents.map((d) => d.id)).not.toContain(direct.id);

    const lan = ticket(br.a);
    expect(await core.dispatch(client, 'sync.push', { collection: 'tickets', rows: [fresh(lan)], via: 'hub' })).toEqual({ ok: true, value: [] });
    const again = await core.dispatch(client, 'sync.pull', { collection: 'tickets', checkpoint: null, limit: 500, via: 'hub' });
    expect((again as { value: PullResponse }).value.documents.map((d) => d.id)).toContain(lan.id);
  });

  it('answers HUB_UNREACHABLE when the hub is away, and never falls back to HQ on its own', async () => {
    core.hub.pin({ url: 'https://127.0.0.1:9', fingerprint: br.hub.fingerprint, source: 'manual' });
    const doc = ticket(br.a);
    const res = await core.dispatch(client, 'sync.push', { collection: 'tickets', rows: [fresh(doc)], via: 'hub' });
    expect(res).toMatchObject({ ok: false, error: { code: 'HUB_UNREACHABLE' } });
    // This ticket is not at HQ. (A count of HQ's tickets raced the hub's relay of the last test's ticket.)
    expect((await hqDocuments(br.hq.db, 'tickets')).map((r) => r.id)).not.toContain(doc.id);
    const status = await core.dispatch(client, 'hub.status', undefined);
    expect(status).toMatchObject({ ok: true, value: { role: 'client', connected: false, lastError: { code: 'HUB_UNREACHABLE' } } });
    // Via HQ still works.
    expect(await core.dispatch(client, 'sync.pull', { collection: 'tickets', checkpoint: null, limit: 1 })).toMatchObject({ ok: true });
  });

  it('says so when no hub is known', async () => {
    core.hub.pin(null);
    const res = await core.dispatch(client, 'sync.pull', { collection: 'tickets', checkpoint: null, limit: 1, via: 'hub' });
    expect(res).toMatchObject({ ok: false, error: { code: 'HUB_UNREACHABLE' } });
    expect(await core.dispatch(client, 'hub.status', undefined)).toMatchObject({ ok: true, value: { role: 'none', hub: null } });
  });
});

describe('the hub going away', () => {
  it('says unreachable within 10 s of the hub stopping', async () => {
    const { link } = linkFor(br.pc2, hubTarget());
    link.start();
    await until('connected', () => link.status().connected);
    const stopped = Date.now();
    await br.hub.close();
    await until('unreachable', () => !link.status().connected, 10_000);
    expect(Date.now() - stopped).toBeLessThanOrEqual(10_000);
    expect((await failureOf(link.pull('tickets', null, 1))).code).toBe('HUB_UNREACHABLE');
  });
});
