import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdateCheckResult } from 'electron-updater';
import { UpdateStatus } from '../../shared/ipc/contract';
import { createUpdater, shortMessage } from '../../main/updater';
import type { UpdaterClient, UpdaterDeps } from '../../main/updater';

const FEED = 'https://updates.example.test/loket/';
const HOUR = 60 * 60 * 1000;

/** Stands in for electron-updater's autoUpdater: records calls; the test fires its events. */
class FakeAutoUpdater extends EventEmitter implements UpdaterClient {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  feeds: unknown[] = [];
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  nextCheck: () => Promise<UpdateCheckResult | null> = () => Promise.resolve(null);

  setFeedURL(options: Parameters<UpdaterClient['setFeedURL']>[0]): void {
    this.feeds.push(options);
  }
  checkForUpdates(): Promise<UpdateCheckResult | null> {
    this.checks++;
    return this.nextCheck();
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

function setup(overrides: Partial<UpdaterDeps> = {}) {
  const autoUpdater = new FakeAutoUpdater();
  const statuses: UpdateStatus[] = [];
  let url: string | null = FEED;
  let busy = false;
  const updater = createUpdater({
    autoUpdater,
    getUpdateUrl: () => url,
    isBusy: () => busy,
    log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    emit: (s) => statuses.push(UpdateStatus.parse(s)), // every emitted status must fit the IPC contract
    ...overrides,
  });
  return {
    autoUpdater,
    updater,
    statuses,
    states: () => statuses.map((s) => s.state),
    setUrl: (u: string | null) => (url = u),
    setBusy: (b: boolean) => (busy = b),
  };
}

/** Lets the promise chain of a check settle. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('updater', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is disabled and never checks when no update URL is configured', async () => {
    const t = setup();
    t.setUrl(null);
    t.updater.start();
    await settle();
    vi.advanceTimersByTime(48 * HOUR);
    await settle();
    expect(t.autoUpdater.checks).toBe(0);
    expect(t.autoUpdater.feeds).toEqual([]);
    expect(t.updater.status().state).toBe('disabled');
    expect(t.states()).toEqual(['disabled']);
    t.updater.stop();
  });

  it('points electron-updater at the generic feed and enables download and install-on-quit', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    expect(t.autoUpdater.feeds).toEqual([{ provider: 'generic', url: FEED }]);
    expect(t.autoUpdater.autoDownload).toBe(true);
    expect(t.autoUpdater.autoInstallOnAppQuit).toBe(true);
    expect(t.autoUpdater.checks).toBe(1);
    t.updater.stop();
  });

  it('checks again every interval and stops checking after stop()', async () => {
    const t = setup({ intervalHours: 2 });
    t.updater.start();
    await settle();
    expect(t.autoUpdater.checks).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(2 * HOUR);
    await settle();
    expect(t.autoUpdater.checks).toBe(2);
    t.updater.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10 * HOUR);
    await settle();
    expect(t.autoUpdater.checks).toBe(2);
  });

  it('reports idle → checking → available → downloaded from the updater events', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    t.autoUpdater.emit('checking-for-update');
    t.autoUpdater.emit('update-available', { version: '0.2.0' });
    t.autoUpdater.emit('update-downloaded', { version: '0.2.0' });
    expect(t.states()).toEqual(['checking', 'available', 'downloaded']);
    expect(t.updater.status()).toEqual({ state: 'downloaded', version: '0.2.0', deferredForCase: false, message: null });
    t.updater.stop();
  });

  it('goes back to idle when no update is available', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    t.autoUpdater.emit('checking-for-update');
    t.autoUpdater.emit('update-not-available', { version: '0.1.0' });
    expect(t.states()).toEqual(['checking', 'idle']);
    t.updater.stop();
  });

  it('reports an error with a short message, never the stack', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    const error = new Error('net::ERR_INTERNET_DISCONNECTED\n    at ClientRequest.<anonymous> (node_modules/electron-updater/out/x.js:1:1)');
    t.autoUpdater.emit('checking-for-update');
    t.autoUpdater.emit('error', error);
    const status = t.updater.status();
    expect(status.state).toBe('error');
    expect(status.message).toBe('net::ERR_INTERNET_DISCONNECTED');
    expect(status.message).not.toContain(' at ');
    expect(shortMessage(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(200);
    t.updater.stop();
  });

  it('records a rejected check as an error', async () => {
    const t = setup();
    t.autoUpdater.nextCheck = () => Promise.reject(new Error('HttpError: 404 Not Found\n"method: GET url: …"'));
    t.updater.start();
    await settle();
    expect(t.updater.status()).toMatchObject({ state: 'error', message: 'HttpError: 404 Not Found' });
    t.updater.stop();
  });

  it('never quits and installs by itself when an update has downloaded', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    t.autoUpdater.emit('update-available', { version: '0.2.0' });
    t.autoUpdater.emit('update-downloaded', { version: '0.2.0' });
    vi.advanceTimersByTime(24 * HOUR);
    await settle();
    expect(t.autoUpdater.installs).toEqual([]);
    // Once downloaded it waits for the quit rather than checking (and downloading) again.
    expect(t.autoUpdater.checks).toBe(1);
    t.updater.stop();
  });

  it('refuses installNow while a case is open and marks the update deferred', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    t.autoUpdater.emit('update-downloaded', { version: '0.2.0' });
    t.setBusy(true);
    expect(t.updater.installNow()).toBe(false);
    expect(t.autoUpdater.installs).toEqual([]);
    expect(t.updater.status()).toMatchObject({ state: 'downloaded', version: '0.2.0', deferredForCase: true });
    expect(t.statuses.at(-1)?.deferredForCase).toBe(true);
    t.updater.stop();
  });

  it('installs on request once no case is open', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    t.setBusy(true);
    t.autoUpdater.emit('update-downloaded', { version: '0.2.0' });
    expect(t.updater.status().deferredForCase).toBe(true);
    t.setBusy(false);
    t.updater.busyChanged();
    expect(t.updater.status().deferredForCase).toBe(false);
    expect(t.updater.installNow()).toBe(true);
    expect(t.autoUpdater.installs).toEqual([[true, true]]);
    t.updater.stop();
  });

  it('has nothing to install before an update has downloaded', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    t.autoUpdater.emit('update-available', { version: '0.2.0' });
    expect(t.updater.installNow()).toBe(false);
    expect(t.autoUpdater.installs).toEqual([]);
    t.updater.stop();
  });

  it('follows a changed update URL on the next check', async () => {
    const t = setup();
    t.setUrl(null);
    t.updater.start();
    await settle();
    expect(t.updater.status().state).toBe('disabled');
    t.setUrl(FEED);
    await t.updater.check();
    expect(t.autoUpdater.feeds).toEqual([{ provider: 'generic', url: FEED }]);
    expect(t.autoUpdater.checks).toBe(1);
    expect(t.updater.status().state).toBe('idle');
    t.updater.stop();
  });
});
