import { Bonjour } from 'bonjour-service';
import type { Service } from 'bonjour-service';
import { z } from 'zod';
import { BranchCode } from '@shared/branch/schema';
import type { Logger } from '../log';
import { normalizeFingerprint } from './pinned';

// Finding the branch hub on the LAN (issue 17 pt 2): the hub PC announces `_loket-hub._tcp` over
// DNS-SD/mDNS with its branch and certificate fingerprint in the TXT record; the other PCs browse
// and keep only answers of their own branch. An answer is trusted (used directly) only when its
// fingerprint is the one this PC already pinned (from HQ or an earlier pairing); any other answer
// is only listed, for the head to pair with the code shown on the hub PC. mDNS itself proves
// nothing: anyone on the LAN can announce anything, so the TLS fingerprint check still decides.

/** The DNS-SD service type, announced as `_loket-hub._tcp.local`. */
export const HUB_SERVICE_TYPE = 'loket-hub';

/** One answer as the mDNS library gives it (the fields discovery reads). */
export interface MdnsAnswer {
  name: string;
  port: number;
  host?: string;
  addresses?: string[];
  /** Where the answer came from (the hub's address as seen from this PC). */
  referer?: { address: string };
  txt?: unknown;
}

/** What discovery needs of an mDNS library: bonjour-service in the app, a fake in tests. */
export interface Mdns {
  publish(service: { name: string; type: string; port: number; txt: Record<string, string> }): { stop(): void };
  browse(type: string, on: { up(answer: MdnsAnswer): void; down(answer: MdnsAnswer): void }): { update(): void; stop(): void };
  destroy(): void;
}

/** bonjour-service on the PC's network interfaces; `onError`: a socket error (multicast blocked, say). */
export function bonjourMdns(onError: (err: Error) => void = () => undefined): Mdns {
  const bonjour = new Bonjour({}, onError);
  return {
    publish: (s) => {
      const service = bonjour.publish({ ...s, protocol: 'tcp', disableIPv6: true });
      service.on('error', (err: unknown) => onError(err instanceof Error ? err : new Error(String(err))));
      // Sends the goodbye, so browsers forget the hub at once.
      return { stop: () => (service as unknown as { stop(): void }).stop() };
    },
    browse: (type, on) => {
      const browser = bonjour.find({ type, protocol: 'tcp' });
      browser.on('up', (s: Service) => on.up(s));
      browser.on('down', (s: Service) => on.down(s));
      return { update: () => browser.update(), stop: () => browser.stop() };
    },
    destroy: () => bonjour.destroy(),
  };
}

/**
 * The PC's multicast DNS for the branch hub, unless `LOKET_MDNS=0` (a LAN where multicast is not
 * wanted: PCs then use HQ's answer or an address typed in). Socket errors are logged once.
 */
export function mdnsFromEnv(log: Logger, env: NodeJS.ProcessEnv = process.env): Mdns | null {
  if (env.LOKET_MDNS === '0') return null;
  let warned = false;
  return bonjourMdns((err) => {
    if (warned) return;
    warned = true;
    log.warn('multicast DNS unavailable: the branch hub is found through HQ or by address', { error: err.message });
  });
}

/** The TXT record of a hub announcement. */
const HubTxt = z.object({
  branch: BranchCode,
  /** SHA-256 of the hub's certificate, 64 hex digits (no colons: TXT strings are short). */
  fp: z.string().regex(/^[0-9A-Fa-f]{64}$/),
});

/** A hub of this PC's branch seen on the LAN. */
export interface DiscoveredHub {
  /** The announcement's instance name. */
  name: string;
  /** The address to reach it at (IPv4 preferred) and its port. */
  host: string;
  port: number;
  /** `AB:CD:…` */
  fingerprint: string;
  /** Its certificate is the one this PC pinned: used without pairing. */
  trusted: boolean;
  lastSeenAt: string;
}

/** `AB:CD:…` from 64 hex digits. */
export function colonFingerprint(hex: string): string {
  return normalizeFingerprint(hex).replace(/(..)(?!$)/g, '$1:');
}

const isIpv4 = (a: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a);
const isLinkLocal = (a: string) => a.startsWith('169.254.') || a.toLowerCase().startsWith('fe80:');

/** The address to try: where the answer came from when it is IPv4, else its first routable IPv4, else the host name. */
function addressOf(a: MdnsAnswer): string | null {
  const referer = a.referer?.address;
  if (referer && isIpv4(referer)) return referer;
  const v4 = (a.addresses ?? []).find((x) => isIpv4(x) && !isLinkLocal(x));
  if (v4) return v4;
  const any = (a.addresses ?? []).find((x) => !isLinkLocal(x)) ?? referer ?? a.host;
  return any && any.length <= 253 ? any : null;
}

/** `https://host:port` (IPv6 in brackets). */
export function hubUrl(host: string, port: number): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export interface HubDiscoveryOptions {
  mdns: Mdns;
  /** This PC's branch (null: not set up, nothing is kept). */
  branchCode: () => string | null;
  /** The fingerprint this PC pinned for its hub, if any. */
  pinned: () => string | null;
  /** A trusted hub answered (again, or at a new address): the link may use it (source 'mdns'). */
  onTrusted: (hub: DiscoveredHub) => void;
  /** The list changed (the settings page refreshes). */
  onChange?: (hubs: DiscoveredHub[]) => void;
  now?: () => Date;
  log?: Logger;
}

/** Browses for hubs of this PC's branch. */
export class HubDiscovery {
  private readonly seen = new Map<string, DiscoveredHub>();
  private browser: { update(): void; stop(): void } | null = null;

  constructor(private readonly o: HubDiscoveryOptions) {}

  start(): void {
    if (this.browser) return;
    this.browser = this.o.mdns.browse(HUB_SERVICE_TYPE, { up: (a) => this.up(a), down: (a) => this.down(a) });
  }

  stop(): void {
    this.browser?.stop();
    this.browser = null;
    this.seen.clear();
  }

  /** Asks the LAN again (the settings page's "search again"). */
  refresh(): void {
    this.browser?.update();
  }

  /** Hubs of this branch seen, trusted ones first; `trusted` as of the current pin. */
  list(): DiscoveredHub[] {
    if (this.o.branchCode() === null) return [];
    const pinned = this.o.pinned();
    return [...this.seen.values()]
      .map((h) => ({ ...h, trusted: pinned !== null && normalizeFingerprint(pinned) === normalizeFingerprint(h.fingerprint) }))
      .sort((a, b) => Number(b.trusted) - Number(a.trusted) || b.lastSeenAt.localeCompare(a.lastSeenAt));
  }

  /** The pin changed (HQ told us, or the head paired): a hub already seen may now be trusted. */
  recheck(): void {
    for (const h of this.list()) if (h.trusted) this.o.onTrusted(h);
  }

  private up(a: MdnsAnswer): void {
    const branch = this.o.branchCode();
    const txt = HubTxt.safeParse(a.txt);
    if (!txt.success || branch === null || txt.data.branch !== branch) return; // another branch's hub, or not a Loket hub
    const host = addressOf(a);
    if (!host || !Number.isInteger(a.port) || a.port < 1 || a.port > 65_535) return;
    const fingerprint = colonFingerprint(txt.data.fp);
    const pinned = this.o.pinned();
    const hub: DiscoveredHub = {
      name: a.name.slice(0, 63),
      host,
      port: a.port,
      fingerprint,
      trusted: pinned !== null && normalizeFingerprint(pinned) === normalizeFingerprint(fingerprint),
      lastSeenAt: (this.o.now?.() ?? new Date()).toISOString(),
    };
    this.seen.set(a.name, hub);
    this.o.log?.info('branch hub seen on the LAN', { host, port: a.port, trusted: hub.trusted });
    if (hub.trusted) this.o.onTrusted(hub);
    this.o.onChange?.(this.list());
  }

  private down(a: MdnsAnswer): void {
    if (this.seen.delete(a.name)) this.o.onChange?.(this.list());
  }
}

/** The hub PC's announcement on the LAN: its branch and certificate fingerprint. */
export class HubAnnouncer {
  private published: { stop(): void } | null = null;

  constructor(
    private readonly mdns: Mdns,
    private readonly hub: { branchCode: string; fingerprint: string; port: number },
  ) {}

  start(): void {
    if (this.published) return;
    const fp = normalizeFingerprint(this.hub.fingerprint);
    this.published = this.mdns.publish({
      // Unique per certificate: a hub being moved and the new one never clash while both announce.
      name: `Loket hub ${this.hub.branchCode} ${fp.slice(0, 8)}`,
      type: HUB_SERVICE_TYPE,
      port: this.hub.port,
      txt: { branch: this.hub.branchCode, fp },
    });
  }

  stop(): void {
    this.published?.stop();
    this.published = null;
  }
}
