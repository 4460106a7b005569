import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../../renderer/src/i18n';
import { LinkStatus } from '../../../renderer/src/components/StatusBar';
import { SyncStatusStore } from '../../../renderer/src/sync/status';
import { HqLink } from '../../../main/hq-link';
import { BusyBackoff, retryAfterMs } from '../../../main/hq/backoff';
import type { HqCredentials } from '../../../main/hq/credentials';
import { IpcFailure } from '@shared/ipc/result';
import { memoryLog } from './helpers';

// Issue 20 pt 4, the device's side: HQ answers 503 HQ_BUSY with Retry-After when it takes no more.
// Main then sends nothing to HQ before Retry-After has passed plus jitter (a call before then fails
// at once, here), and the status bar says "HQ sibuk" until HQ answers again. A fake HQ (fetch) and
// fake timers; the status bar rendered from a real status store.

const T0 = new Date('2026-12-06T03:00:00.000Z');
const creds: HqCredentials = { url: 'https://hq.example.test', branchCode: 'UJI01', token: 'tok_0123456789abcdef', enrolledAt: T0.toISOString() };

/** A fake HQ: answers each call with the next queued status (503 with Retry-After, or 200 with an empty push answer). */
function fakeHq() {
  const answers: { status: number; retryAfter?: string }[] = [];
  const calls: number[] = [];
  const fetch = vi.fn((_url: string | URL | Request) => {
    calls.push(Date.now());
    const a = answers.shift() ?? { status: 200 };
    const body = a.status === 503 ? { error: { code: 'HQ_BUSY', message: 'HQ is busy (too many pushes in flight); retry later' } } : [];
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status: a.status,
        headers: { 'content-type': 'application/json', ...(a.retryAfter ? { 'retry-after': a.retryAfter } : {}) },
      }),
    );
  });
  return { answers, calls, fetch: fetch as unknown as typeof globalThis.fetch };
}

function link(hq: ReturnType<typeof fakeHq>) {
  const statuses: ReturnType<HqLink['status']>[] = [];
  const l = new HqLink({
    deviceId: '11111111-1111-4111-8111-111111111111',
    localBranch: () => 'UJI01',
    saveUrl: () => undefined,
    credentials: { read: () => creds, write: () => undefined },
    log: memoryLog(),
    fetch: hq.fetch,
    onStatus: (s) => statuses.push(s),
  });
  return { l, statuses };
}

const statusBar = (l: HqLink) => {
  const s = new SyncStatusStore(() => T0.getTime());
  s.setLink({ ...l.status(), connected: true });
  s.setRunning(true);
  const html = renderToStaticMarkup(<LinkStatus t={i18n.t} sync={s.getSnapshot()} fallback={null} zone="WIB" now={T0} />).replace(/<!-- -->/g, '');
  return /data-testid="status-hq-busy"[^>]*>(.*?)<\/strong>/s.exec(html)?.[1]?.replace(/<[^>]+>/g, '') ?? null;
};

async function pushFails(l: HqLink): Promise<IpcFailure> {
  const e = await l.push('tickets', []).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(IpcFailure);
  return e as IpcFailure;
}

beforeEach(async () => {
  vi.useFakeTimers({ now: T0, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  await i18n.changeLanguage('id');
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('HQ busy: the device backs off after 503 + Retry-After, jittered, and says so', () => {
  it('the next try waits at least Retry-After plus jitter, the status bar says "HQ sibuk", a 200 clears it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    const hq = fakeHq();
    const { l } = link(hq);
    hq.answers.push({ status: 503, retryAfter: '5' });
    const first = await pushFails(l);
    expect(first.code).toBe('HQ_UNREACHABLE'); // a 5xx: the replication retries, nothing is dropped
    expect(first.details?.hq).toMatchObject({ status: 503, code: 'HQ_BUSY' });
    expect(l.status().lastError?.code).toBe('HQ_UNREACHABLE:HQ_BUSY');
    expect(statusBar(l)).toBe(' · HQ sibuk, dicoba lagi nanti');

    // Before Retry-After (5 s) and before its jitter (0.9 × half of 5 s = 2.25 s more): nothing reaches HQ.
    for (const at of [0, 4_999, 7_249]) {
      vi.setSystemTime(T0.getTime() + at);
      const e = await pushFails(l);
      expect(e.details?.hq).toMatchObject({ code: 'HQ_BUSY' });
      expect(statusBar(l)).not.toBeNull();
    }
    expect(hq.calls).toHaveLength(1);

    vi.setSystemTime(T0.getTime() + 7_250);
    await expect(l.push('tickets', [])).resolves.toEqual([]);
    expect(hq.calls).toHaveLength(2);
    expect(l.status().lastError).toBeNull();
    expect(statusBar(l)).toBeNull();
    await i18n.changeLanguage('en');
    hq.answers.push({ status: 503, retryAfter: '1' });
    await pushFails(l);
    expect(statusBar(l)).toBe(' · HQ busy, retrying later');
  });

  it('the jitter spreads devices refused in the same second; HQ saying busy again doubles the wait (capped)', () => {
    let r = 0;
    const at = T0.getTime();
    const backoff = () => new BusyBackoff({ now: () => at, random: () => r, capMs: 20_000 });
    const waits = [0, 0.5, 0.99].map((x) => {
      r = x;
      return backoff().busy('4');
    });
    expect(waits).toEqual([4_000, 5_000, 5_980]);
    r = 0.5;
    const b = backoff();
    expect([b.busy('4'), b.busy('4'), b.busy('4'), b.busy('4')]).toEqual([5_000, 10_000, 20_000, 20_000]);
    // Retry-After above the cap is still honoured; an answer that is not busy ends the wait.
    expect(b.busy('30')).toBe(30_000);
    expect(b.remainingMs()).toBe(30_000);
    b.ok();
    expect(b.remainingMs()).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date; absent or unreadable: HQ default applies', () => {
    const now = T0.getTime();
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs(new Date(now + 8_000).toUTCString(), now)).toBe(8_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('999999', now)).toBe(300_000);
    expect(new BusyBackoff({ now: () => now, random: () => 0 }).busy(null)).toBe(2_000);
  });

  it('a 503 on the event stream holds the reconnect until Retry-After', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const hq = fakeHq();
    const { l } = link(hq);
    hq.answers.push({ status: 503, retryAfter: '9' });
    l.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(hq.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(8_900);
    expect(hq.calls).toHaveLength(1); // not at the 1 s stream back-off: HQ asked for 9 s
    hq.answers.push({ status: 503, retryAfter: '1' });
    await vi.advanceTimersByTimeAsync(200);
    expect(hq.calls).toHaveLength(2);
    await l.stop();
  });
});
