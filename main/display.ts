// The waiting-room display: main keeps the last snapshot a signed-in PC published and fans it out
// to every window or page that shows it. No business rules: the snapshot is built in the renderer.
import type { BrowserWindow, BrowserWindowConstructorOptions, Display, Rectangle, Screen } from 'electron';
import path from 'node:path';
import { ScreenSetup, type DisplaySnapshot, type MonitorInfo } from '@shared/ipc/contract';
import { JsonFile } from './store';

/**
 * Who receives `display.changed`: every signed-in client (their screens may show the queue too)
 * and every display page, which has no session and registers itself by calling `display.get`.
 */
export class DisplayHub {
  private latest: DisplaySnapshot | null = null;
  private readonly viewers = new Set<string>();

  constructor(private readonly send: (clientId: string, snapshot: DisplaySnapshot) => void) {}

  /** Stores the snapshot and sends it to the viewers and to `signedIn` (deduplicated). */
  publish(snapshot: DisplaySnapshot, signedIn: Iterable<string>): void {
    this.latest = snapshot;
    const targets = new Set<string>(this.viewers);
    for (const id of signedIn) targets.add(id);
    for (const id of targets) this.send(id, snapshot);
  }

  /** The current snapshot; the caller starts receiving changes. */
  get(clientId: string): DisplaySnapshot | null {
    this.viewers.add(clientId);
    return this.latest;
  }

  /** A window or page went away. */
  forget(clientId: string): void {
    this.viewers.delete(clientId);
  }

  viewerCount(): number {
    return this.viewers.size;
  }
}

/** The Electron side of `display.open`, injected into the core (browser mode has none). */
export interface DisplayWindows {
  /** Opens (or brings forward) the display window; `external` is true when it is on a second monitor. */
  open(): { external: boolean };
  /**
   * Issue 21: this PC hosts the waiting-room display. Opens it now on `monitor` (a display id; null:
   * the first monitor that is not the primary) and keeps it there: when that monitor is unplugged the
   * window steps aside (hidden, so it never covers the operator's window), and when it is back the
   * display returns to it, full screen. `false` stops following and closes the display window.
   */
  host(setup: { host: boolean; monitor: number | null }): void;
  /** The monitors of this PC, for the head to choose from. */
  monitors(): MonitorInfo[];
}

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;
type ScreenEvents = Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'> & {
  on(event: 'display-added' | 'display-removed', listener: (event: unknown, display: Display) => void): unknown;
};

export interface DisplayWindowDeps {
  BrowserWindow: WindowCtor;
  screen: ScreenEvents | Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;
  /** main/security.ts createAppWindow: the display window is hardened exactly like the main one. */
  createAppWindow: (ctor: WindowCtor, preload: string) => BrowserWindow;
  preload: string;
  /** e.g. app://loket/index.html#/display */
  url: string;
  /** The operator's window: kept on the primary monitor when the display takes another (issue 21). */
  mainWindow?: () => BrowserWindow | null;
}

/**
 * The monitor for the display: the chosen one when it is connected, else the first one that is not
 * the primary, else the primary. `chosen`: false when a monitor was chosen and is not connected.
 */
export function pickDisplay(
  screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>,
  monitor: number | null = null,
): { display: Display; external: boolean; chosen?: boolean } {
  const primary = screen.getPrimaryDisplay();
  const all = screen.getAllDisplays();
  if (monitor !== null) {
    const wanted = all.find((d) => d.id === monitor);
    if (wanted) return { display: wanted, external: wanted.id !== primary.id, chosen: true };
  }
  const other = all.find((d) => d.id !== primary.id);
  const picked = other ? { display: other, external: true } : { display: primary, external: false };
  return monitor === null ? picked : { ...picked, chosen: false };
}

const inside = (b: Rectangle, area: Rectangle): boolean => b.x >= area.x && b.y >= area.y && b.x < area.x + area.width && b.y < area.y + area.height;

/** One full-screen display window at a time, on the second monitor when there is one. */
export function displayWindows(d: DisplayWindowDeps): DisplayWindows {
  let win: BrowserWindow | null = null;
  let hosting: { monitor: number | null } | null = null;
  let listening = false;

  /** Full screen on `display`: out of full screen first, as Windows will not move a full-screen window. */
  const placeOn = (w: BrowserWindow, display: Display) => {
    if (w.isFullScreen()) w.setFullScreen(false);
    w.setBounds(display.bounds);
    w.setFullScreen(true);
  };

  /** The operator's window back on the primary monitor when it sits on the display's. */
  const keepOperatorOnPrimary = (displayMonitor: Display) => {
    const main = d.mainWindow?.();
    const primary = d.screen.getPrimaryDisplay();
    if (!main || main.isDestroyed() || displayMonitor.id === primary.id) return;
    if (!inside(main.getBounds(), primary.bounds)) main.setBounds(primary.workArea ?? primary.bounds);
  };

  const create = (display: Display): BrowserWindow => {
    const created = d.createAppWindow(d.BrowserWindow, d.preload);
    win = created;
    created.setMenuBarVisibility(false);
    created.setBounds(display.bounds);
    created.once('ready-to-show', () => {
      created.setFullScreen(true);
      created.show();
    });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    void created.loadURL(d.url);
    return created;
  };

  /** Hosting: where the display belongs now; hidden while its chosen monitor is unplugged. */
  const follow = () => {
    if (!hosting) return;
    const { display, external, chosen } = pickDisplay(d.screen, hosting.monitor);
    // The chosen monitor is away (or, with none chosen, every second monitor): step aside, never over the operator.
    const away = chosen === false || (hosting.monitor === null && !external && d.mainWindow?.() != null);
    if (away) {
      if (win && !win.isDestroyed()) {
        win.setFullScreen(false);
        win.hide();
      }
      return;
    }
    if (!win || win.isDestroyed()) create(display);
    else {
      placeOn(win, display);
      win.showInactive();
    }
    keepOperatorOnPrimary(display);
  };

  return {
    open() {
      const { display, external } = pickDisplay(d.screen, hosting?.monitor ?? null);
      if (win && !win.isDestroyed()) {
        win.setBounds(display.bounds);
        win.setFullScreen(true);
        win.show();
        win.focus();
        return { external };
      }
      create(display);
      return { external };
    },
    host(setup) {
      if (!setup.host) {
        hosting = null;
        if (win && !win.isDestroyed()) win.close();
        return;
      }
      hosting = { monitor: setup.monitor };
      if (!listening && 'on' in d.screen) {
        listening = true;
        // A monitor unplugged and plugged in again (or the TV switched off and on) comes back as these events.
        d.screen.on('display-added', () => follow());
        d.screen.on('display-removed', () => follow());
      }
      follow();
    },
    monitors() {
      const primary = d.screen.getPrimaryDisplay();
      return d.screen.getAllDisplays().map((m, i) => ({
        id: m.id,
        label: (m.label || `Monitor ${i + 1}`).slice(0, 100),
        primary: m.id === primary.id,
        width: m.bounds.width,
        height: m.bounds.height,
      }));
    },
  };
}

/**
 * This PC's screens (issue 21 pt 3), kept in `<userData>/screens.json`: whether it hosts the
 * waiting-room display and on which monitor, and whether its window runs as a kiosk (the door PC).
 */
export const DEFAULT_SCREEN_SETUP: ScreenSetup = { displayHost: false, monitor: null, kiosk: false };

export class ScreenSetupStore {
  private readonly file: JsonFile<typeof ScreenSetup>;

  constructor(userDataDir: string) {
    this.file = new JsonFile(path.join(userDataDir, 'screens.json'), ScreenSetup);
  }

  read(): ScreenSetup {
    try {
      return this.file.read() ?? { ...DEFAULT_SCREEN_SETUP };
    } catch {
      return { ...DEFAULT_SCREEN_SETUP }; // kept aside by JsonFile: an ordinary PC until the head chooses again
    }
  }

  write(setup: ScreenSetup): ScreenSetup {
    this.file.write(setup);
    return ScreenSetup.parse(setup);
  }
}
