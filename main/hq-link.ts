// Main is the device's link to HQ: it keeps the HQ URL and the device token, makes every HTTP call to
// HQ and holds one event stream (SSE) open, relaying its notices to the renderer. The renderer's CSP
// (`connect-src 'self'`) keeps it from reaching HQ itself, and the token never crosses the bridge.
// No business rules here: pull and push are relayed as they are; HQ and the renderer decide.
import { z } from 'zod';
import { HqQuarantineEntry, type HqQuarantinePage, type HqStatus, type SyncChanged } from '@shared/ipc/contract';
import { AuditFlagPage } from '@shared/sync/audit-flags';
import { IpcFailure, type IpcError } from '@shared/ipc/result';
import { LinkHealth } from './link-health';
import { EnrolResponseSchema, HqErrorBody, HubAddress, type Checkpoint, type Collection, type EnrolResponse, type PullResponse, type PushResponse, type PushRow, type WritableCollection } from '@shared/sync/protocol';
import type { CredentialStore, HqCredentials } from './hq/credentials';
import { BusyBackoff } from './hq/backoff';
import type { Logger } from './log';
import { isHubNotice, SseParser, syncNotice } from './sync-stream';
import { LocalClosuresAnswer, type LocalClosuresRequest } from './local-closures';

export interface HqLinkOptions {
  deviceId: string;
  /** The branch this device was set up for (null before first run): enrolment must match it. */
  localBranch: () => string | null;
  /** Records the HQ URL in the device settings once enrolment succeeded. */
  saveUrl: (url: string) => void;
  credentials: CredentialStore;
  log: Logger;
  now?: () => Date;
  fetch?: typeof fetch;
  /** Per call to HQ (not the stream), in ms. */
  timeoutMs?: number;
  /** Stream reconnect back-off and the silence after which a stream counts as dead (HQ pings every 25 s). */
  stream?: { minDelayMs?: number; maxDelayMs?: number; idleMs?: number };
  onStatus?: (status: HqStatus) => void;
  onChanged?: (event: SyncChanged) => void;
  /** HQ says the branch's hub changed (role moved, new address or certificate). */
  onHubChanged?: () => void;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const QUARANTINE_PAGE = 50;
/** HQ's quarantine page as it arrives: each entry also carries the refused document, which stays here. */
const HqQuarantineAnswer = z.object({ entries: z.array(HqQuarantineEntry.extend({ data: z.unknown(), branchCode: z.string() })), next: z.number().int().positive().nullable() });
/** What main reads of HQ's `/v1/branch`: whose branch, and its hub as it announced itself. */
export const BranchHubAnswer = z.object({
  branch: z.object({ code: z.string() }),
  /** HQ takes push rows marked `pulled` (issue 17; absent from an older HQ). */
  pulledMarks: z.boolean().optional(),
  hub: z.object({ deviceId: z.string(), fingerprint: z.string().nullable(), addresses: z.array(HubAddress) }).nullable().optional(),
});
export type BranchHubAnswer = z.infer<typeof BranchHubAnswer>;

function trimUrl(url: string): string {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  return u.toString().replace(/\/+$/, '');
}

function reasonOf(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : null;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

export class HqLink {
  private readonly now: () => Date;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly idleMs: number;
  private connected = false;
  private readonly health = new LinkHealth<'HQ_UNREACHABLE' | 'HQ_REJECTED'>(
    () => this.now(),
    () => this.o.onStatus?.(this.status()),
  );
  private running = false;
  private streamAbort: AbortController | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** HQ said 503 busy: nothing goes to HQ before Retry-After (+ jitter) has passed (main/hq/backoff.ts). */
  private readonly hqBusy: BusyBackoff;
  /** Whether HQ (at this URL) takes push rows marked `pulled`, from its /v1/branch answer. */
  private marks: { url: string; takes: boolean } | null = null;

  constructor(private readonly o: HqLinkOptions) {
    this.now = o.now ?? (() => new Date());
    this.fetch = o.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.minDelay = o.stream?.minDelayMs ?? 1_000;
    this.maxDelay = o.stream?.maxDelayMs ?? 30_000;
    this.idleMs = o.stream?.idleMs ?? 60_000;
    this.hqBusy = new BusyBackoff({ now: () => this.now().getTime() });
  }

  status(): HqStatus {
    const c = this.o.credentials.read();
    return {
      enrolled: c !== null,
      url: c?.url ?? null,
      branchCode: c?.branchCode ?? null,
      connected: this.connected,
      lastContactAt: this.health.lastContactAt,
      lastError: this.health.lastError,
    };
  }

  /** HQ's branch-wide NIK hash key, once enrolled (null before, or from an HQ that did not issue one). */
  branchNikKey(): string | null {
    return this.o.credentials.read()?.nikKey ?? null;
  }

  /** Exchanges a one-time enrolment code for a device token; stores it; (re)opens the stream. */
  async enrol(input: { url: string; code: string; deviceName: string }): Promise<{ branchCode: string }> {
    const base = trimUrl(input.url);
    const answer = await this.call<EnrolResponse>(base, null, 'POST', '/v1/enrol', {
      code: input.code,
      deviceId: this.o.deviceId,
      deviceName: input.deviceName,
    });
    const parsed = EnrolResponseSchema.safeParse(answer);
    if (!parsed.success) throw new IpcFailure('HQ_UNREACHABLE', 'HQ answered the enrolment with something this device does not understand.');
    const res = parsed.data;
    const local = this.o.localBranch();
    if (local !== null && res.branchCode !== local) {
      // The code was for another branch: keep no token that would push this branch's data there.
      throw new IpcFailure('CONFLICT', `This enrolment code belongs to branch ${res.branchCode}, this device to ${local}.`);
    }
    const creds: HqCredentials = {
      url: base,
      branchCode: res.branchCode,
      token: res.token,
      enrolledAt: this.now().toISOString(),
      ...(res.nikKey ? { nikKey: res.nikKey } : {}),
    };
    this.o.credentials.write(creds);
    this.o.saveUrl(base);
    this.o.log.info('enrolled with HQ', { url: base, branchCode: res.branchCode });
    this.restartStream();
    this.health.emit(true);
    return { branchCode: res.branchCode };
  }

  async pull(collection: Collection, checkpoint: Checkpoint | null, limit: number): Promise<PullResponse> {
    const creds = this.requireCredentials();
    const q = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) {
      q.set('id', checkpoint.id);
      q.set('seq', String(checkpoint.seq));
    }
    return this.call<PullResponse>(creds.url, creds.token, 'GET', `/v1/sync/${collection}/pull?${q.toString()}`);
  }

  async push(collection: WritableCollection, rows: PushRow[]): Promise<PushResponse> {
    const creds = this.requireCredentials();
    return this.call<PushResponse>(creds.url, creds.token, 'POST', `/v1/sync/${collection}/push`, rows);
  }

  /** What HQ refused from this branch's devices (a page, newest first), without the refused documents. */
  async quarantine(before?: number): Promise<HqQuarantinePage> {
    const creds = this.requireCredentials();
    const q = new URLSearchParams({ limit: String(QUARANTINE_PAGE) });
    if (before !== undefined) q.set('before', String(before));
    const answer = await this.call<unknown>(creds.url, creds.token, 'GET', `/v1/quarantine?${q.toString()}`);
    const page = HqQuarantineAnswer.safeParse(answer);
    if (!page.success) throw new IpcFailure('HQ_UNREACHABLE', 'HQ answered the quarantine list with something this device does not understand.');
    return {
      entries: page.data.entries.map(({ qid, collection, id, deviceId, reason, receivedAt, lastReceivedAt, attempts }) => ({ qid, collection, id, deviceId, reason, receivedAt, lastReceivedAt, attempts })),
      next: page.data.next,
    };
  }

  /** What HQ flagged for this branch's review (a page, newest first: hq/audit-flags.ts). */
  async auditFlags(before?: number): Promise<AuditFlagPage> {
    const creds = this.requireCredentials();
    const q = new URLSearchParams({ limit: String(QUARANTINE_PAGE) });
    if (before !== undefined) q.set('before', String(before));
    const page = AuditFlagPage.safeParse(await this.call<unknown>(creds.url, creds.token, 'GET', `/v1/audit/flags?${q.toString()}`));
    if (!page.success) throw new IpcFailure('HQ_UNREACHABLE', 'HQ answered the audit flags with something this device does not understand.');
    return page.data;
  }

  /** HQ's `GET /v1/branch`: the branch's profile and its hub (address and fingerprint), as HQ knows it. */
  async branchHub(): Promise<BranchHubAnswer> {
    const creds = this.requireCredentials();
    const answer = await this.call<unknown>(creds.url, creds.token, 'GET', '/v1/branch');
    const parsed = BranchHubAnswer.safeParse(answer);
    if (!parsed.success) throw new IpcFailure('HQ_UNREACHABLE', 'HQ answered the branch request with something this device does not understand.');
    this.marks = { url: creds.url, takes: parsed.data.pulledMarks === true };
    return parsed.data;
  }

  /** Whether HQ takes push rows marked `pulled` (main/hub/push-marked.ts): asked once, then known until HQ's branch is asked again. */
  async takesPulledMarks(): Promise<boolean> {
    const creds = this.requireCredentials();
    if (this.marks?.url !== creds.url) await this.branchHub();
    return this.marks?.url === creds.url && this.marks.takes;
  }

  /** `PUT /v1/hub/role`: this device claims its branch's hub role (the head's staff id goes into HQ's log). */
  async claimHubRole(staffId: string): Promise<void> {
    const creds = this.requireCredentials();
    await this.call<unknown>(creds.url, creds.token, 'PUT', '/v1/hub/role', { staffId });
  }

  /** `PUT /v1/branch/local-closures`: the head's local closures, the whole list (HQ versions them in the branch's rules). */
  async setLocalClosures(body: LocalClosuresRequest): Promise<LocalClosuresAnswer> {
    const creds = this.requireCredentials();
    const parsed = LocalClosuresAnswer.safeParse(await this.call<unknown>(creds.url, creds.token, 'PUT', '/v1/branch/local-closures', body));
    if (!parsed.success) throw new IpcFailure('HQ_UNREACHABLE', 'HQ answered the local closures with something this device does not understand.');
    return parsed.data;
  }

  /** `POST /v1/audit/device`: main's signed audit entries (and the device's public key); HQ answers the head it holds. */
  async pushDeviceAudit(body: { publicKey: unknown; entries: unknown[] }): Promise<{ seq: number; hash: string }> {
    const creds = this.requireCredentials();
    return this.call<{ seq: number; hash: string }>(creds.url, creds.token, 'POST', '/v1/audit/device', body);
  }

  /** Opens the event stream (when enrolled) and keeps it open, reconnecting with back-off. */
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
  }

  private requireCredentials(): HqCredentials {
    const creds = this.o.credentials.read();
    if (!creds) throw new IpcFailure('HQ_NOT_ENROLLED', 'This device is not connected to HQ yet.');
    return creds;
  }

  private restartStream(): void {
    const current = this.streamAbort;
    this.streamAbort = null; // not an error: the loop reconnects at once
    current?.abort();
    this.wake?.();
  }

  private async call<T>(base: string, token: string | null, method: 'GET' | 'POST' | 'PUT', pathname: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const wait = this.hqBusy.remainingMs();
    if (wait > 0) throw this.health.failure('HQ_UNREACHABLE', `HQ is busy; next try in ${Math.ceil(wait / 1000)} s.`, { status: 503, code: 'HQ_BUSY' });
    let status = 0;
    let text: string;
    try {
      const res = await this.fetch(`${base}${pathname}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      if (status === 503) this.hqBusy.busy(res.headers.get('retry-after'));
      else this.hqBusy.ok();
      text = await res.text();
    } catch (e) {
      throw this.health.failure('HQ_UNREACHABLE', `HQ is not reachable: ${reasonOf(e)}`, { status });
    }
    if (status >= 200 && status < 300) {
      try {
        const value = JSON.parse(text) as T;
        this.health.contact(true);
        return value;
      } catch {
        throw this.health.failure('HQ_UNREACHABLE', 'HQ answered with something that is not JSON.', { status });
      }
    }
    let parsed: HqErrorBody | null;
    try {
      const r = HqErrorBody.safeParse(JSON.parse(text));
      parsed = r.success ? r.data : null;
    } catch {
      parsed = null;
    }
    const hq: NonNullable<IpcError['details']>['hq'] = { status };
    if (parsed) hq.code = parsed.error.code;
    if (parsed?.error.details) hq.details = parsed.error.details;
    const what = parsed ? `${parsed.error.code}: ${parsed.error.message}` : `HTTP ${status}`;
    // A 5xx (HQ or its database down, restarting) is worth retrying; a 4xx is HQ saying no.
    if (status >= 500) throw this.health.failure('HQ_UNREACHABLE', `HQ is not available (${what}).`, hq);
    this.health.contact(false);
    throw this.health.failure('HQ_REJECTED', `HQ refused the request (${what}).`, hq);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.health.emit(true);
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
      const creds = this.o.credentials.read();
      if (!creds) {
        await this.sleep(this.maxDelay); // enrol() wakes us
        continue;
      }
      const opened = await this.streamOnce(creds);
      this.setConnected(false);
      if (!this.running) break;
      if (opened) delay = this.minDelay;
      // Full jitter, so many devices do not reconnect in step after an HQ restart.
      // HQ busy: not before its Retry-After (with the back-off's own jitter).
      await this.sleep(Math.max(this.hqBusy.remainingMs(), Math.round(delay / 2 + Math.random() * (delay / 2))));
      delay = Math.min(this.maxDelay, delay * 2);
    }
  }

  /** One stream connection; resolves when it ends. True when it was open at some point. */
  private async streamOnce(creds: HqCredentials): Promise<boolean> {
    const ctrl = new AbortController();
    this.streamAbort = ctrl;
    let idle: NodeJS.Timeout | null = null;
    const arm = (ms: number) => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => ctrl.abort(), ms);
    };
    let opened = false;
    try {
      arm(this.timeoutMs);
      const res = await this.fetch(`${creds.url}/v1/sync/stream`, {
        headers: { authorization: `Bearer ${creds.token}`, accept: 'text/event-stream' },
        signal: ctrl.signal,
        redirect: 'error',
      });
      if (res.status !== 200 || !res.body) {
        if (res.status === 503) this.hqBusy.busy(res.headers.get('retry-after'));
        const text = await res.text().catch(() => '');
        let code: string | undefined;
        try {
          const r = HqErrorBody.safeParse(JSON.parse(text));
          if (r.success) code = r.data.error.code;
        } catch {
          code = undefined;
        }
        const kind = res.status >= 500 ? 'HQ_UNREACHABLE' : 'HQ_REJECTED';
        if (kind === 'HQ_REJECTED') this.health.contact(false);
        this.health.error(code ? `${kind}:${code}` : kind, `HQ event stream refused (HTTP ${res.status}).`);
        this.health.emit(true);
        return false;
      }
      opened = true;
      arm(this.idleMs);
      this.setConnected(true);
      this.health.contact(true);
      const parser = new SseParser((data) => this.handleData(data));
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      // Aborting fetch's signal does not always end a pending read of the body: cancel the reader too.
      const cancel = () => void reader.cancel().catch(() => undefined);
      if (ctrl.signal.aborted) cancel();
      ctrl.signal.addEventListener('abort', cancel, { once: true });
      for (;;) {
        const { done, value: chunk } = await reader.read();
        if (done) break;
        arm(this.idleMs);
        this.health.contact(false);
        parser.feed(chunk);
      }
      if (this.running && this.streamAbort === ctrl && !ctrl.signal.aborted) {
        this.health.error('HQ_UNREACHABLE', 'HQ closed the event stream.');
        this.health.emit(true);
      } else if (this.running && this.streamAbort === ctrl) {
        this.health.error('HQ_UNREACHABLE', 'HQ event stream went silent.');
        this.health.emit(true);
      }
    } catch (e) {
      if (this.running && this.streamAbort === ctrl && !ctrl.signal.aborted) {
        this.health.error('HQ_UNREACHABLE', `HQ is not reachable: ${reasonOf(e)}`);
        this.health.emit(true);
      } else if (this.running && ctrl.signal.aborted && this.streamAbort === ctrl) {
        this.health.error('HQ_UNREACHABLE', 'HQ event stream went silent.');
        this.health.emit(true);
      }
    } finally {
      if (idle) clearTimeout(idle);
      ctrl.abort();
    }
    return opened;
  }

  private handleData(data: string): void {
    if (isHubNotice(data)) {
      this.o.onHubChanged?.();
      return;
    }
    const notice = syncNotice(data);
    if (notice === 'unreadable') this.o.log.warn('HQ stream: unreadable event ignored');
    else if (notice) this.o.onChanged?.(notice);
  }
}
