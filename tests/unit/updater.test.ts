import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdateCheckResult, VerifyUpdateCodeSignature } from 'electron-updater';
import { UpdateStatus } from '@shared/ipc/contract';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUpdater, shortMessage } from '../../main/updater';
import { UPDATE_PUBLISHERS } from '../../main/update-trust';
import type { UpdaterClient, UpdaterDeps } from '../../main/updater';

const FEED = 'https://updates.example.test/loket/';
const HOUR = 60 * 60 * 1000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Stands in for electron-updater's autoUpdater: records calls; the test fires its events. */
class FakeAutoUpdater extends EventEmitter implements UpdaterClient {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  feeds: unknown[] = [];
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  nextCheck: () => Promise<UpdateCheckResult | null> = () => Promise.resolve(null);
  /** NsisUpdater's hook; its default is the platform's Authenticode check (faked here). */
  verifyUpdateCodeSignature: VerifyUpdateCodeSignature = fakeAuthenticode;

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

/** Our publisher, as the release job's LOKET_UPDATE_PUBLISHER would name it. */
const OURS = 'CN=Loket team, O=Loket team, C=ID';
/** Installers the fake Authenticode check knows: the signer's subject, or null for an unsigned file. */
const SIGNED_BY: Record<string, string | null> = {
  'C:\\Temp\\loket-ours.exe': OURS,
  'C:\\Temp\\loket-other.exe': 'CN=Someone Else, O=Someone Else, C=US',
  'C:\\Temp\\loket-unsigned.exe': null,
};
const downloaded = (version: string, file = 'C:\\Temp\\loket-ours.exe') => ({ version, downloadedFile: file });

/**
 * Stands in for electron-updater's default Windows check (Get-AuthenticodeSignature): null when the
 * file is validly signed by one of `publisherNames`, else the reason, like the real one.
 */
function fakeAuthenticode(publisherNames: string[], file: string): Promise<string | null> {
  const subject = SIGNED_BY[file];
  if (subject === undefined) return Promise.reject(new Error(`no such file ${file}`));
  if (subject === null) return Promise.resolve(`publisherNames: ${publisherNames.join(' | ')}, raw info: {"Status":2,"StatusMessage":"NotSigned"}`);
  return Promise.resolve(publisherNames.includes(subject) ? null : `publisherNames: ${publisherNames.join(' | ')}, raw info: {"Status":0,"Subject":"${subject}"}`);
}

function setup(overrides: Partial<UpdaterDeps> = {}) {
  const autoUpdater = new FakeAutoUpdater();
  const statuses: UpdateStatus[] = [];
  let busy = false;
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const updater = createUpdater({
    autoUpdater,
    feedUrl: FEED,
    publishers: [OURS],
    isBusy: () => busy,
    log,
    emit: (s) => statuses.push(UpdateStatus.parse(s)), // every emitted status must fit the IPC contract
    ...overrides,
  });
  return {
    autoUpdater,
    updater,
    statuses,
    log,
    states: () => statuses.map((s) => s.state),
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

  it('is disabled and never checks when the build has no update feed', async () => {
    const t = setup({ feedUrl: null });
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

  it('points electron-updater at the generic feed and enables download; install-on-quit waits for a verified installer', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    expect(t.autoUpdater.feeds).toEqual([{ provider: 'generic', url: FEED }]);
    expect(t.autoUpdater.autoDownload).toBe(true);
    expect(t.autoUpdater.autoInstallOnAppQuit).toBe(false);
    expect(t.autoUpdater.checks).toBe(1);
    t.autoUpdater.emit('update-downloaded', downloaded('0.2.0'));
    await settle();
    expect(t.autoUpdater.autoInstallOnAppQuit).toBe(true);
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
    t.autoUpdater.emit('update-downloaded', downloaded('0.2.0'));
    await settle();
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
    t.autoUpdater.emit('update-downloaded', downloaded('0.2.0'));
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
    t.autoUpdater.emit('update-downloaded', downloaded('0.2.0'));
    await settle();
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
    t.autoUpdater.emit('update-downloaded', downloaded('0.2.0'));
    await settle();
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

  it('uses the feed fixed at build time: the feed is set once and nothing can change it', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    await t.updater.check();
    expect(t.autoUpdater.feeds).toEqual([{ provider: 'generic', url: FEED }]);
    t.updater.stop();
    // The app passes the build-time feed and publishers, never the settings' updateUrl.
    const entry = readFileSync(join(root, 'main/index.ts'), 'utf8');
    expect(entry).toMatch(/feedUrl: UPDATE_FEED_URL/);
    expect(entry).toMatch(/publishers: UPDATE_PUBLISHERS/);
    expect(entry).not.toMatch(/updateUrl/);
  });
});

describe('updates only from us (issue 18 pt 1)', () => {
  it.each(['http://updates.example.test/loket/', 'ftp://updates.example.test/', 'file:///C:/updates/'])(
    'refuses the feed %s: never set, never checked',
    async (feedUrl) => {
      const t = setup({ feedUrl });
      t.updater.start();
      await settle();
      expect(t.autoUpdater.feeds).toEqual([]);
      expect(t.autoUpdater.checks).toBe(0);
      expect(t.updater.status().state).toBe('error');
      expect(t.updater.status().message).toMatch(/https/);
      t.updater.stop();
    },
  );

  it('accepts an http feed on this PC only (development)', async () => {
    const t = setup({ feedUrl: 'http://127.0.0.1:8089/' });
    t.updater.start();
    await settle();
    expect(t.autoUpdater.checks).toBe(1);
    t.updater.stop();
  });

  it('installs electron-updater’s code-signature hook, which checks the build’s publishers (not app-update.yml’s)', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    const hook = t.autoUpdater.verifyUpdateCodeSignature;
    expect(hook).not.toBe(fakeAuthenticode);
    // NsisUpdater passes the publisherName from app-update.yml, a file beside the exe anyone with admin rights can edit.
    expect(await hook(['CN=Someone Else, O=Someone Else, C=US'], 'C:\\Temp\\loket-other.exe')).toMatch(/not signed by/);
    expect(await hook(['CN=Someone Else, O=Someone Else, C=US'], 'C:\\Temp\\loket-ours.exe')).toBeNull();
    expect(await hook([], 'C:\\Temp\\loket-unsigned.exe')).toMatch(/not signed by/);
    t.updater.stop();
  });

  it('refuses a check that cannot run (the check throws) instead of trusting the file', async () => {
    const t = setup({ verifySignature: () => Promise.reject(new Error('powershell.exe not found')) });
    t.updater.start();
    await settle();
    expect(await t.autoUpdater.verifyUpdateCodeSignature([OURS], 'C:\\Temp\\loket-ours.exe')).toMatch(/could not be checked/);
    t.updater.stop();
  });

  it('refuses every update when the build names no publisher', async () => {
    const t = setup({ publishers: [] });
    t.updater.start();
    await settle();
    expect(await t.autoUpdater.verifyUpdateCodeSignature([], 'C:\\Temp\\loket-ours.exe')).toMatch(/no trusted publisher/);
    t.updater.stop();
  });

  it.each([
    ['an unsigned', 'C:\\Temp\\loket-unsigned.exe'],
    ['a wrongly signed', 'C:\\Temp\\loket-other.exe'],
  ])('refuses %s installer that reached update-downloaded: no install on request, none on quit', async (_what, file) => {
    const t = setup();
    t.updater.start();
    await settle();
    t.autoUpdater.emit('update-available', { version: '0.2.0' });
    t.autoUpdater.emit('update-downloaded', downloaded('0.2.0', file));
    await settle();
    expect(t.updater.status().state).toBe('error');
    expect(t.updater.status().message).toMatch(/refused/);
    expect(t.autoUpdater.autoInstallOnAppQuit).toBe(false);
    expect(t.updater.installNow()).toBe(false);
    expect(t.autoUpdater.installs).toEqual([]);
    expect(t.log.warn).toHaveBeenCalledWith('update refused', expect.objectContaining({ version: '0.2.0' }));
    t.updater.stop();
  });

  it('accepts an installer signed by our publisher', async () => {
    const t = setup();
    t.updater.start();
    await settle();
    t.autoUpdater.emit('update-downloaded', downloaded('0.2.0'));
    await settle();
    expect(t.updater.status().state).toBe('downloaded');
    expect(t.autoUpdater.autoInstallOnAppQuit).toBe(true);
    expect(t.updater.installNow()).toBe(true);
    t.updater.stop();
  });

  it('an unreleased build trusts no publisher (the release job bakes in LOKET_UPDATE_PUBLISHER; tests/unit/installer-config.test.ts)', () => {
    expect(UPDATE_PUBLISHERS).toEqual([]);
  });
});
