import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { buildHq } from '../app';
import type { HqApp } from '../app';
import type { Sql } from '../db';
import { migrate } from '../migrate';
import { StreamHub } from '../stream';
import { defaultTemplateDir, openHubDatabase } from './pglite-template';
import { applyRoster } from './roster';
import { loadOrCreateHubCertificate } from './tls';
import { Upstream } from './upstream';
import type { HubAddress } from '@shared/sync/protocol';
import type { UpstreamStatus } from './upstream';

// The branch hub: hq/ in branch mode on embedded PGlite in the hub PC's data folder, serving the
// branch's PCs over HTTPS with its own certificate, and its link to HQ (upstream.ts).

export interface HubOptions {
  /** The hub's folder (under the PC's user data): database, certificate. */
  dataDir: string;
  branchCode: string;
  upstream: { url: string; deviceToken: string; intervalMs?: number; timeoutMs?: number };
  log: Logger;
  /** The LAN address to listen on (tests: 127.0.0.1) and the port (0: any free one). */
  host: string;
  port: number;
  /**
   * The branch's roster signed by HQ, as this PC kept it (main/hub/roster.ts): who may connect when
   * the hub starts while HQ is unreachable (checked and taken in before it listens; hq/hub/roster.ts).
   */
  roster?: unknown;
  /** Stream revocation recheck, ms (default: HQ's). */
  revocationRecheckMs?: number;
  /** The empty database a new hub starts from (default: `hub-template` beside `dataDir`; hq/hub/pglite-template.ts). */
  templateDir?: string;
  /**
   * `port` is only preferred (the port this hub had before a restart): when another program holds
   * it, listen on any free port instead (the new address is announced to HQ and on the LAN).
   */
  anyPortIfTaken?: boolean;
}

export interface Hub {
  app: HqApp;
  db: Sql;
  upstream: Upstream;
  /** https://host:port */
  url: string;
  port: number;
  /** SHA-256 of the hub's certificate (`AB:CD:…`): what the branch's PCs pin. */
  fingerprint: string;
  status(): UpstreamStatus;
  close(): Promise<void>;
}

export async function startHub(o: HubOptions): Promise<Hub> {
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const opening = Date.now();
  const { db, origin } = await openHubDatabase(join(o.dataDir, 'db'), o.templateDir ?? defaultTemplateDir(o.dataDir), o.log);
  o.log.info({ origin, ms: Date.now() - opening }, 'hub database open');
  try {
    await migrate(db);
    if (o.roster !== undefined) await applyRoster(db, o.branchCode, o.roster, o.log);
    const tls = await loadOrCreateHubCertificate(o.dataDir, `Loket hub ${o.branchCode}`);
    const streams = new StreamHub();
    // The link to HQ is made once the port is known (it announces it); pushes before that wait for its first round.
    const link: { upstream?: Upstream } = {};
    const app = buildHq({
      db,
      log: o.log,
      mode: { kind: 'hub', branchCode: o.branchCode },
      https: { key: tls.keyPem, cert: tls.certPem },
      streams,
      onWritten: () => link.upstream?.kick(),
      ...(o.revocationRecheckMs !== undefined ? { revocationRecheckMs: o.revocationRecheckMs } : {}),
    });
    await listen(app, o);
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('hub: no address');
    const upstream = new Upstream({
      db,
      log: o.log.child({ component: 'hub-upstream' }),
      branchCode: o.branchCode,
      streams,
      announce: { fingerprint: tls.fingerprint, addresses: lanAddresses(o.host, addr.port) },
      ...o.upstream,
    });
    link.upstream = upstream;
    upstream.start();
    o.log.info({ host: o.host, port: addr.port, fingerprint: tls.fingerprint }, 'branch hub listening');
    return {
      app,
      db,
      upstream,
      url: `https://${o.host.includes(':') ? `[${o.host}]` : o.host}:${addr.port}`,
      port: addr.port,
      fingerprint: tls.fingerprint,
      status: () => ({ ...upstream.status }),
      close: async () => {
        await upstream.stop();
        await app.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Listens on `o.port`; on another free port when that one is taken and `anyPortIfTaken` allows it. */
async function listen(app: HqApp, o: HubOptions): Promise<void> {
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (err) {
    if (!o.anyPortIfTaken || o.port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    o.log.warn({ port: o.port }, 'hub: its port is taken by another program; listening on another one');
    await app.listen({ host: o.host, port: 0 });
  }
}

/** Where the branch's PCs reach the hub: the address it listens on, or every LAN IPv4 address when it listens on all. */
function lanAddresses(host: string, port: number): HubAddress[] {
  if (host !== '0.0.0.0' && host !== '::') return [{ host, port }];
  const out: HubAddress[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push({ host: a.address, port });
  }
  return out.slice(0, 8);
}
