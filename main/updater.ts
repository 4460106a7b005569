// Update checks through electron-updater's generic provider (the feed electron-builder publishes:
// latest.yml + installer + blockmap). Everything Electron-specific is injected so this runs in tests.
//
// Rule: the app never restarts on its own. A downloaded update installs when the app quits
// (autoInstallOnAppQuit) or when someone asks for it with installNow() while no case is open.
//
// Updates only from us (issue 18 pt 1): the feed is fixed at build time and must be https; every
// downloaded installer must be Authenticode-signed by a publisher fixed at build time. The check runs
// in electron-updater's own hook (verifyUpdateCodeSignature) and once more on 'update-downloaded',
// because electron-updater skips its hook when app-update.yml (an editable file beside the exe) names
// no publisher. Any doubt (unsigned, other signer, the check itself failing) refuses the update.
import type { AppUpdater, UpdateDownloadedEvent, UpdateInfo, VerifyUpdateCodeSignature } from 'electron-updater';
import type { UpdateStatus } from '@shared/ipc/contract';
import { isSecureRemoteUrl } from '@shared/net/secure-url';

/** The autoUpdater events this module listens to (a subset of electron-updater's). */
export interface UpdaterEvents {
  'checking-for-update': () => void;
  'update-available': (info: UpdateInfo) => void;
  'update-not-available': (info: UpdateInfo) => void;
  'update-downloaded': (event: UpdateDownloadedEvent) => void;
  error: (error: Error, message?: string) => void;
}

/**
 * What this module needs of electron-updater's `autoUpdater`. `on` is declared here rather than picked
 * from AppUpdater because AppUpdater's returns `this` (an AppUpdater), which no test double can be.
 */
export type UpdaterClient = Pick<AppUpdater, 'setFeedURL' | 'checkForUpdates' | 'quitAndInstall'> & {
  on<E extends keyof UpdaterEvents>(event: E, listener: UpdaterEvents[E]): unknown;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  /** NsisUpdater's (Windows) code-signature hook; absent on other platforms' updaters. */
  verifyUpdateCodeSignature?: VerifyUpdateCodeSignature;
};
// Compile-time proof that the real autoUpdater can be passed in.
const _realUpdaterFits: AppUpdater extends UpdaterClient ? true : never = true;
void _realUpdaterFits;

/** Structurally the same as main/log.ts `Logger`. */
export interface UpdaterLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface UpdaterTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface UpdaterDeps {
  autoUpdater: UpdaterClient;
  /** Feed base URL fixed at build time (main/update-trust.ts); null turns update checks off. https only. */
  feedUrl: string | null;
  /** Certificate subjects an installer must be signed with (fixed at build time); none = refuse every update. */
  publishers: readonly string[];
  /**
   * The platform's Authenticode check, `(publisherNames, file) => null | reason`; default: the one the
   * autoUpdater came with (electron-updater's PowerShell check on Windows). None = refuse every update.
   */
  verifySignature?: VerifyUpdateCodeSignature;
  /** True while a case is open at this desk. */
  isBusy(): boolean;
  log: UpdaterLog;
  emit(status: UpdateStatus): void;
  /** Hours between checks; default 4. */
  intervalHours?: number;
  timers?: UpdaterTimers;
}

export interface Updater {
  /** Checks now and then every `intervalHours`. */
  start(): void;
  stop(): void;
  /** One check (e.g. after the update URL changed in settings). */
  check(): Promise<void>;
  /** Quits and installs a downloaded update unless a case is open; returns whether it did. */
  installNow(): boolean;
  /** Re-evaluates `deferredForCase` after a case opened or closed. */
  busyChanged(): void;
  status(): UpdateStatus;
}

export const DEFAULT_CHECK_INTERVAL_HOURS = 4;
const MAX_MESSAGE_LENGTH = 200;

const defaultTimers: UpdaterTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** First line of an error, bounded: the status reaches the UI, a stack trace must not. */
export function shortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = (text.split('\n')[0] ?? '').trim() || 'Update check failed';
  return firstLine.length > MAX_MESSAGE_LENGTH ? `${firstLine.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : firstLine;
}

export function createUpdater(deps: UpdaterDeps): Updater {
  const { autoUpdater, log } = deps;
  const publishers = [...deps.publishers];
  const platformVerify = deps.verifySignature ?? autoUpdater.verifyUpdateCodeSignature ?? null;

  /** null when `file` is signed by one of our publishers; otherwise why it is refused. */
  const verifyPublisher = async (file: string): Promise<string | null> => {
    if (publishers.length === 0) return 'this build names no trusted publisher';
    if (!platformVerify) return 'this platform has no code-signature check';
    try {
      const problem = await platformVerify([...publishers], file);
      return problem === null ? null : `not signed by ${publishers.join(' | ')}`;
    } catch (error) {
      return `signature could not be checked: ${shortMessage(error)}`;
    }
  };
  const timers = deps.timers ?? defaultTimers;
  const intervalMs = (deps.intervalHours ?? DEFAULT_CHECK_INTERVAL_HOURS) * 60 * 60 * 1000;

  let current: UpdateStatus = { state: 'idle', version: null, deferredForCase: false, message: null };
  let feedUrl: string | null = null;
  let timer: unknown = null;
  let listening = false;

  // A function, not `current.state`, so TypeScript does not keep a narrowing across awaits and events.
  const state = (): UpdateStatus['state'] => current.state;
  const set = (next: Partial<UpdateStatus>) => {
    current = { ...current, ...next };
    deps.emit(current);
  };

  const listen = () => {
    if (listening) return;
    listening = true;
    // electron-updater's hook, called during the download: our publishers, never app-update.yml's.
    if ('verifyUpdateCodeSignature' in autoUpdater) autoUpdater.verifyUpdateCodeSignature = (_names, file) => verifyPublisher(file);
    autoUpdater.on('checking-for-update', () => set({ state: 'checking', message: null }));
    autoUpdater.on('update-available', (info: UpdateInfo) => {
      log.info('update available', { version: info.version });
      set({ state: 'available', version: info.version, message: null });
    });
    autoUpdater.on('update-not-available', () => set({ state: 'idle', version: null, message: null }));
    // Verify, then only record it: installing is installNow()'s job, or the app quit's.
    autoUpdater.on('update-downloaded', (event: UpdateDownloadedEvent) => {
      autoUpdater.autoInstallOnAppQuit = false;
      void verifyPublisher(event.downloadedFile).then((problem) => {
        if (problem !== null) {
          log.warn('update refused', { version: event.version, reason: problem });
          set({ state: 'error', version: event.version, deferredForCase: false, message: shortMessage(`Update ${event.version} refused: ${problem}`) });
          return;
        }
        log.info('update downloaded', { version: event.version });
        autoUpdater.autoInstallOnAppQuit = true;
        set({ state: 'downloaded', version: event.version, deferredForCase: deps.isBusy(), message: null });
      });
    });
    autoUpdater.on('error', (error: Error) => {
      const message = shortMessage(error);
      log.warn('update error', { message });
      set({ state: 'error', message });
    });
  };

  const check = async (): Promise<void> => {
    const url = deps.feedUrl;
    if (!url) {
      if (current.state !== 'disabled') set({ state: 'disabled', version: null, deferredForCase: false, message: null });
      return;
    }
    if (!isSecureRemoteUrl(url)) {
      if (current.state !== 'error') {
        log.error('update feed refused: not https', { url: url.slice(0, 200) });
        set({ state: 'error', version: null, deferredForCase: false, message: 'Update feed refused: it must be an https:// address' });
      }
      return;
    }
    // A downloaded update waits for the quit; an ongoing check or download is not restarted.
    if (current.state === 'downloaded' || current.state === 'checking' || current.state === 'available') return;
    listen();
    if (url !== feedUrl) {
      autoUpdater.setFeedURL({ provider: 'generic', url });
      autoUpdater.autoDownload = true;
      // Only after the downloaded installer passed verifyPublisher ('update-downloaded').
      autoUpdater.autoInstallOnAppQuit = false;
      feedUrl = url;
      log.info('update feed set', { url });
    }
    if (current.state === 'disabled') set({ state: 'idle', message: null });
    try {
      const result = await autoUpdater.checkForUpdates();
      // null: the updater is inactive (e.g. an unpackaged dev build) and emits nothing.
      if (result === null && state() === 'checking') set({ state: 'idle' });
    } catch (error) {
      // electron-updater usually emits 'error' as well; record it once either way.
      if (state() !== 'error') {
        const message = shortMessage(error);
        log.warn('update check failed', { message });
        set({ state: 'error', message });
      }
    }
  };

  const stop = () => {
    if (timer !== null) timers.clearInterval(timer);
    timer = null;
  };

  return {
    start() {
      stop();
      void check();
      timer = timers.setInterval(() => void check(), intervalMs);
    },
    stop,
    check,
    installNow() {
      if (current.state !== 'downloaded') return false;
      if (deps.isBusy()) {
        log.info('update install deferred: a case is open', { version: current.version });
        set({ deferredForCase: true });
        return false;
      }
      log.info('installing update', { version: current.version });
      // Silent NSIS run (no wizard at the desk), then start Loket again.
      autoUpdater.quitAndInstall(true, true);
      return true;
    },
    busyChanged() {
      if (current.state !== 'downloaded') return;
      const busy = deps.isBusy();
      if (busy !== current.deferredForCase) set({ deferredForCase: busy });
    },
    status: () => ({ ...current }),
  };
}
