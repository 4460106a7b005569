// This PC's link to its branch hub (issue 17): the same service as HQ (hq/ in branch mode) on a PC
// of the branch, reached over the LAN with TLS pinned to the hub's certificate fingerprint. The PC
// authenticates with the device token HQ issued it (the hub learnt the branch's token hashes from
// HQ). Like the HQ link, main makes every call and keeps the hub's event stream open, relaying its
// notices to the renderer as `sync.changed` with `via: 'hub'`. A hub that goes away is reported
// within 10 s: the stream ends at once when its process dies, and a health probe every 3 s catches
// a PC switched off (no packet ever comes back). A hub of another branch is never used.
import type { Agent as HttpsAgent } from 'node:https';
import { z } from 'zod';
import type { HubStatus, HubTarget, SyncChanged } from '@shared/ipc/contract';
import { IpcFailure, type IpcError } from '@shared/ipc/result';
import { LinkHealth } from '../link-health';
import { HqErrorBody, type Checkpoint, type Collection, type PullResponse, type PushResponse, type PushRow, type WritableCollection } from '@shared/sync/protocol';
import type { CredentialStore, HqCredentials } from '../hq/credentials';
import type { Logger } from '../log';
import { SseParser, syncNotice } from '../sync-stream';
import { hubRequest, hubStream, HubFingerprintMismatch, HubNoAnswer, normalizeFingerprint, pinnedHubAgent } from './pinned';

export interface HubLinkOptions {
  /** This PC's HQ credentials: its token (the hub knows its hash) and its branch. */
  credentials: CredentialStore;
  log: Logger;
  now?: () => Date;
  /** Per call to the hub, in ms, from when it has a socket (default 5 s: the hub is on the LAN). */
  timeoutMs?: number;
  /**
   * A request waiting on this PC for a free socket gives up (HUB_BUSY, unsent) when the hub has
   * answered nothing on its lane for this long (default: the request time-out), or after
   * `queueMaxMs` in all (default 2 min). While answers come back, the queue is moving: it waits.
   */
  queueStallMs?: number;
  queueMaxMs?: number;
  /** Health probe while the stream is open, in ms (default 3 s; a probe also times out after this). */
  probeMs?: number;
  /** Stream reconnect back-off. */
  stream?: { minDelayMs?: number; maxDelayMs?: number };
  onStatus?: (status: HubStatus) => void;
  onChanged?: (event: SyncChanged) => void;
}

type Failure = 'HUB_UNREACHABLE' | 'HUB_REJECTED' | 'HUB_BUSY';

/**
 * The ways to the hub: a counter's "call next" has sockets of its own, so it never waits behind
 * the branch's replication (pulls and pushes of whole pages).
 */
export type HubLane = 'sync' | 'call';
/** Requests in flight at once, per lane. More wait on this PC, in order, for a free one. */
const LANE_SOCKETS: Record<HubLane, number> = { sync: 8, call: 4 };
/** The agents keep a few sockets beyond that: the health probe never queues behind requests. */
const SPARE_SOCKETS = 2;

/**
 * At most `n` requests at the hub at once; the others wait here, in order. The request's own
 * time-out starts only once it is sent: a request waiting for its turn is not a hub failing to
 * answer. A waiting request gives up only when the queue stops moving (no answer from the hub for
 * `stallMs`) or after `maxMs`: never sent, so asking again is safe.
 */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  private lastAnswer = Date.now();
  constructor(private readonly n: number) {
    this.free = n;
  }

  /** The hub answered a request of this lane (any answer): the queue is moving. */
  answered(): void {
    this.lastAnswer = Date.now();
  }

  /** A release function once a slot is free; null when the queue stopped moving or `maxMs` passed. */
  take(stallMs: number, maxMs: number): Promise<(() => void) | null> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    const started = Date.now();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout;
      const grant = () => {
        clearTimeout(timer);
        resolve(this.releaser());
      };
      const check = () => {
        const now = Date.now();
        const stalledAt = Math.max(this.lastAnswer, started) + stallMs;
        const giveUpAt = Math.min(stalledAt, started + maxMs);
        if (now < giveUpAt) {
          timer = setTimeout(check, giveUpAt - now);
          return;
        }
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(null);
      };
      timer = setTimeout(check, Math.min(stallMs, maxMs));
      this.waiting.push(grant);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight on
      else this.free = Math.min(this.n, this.free + 1);
    };
  }
}

const BranchAnswer = z.object({ branch: z.object({ code: z.string() }), pulledMarks: z.boolean().optional() });

function reasonOf(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

function sameTarget(a: HubTarget | null, b: HubTarget | null): boolean {
  if (!a || !b) return a === b;
  return a.url === b.url && a.source === b.source && normalizeFingerprint(a.fingerprint) === normalizeFingerprint(b.fingerprint);
}

export class HubLink {
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  private readonly queueStallMs: number;
  private readonly queueMaxMs: number;
  private readonly probeMs: number;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private hub: HubTarget | null = null;
  /** Requests share one keep-alive agent per lane for the current target, pinned to its fingerprint. */
  private agents = new Map<HubLane, HttpsAgent>();
  private readonly slots: Record<HubLane, Slots> = { sync: new Slots(LANE_SOCKETS.sync), call: new Slots(LANE_SOCKETS.call) };
  /** The target whose branch was checked (GET /v1/branch at the hub). */
  private verified: HubTarget | null = null;
  /** The verified hub takes push rows marked `pulled` (its /v1/branch says so; an older hub does not). */
  private verifiedMarks = false;
  private connected = false;
  private readonly health = new LinkHealth<Failure>(
    () => this.now(),
    () => this.o.onStatus?.(this.status()),
  );
  private hosting: HubStatus['hosting'] = null;
  private running = false;
  private streamAbort: AbortController | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private lastLogged: string | null = null;

  constructor(private readonly o: HubLinkOptions) {
    this.now = o.now ?? (() => new Date());
    this.timeoutMs = o.timeoutMs ?? 5_000;
    this.queueStallMs = o.queueStallMs ?? this.timeoutMs;
    this.queueMaxMs = o.queueMaxMs ?? 120_000;
    this.probeMs = o.probeMs ?? 3_000;
    this.minDelay = o.stream?.minDelayMs ?? 1_000;
    this.maxDelay = o.stream?.maxDelayMs ?? 15_000;
  }

  status(): HubStatus {
    const hosting = this.hosting && this.hosting.state !== 'stopped' ? { ...this.hosting } : null;
    return {
      role: hosting ? 'host' : this.hub ? 'client' : 'none',
      hub: this.hub ? { ...this.hub } : null,
      connected: this.connected,
      lastContactAt: this.health.lastContactAt,
      lastError: this.health.lastError,
      hosting,
    };
  }

  target(): HubTarget | null {
    return this.hub ? { ...this.hub } : null;
  }

  /** Which hub to use (HQ's answer, mDNS, a manual address, pairing, or this PC's own); null: none. */
  setTarget(t: HubTarget | null): void {
    if (sameTarget(this.hub, t)) return;
    this.hub = t ? { ...t } : null;
    this.dropAgents();
    this.verified = null;
    this.health.lastError = null;
    this.connected = false;
    this.restartStream();
    this.health.emit(true);
  }

  /** The hub this PC runs itself (main/hub/hosting.ts), shown in the status; null: none. */
  setHosting(h: HubStatus['hosting']): void {
    this.hosting = h ? { ...h } : null;
    this.health.emit(true);
  }

  /**
   * One JSON call to the hub, after checking it is this branch's. Throws IpcFailure HUB_UNREACHABLE
   * (no connection could be made, or the hub failed), HUB_BUSY (the hub is there but did not answer
   * in time, or said 503; or no socket came free here) or HUB_REJECTED. `lane`: 'call' for a
   * counter's call, which has its own sockets.
   */
  async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, lane: HubLane = 'sync'): Promise<T> {
    const t = this.hub;
    if (!t) throw new IpcFailure('HUB_UNREACHABLE', 'No branch hub is known to this PC.');
    const creds = this.requireCredentials();
    await this.verify(t, creds, lane);
    return this.call<T>(t, creds, method, path, body, lane);
  }

  pull(collection: Collection, checkpoint: Checkpoint | null, limit: number): Promise<PullResponse> {
    const q = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) {
      q.set('id', checkpoint.id);
      q.set('seq', String(checkpoint.seq));
    }
    return this.request<PullResponse>('GET', `/v1/sync/${collection}/pull?${q.toString()}`);
  }

  push(collection: WritableCollection, rows: PushRow[]): Promise<PushResponse> {
    return this.request<PushResponse>('POST', `/v1/sync/${collection}/push`, rows);
  }

  /** Whether the hub takes push rows marked `pulled` (main/hub/push-marked.ts): learnt with its branch. */
  async takesPulledMarks(): Promise<boolean> {
    const t = this.hub;
    if (!t) throw new IpcFailure('HUB_UNREACHABLE', 'No branch hub is known to this PC.');
    await this.verify(t, this.requireCredentials());
    return this.verified === t && this.verifiedMarks;
  }

  /** Keeps the hub's event stream open while a hub is known, reconnecting with back-off. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.streamLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.streamAbort?.abort();
    this.wake?.();
    await this.loop;
    this.loop = null;
    this.dropAgents();
  }

  private dropAgents(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private requireCredentials(): HqCredentials {
    const creds = this.o.credentials.read();
    if (!creds) throw new IpcFailure('HQ_NOT_ENROLLED', 'This device is not connected to HQ yet: the hub knows only enrolled PCs.');
    return creds;
  }

  private agentFor(t: HubTarget, lane: HubLane): HttpsAgent {
    if (this.hub !== t) return pinnedHubAgent(t.fingerprint, { keepAlive: false });
    let agent = this.agents.get(lane);
    if (!agent) {
      agent = pinnedHubAgent(t.fingerprint, { keepAlive: true, maxSockets: LANE_SOCKETS[lane] + SPARE_SOCKETS });
      this.agents.set(lane, agent);
    }
    return agent;
  }

  /** The hub must say it is of this PC's branch before anything of the branch goes there. */
  private async verify(t: HubTarget, creds: HqCredentials, lane: HubLane = 'sync'): Promise<void> {
    if (this.verified === t) return;
    const answer = BranchAnswer.safeParse(await this.call<unknown>(t, creds, 'GET', '/v1/branch', undefined, lane));
    if (!answer.success) throw this.health.failure('HUB_REJECTED', 'The hub answered the branch request with something this PC does not understand.', { status: 200 });
    if (answer.data.branch.code !== creds.branchCode) {
      throw this.health.failure('HUB_REJECTED', `The hub at ${t.url} is of branch ${answer.data.branch.code}, not ${creds.branchCode}: not used.`, { status: 200, code: 'FORBIDDEN_BRANCH' });
    }
    if (this.hub === t) {
      this.verified = t;
      this.verifiedMarks = answer.data.pulledMarks === true;
    }
  }

  private async call<T>(t: HubTarget, creds: HqCredentials, method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, lane: HubLane): Promise<T> {
    const slots = this.slots[lane];
    const release = await slots.take(this.queueStallMs, this.queueMaxMs);
    if (!release) {
      throw this.health.failure('HUB_BUSY', 'The hub answered nothing while this request waited for a free connection: it was not sent.', { status: 0 });
    }
    let res: { status: number; json: unknown };
    try {
      res = await hubRequest(`${t.url}${path}`, t.fingerprint, {
        method,
        headers: { authorization: `Bearer ${creds.token}`, accept: 'application/json' },
        ...(body !== undefined ? { body } : {}),
        timeoutMs: this.timeoutMs,
        agent: this.agentFor(t, lane),
      });
      slots.answered();
    } catch (e) {
      if (e instanceof HubFingerprintMismatch) {
        throw this.health.failure('HUB_REJECTED', `The hub at ${t.url} presented a certificate other than the pinned one: nothing was sent.`, { status: 0, code: 'FINGERPRINT_MISMATCH' });
      }
      // Connected, request sent, no answer in time: the hub is there but busy (a call it may still
      // decide: the same request id asked again gets the same ticket).
      if (e instanceof HubNoAnswer) throw this.health.failure('HUB_BUSY', `The hub did not answer within ${Math.round(this.timeoutMs / 100) / 10} s.`, { status: 0 });
      throw this.health.failure('HUB_UNREACHABLE', `The hub is not reachable: ${reasonOf(e)}`, { status: 0 });
    } finally {
      release();
    }
    const { status, json } = res;
    if (status >= 200 && status < 300) {
      this.health.contact(true);
      return json as T;
    }
    const parsed = HqErrorBody.safeParse(json);
    const hq: NonNullable<IpcError['details']>['hq'] = { status };
    if (parsed.success) {
      hq.code = parsed.data.error.code;
      if (parsed.data.error.details) hq.details = parsed.data.error.details;
    }
    const what = parsed.success ? `${parsed.data.error.code}: ${parsed.data.error.message}` : `HTTP ${status}`;
    if (status === 503) {
      this.health.contact(false); // it answered: reachable
      throw this.health.failure('HUB_BUSY', `The hub is busy (${what}).`, hq);
    }
    if (status >= 500 || status === 0) throw this.health.failure('HUB_UNREACHABLE', `The hub is not available (${what}).`, hq);
    this.health.contact(false);
    throw this.health.failure('HUB_REJECTED', `The hub refused the request (${what}).`, hq);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    // The link's ups and downs go to the PC's log: "why did this PC lose the hub" is asked afterwards.
    if (connected) {
      this.lastLogged = null;
      this.o.log.info('hub link: event stream open', { url: this.hub?.url });
    }
    else this.o.log.warn('hub link: event stream closed', { url: this.hub?.url, reason: this.health.lastError?.message ?? null });
    this.health.emit(true);
  }

  /** A failed attempt to open the stream, logged when its reason differs from the last one logged. */
  private logAttempt(t: HubTarget): void {
    const reason = this.health.lastError?.message ?? 'no reason recorded';
    if (reason === this.lastLogged) return;
    this.lastLogged = reason;
    this.o.log.warn('hub link: could not open the event stream', { url: t.url, reason });
  }

  private restartStream(): void {
    const current = this.streamAbort;
    this.streamAbort = null; // not an error: the loop reconnects at once
    current?.abort();
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async streamLoop(): Promise<void> {
    let delay = this.minDelay;
    while (this.running) {
      const t = this.hub;
      const creds = this.o.credentials.read();
      if (!t || !creds) {
        await this.sleep(this.maxDelay); // setTarget() wakes us
        continue;
      }
      const opened = await this.streamOnce(t, creds);
      this.setConnected(false);
      if (!opened) this.logAttempt(t);
      if (!this.running) break;
      if (this.hub !== t) {
        delay = this.minDelay; // another hub: connect to it at once
        continue;
      }
      if (opened) delay = this.minDelay;
      await this.sleep(Math.round(delay / 2 + Math.random() * (delay / 2)));
      delay = Math.min(this.maxDelay, delay * 2);
    }
  }

  /** One stream connection to `t`; resolves when it ends. True when it was open at some point. */
  private async streamOnce(t: HubTarget, creds: HqCredentials): Promise<boolean> {
    const ctrl = new AbortController();
    this.streamAbort = ctrl;
    let probe: NodeJS.Timeout | undefined;
    let opened = false;
    try {
      await this.verify(t, creds);
      if (ctrl.signal.aborted) return false;
      const res = await hubStream(`${t.url}/v1/sync/stream`, t.fingerprint, {
        headers: { authorization: `Bearer ${creds.token}`, accept: 'text/event-stream' },
        signal: ctrl.signal,
        timeoutMs: this.timeoutMs,
      });
      if (res.statusCode !== 200) {
        res.resume();
        const failure: Failure = (res.statusCode ?? 0) >= 500 ? 'HUB_UNREACHABLE' : 'HUB_REJECTED';
        this.health.error(failure, `The hub's event stream was refused (HTTP ${res.statusCode ?? 0}).`);
        this.health.emit(true);
        return false;
      }
      opened = true;
      this.setConnected(true);
      this.health.contact(true);
      let probing = false;
      probe = setInterval(() => {
        if (probing) return;
        probing = true;
        hubRequest(`${t.url}/healthz`, t.fingerprint, { timeoutMs: this.probeMs, agent: this.agentFor(t, 'sync') })
          .then(({ status }) => {
            if (status !== 200) throw new Error(`HTTP ${status}`);
            this.health.contact(false);
          })
          .catch((e: unknown) => {
            if (this.streamAbort !== ctrl || ctrl.signal.aborted) return;
            this.health.error('HUB_UNREACHABLE', `The hub does not answer: ${reasonOf(e)}`);
            ctrl.abort();
          })
          .finally(() => {
            probing = false;
          });
      }, this.probeMs);
      const parser = new SseParser((data) => this.handleData(data));
      await new Promise<void>((resolve) => {
        res.on('data', (chunk: Buffer) => {
          this.health.contact(false);
          parser.feed(chunk);
        });
        res.once('end', resolve);
        res.once('close', resolve);
        res.on('error', () => resolve());
        if (ctrl.signal.aborted) resolve();
        ctrl.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      res.destroy();
      if (this.running && this.streamAbort === ctrl && !ctrl.signal.aborted) {
        this.health.error('HUB_UNREACHABLE', 'The hub closed the event stream.');
      }
    } catch (e) {
      // A failed branch check already said why (failure()); anything else: the hub is not there.
      if (!(e instanceof IpcFailure) && this.running && this.streamAbort === ctrl && !ctrl.signal.aborted) {
        this.health.error('HUB_UNREACHABLE', `The hub is not reachable: ${reasonOf(e)}`);
        this.health.emit(true);
      }
    } finally {
      clearInterval(probe);
      ctrl.abort();
    }
    return opened;
  }

  private handleData(data: string): void {
    const notice = syncNotice(data);
    if (notice === 'unreadable') this.o.log.warn('hub stream: unreadable event ignored');
    else if (notice) this.o.onChanged?.({ ...notice, via: 'hub' });
  }
}
