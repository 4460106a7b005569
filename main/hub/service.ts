// Main's branch-hub wiring (issue 17): the hub link, the pinned hub kept across restarts, hosting,
// and learning the branch's hub from HQ (`GET /v1/branch`, polled while enrolled). The `hub.*`
// handlers and the `sync.*` routing (via 'hub') go through here.
import path from 'node:path';
import type { HqStatus, HubStatus, HubTarget, SyncChanged } from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import type { CredentialStore } from '../hq/credentials';
import type { HqLink } from '../hq-link';
import type { Logger } from '../log';
import { HubHosting, hubFromHq, type HubHostingOptions } from './hosting';
import { HubLink, type HubLinkOptions } from './link';
import { PULLED_VERSIONS_FILE, PulledVersions } from './pulled-versions';
import { RosterStore, fetchRoster } from './roster';
import { HubSettingsStore } from './settings';
import type { HqCredentials } from '../hq/credentials';
import type { SignedRoster } from '@shared/sync/roster';

export interface HubServiceOptions {
  userDataDir: string;
  deviceId: string;
  credentials: CredentialStore;
  hq: Pick<HqLink, 'branchHub' | 'claimHubRole'>;
  log: Logger;
  now?: () => Date;
  /** Test hooks for the link: time-outs, probe, back-off. */
  link?: Pick<HubLinkOptions, 'timeoutMs' | 'probeMs' | 'stream'>;
  /** How this PC runs a hub; null: it cannot (hub.become answers UNAVAILABLE). */
  hosting: Pick<HubHostingOptions, 'entry' | 'spawn' | 'host' | 'port' | 'intervalMs' | 'restart' | 'shortCodeOf'> | null;
  /** How often HQ is asked for the branch's hub while enrolled (default 60 s; also when HQ comes back). */
  pollMs?: number;
  /** How soon to ask again while the hub HQ names has not announced itself yet (default 5 s). */
  retryMs?: number;
  onStatus?: (status: HubStatus) => void;
  onChanged?: (event: SyncChanged) => void;
  /** Fetches the branch's roster signed by HQ (default: `GET /v1/hub/roster`; tests replace it). */
  fetchRoster?: (creds: HqCredentials) => Promise<SignedRoster>;
}

export class HubService {
  readonly link: HubLink;
  readonly settings: HubSettingsStore;
  readonly hosting: HubHosting | null;
  /** The branch's roster signed by HQ, kept for the day this PC hosts the hub without HQ. */
  readonly rosters: RosterStore;
  /** Which versions this PC holds from a pull: marked so when pushed to a hub (./pulled-versions.ts). */
  readonly versions: PulledVersions;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private hqConnected = false;
  private learning: Promise<void> | null = null;
  private learnAgain = false;
  private rosterFetch: Promise<void> | null = null;

  constructor(private readonly o: HubServiceOptions) {
    this.settings = new HubSettingsStore(o.userDataDir);
    this.rosters = new RosterStore(o.userDataDir);
    this.versions = new PulledVersions(path.join(o.userDataDir, PULLED_VERSIONS_FILE), o.log);
    this.link = new HubLink({
      credentials: o.credentials,
      log: o.log,
      ...(o.now ? { now: o.now } : {}),
      ...o.link,
      ...(o.onStatus ? { onStatus: o.onStatus } : {}),
      ...(o.onChanged ? { onChanged: o.onChanged } : {}),
    });
    this.hosting = o.hosting
      ? new HubHosting({
          ...o.hosting,
          userDataDir: o.userDataDir,
          credentials: o.credentials,
          settings: this.settings,
          link: this.link,
          claim: (staffId) => o.hq.claimHubRole(staffId),
          // Whom the hub admits when it starts while HQ is unreachable.
          roster: () => this.rosters.read(),
          log: o.log,
          // Another PC is the hub now: follow it at once rather than at the next poll.
          onRefused: () => void this.learnFromHq(),
        })
      : null;
    this.link.setTarget(this.settings.read().pinned);
  }

  status(): HubStatus {
    return this.link.status();
  }

  /** Pins the hub to use (kept across restarts) and connects to it; null forgets it. For discovery and pairing. */
  pin(target: HubTarget | null): HubStatus {
    this.settings.update({ pinned: target });
    this.link.setTarget(target);
    return this.status();
  }

  async become(staffId: string): Promise<HubStatus> {
    if (!this.hosting) throw new IpcFailure('UNAVAILABLE', 'This PC cannot run the branch hub.');
    await this.hosting.become(staffId);
    return this.status();
  }

  async release(): Promise<HubStatus> {
    if (!this.hosting) throw new IpcFailure('UNAVAILABLE', 'This PC cannot run the branch hub.');
    await this.hosting.release();
    return this.status();
  }

  private askAgainSoon(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.learnFromHq();
    }, this.o.retryMs ?? 5_000);
    this.soon.unref();
  }

  start(): void {
    this.link.start();
    this.hosting?.resume();
    void this.learnFromHq();
    this.timer = setInterval(() => void this.learnFromHq(), this.o.pollMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await Promise.all([this.link.stop(), this.hosting?.stop()]);
  }

  /** HQ's link changed: when it comes back, tell HQ about a pending hub claim and ask for the branch's hub. */
  hqChanged(status: HqStatus): void {
    const was = this.hqConnected;
    this.hqConnected = status.connected;
    if (status.connected && !was) void this.learnFromHq();
  }

  /** Asks HQ for the branch's hub and uses it (one at a time; errors only logged: HQ may be away). */
  learnFromHq(): Promise<void> {
    if (this.learning) {
      // HQ may have changed the hub after the running request read it: ask once more after it.
      this.learnAgain = true;
      return this.learning;
    }
    this.learning = (async () => {
      do {
        this.learnAgain = false;
        await this.learnOnce();
      } while (this.learnAgain);
    })().finally(() => {
      this.learning = null;
    });
    return this.learning;
  }

  /** Keeps the latest roster HQ signed for the branch (one fetch at a time; errors only logged: HQ may be away). */
  keepRoster(creds: HqCredentials): Promise<void> {
    this.rosterFetch ??= this.fetchAndKeep(creds).finally(() => {
      this.rosterFetch = null;
    });
    return this.rosterFetch;
  }

  private async fetchAndKeep(creds: HqCredentials): Promise<void> {
    try {
      const signed = await (this.o.fetchRoster ?? ((c: HqCredentials) => fetchRoster(c)))(creds);
      const outcome = this.rosters.keep(signed, creds.branchCode);
      if (outcome !== 'kept' && outcome !== 'unchanged') this.o.log.warn('hub: branch roster from HQ not kept', { outcome });
    } catch (e) {
      this.o.log.info('hub: no branch roster from HQ this time', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async learnOnce(): Promise<void> {
    const creds = this.o.credentials.read();
    if (!creds) return;
    // Beside learning the hub, not before it: HQ may be slow or away.
    void this.keepRoster(creds);
    try {
      await this.hosting?.retryClaim();
      const answer = await this.o.hq.branchHub();
      const hosting = this.settings.read().hosting;
      const next = hubFromHq(answer, this.o.deviceId, hosting);
      if (next === 'keep') {
        // A new hub that has not announced itself yet (it is starting): ask again soon, not at the next poll.
        if (answer.hub && answer.hub.deviceId !== this.o.deviceId && !this.link.target()) this.askAgainSoon();
        return;
      }
      const current = this.link.target();
      // HQ saying "no hub" drops only a hub learnt from HQ: a hub paired while the WAN was down stays.
      if (next === null && current && current.source !== 'hq') return;
      this.pin(next);
    } catch (e) {
      if (!(e instanceof IpcFailure) || e.code !== 'HQ_UNREACHABLE') {
        this.o.log.warn('hub: could not learn the branch hub from HQ', { error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}
