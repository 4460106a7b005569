import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBranch } from '../../hq/admin';
import { buildHq } from '../../hq/app';
import type { HqApp } from '../../hq/app';
import { pgSql } from '../../hq/db';
import type { Sql } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { fingerprintOf, generateHubCertificate, loadOrCreateHubCertificate } from '../../hq/hub/tls';
import { hubRequest, HubFingerprintMismatch, normalizeFingerprint } from '../../main/hub/pinned';
import type { HubCertificate } from '../../hq/hub/tls';
import { branchCode, freshDatabase } from './helpers';

// Issue 17 pt 3: the hub serves HTTPS with a certificate it makes and keeps; a PC talks to it only
// when the certificate's SHA-256 is the pinned one, and sends nothing (not its token) otherwise.
// Nothing crosses the LAN in clear text: plain HTTP to the hub's port gets no answer.

let db: Sql;
let drop: () => Promise<void>;
let app: HqApp;
let url: string;
let cert: HubCertificate;
let requests = 0;

beforeAll(async () => {
  const fresh = await freshDatabase('hub_tls');
  drop = fresh.drop;
  db = pgSql(fresh.url);
  await migrate(db);
  const branch = branchCode();
  await createBranch(db, { code: branch, name: `Cabang Uji ${branch}` });
  cert = await generateHubCertificate(`Loket hub ${branch}`);
  app = buildHq({ db, log: createLogger({ level: 'silent' }), mode: { kind: 'hub', branchCode: branch }, https: { key: cert.keyPem, cert: cert.certPem } });
  app.addHook('onRequest', (_req, _reply, done) => {
    requests++;
    done();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `https://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
  await drop?.();
});

describe('TLS on the hub', () => {
  it('answers a client that pins its fingerprint (in any spelling)', async () => {
    expect(await hubRequest(`${url}/healthz`, cert.fingerprint)).toEqual({ status: 200, json: { status: 'ok' } });
    const plain = normalizeFingerprint(cert.fingerprint).toLowerCase();
    expect((await hubRequest(`${url}/healthz`, plain)).status).toBe(200);
  });

  it('a client pinned to another fingerprint refuses the hub before sending anything', async () => {
    const other = await generateHubCertificate('another hub');
    const before = requests;
    await expect(hubRequest(`${url}/v1/sync/tickets/pull`, other.fingerprint, { headers: { authorization: 'Bearer secret-token-never-sent' } })).rejects.toBeInstanceOf(
      HubFingerprintMismatch,
    );
    expect(requests).toBe(before);
  });

  it('a client without the pin does not trust the self-signed certificate', async () => {
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('plain HTTP gets no answer (nothing in clear text)', async () => {
    const port = new URL(url).port;
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz' }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (err) => resolve(`refused: ${err.message}`));
      req.end();
    });
    expect(outcome).toMatch(/^refused/);
  });

  it('refuses http:// for a hub address', async () => {
    await expect(hubRequest(url.replace('https:', 'http:'), cert.fingerprint)).rejects.toThrow(/https only/);
  });

  it('keeps its certificate (same fingerprint after a restart), readable only by its user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-hub-tls-'));
    try {
      const first = await loadOrCreateHubCertificate(dir, 'Loket hub T1');
      const again = await loadOrCreateHubCertificate(dir, 'Loket hub T1');
      expect(again.fingerprint).toBe(first.fingerprint);
      expect(fingerprintOf(again.certPem)).toBe(first.fingerprint);
      expect(statSync(join(dir, 'hub-tls.json')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
