import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import type { Core } from '../../main/core';
import type { CredentialStore, HqCredentials } from '../../main/hq/credentials';
import { nodeSpawner } from '../../main/hub/launcher';
import { fileVault } from '../../main/secrets';
import type { HubStatus } from '@shared/ipc/contract';
import type { PullResponse } from '@shared/sync/protocol';
import { memoryLog, setupPayload, tempDir } from '../unit/main/helpers';
import { fresh, hqDocuments } from './hub-helpers';
import { enrol, makeBranch, ticket, startListeningHq } from './helpers';
import type { ListeningHq, TestDevice } from './helpers';

// Issue 17 pt 1 and 8: the head makes this PC the branch hub in one step (`hub.become`): HQ is told
// (the role moves, the old hub is refused), and main starts the hub in a process of its own
// (main/hub/launcher.ts; here a Node child running hq/hub/child.ts through tsx, as in browser mode).
// The hosting PC syncs with its own hub; another PC learns the hub from HQ; moving the role to
// another PC stops the old hub; with HQ unreachable the hub starts anyway.

const ROOT = new URL('../../', import.meta.url).pathname;
const client = 'client-1';

let hq: ListeningHq;
let hqUrl: string;
let branch: string;
const dirs: string[] = [];
const cores: Core[] = [];

beforeAll(async () => {
  hq = await startListeningHq('hub_hosting');
  hqUrl = hq.url;
  branch = await makeBranch(hq.db);
}, 60_000);

afterAll(async () => {
  await Promise.all(cores.map((c) => c.hub.stop()));
  await Promise.all(cores.map((c) => c.hq.stop()));
  await hq?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A PC of the branch (its main), enrolled at HQ, set up with a head signed in on `client`. */
async function pc(device: TestDevice, url = hqUrl): Promise<{ core: Core; events: { event: string; payload: unknown }[] }> {
  const dir = tempDir('loket-hosting-');
  dirs.push(dir);
  const log = memoryLog();
  const creds: HqCredentials = { url, branchCode: device.branchCode, token: device.token, enrolledAt: new Date().toISOString() };
  const credentials: CredentialStore = { read: () => creds, write: () => undefined };
  const core = createCore({
    userDataDir: dir,
    mode: 'browser',
    version: '0.0.0-test',
    log,
    vault: fileVault(join(dir, 'secrets'), log),
    hqCredentials: credentials,
    hqLink: { timeoutMs: 3_000 },
    hub: {
      hosting: { entry: join(ROOT, 'hq/hub/child.ts'), spawn: () => nodeSpawner(['--import', 'tsx']), host: '127.0.0.1', port: 0, intervalMs: 500 },
      link: { stream: { minDelayMs: 100, maxDelayMs: 1_000 } },
    },
  });
  cores.push(core);
  const events: { event: string; payload: unknown }[] = [];
  core.onEvent((_c, event, payload) => events.push({ event, payload }));
  expect((await core.dispatch(client, 'branch.setup', setupPayload)).ok).toBe(true);
  core.hub.link.start();
  return { core, events };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await ok())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const status = (core: Core) => core.hub.status();
const hubAtHq = async () => (await hq.db.query<{ hub: string | null }>('SELECT hub_device_id::text AS hub FROM branches WHERE code = $1', [branch])).rows[0]?.hub ?? null;

describe('hosting the branch hub', () => {
  let first: TestDevice;
  let second: TestDevice;
  let host: Awaited<ReturnType<typeof pc>>;
  let other: Awaited<ReturnType<typeof pc>>;

  beforeAll(async () => {
    first = await enrol(hq.app, hq.db, branch);
    second = await enrol(hq.app, hq.db, branch);
    host = await pc(first);
    other = await pc(second);
  });

  it('hub.become tells HQ and starts the hub; this PC then syncs with its own hub', async () => {
    const res = await host.core.dispatch(client, 'hub.become', undefined);
    expect(res).toMatchObject({ ok: true, value: { role: 'host', hosting: { state: 'running', crashes: 0 } } });
    expect(await hubAtHq()).toBe(first.deviceId);
    expect(hq.log.lines.some((l) => l.includes('branch hub role claimed') && l.includes(setupPayload.head.staffId))).toBe(true);
    const hosting = (res as { value: HubStatus }).value.hosting!;
    expect(hosting.shortCode === null || /^\d{4}-\d{4}$/.test(hosting.shortCode)).toBe(true);
    // Its link points at its own hub (its own address and certificate).
    await until('host linked to its own hub', () => status(host.core).connected);
    expect(status(host.core).hub).toMatchObject({ url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/) as unknown });
    expect(host.events.some((e) => e.event === 'hub.changed' && (e.payload as HubStatus).role === 'host')).toBe(true);
    const doc = ticket(branch);
    expect(await host.core.dispatch(client, 'sync.push', { collection: 'tickets', rows: [fresh(doc)], via: 'hub' })).toEqual({ ok: true, value: [] });
    // The hub relays it to HQ as this PC's record.
    await until('relayed to HQ', async () => (await hqDocuments(hq.db, 'tickets')).some((r) => r.id === doc.id && r.device_id === first.deviceId));
    // The hub's own link to HQ is reported.
    await until('hub reports its HQ link', () => status(host.core).hosting?.hqLink === 'ok');
  }, 120_000);

  it('another PC learns the hub from HQ and syncs through it', async () => {
    await until('the hub announced itself', async () => {
      await other.core.hub.learnFromHq();
      return status(other.core).hub !== null;
    });
    expect(status(other.core)).toMatchObject({ role: 'client', hub: { source: 'hq', fingerprint: status(host.core).hub!.fingerprint } });
    await until('connected to the hub', () => status(other.core).connected);
    const pulled = await other.core.dispatch(client, 'sync.pull', { collection: 'tickets', checkpoint: null, limit: 100, via: 'hub' });
    expect(pulled.ok).toBe(true);
    expect((pulled as { value: PullResponse }).value.documents.length).toBeGreaterThan(0);
  }, 60_000);

  it('moving the role to another PC stops the old hub (HQ refuses it)', async () => {
    const res = await other.core.dispatch(client, 'hub.become', undefined);
    expect(res).toMatchObject({ ok: true, value: { role: 'host', hosting: { state: 'running' } } });
    expect(await hubAtHq()).toBe(second.deviceId);
    await until('old hub stopped', () => status(host.core).role !== 'host' && host.core.hub.hosting?.current() === null, 30_000);
    expect(host.core.hub.settings.read().hosting).toBe(false);
    // The old hub PC follows the new hub, as HQ names it (once the new hub announced itself there).
    await until('the old hub PC follows the new hub', () => status(host.core).hub?.source === 'hq', 30_000);
    expect(status(host.core)).toMatchObject({ role: 'client', hub: { source: 'hq', fingerprint: status(other.core).hub!.fingerprint } });
  }, 90_000);

  it('hub.release stops hosting', async () => {
    const res = await other.core.dispatch(client, 'hub.release', undefined);
    expect(res).toMatchObject({ ok: true, value: { hosting: null } });
    expect((res as { value: HubStatus }).value.role).not.toBe('host');
    expect(other.core.hub.hosting?.current()).toBeNull();
  }, 30_000);
});

describe('hosting while HQ is unreachable', () => {
  it('starts the hub anyway and keeps it running', async () => {
    const device = await enrol(hq.app, hq.db, branch);
    const { core } = await pc(device, 'http://127.0.0.1:9');
    const res = await core.dispatch(client, 'hub.become', undefined);
    expect(res).toMatchObject({ ok: true, value: { role: 'host', hosting: { state: 'running' } } });
    expect(core.hub.settings.read()).toMatchObject({ hosting: true, claimPendingBy: setupPayload.head.staffId });
    await until('the hub finds HQ unreachable', () => status(core).hosting?.hqLink === 'unreachable');
    expect(status(core).role).toBe('host');
    await core.hub.release();
  }, 90_000);

  it('only the head or an admin may make this PC the hub', async () => {
    const device = await enrol(hq.app, hq.db, branch);
    const { core } = await pc(device);
    await core.dispatch(client, 'staff.add', { staffId: 'petugas.uji', name: 'Petugas Uji', role: 'officer', pin: '802417' });
    await core.dispatch(client, 'staff.signOut', undefined);
    expect((await core.dispatch(client, 'staff.signIn', { staffId: 'petugas.uji', pin: '802417' })).ok).toBe(true);
    expect(await core.dispatch(client, 'hub.become', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });
});
