import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, Display, Rectangle } from 'electron';
import { displayWindows } from '../../../main/display';
import { windowKiosk } from '../../../main/kiosk';
import { makeCore, setupPayload } from './helpers';

// Fakes of Electron's `screen` (monitors plugged in and out, with its events) and BrowserWindow.
const monitor = (id: number, x: number, label = ''): Display => ({ id, label, bounds: { x, y: 0, width: 1920, height: 1080 }, workArea: { x, y: 0, width: 1920, height: 1040 } }) as Display;

function fakeScreen(initial: Display[]) {
  let displays = [...initial];
  const listeners: Record<string, ((e: unknown, d: Display) => void)[]> = {};
  return {
    getPrimaryDisplay: () => initial[0] as Display,
    getAllDisplays: () => displays,
    on: (event: 'display-added' | 'display-removed', fn: (e: unknown, d: Display) => void) => void (listeners[event] ??= []).push(fn),
    unplug(id: number) {
      const gone = displays.find((d) => d.id === id) as Display;
      displays = displays.filter((d) => d.id !== id);
      for (const fn of listeners['display-removed'] ?? []) fn({}, gone);
    },
    plug(d: Display) {
      displays.push(d);
      for (const fn of listeners['display-added'] ?? []) fn({}, d);
    },
  };
}

function fakeWindow(bounds: Rectangle = { x: 0, y: 0, width: 1280, height: 800 }) {
  const handlers: Record<string, ((e: { preventDefault(): void }) => void)[]> = {};
  const state = { bounds, fullScreen: false, visible: false, kiosk: false, closed: false };
  const win = {
    state,
    setMenuBarVisibility: vi.fn(),
    setBounds: vi.fn((b: Rectangle) => void (state.bounds = b)),
    getBounds: () => state.bounds,
    setFullScreen: vi.fn((f: boolean) => void (state.fullScreen = f)),
    isFullScreen: () => state.fullScreen,
    show: vi.fn(() => void (state.visible = true)),
    showInactive: vi.fn(() => void (state.visible = true)),
    hide: vi.fn(() => void (state.visible = false)),
    focus: vi.fn(),
    close: vi.fn(() => {
      const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
      for (const fn of handlers.close ?? []) fn(e);
      if (!e.prevented) {
        state.closed = true;
        for (const fn of handlers.closed ?? []) fn(e);
      }
    }),
    setKiosk: vi.fn((k: boolean) => void (state.kiosk = k)),
    isDestroyed: () => state.closed,
    loadURL: vi.fn(() => Promise.resolve()),
    once: (e: string, f: () => void) => void (handlers[e] ??= []).push(f),
    on: (e: string, f: (e: { preventDefault(): void }) => void) => void (handlers[e] ??= []).push(f),
    emit: (e: string) => {
      for (const fn of handlers[e] ?? []) fn({ preventDefault: () => undefined });
    },
  };
  return win;
}

function host(screen: ReturnType<typeof fakeScreen>, operator: ReturnType<typeof fakeWindow> | null) {
  const created: ReturnType<typeof fakeWindow>[] = [];
  const windows = displayWindows({
    BrowserWindow: class {} as never,
    screen,
    createAppWindow: () => {
      const w = fakeWindow();
      created.push(w);
      return w as unknown as BrowserWindow;
    },
    preload: '/p/index.cjs',
    url: 'app://loket/index.html#/display',
    mainWindow: () => operator as unknown as BrowserWindow,
  });
  return { windows, created };
}

describe('the display host (issue 21): the waiting-room display on its own monitor', () => {
  it('opens at start full screen on the chosen monitor, without anyone signing in, and keeps the operator on the primary', () => {
    const primary = monitor(1, 0);
    const tv = monitor(7, 1920, 'TV ruang tunggu');
    const screen = fakeScreen([primary, monitor(5, -1920), tv]);
    // The operator's window was left on the TV's side last time.
    const operator = fakeWindow({ x: 2000, y: 10, width: 1280, height: 800 });
    const { windows, created } = host(screen, operator);
    windows.host({ host: true, monitor: 7 });
    expect(created).toHaveLength(1);
    const display = created[0]!;
    expect(display.loadURL).toHaveBeenCalledWith('app://loket/index.html#/display');
    expect(display.state.bounds).toEqual(tv.bounds);
    display.emit('ready-to-show');
    expect(display.state).toMatchObject({ fullScreen: true, visible: true });
    expect(operator.state.bounds).toEqual(primary.workArea);
    expect(windows.monitors()).toEqual([
      { id: 1, label: 'Monitor 1', primary: true, width: 1920, height: 1080 },
      { id: 5, label: 'Monitor 2', primary: false, width: 1920, height: 1080 },
      { id: 7, label: 'TV ruang tunggu', primary: false, width: 1920, height: 1080 },
    ]);
  });

  it('steps aside when its monitor is unplugged (never over the operator) and returns to it, full screen, when it is back', () => {
    const primary = monitor(1, 0);
    const tv = monitor(7, 1920);
    const screen = fakeScreen([primary, tv]);
    const operator = fakeWindow();
    const { windows, created } = host(screen, operator);
    windows.host({ host: true, monitor: 7 });
    const display = created[0]!;
    display.emit('ready-to-show');

    screen.unplug(7);
    expect(display.state).toMatchObject({ visible: false, fullScreen: false });
    expect(operator.state.bounds).toEqual({ x: 0, y: 0, width: 1280, height: 800 });

    // The TV comes back (at another position, as Windows may give it).
    const back: Display = { ...tv, bounds: { x: 1920, y: 200, width: 1920, height: 1080 } };
    screen.plug(back);
    expect(created).toHaveLength(1);
    expect(display.state).toMatchObject({ visible: true, fullScreen: true, bounds: back.bounds });
    // Shown without taking the keyboard from the operator.
    expect(display.focus).not.toHaveBeenCalled();
  });

  it('with no monitor chosen it takes the first second monitor, and a closed display window is opened again when one returns', () => {
    const primary = monitor(1, 0);
    const screen = fakeScreen([primary]);
    const { windows, created } = host(screen, fakeWindow());
    windows.host({ host: true, monitor: null });
    // Only the operator's monitor: nothing covers it.
    expect(created).toHaveLength(0);
    screen.plug(monitor(3, 1920));
    expect(created).toHaveLength(1);
    expect(created[0]!.state.bounds).toEqual(monitor(3, 1920).bounds);
    created[0]!.close();
    screen.unplug(3);
    screen.plug(monitor(3, 1920));
    expect(created).toHaveLength(2);
  });

  it('a display-only PC (its one monitor chosen) shows the display there; stopping hosting closes it', () => {
    const only = monitor(1, 0);
    const { windows, created } = host(fakeScreen([only]), fakeWindow());
    windows.host({ host: true, monitor: 1 });
    expect(created).toHaveLength(1);
    windows.host({ host: false, monitor: 1 });
    expect(created[0]!.state.closed).toBe(true);
  });
});

describe('kiosk mode (the door PC)', () => {
  it('puts the operator window in kiosk mode and refuses to close it until kiosk mode ends', () => {
    const win = fakeWindow();
    const kiosk = windowKiosk(() => win as unknown as BrowserWindow);
    kiosk.apply(true);
    expect(win.state.kiosk).toBe(true);
    win.close();
    expect(win.state.closed).toBe(false);
    kiosk.apply(false);
    expect(win.state.kiosk).toBe(false);
    win.close();
    expect(win.state.closed).toBe(true);
  });

  it('lets the app itself quit (an update being installed, the OS shutting down) while in kiosk mode', () => {
    const win = fakeWindow();
    let quitting = false;
    const kiosk = windowKiosk(() => win as unknown as BrowserWindow, () => quitting);
    kiosk.apply(true);
    win.close();
    expect(win.state.closed).toBe(false); // the person at the door: refused
    quitting = true; // app 'before-quit'
    win.close();
    expect(win.state.closed).toBe(true);
  });

  it('the head sets it; only a head\'s PIN ends it (not the guard signed in at the door, not a wrong PIN)', async () => {
    const { core } = makeCore();
    // makeCore has no kiosk: the store and the rules are what is tested here; the window part above.
    await core.dispatch('head', 'branch.setup', setupPayload);
    await core.dispatch('head', 'staff.add', { staffId: 'satpam.a', name: 'Satpam A', role: 'security', pin: '480213' });
    expect(await core.dispatch('guard', 'staff.signIn', { staffId: 'satpam.a', pin: '480213' })).toMatchObject({ ok: true });
    const setup = { displayHost: false, monitor: null, kiosk: true };
    expect(await core.dispatch('guard', 'display.setScreens', setup)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await core.dispatch('head', 'display.setScreens', setup)).toEqual({ ok: true, value: setup });
    expect(await core.dispatch('head', 'display.screens', undefined)).toEqual({ ok: true, value: { monitors: [], setup } });
    expect(await core.dispatch('guard', 'display.exitKiosk', { staffId: 'satpam.a', pin: '480213' })).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } });
    expect(await core.dispatch('guard', 'display.exitKiosk', { staffId: setupPayload.head.staffId, pin: '111112' })).toMatchObject({ ok: false });
    expect(await core.dispatch('head', 'display.screens', undefined)).toMatchObject({ ok: true, value: { setup: { kiosk: true } } });
    expect(await core.dispatch('guard', 'display.exitKiosk', { staffId: setupPayload.head.staffId, pin: setupPayload.head.pin })).toEqual({ ok: true, value: { ...setup, kiosk: false } });
  });
});
