import path from 'node:path';
import type { App, BrowserWindow, BrowserWindowConstructorOptions, Menu, Protocol, Session, WebContents } from 'electron';
import { readStatic } from './static-files';

/** The renderer is served from app://loket/, never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'loket';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** What a window may have beyond the hardened defaults. */
export interface WindowAllowances {
  /** DevTools: only in development (lockDownApp). */
  devTools: boolean;
}

/**
 * Issue 18 pt 2: the packaged app has no DevTools and no default menu (whose accelerators open DevTools
 * and reload). Removes the menu when packaged; returns what the app's windows may have. Development
 * builds keep both.
 */
export function lockDownApp(isPackaged: boolean, menu: Pick<typeof Menu, 'setApplicationMenu'>): WindowAllowances {
  if (isPackaged) menu.setApplicationMenu(null);
  return { devTools: !isPackaged };
}

/**
 * Creates a Loket window with the hardened web preferences written out here, in the constructor
 * call, so that both the tests (through a fake constructor) and electronegativity see them.
 * DevTools stay off unless `allow` says otherwise.
 */
export function createAppWindow(BrowserWindow: WindowCtor, preload: string, allow: WindowAllowances = { devTools: false }): BrowserWindow {
  return new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Loket',
    backgroundColor: '#f5f7f6',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise open links in a new window.
      disableBlinkFeatures: 'Auxclick',
      devTools: allow.devTools,
    },
  });
}

/** True only for pages of our own app origin. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Must run before `app.ready`: app:// behaves like https (standard, secure, fetch allowed). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** Serves the built renderer on app://loket/ with the CSP and security headers on every response. */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const file = await readStatic(rendererDir, url.pathname);
    return new Response(new Uint8Array(file.body), { status: file.status, headers: file.headers });
  });
}

/** Every permission (camera, geolocation, notifications, …) is refused: Loket needs none. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** No navigation away from the app, no new windows, no webviews. */
export function hardenContents(contents: HardenableContents, onBlocked: (what: string, url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      onBlocked('navigation', url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      onBlocked('redirect', url);
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onBlocked('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked('window.open', url);
    return { action: 'deny' };
  });
}

/**
 * One running Loket per machine: a second launch focuses the first window and exits.
 * Returns false when this process is the second one and is quitting.
 */
export function enforceSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>, mainWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const win = mainWindow();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  return true;
}

/** Where the built renderer lives relative to the built main bundle (out/main → out/renderer). */
export function rendererDirFrom(mainDir: string): string {
  return path.join(mainDir, '..', 'renderer');
}
