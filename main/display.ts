// The waiting-room display: main keeps the last snapshot a signed-in PC published and fans it out
// to every window or page that shows it. No business rules: the snapshot is built in the renderer.
import type { BrowserWindow, BrowserWindowConstructorOptions, Display, Screen } from 'electron';
import type { DisplaySnapshot } from '../shared/ipc/contract';

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
}

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface DisplayWindowDeps {
  BrowserWindow: WindowCtor;
  screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;
  /** main/security.ts createAppWindow: the display window is hardened exactly like the main one. */
  createAppWindow: (ctor: WindowCtor, preload: string) => BrowserWindow;
  preload: string;
  /** e.g. app://loket/index.html#/display */
  url: string;
}

/** The monitor for the display: the first one that is not the primary, else the primary. */
export function pickDisplay(screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>): { display: Display; external: boolean } {
  const primary = screen.getPrimaryDisplay();
  const other = screen.getAllDisplays().find((d) => d.id !== primary.id);
  return other ? { display: other, external: true } : { display: primary, external: false };
}

/** One full-screen display window at a time, on the second monitor when there is one. */
export function displayWindows(d: DisplayWindowDeps): DisplayWindows {
  let win: BrowserWindow | null = null;
  return {
    open() {
      const { display, external } = pickDisplay(d.screen);
      if (win && !win.isDestroyed()) {
        win.setBounds(display.bounds);
        win.setFullScreen(true);
        win.focus();
        return { external };
      }
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
      return { external };
    },
  };
}
