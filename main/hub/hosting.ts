// This PC as its branch's hub (issue 17), and where every PC learns its hub from HQ.
// `become`: the head makes THIS PC the hub (moving the role is the same step on the new PC). HQ is
// told first (`PUT /v1/hub/role`, which makes any previous hub refused at HQ); when HQ cannot be
// reached the hub starts anyway (the PCs pair with it by code) and HQ is told when it is back. The
// hub runs in a process of its own (launcher.ts); this PC then syncs with it like every other PC,
// through the hub link, at its own address and certificate. A hub HQ refuses (another PC became the
// hub) stops itself.
import type { HubTarget } from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import type { CredentialStore, HqCredentials } from '../hq/credentials';
import type { BranchHubAnswer } from '../hq-link';
import type { Logger } from '../log';
import { HubLauncher, type HubInfo, type HubStatus as LauncherStatus, type SpawnHub } from './launcher';
import type { HubLink } from './link';
import { normalizeFingerprint } from './pinned';
import type { HubSettingsStore } from './settings';

export const DEFAULT_HUB_PORT = 47_600;

/** `LOKET_HUB_HOST` (default every interface: the hub is the one listener on the LAN) and `LOKET_HUB_PORT` (0: any free port). */
export function hubListenFromEnv(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
  const host = env.LOKET_HUB_HOST?.trim() || '0.0.0.0';
  const raw = env.LOKET_HUB_PORT?.trim();
  const port = raw === undefined || raw === '' ? DEFAULT_HUB_PORT : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`LOKET_HUB_PORT must be a port number (0: any), not ${raw}`);
  return { host, port };
}

/** The address this PC reaches its own hub at: loopback when it listens on every interface. */
export function ownHubUrl(info: HubInfo, host: string): string {
  if (host === '0.0.0.0') return `https://127.0.0.1:${info.port}`;
  if (host === '::') return `https://[::1]:${info.port}`;
  return info.url;
}

export interface HubHostingOptions {
  userDataDir: string;
  /** The hub's entry script (hq/hub/child.ts, or its build). */
  entry: string;
  /** Electron: a utilityProcess; browser mode and tests: a Node child process. */
  spawn: () => SpawnHub | Promise<SpawnHub>;
  host: string;
  port: number;
  credentials: CredentialStore;
  settings: HubSettingsStore;
  link: HubLink;
  /** Tells HQ this device is now its branch's hub (HqLink.claimHubRole). */
  claim: (staffId: string) => Promise<void>;
  log: Logger;
  /** The hub's short pairing code for its certificate (main/hub/pairing.ts); absent: none shown. */
  shortCodeOf?: (fingerprint: string) => string;
  /** Rounds between the hub and HQ (default the hub's own, 5 s). */
  intervalMs?: number;
  restart?: { minMs?: number; maxMs?: number };
  /** The branch's roster signed by HQ that this PC kept (main/hub/roster.ts), given to the hub at its start. */
  roster?: () => unknown;
  /** Hosting stopped because HQ refused this hub: time to learn the branch's new hub. */
  onRefused?: () => void;
}

export class HubHosting {
  private launcher: HubLauncher | null = null;
  private shortCode: { fingerprint: string; code: string | null } | null = null;
  /** The certificate of the hub this PC runs (normalized), once it listened. */
  private ownFingerprint: string | null = null;

  constructor(private readonly o: HubHostingOptions) {}

  /** The running hub's launcher (tests: its process id). */
  current(): HubLauncher | null {
    return this.launcher;
  }

  /** The head's "make this PC the hub". Resolves once the hub listens. */
  async become(staffId: string): Promise<void> {
    const creds = this.o.credentials.read();
    if (!creds) throw new IpcFailure('HQ_NOT_ENROLLED', 'Connect this PC to HQ first: the hub serves only PCs HQ enrolled.');
    let pendingBy: string | null = null;
    try {
      await this.o.claim(staffId);
    } catch (e) {
      // HQ not reachable: host anyway (the WAN being down is the day the hub is for); tell HQ later.
      if (!(e instanceof IpcFailure) || e.code !== 'HQ_UNREACHABLE') throw e;
      pendingBy = staffId;
      this.o.log.warn('hub: HQ unreachable, hosting the branch hub without HQ knowing yet', { staffId });
    }
    this.o.settings.update({ hosting: true, claimPendingBy: pendingBy });
    this.o.log.info('hub: this PC hosts the branch hub', { staffId, toldHq: pendingBy === null });
    await this.start(creds);
  }

  /** Stops hosting (the head's "stop", or HQ refused this hub). Other PCs fall back to HQ. */
  async release(): Promise<void> {
    this.o.settings.update({ hosting: false, claimPendingBy: null });
    const launcher = this.launcher;
    this.launcher = null;
    await launcher?.stop();
    this.o.link.setHosting(null);
    // This PC's link pointed at its own hub: that hub is gone.
    const pinned = this.o.settings.read().pinned;
    if (pinned && this.ownFingerprint === normalizeFingerprint(pinned.fingerprint)) {
      this.o.settings.update({ pinned: null });
      this.o.link.setTarget(null);
    }
  }

  /** At the app's start: host again when this PC was the hub. */
  resume(): void {
    if (!this.o.settings.read().hosting) return;
    const creds = this.o.credentials.read();
    if (!creds) return;
    this.start(creds).catch((e: unknown) => this.o.log.error('hub: could not start hosting again', { error: e instanceof Error ? e.message : String(e) }));
  }

  /** HQ is reachable again: tell it now about a hub the head started while it was not. */
  async retryClaim(): Promise<void> {
    const by = this.o.settings.read().claimPendingBy;
    if (!by || !this.launcher) return;
    await this.o.claim(by);
    this.o.settings.update({ claimPendingBy: null });
    this.o.log.info('hub: HQ now knows this PC is the branch hub', { staffId: by });
  }

  async stop(): Promise<void> {
    const launcher = this.launcher;
    this.launcher = null;
    await launcher?.stop();
  }

  private async start(creds: HqCredentials): Promise<void> {
    if (this.launcher) {
      await this.launcher.start();
      return;
    }
    const roster = this.o.roster;
    const launcher = new HubLauncher({
      entry: this.o.entry,
      userDataDir: this.o.userDataDir,
      config: {
        branchCode: creds.branchCode,
        hqUrl: creds.url,
        deviceToken: creds.token,
        host: this.o.host,
        port: this.o.port,
        ...(this.o.intervalMs ? { intervalMs: this.o.intervalMs } : {}),
        // Read at every (re)start (the launcher copies the config then): a hub restarted after a
        // crash gets the latest roster this PC kept, not the one it had when the hub first started.
        get roster() {
          return roster?.() ?? undefined;
        },
      },
      spawn: await this.o.spawn(),
      log: this.o.log,
      ...(this.o.restart ? { restart: this.o.restart } : {}),
    });
    this.launcher = launcher;
    launcher.onStatus((s) => this.onLauncher(launcher, s));
    this.onLauncher(launcher, launcher.status());
    await launcher.start();
  }

  private onLauncher(launcher: HubLauncher, s: LauncherStatus): void {
    if (this.launcher !== launcher) return;
    const fingerprint = s.info?.fingerprint ?? null;
    if (fingerprint && this.shortCode?.fingerprint !== fingerprint) {
      this.shortCode = { fingerprint, code: this.o.shortCodeOf ? this.o.shortCodeOf(fingerprint) : null };
    }
    this.o.link.setHosting({ state: s.state, crashes: s.crashes, shortCode: this.shortCode?.code ?? null, hqLink: s.hqLink });
    if (s.info) {
      // This PC syncs with its own hub like every other PC of the branch.
      this.ownFingerprint = normalizeFingerprint(s.info.fingerprint);
      const own: HubTarget = { url: ownHubUrl(s.info, this.o.host), fingerprint: s.info.fingerprint, source: 'paired' };
      this.o.settings.update({ pinned: own });
      this.o.link.setTarget(own);
    }
    if (s.hqLink === 'refused' && this.o.settings.read().claimPendingBy === null) {
      // HQ no longer takes this PC as the hub (another PC became it, or this PC was revoked).
      this.o.log.warn('hub: HQ refused this hub (another PC is the branch hub now); stopping it');
      void this.release().then(
        () => this.o.onRefused?.(),
        () => undefined,
      );
    }
  }
}

/**
 * The hub HQ names for this branch, as this PC should use it: 'keep' when HQ's answer says nothing
 * to act on (the hub has not announced itself yet; this PC is the hub and hosts it, so its own
 * address stands), null when the branch has no hub (or HQ names this PC, which does not host it).
 */
export function hubFromHq(answer: BranchHubAnswer, deviceId: string, hosting: boolean): HubTarget | null | 'keep' {
  const hub = answer.hub;
  if (hub === undefined) return 'keep'; // an older HQ
  if (hub === null) return null;
  if (hub.deviceId === deviceId) return hosting ? 'keep' : null;
  if (!hub.fingerprint || hub.addresses.length === 0) return 'keep';
  const a = hub.addresses[0]!;
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return { url: `https://${host}:${a.port}`, fingerprint: hub.fingerprint, source: 'hq' };
}
