import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, Display } from 'electron';
import { displayWindows, pickDisplay } from '../../../main/display';
import { displaySnapshot } from './display-fixtures';
import { makeCore, setupPayload } from './helpers';

describe('the waiting-room display channels', () => {
  it('a signed-in PC publishes; the display (no session) gets it on display.get and then as display.changed', async () => {
    const { core, events } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    // Before any publish the display shows an empty state.
    expect(await core.dispatch('display-page', 'display.get', undefined)).toEqual({ ok: true, value: null });

    expect(await core.dispatch('head', 'display.publish', displaySnapshot)).toEqual({ ok: true, value: null });
    const sent = events.filter((e) => e.event === 'display.changed');
    // The display page registered by asking; the publishing session gets it too; nobody else.
    expect(sent.map((e) => e.clientId).sort()).toEqual(['display-page', 'head']);
    expect(sent[0]?.payload).toEqual(displaySnapshot);
    expect(await core.dispatch('another-display', 'display.get', undefined)).toEqual({ ok: true, value: displaySnapshot });
  });

  it('publishing needs a session: a display page cannot write to the display', async () => {
    const { core, events } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    await core.dispatch('display-page', 'display.get', undefined);
    expect(await core.dispatch('display-page', 'display.publish', displaySnapshot)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(events.filter((e) => e.event === 'display.changed')).toEqual([]);
    expect(await core.dispatch('display-page', 'display.get', undefined)).toEqual({ ok: true, value: null });
  });

  it('a window that closed stops receiving display changes', async () => {
    const { core, events } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    await core.dispatch('window:7', 'display.get', undefined);
    core.forget('window:7');
    await core.dispatch('head', 'display.publish', displaySnapshot);
    expect(events.filter((e) => e.event === 'display.changed').map((e) => e.clientId)).toEqual(['head']);
  });

  it('browser mode cannot open a display window or print from main: UNAVAILABLE, the page uses its own', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    expect(await core.dispatch('head', 'display.open', undefined)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await core.dispatch('head', 'print.page', undefined)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await core.dispatch('head', 'print.pdf', { name: 'kwitansi' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('only the head or an officer opens the display window; security staff cannot', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    await core.dispatch('head', 'staff.add', { staffId: 'satpam.a', name: 'Satpam A', role: 'security', pin: '480213' });
    expect(await core.dispatch('guard', 'staff.signIn', { staffId: 'satpam.a', pin: '480213' })).toMatchObject({ ok: true });
    expect(await core.dispatch('guard', 'display.open', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });
});

const display = (id: number, x: number): Display => ({ id, bounds: { x, y: 0, width: 1920, height: 1080 } }) as Display;

describe('the display window (Electron)', () => {
  it('goes full screen on the second monitor when there is one, else on the primary', () => {
    const primary = display(1, 0);
    const second = display(2, 1920);
    expect(pickDisplay({ getPrimaryDisplay: () => primary, getAllDisplays: () => [primary, second] })).toEqual({ display: second, external: true });
    expect(pickDisplay({ getPrimaryDisplay: () => primary, getAllDisplays: () => [primary] })).toEqual({ display: primary, external: false });
  });

  it('is created through the hardened window factory, once, and loads the display route', () => {
    const handlers: Record<string, () => void> = {};
    const win = {
      setMenuBarVisibility: vi.fn(),
      setBounds: vi.fn(),
      setFullScreen: vi.fn(),
      show: vi.fn(),
      focus: vi.fn(),
      isDestroyed: () => false,
      loadURL: vi.fn(() => Promise.resolve()),
      once: (e: string, f: () => void) => void (handlers[e] = f),
      on: (e: string, f: () => void) => void (handlers[e] = f),
    };
    const createAppWindow = vi.fn(() => win as unknown as BrowserWindow);
    const second = display(2, 1920);
    const windows = displayWindows({
      BrowserWindow: class {} as never,
      screen: { getPrimaryDisplay: () => display(1, 0), getAllDisplays: () => [display(1, 0), second] },
      createAppWindow,
      preload: '/p/index.cjs',
      url: 'app://loket/index.html#/display',
    });
    expect(windows.open()).toEqual({ external: true });
    expect(createAppWindow).toHaveBeenCalledWith(expect.anything(), '/p/index.cjs');
    expect(win.loadURL).toHaveBeenCalledWith('app://loket/index.html#/display');
    expect(win.setBounds).toHaveBeenCalledWith(second.bounds);
    handlers['ready-to-show']?.();
    expect(win.setFullScreen).toHaveBeenCalledWith(true);
    // A second click brings the same window forward instead of opening another.
    windows.open();
    expect(createAppWindow).toHaveBeenCalledTimes(1);
    expect(win.focus).toHaveBeenCalled();
    handlers.closed?.();
    windows.open();
    expect(createAppWindow).toHaveBeenCalledTimes(2);
  });
});
