import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { isTrustedSender, registerIpc } from '../../../main/ipc/electron-transport';
import {
  APP_ENTRY,
  createAppWindow,
  denyAllPermissions,
  enforceSingleInstance,
  hardenContents,
  isAppUrl,
  lockDownApp,
  registerAppScheme,
  serveRenderer,
} from '../../../main/security';
import { CSP } from '../../../main/static-files';
import { IPC_CALL } from '@shared/ipc/names';
import { makeCore, tempDir } from './helpers';
import fs from 'node:fs';
import path from 'node:path';

/** A stand-in for WebContents that records what the app did with each event. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    on: (name: string, fn: (...a: unknown[]) => void) => emitter.on(name, fn),
    setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => (openHandler = fn),
    fire(name: string, url = '') {
      const event = { prevented: false, preventDefault() { this.prevented = true; } };
      emitter.emit(name, event, url);
      return event.prevented;
    },
    open: (url: string) => openHandler?.({ url }),
  };
}

describe('window hardening', () => {
  it('isolates the renderer: contextIsolation, sandbox, no Node, webSecurity, no webview', () => {
    let options: { webPreferences?: Record<string, unknown> } = {};
    class FakeWindow {
      constructor(o: typeof options) {
        options = o;
      }
    }
    createAppWindow(FakeWindow as never, '/app/out/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs',
    });
  });

  it('packaged (issue 18 pt 2): no DevTools, no default menu; in development both stay', () => {
    const menus: unknown[] = [];
    const menu = { setApplicationMenu: (m: unknown) => void menus.push(m) };
    expect(lockDownApp(true, menu)).toEqual({ devTools: false });
    expect(menus).toEqual([null]);
    expect(lockDownApp(false, menu)).toEqual({ devTools: true });
    expect(menus).toEqual([null]);
  });

  it('a window has DevTools off unless the caller allows them (the display window never does)', () => {
    const seen: { webPreferences?: Record<string, unknown> }[] = [];
    class FakeWindow {
      constructor(o: (typeof seen)[number]) {
        seen.push(o);
      }
    }
    createAppWindow(FakeWindow as never, '/p.cjs');
    createAppWindow(FakeWindow as never, '/p.cjs', lockDownApp(true, { setApplicationMenu: () => undefined }));
    createAppWindow(FakeWindow as never, '/p.cjs', { devTools: true });
    expect(seen.map((o) => o.webPreferences?.devTools)).toEqual([false, false, true]);
  });

  it('the app entry applies the lockdown from app.isPackaged before its first window', () => {
    const entry = fs.readFileSync(new URL('../../../main/index.ts', import.meta.url), 'utf8');
    expect(entry).toMatch(/lockDownApp\(app\.isPackaged, Menu\)/);
    expect(entry).toMatch(/createAppWindow\(BrowserWindow, .*, lockdown\);/);
  });

  it('loads the app from app://loket, not file://', () => {
    expect(APP_ENTRY).toBe('app://loket/index.html');
    expect(isAppUrl(APP_ENTRY)).toBe(true);
    for (const url of ['file:///C:/app/index.html', 'https://example.com', 'app://evil/index.html', 'app:', 'not a url']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('denies navigation and redirects away from the app origin, allows in-app navigation', () => {
    const contents = fakeContents();
    const blocked: string[] = [];
    hardenContents(contents as never, (what, url) => blocked.push(`${what} ${url}`));
    expect(contents.fire('will-navigate', 'https://phish.example/login')).toBe(true);
    expect(contents.fire('will-redirect', 'http://127.0.0.1:9/x')).toBe(true);
    expect(contents.fire('will-navigate', 'app://loket/index.html#/staf')).toBe(false);
    expect(blocked).toEqual(['navigation https://phish.example/login', 'redirect http://127.0.0.1:9/x']);
  });

  it('denies window.open and webviews', () => {
    const contents = fakeContents();
    hardenContents(contents as never, () => undefined);
    expect(contents.open('https://example.com')).toEqual({ action: 'deny' });
    expect(contents.open('app://loket/index.html')).toEqual({ action: 'deny' });
    expect(contents.fire('will-attach-webview')).toBe(true);
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyAllPermissions({ setPermissionRequestHandler: (fn: never) => (request = fn), setPermissionCheckHandler: (fn: never) => (check = fn) });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      request?.({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(check?.()).toBe(false);
  });

  it('registers app:// as a standard, secure scheme', () => {
    const register = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged: register });
    const [schemes] = register.mock.calls[0] as [{ scheme: string; privileges: Record<string, boolean> }[]];
    expect(schemes).toMatchObject([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
  });

  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Loket</title>');
    fs.writeFileSync(path.join(path.dirname(dir), 'secret.txt'), 'nope');
    let handler: ((r: Request) => Promise<Response>) | undefined;
    serveRenderer({ handle: (_s: string, fn: never) => (handler = fn) }, dir);
    const page = await handler!(new Request('app://loket/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain('unsafe-inline');
    expect(CSP).not.toContain('unsafe-eval');
    expect(CSP).toContain("object-src 'none'");
    expect((await handler!(new Request('app://loket/..%2fsecret.txt'))).status).toBe(404);
    expect((await handler!(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('holds a single-instance lock: a second launch quits and focuses the first window', () => {
    const app = new EventEmitter() as EventEmitter & { requestSingleInstanceLock: () => boolean; quit: () => void };
    app.requestSingleInstanceLock = () => false;
    app.quit = vi.fn();
    expect(enforceSingleInstance(app as never, () => null)).toBe(false);
    expect(app.quit).toHaveBeenCalled();

    const first = new EventEmitter() as EventEmitter & { requestSingleInstanceLock: () => boolean; quit: () => void };
    first.requestSingleInstanceLock = () => true;
    first.quit = vi.fn();
    const win = { isMinimized: () => true, restore: vi.fn(), focus: vi.fn() };
    expect(enforceSingleInstance(first as never, () => win as never)).toBe(true);
    first.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    expect(first.quit).not.toHaveBeenCalled();
  });
});

describe('the IPC sender check', () => {
  const mainFrame = { url: 'app://loket/index.html' };
  it('accepts only the top frame of the app page', () => {
    expect(isTrustedSender({ senderFrame: mainFrame, sender: { id: 1, mainFrame } } as never)).toBe(true);
    const iframe = { url: 'app://loket/index.html' };
    expect(isTrustedSender({ senderFrame: iframe, sender: { id: 1, mainFrame } } as never)).toBe(false);
    const foreign = { url: 'https://example.com/' };
    expect(isTrustedSender({ senderFrame: foreign, sender: { id: 1, mainFrame: foreign } } as never)).toBe(false);
    expect(isTrustedSender({ senderFrame: null, sender: { id: 1, mainFrame } } as never)).toBe(false);
  });

  it('a call from a foreign frame gets FORBIDDEN_SENDER; a bad payload a typed error', async () => {
    const { core, log } = makeCore();
    let handle: ((event: unknown, channel: unknown, request: unknown) => unknown) | undefined;
    registerIpc({ handle: (name: string, fn: never) => name === IPC_CALL && (handle = fn) }, core, () => undefined, log);
    const foreign = { url: 'https://example.com/' };
    expect(await handle!({ senderFrame: foreign, sender: { id: 3, mainFrame: foreign } }, 'app.info', undefined)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await handle!({ senderFrame: mainFrame, sender: { id: 3, mainFrame } }, 'settings.set', { language: 'xx' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PAYLOAD' },
    });
    expect(await handle!({ senderFrame: mainFrame, sender: { id: 3, mainFrame } }, 'app.info', undefined)).toMatchObject({ ok: true });
  });
});
