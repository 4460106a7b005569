import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateHubCertificate } from '../../hq/hub/tls';
import type { CredentialStore, HqCredentials } from '../../main/hq/credentials';
import { HqLink } from '../../main/hq-link';
import { HubLink } from '../../main/hub/link';
import { PULLED_VERSIONS_FILE, PulledVersions } from '../../main/hub/pulled-versions';
import { pushMarked } from '../../main/hub/push-marked';
import { SyncDocument } from '@shared/sync/protocol';
import { memoryLog } from '../unit/main/helpers';
import { ticket, type TestDevice } from './helpers';
import { branchWithHub, hqDocuments, type Branch } from './hub-helpers';

// Issue 17, authorship through main's links: PC 2 holds PC 1's ticket from a pull and pushes it on.
// To the hub or straight to HQ (its hub away), it goes marked `pulled` (main/hub/push-marked.ts),
// and neither records PC 2 as its author. An older hub (before the mark: strict push rows, no
// `pulledMarks` in /v1/branch) never gets the mark, so never answers 400: the pulled row is held
// back from it and the rest of the push goes as before.

let br: Branch;
let dir: string;
const links: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  br = await branchWithHub('hub_mixed_versions');
  dir = mkdtempSync(path.join(tmpdir(), 'loket-mixed-'));
}, 180_000);
afterAll(async () => {
  await Promise.all(links.map((l) => l.stop()));
  await br?.close();
  rmSync(dir, { recursive: true, force: true });
});

function credentialsOf(device: TestDevice): CredentialStore {
  const c: HqCredentials = { url: br.hqUrl, branchCode: device.branchCode, token: device.token, enrolledAt: new Date().toISOString() };
  return { read: () => c, write: () => undefined };
}

function hubLinkOf(device: TestDevice, url: string, fingerprint: string): HubLink {
  const link = new HubLink({ credentials: credentialsOf(device), log: memoryLog() });
  link.setTarget({ url, fingerprint, source: 'paired' });
  links.push(link);
  return link;
}

function hqLinkOf(device: TestDevice): HqLink {
  const link = new HqLink({ deviceId: device.deviceId, localBranch: () => device.branchCode, saveUrl: () => undefined, credentials: credentialsOf(device), log: memoryLog() });
  links.push(link);
  return link;
}

const versionsOf = (name: string) => new PulledVersions(path.join(dir, `${name}-${PULLED_VERSIONS_FILE}`), memoryLog());
const row = (doc: Record<string, unknown>) => ({ assumedMasterState: null, newDocumentState: SyncDocument.parse(doc) });
const authorAt = async (db: Branch['hq']['db'], id: string) => (await hqDocuments(db, 'tickets')).find((d) => d.id === id)?.device_id;

/** A hub of the release before the mark: its push rows are strict ({ assumedMasterState, newDocumentState }). */
async function olderHub(): Promise<{ url: string; fingerprint: string; pushes: unknown[]; close: () => Promise<void> }> {
  const cert = await generateHubCertificate('older-hub');
  const OldRow = z.strictObject({ assumedMasterState: z.unknown(), newDocumentState: z.looseObject({ id: z.string() }) });
  const pushes: unknown[] = [];
  const server: Server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.method === 'GET' && req.url === '/v1/branch') return send(200, { branch: { code: br.a, name: 'Cabang', serviceHours: {}, counters: 2 }, staff: [], hub: null });
      if (req.method === 'POST' && req.url === '/v1/sync/tickets/push') {
        const rows = JSON.parse(body) as unknown;
        pushes.push(rows);
        if (!z.array(OldRow).min(1).safeParse(rows).success) return send(400, { error: { code: 'INVALID_PAYLOAD', message: 'body: unrecognized key' } });
        return send(200, []);
      }
      return send(404, { error: { code: 'NOT_FOUND', message: 'no' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, fingerprint: cert.fingerprint, pushes, close: () => new Promise((r) => server.close(() => r())) };
}

describe('marked rows through main’s links', () => {
  it('to the hub: the hub says it takes the mark, and keeps PC 1’s ticket PC 2 pushes without an author', async () => {
    const doc = ticket(br.a);
    const versions = versionsOf('pc2-hub');
    versions.pulled('tickets', [doc]);
    const link = hubLinkOf(br.pc2, br.hub.url, br.hub.fingerprint);
    expect(await link.takesPulledMarks()).toBe(true);
    const { sent } = await pushMarked(versions, link, 'tickets', [row(doc)]);
    expect(sent[0]?.pulled).toBe(true);
    expect(await authorAt(br.hub.db, String(doc.id))).toBeNull();
  });

  it('straight to HQ (the hub away): HQ says it takes the mark, and does not record PC 2 as the author of PC 1’s ticket', async () => {
    const doc = ticket(br.a);
    const mine = ticket(br.a);
    const versions = versionsOf('pc2-hq');
    versions.pulled('tickets', [doc]);
    const link = hqLinkOf(br.pc2);
    expect(await link.takesPulledMarks()).toBe(true);
    await pushMarked(versions, link, 'tickets', [row(doc), row(mine)]);
    expect(await authorAt(br.hq.db, String(doc.id))).toBeNull();
    expect(await authorAt(br.hq.db, String(mine.id))).toBe(br.pc2.deviceId);
    // PC 1, its writer, pushes it when it comes back: now PC 1's at HQ.
    await pushMarked(versionsOf('pc1-hq'), hqLinkOf(br.pc1), 'tickets', [row(doc)]);
    expect(await authorAt(br.hq.db, String(doc.id))).toBe(br.pc1.deviceId);
  });

  it('to an older hub: the pulled row is held back (never sent unmarked, no 400), the PC’s own rows go as before', async () => {
    const old = await olderHub();
    try {
      const pulled = ticket(br.a);
      const mine = ticket(br.a);
      const versions = versionsOf('pc2-old');
      versions.pulled('tickets', [pulled]);
      const link = hubLinkOf(br.pc2, old.url, old.fingerprint);
      expect(await link.takesPulledMarks()).toBe(false);
      const { sent, conflicts } = await pushMarked(versions, link, 'tickets', [row(pulled), row(mine)]);
      expect(conflicts).toEqual([]);
      expect(sent.map((r) => r.newDocumentState.id)).toEqual([mine.id]);
      expect(old.pushes).toEqual([[{ assumedMasterState: null, newDocumentState: mine }]]);
      // Only pulled rows: nothing goes at all.
      await pushMarked(versions, link, 'tickets', [row(pulled)]);
      expect(old.pushes).toHaveLength(1);
    } finally {
      await old.close();
    }
  });
});
