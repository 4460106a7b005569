import { useCallback, useEffect, useRef, useState } from 'react';
import { loket } from '../bridge';
import type { PrinterSetup, PrintersList, ScreenSetup, ScreensList } from '@shared/ipc/contract';
import type { IpcError, IpcResult } from '@shared/ipc/result';

/** What `useMainSetting` gives a settings panel: main's answer, the setting as edited, and its save. */
export interface MainSetting<L extends { setup: S }, S> {
  /** main's whole answer to the load (e.g. the printers or monitors listed with the setup); null until it came. */
  loaded: L | null;
  /** The setting as the panel shows it (main's, then edited); null until loaded. */
  setup: S | null;
  /** Edits the setting on screen (not saved yet): `next` gets the current value. */
  change: (next: (current: S) => S) => void;
  save: () => Promise<void>;
  saving: boolean;
  /** True after a save main accepted, until the next change. */
  saved: boolean;
  /** The failed load or save, kept whole so the panel says it in the current language. */
  error: IpcError | null;
}

/**
 * One setting main keeps for this PC (issue 21: printers per kind, the PC's screens): loaded once
 * when the panel opens, edited on screen, saved as a whole; what main saved comes back as the value.
 */
export function useMainSetting<L extends { setup: S }, S>(load: () => Promise<IpcResult<L>>, store: (setup: S) => Promise<IpcResult<S>>): MainSetting<L, S> {
  const [loaded, setLoaded] = useState<L | null>(null);
  const [setup, setSetup] = useState<S | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  // The calls are read when used: a panel may pass new closures on every render.
  const calls = useRef({ load, store });
  calls.current = { load, store };
  const current = useRef<S | null>(null);
  current.current = setup;

  useEffect(() => {
    let live = true;
    void calls.current.load().then((r) => {
      if (!live) return;
      if (r.ok) {
        setLoaded(r.value);
        setSetup(r.value.setup);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, []);

  const change = useCallback((next: (current: S) => S) => {
    setSaved(false);
    setSetup((s) => (s === null ? s : next(s)));
  }, []);

  const save = useCallback(async () => {
    const value = current.current;
    if (value === null) return;
    setSaving(true);
    setError(null);
    const r = await calls.current.store(value);
    setSaving(false);
    if (r.ok) {
      setSetup(r.value);
      setSaved(true);
    } else setError(r.error);
  }, []);

  return { loaded, setup, change, save, saving, saved, error };
}

/** "Printer PC ini": the PC's printers (none in a browser) and the printer and paper per document kind. */
export const usePrinterSetup = (): MainSetting<PrintersList, PrinterSetup> =>
  useMainSetting(
    () => loket().print.printers(),
    (setup) => loket().print.setup(setup),
  );

/** "Layar PC ini": the PC's monitors, the display host and its monitor, kiosk mode. */
export const useScreenSetup = (): MainSetting<ScreensList, ScreenSetup> =>
  useMainSetting(
    () => loket().display.screens(),
    (setup) => loket().display.setScreens(setup),
  );

/** The head's way out of kiosk mode: their staff id and PIN, checked by main as a sign-in is. */
export const exitKiosk = (input: { staffId: string; pin: string }): Promise<IpcResult<ScreenSetup>> => loket().display.exitKiosk(input);
