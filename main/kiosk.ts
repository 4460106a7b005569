// Kiosk mode for the door PC (issue 21 pt 3): one window, full screen, no way out (no close, no
// other window) until the head types their PIN (`kiosk.exit`, checked in the handlers).
import type { BrowserWindow } from 'electron';

export interface Kiosk {
  /** Turns kiosk mode on or off for the operator's window (and for a window created later). */
  apply(on: boolean): void;
  isOn(): boolean;
}

type KioskWindow = Pick<BrowserWindow, 'setKiosk' | 'isDestroyed' | 'on'>;

/**
 * `quitting`: true once the app itself is quitting (an update being installed, the OS shutting down,
 * the head quitting from the menu): a kiosk refuses the person at the door a way out, not the app.
 */
export function windowKiosk(mainWindow: () => KioskWindow | null, quitting: () => boolean = () => false): Kiosk {
  let on = false;
  const guarded = new WeakSet<KioskWindow>();
  const guard = (win: KioskWindow) => {
    if (guarded.has(win)) return;
    guarded.add(win);
    // Alt+F4, the close button or the OS closing the window: refused while in kiosk mode.
    win.on('close', (event: { preventDefault(): void }) => {
      if (on && !quitting()) event.preventDefault();
    });
  };
  return {
    apply(next) {
      on = next;
      const win = mainWindow();
      if (!win || win.isDestroyed()) return;
      guard(win);
      win.setKiosk(next);
    },
    isOn: () => on,
  };
}
