// Electron entry: windows, security hardening, IPC, secrets, updates. No business rules here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, webContents } from 'electron';
import electronUpdater from 'electron-updater';
import { IPC_EVENT } from '../shared/ipc/names';
import { createCore } from './core';
import { safeStorageCredentials } from './hq/credentials';
import { registerIpc } from './ipc/electron-transport';
import { createLogger } from './log';
import { safeStorageVault } from './secrets';
import { createUpdater } from './updater';
import {
  APP_ENTRY,
  createAppWindow,
  denyAllPermissions,
  enforceSingleInstance,
  hardenContents,
  registerAppScheme,
  rendererDirFrom,
  serveRenderer,
} from './security';

const mainDir = path.dirname(fileURLToPath(import.meta.url));
// Tests and multi-profile setups point the app at another data folder.
if (process.env.LOKET_USER_DATA) app.setPath('userData', process.env.LOKET_USER_DATA);

let mainWindow: BrowserWindow | null = null;

registerAppScheme(protocol);
app.enableSandbox();

function createWindow(): BrowserWindow {
  const win = createAppWindow(BrowserWindow, path.join(mainDir, '..', 'preload', 'index.cjs'));
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });
  void win.loadURL(APP_ENTRY);
  return win;
}

if (enforceSingleInstance(app, () => mainWindow)) {
  void app.whenReady().then(() => {
    const userData = app.getPath('userData');
    const log = createLogger(path.join(userData, 'logs'));
    // A case open at this desk (reported by the renderer) holds back any restart for an update.
    let busy = false;
    let settingsOf: () => { updateUrl: string | null } = () => ({ updateUrl: null });
    const updater = createUpdater({
      autoUpdater: electronUpdater.autoUpdater,
      getUpdateUrl: () => settingsOf().updateUrl,
      isBusy: () => busy,
      log,
      emit: (status) => {
        for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT, 'update.changed', status);
      },
    });
    const core = createCore({
      userDataDir: userData,
      mode: 'electron',
      version: app.getVersion(),
      log,
      vault: safeStorageVault(path.join(userData, 'secrets'), safeStorage),
      hqCredentials: safeStorageCredentials(path.join(userData, 'secrets'), safeStorage),
      updates: {
        status: () => updater.status(),
        setBusy: (value) => {
          busy = value;
          updater.busyChanged();
        },
      },
    });
    settingsOf = () => core.state.settings();
    updater.start();
    core.hq.start();
    app.on('before-quit', () => {
      updater.stop();
      void core.hq.stop();
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
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
