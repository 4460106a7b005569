import { networkInterfaces } from 'node:os';
import type { HubSeen, HubStatus, HubTarget } from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import type { CredentialStore } from '../hq/credentials';
import type { Logger } from '../log';
import { HubAnnouncer, HubDiscovery, hubUrl, type DiscoveredHub, type Mdns } from './discovery';
import { checkManualAddress, pairWithHub } from './pairing';
import { hubRequest, normalizeFingerprint } from './pinned';

// How this PC finds its branch hub besides HQ (issue 17 pts 2–3), behind `hub.discovered`,
// `hub.setAddress` and `hub.pair`: mDNS answers (used only for the pinned certificate), a manual
// address (only for the pinned certificate), pairing with the code read on the hub PC. The hub PC
// announces itself on the LAN while it runs. Pinning goes through the hub service (main/hub/service.ts).

/** What the finder needs of the hub service. */
export interface HubPins {
  status(): HubStatus;
  /** Pins the hub to use (kept across restarts); null forgets it. */
  pin(target: HubTarget | null): HubStatus;
}

export interface HubFinderOptions {
  hub: HubPins;
  credentials: CredentialStore;
  /** The LAN's multicast DNS; null: no discovery (tests, or switched off). */
  mdns: Mdns | null;
  log: Logger;
  timeoutMs?: number;
}

export class HubFinder {
  private readonly discovery: HubDiscovery | null;
  private announcer: { key: string; announcer: HubAnnouncer } | null = null;

  constructor(private readonly o: HubFinderOptions) {
    this.discovery = o.mdns
      ? new HubDiscovery({
          mdns: o.mdns,
          branchCode: () => o.credentials.read()?.branchCode ?? null,
          pinned: () => o.hub.status().hub?.fingerprint ?? null,
          onTrusted: (h) => this.useSeen(h),
          log: o.log,
        })
      : null;
  }

  start(): void {
    this.discovery?.start();
    this.hubChanged(this.o.hub.status());
  }

  stop(): void {
    this.discovery?.stop();
    this.announcer?.announcer.stop();
    this.announcer = null;
    this.o.mdns?.destroy();
  }

  /** On every hub status: announce this PC's hub while it runs; a new pin may make a seen hub usable. */
  hubChanged(s: HubStatus): void {
    const mdns = this.o.mdns;
    const branch = this.o.credentials.read()?.branchCode ?? null;
    const own = s.role === 'host' && s.hosting?.state === 'running' && s.hub ? s.hub : null;
    const port = own ? Number(new URL(own.url).port) : 0;
    const key = own && branch ? `${branch}|${normalizeFingerprint(own.fingerprint)}|${port}` : null;
    if (this.announcer && this.announcer.key !== key) {
      this.announcer.announcer.stop();
      this.announcer = null;
    }
    if (mdns && key && own && branch && !this.announcer) {
      const announcer = new HubAnnouncer(mdns, { branchCode: branch, fingerprint: own.fingerprint, port });
      announcer.start();
      this.announcer = { key, announcer };
      this.o.log.info('announcing the branch hub on the LAN', { port });
    }
    if (s.role !== 'host') this.discovery?.recheck();
  }

  /** Hubs of this branch seen on the LAN (`refresh` asks again), and this PC's own LAN addresses (shown on the hub PC). */
  discovered(refresh: boolean): { hubs: HubSeen[]; lanAddresses: string[] } {
    if (refresh) this.discovery?.refresh();
    return { hubs: (this.discovery?.list() ?? []).slice(0, 20), lanAddresses: lanAddresses() };
  }

  /** A manual address: only for the hub this PC already pinned (else: pair). Null forgets the hub. */
  async setAddress(address: { host: string; port: number } | null): Promise<HubStatus> {
    if (address === null) return this.o.hub.pin(null);
    const pinned = this.o.hub.status().hub?.fingerprint ?? null;
    const t = await checkManualAddress(address, pinned, this.o.timeoutMs);
    return this.o.hub.pin({ url: t.url, fingerprint: t.fingerprint, source: 'manual' });
  }

  /** Pairing with the code the head read on the hub PC. Nothing is pinned unless every check passes. */
  async pair(input: { host: string; port: number; code: string }): Promise<HubStatus> {
    const creds = this.o.credentials.read();
    if (!creds) throw new IpcFailure('HQ_NOT_ENROLLED', 'Connect this PC to HQ first: the hub knows PCs by their HQ enrolment.');
    const t = await pairWithHub(input, {
      branchCode: creds.branchCode,
      branchAt: (url, fingerprint) =>
        hubRequest(`${url}/v1/branch`, fingerprint, { headers: { authorization: `Bearer ${creds.token}` }, timeoutMs: this.o.timeoutMs ?? 5_000 }),
      ...(this.o.timeoutMs !== undefined ? { timeoutMs: this.o.timeoutMs } : {}),
    });
    this.o.log.info('paired with the branch hub', { url: t.url });
    return this.o.hub.pin({ url: t.url, fingerprint: t.fingerprint, source: 'paired' });
  }

  /**
   * A hub with the pinned certificate answered on the LAN: use that address when the current one has
   * failed (an address just pinned gets its chance first; one that works is kept).
   */
  private useSeen(h: DiscoveredHub): void {
    const s = this.o.hub.status();
    if (s.role === 'host' || !s.hub) return;
    const url = hubUrl(h.host, h.port);
    if (s.connected || s.lastError === null || s.hub.url === url) return;
    this.o.log.info('branch hub found at a new address on the LAN', { url });
    this.o.hub.pin({ url, fingerprint: s.hub.fingerprint, source: 'mdns' });
  }
}

/** This PC's IPv4 addresses on its networks (not loopback): where the other PCs reach its hub. */
function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  }
  return out.slice(0, 8);
}
