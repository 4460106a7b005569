// Electron entry: windows, security hardening, IPC, secrets, updates. No business rules here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, powerMonitor, protocol, safeStorage, screen, session, webContents } from 'electron';
import electronUpdater from 'electron-updater';
import { IPC_EVENT } from '@shared/ipc/names';
import { createCore } from './core';
import { safeStorageCredentials } from './hq/credentials';
import { registerIpc } from './ipc/electron-transport';
import { createLogger } from './log';
import { safeStorageVault } from './secrets';
import { repairUserDataIndexedDb } from './storage/leveldb-repair';
import { scheduleLocalPurge } from './retention';
import { createUpdater } from './updater';
import { UPDATE_FEED_URL, UPDATE_PUBLISHERS } from './update-trust';
import { displayWindows, ScreenSetupStore } from './display';
import { windowKiosk } from './kiosk';
import { electronPrinting, PrinterSetupStore } from './printing';
import { electronSpawner } from './hub/launcher';
import { hubListenFromEnv } from './hub/hosting';
import { mdnsFromEnv } from './hub/discovery';
import {
  APP_ENTRY,
  APP_ORIGIN,
  createAppWindow,
  denyAllPermissions,
  enforceSingleInstance,
  hardenContents,
  lockDownApp,
  registerAppScheme,
  rendererDirFrom,
  serveRenderer,
} from './security';

const mainDir = path.dirname(fileURLToPath(import.meta.url));
// Tests and multi-profile setups point the app at another data folder.
if (process.env.LOKET_USER_DATA) app.setPath('userData', process.env.LOKET_USER_DATA);

let mainWindow: BrowserWindow | null = null;
// Packaged: no DevTools, no default menu (issue 18 pt 2). Set before any window exists.
let lockdown = { devTools: false };

registerAppScheme(protocol);
app.enableSandbox();

function createWindow(): BrowserWindow {
  const win = createAppWindow(BrowserWindow, path.join(mainDir, '..', 'preload', 'index.cjs'), lockdown);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });
  void win.loadURL(APP_ENTRY);
  return win;
}

/**
 * Cuts torn tails off IndexedDB's LevelDB logs before Chromium opens them: otherwise a crash in the
 * middle of a log write makes Chromium delete the whole local database two starts later
 * (docs/durability-findings.md). Runs holding the single-instance lock, before any window exists.
 */
function repairLocalDatabase(userData: string, log: ReturnType<typeof createLogger>): void {
  try {
    const started = Date.now();
    const report = repairUserDataIndexedDb(userData);
    const ms = Date.now() - started;
    // File names, sizes and reasons only: never record contents.
    for (const r of report.repaired) log.warn('indexeddb: cut torn log tail', { file: r.file, from: r.from, to: r.to, reason: r.reason });
    for (const c of report.corrupt) log.error('indexeddb: log damaged before its end, not repaired', { detail: c });
    for (const b of report.backedUp) log.error('indexeddb: copied the damaged store before Chromium opens it', { to: b });
    if (report.repaired.length || report.corrupt.length) log.info('indexeddb: log check done', { scanned: report.scanned, repaired: report.repaired.length, corrupt: report.corrupt.length, ms });
  } catch (e) {
    // Never block the start on the check itself; say what went wrong.
    log.error('indexeddb: log check failed', { error: e instanceof Error ? e.message : String(e) });
  }
}

if (enforceSingleInstance(app, () => mainWindow)) {
  const userData = app.getPath('userData');
  const log = createLogger(path.join(userData, 'logs'));
  // Before app.whenReady(): Chromium's storage has not touched the profile yet.
  repairLocalDatabase(userData, log);
  // Retention (README "Retention"): old logs, PDF copies, quarantined bytes and damaged-database copies go, daily.
  scheduleLocalPurge({ userDataDir: userData, log });
  void app.whenReady().then(() => {
    lockdown = lockDownApp(app.isPackaged, Menu);
    // A case open at this desk (reported by the renderer) holds back any restart for an update.
    let busy = false;
    // Feed and signer fixed at build time (issue 18 pt 1): settings cannot point updates elsewhere.
    const updater = createUpdater({
      autoUpdater: electronUpdater.autoUpdater,
      feedUrl: UPDATE_FEED_URL,
      publishers: UPDATE_PUBLISHERS,
      isBusy: () => busy,
      log,
      emit: (status) => {
        for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT, 'update.changed', status);
      },
    });
    const printerSetup = new PrinterSetupStore(userData);
    // Display: a full-screen waiting-room window on the second monitor, hardened like the main one;
    // on a display host it opens at start on the chosen monitor and follows it (issue 21).
    const displays = displayWindows({
      BrowserWindow,
      screen,
      createAppWindow,
      preload: path.join(mainDir, '..', 'preload', 'index.cjs'),
      url: `${APP_ORIGIN}/index.html#/display`,
      mainWindow: () => mainWindow,
    });
    // The app quitting (update install, OS shutdown) closes even a kiosk window.
    let quitting = false;
    app.on('before-quit', () => {
      quitting = true;
    });
    const kiosk = windowKiosk(() => mainWindow, () => quitting);
    const core = createCore({
      userDataDir: userData,
      mode: 'electron',
      version: app.getVersion(),
      log,
      vault: safeStorageVault(path.join(userData, 'secrets'), safeStorage),
      hqCredentials: safeStorageCredentials(path.join(userData, 'secrets'), safeStorage),
      // Main locks idle sessions by the PC's own keyboard and mouse idle time (issue 18).
      inputIdleMs: () => powerMonitor.getSystemIdleTime() * 1000,
      // Print: the calling window prints itself or is saved as a PDF copy under userData/receipts.
      printing: electronPrinting({
        contentsOf: (clientId) => webContents.fromId(Number(clientId.replace('window:', ''))),
        dir: path.join(userData, 'receipts'),
        now: () => new Date(),
        // Silent printing to this PC's printer per document kind (issue 21; the same file the handlers write).
        setup: () => printerSetup.read(),
      }),
      displayWindows: displays,
      kiosk,
      // The branch hub runs in a utilityProcess (a hub crash never takes this window down); its entry is built next to this file.
      hub: { hosting: { entry: path.join(mainDir, 'hub-child.js'), spawn: electronSpawner, ...hubListenFromEnv() } },
      // Finding the hub on the LAN, and announcing this PC's (LOKET_MDNS=0: off).
      mdns: mdnsFromEnv(log),
      // Decommission: the pages' IndexedDB goes with the rest of the local personal data.
      clearBrowserStorage: () => session.defaultSession.clearStorageData(),
      updates: {
        status: () => updater.status(),
        setBusy: (value) => {
          busy = value;
          updater.busyChanged();
        },
      },
    });
    updater.start();
    core.hq.start();
    core.hub.start();
    core.hubFinder.start();
    app.on('before-quit', () => {
      updater.stop();
      void core.hq.stop();
      void core.hub.stop();
      core.hubFinder.stop();
    });

    denyAllPermissions(session.defaultSession);
    serveRenderer(protocol, rendererDirFrom(mainDir));
    app.on('web-contents-created', (_event, contents) => {
      hardenContents(contents, (what, url) => log.warn('blocked', { what, url: url.slice(0, 200) }));
    });
    registerIpc(ipcMain, core, (id) => webContents.fromId(id), log);
    app.on('browser-window-created', (_e, win) => {
      const id = win.webContents.id;
      win.on('closed', () => core.forget(`window:${id}`));
    });

    mainWindow = createWindow();
    // Windows ending the session (shutdown, restart, log off) emits no 'before-quit': let the kiosk close too.
    mainWindow.on('session-end', () => {
      quitting = true;
    });
    // This PC's screens (issue 21): the display opens by itself on a display host, no sign-in needed
    // (it shows numbers only); the door PC's window is a kiosk until the head's PIN ends it.
    const screens = new ScreenSetupStore(userData).read();
    kiosk.apply(screens.kiosk);
    displays.host({ host: screens.displayHost, monitor: screens.monitor });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
