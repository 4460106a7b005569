// Update checks through electron-updater's generic provider (the feed electron-builder publishes:
// latest.yml + installer + blockmap). Everything Electron-specific is injected so this runs in tests.
//
// Rule: the app never restarts on its own. A downloaded update installs when the app quits
// (autoInstallOnAppQuit) or when someone asks for it with installNow() while no case is open.
import type { AppUpdater, UpdateDownloadedEvent, UpdateInfo } from 'electron-updater';
import type { UpdateStatus } from '../shared/ipc/contract';

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
  /** Feed base URL from settings (`updateUrl`); null turns update checks off. Read before every check. */
  getUpdateUrl(): string | null;
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
    autoUpdater.on('checking-for-update', () => set({ state: 'checking', message: null }));
    autoUpdater.on('update-available', (info: UpdateInfo) => {
      log.info('update available', { version: info.version });
      set({ state: 'available', version: info.version, message: null });
    });
    autoUpdater.on('update-not-available', () => set({ state: 'idle', version: null, message: null }));
    // Only record it: installing is installNow()'s job, or the app quit's.
    autoUpdater.on('update-downloaded', (event: UpdateDownloadedEvent) => {
      log.info('update downloaded', { version: event.version });
      set({ state: 'downloaded', version: event.version, deferredForCase: deps.isBusy(), message: null });
    });
    autoUpdater.on('error', (error: Error) => {
      const message = shortMessage(error);
      log.warn('update error', { message });
      set({ state: 'error', message });
    });
  };

  const check = async (): Promise<void> => {
    const url = deps.getUpdateUrl();
    if (!url) {
      feedUrl = null;
      if (current.state !== 'disabled') set({ state: 'disabled', version: null, deferredForCase: false, message: null });
      return;
    }
    // A downloaded update waits for the quit; an ongoing check or download is not restarted.
    if (current.state === 'downloaded' || current.state === 'checking' || current.state === 'available') return;
    listen();
    if (url !== feedUrl) {
      autoUpdater.setFeedURL({ provider: 'generic', url });
      autoUpdater.autoDownload = true;
      autoUpdater.autoInstallOnAppQuit = true;
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
