import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../app/errors';
import { loket } from '../../bridge';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import type { MonitorInfo, ScreenSetup } from '../../../../shared/ipc/contract';

/** The select's value for "the first monitor that is not the main one" (monitor: null). */
const ANY_SECOND = '';

/**
 * "Layar PC ini" in Settings (issue 21 pt 3): this PC hosts the waiting-room display (opened full
 * screen at start on the chosen monitor, no sign-in needed, back on it after an unplug) and/or runs
 * as the door's kiosk. Kept by main per PC (display.screens / display.setScreens). The desktop app
 * only: a browser has no monitors to choose, so the panel says how to open the display there.
 */
export function DisplayHostPanel() {
  const { t } = useTranslation();
  const [monitors, setMonitors] = useState<MonitorInfo[]>([]);
  const [setup, setSetup] = useState<ScreenSetup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void loket()
      .display.screens()
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setMonitors(r.value.monitors);
          setSetup(r.value.setup);
        } else setError(errorMessage(t, r.error));
      });
    return () => {
      live = false;
    };
  }, [t]);

  const change = (patch: Partial<ScreenSetup>) => {
    setSaved(false);
    setSetup((s) => (s ? { ...s, ...patch } : s));
  };
  const save = async () => {
    if (!setup) return;
    setBusy(true);
    setError(null);
    const r = await loket().display.setScreens(setup);
    setBusy(false);
    if (r.ok) {
      setSetup(r.value);
      setSaved(true);
    } else setError(errorMessage(t, r.error));
  };
  // A monitor chosen earlier that is unplugged now stays selectable, marked as not connected.
  const chosenMissing = setup?.monitor != null && !monitors.some((m) => m.id === setup.monitor);

  return (
    <section className="card form display-host-panel" aria-labelledby="display-host-title">
      <h2 id="display-host-title" className="card__heading">
        {t('display.screens.title')}
      </h2>
      <p className="muted">{t('display.screens.intro')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      <SuccessNotice>{saved ? t('display.screens.saved') : null}</SuccessNotice>
      {!window.loket ? <p className="muted">{t('display.screens.browser')}</p> : null}
      {window.loket && setup ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label className="checkbox">
            <input type="checkbox" checked={setup.displayHost} onChange={(e) => change({ displayHost: e.target.checked })} />
            <span>{t('display.screens.host')}</span>
          </label>
          <SelectField
            id="display-monitor"
            label={t('display.screens.monitor')}
            hint={monitors.length < 2 ? t('display.screens.oneMonitor') : undefined}
            value={setup.monitor === null ? ANY_SECOND : String(setup.monitor)}
            disabled={!setup.displayHost}
            onChange={(e) => change({ monitor: e.target.value === ANY_SECOND ? null : Number(e.target.value) })}
          >
            <option value={ANY_SECOND}>{t('display.screens.anySecond')}</option>
            {monitors.map((m) => (
              <option key={m.id} value={String(m.id)}>
                {t(m.primary ? 'display.screens.monitorPrimary' : 'display.screens.monitorOther', { label: m.label, width: m.width, height: m.height })}
              </option>
            ))}
            {chosenMissing ? <option value={String(setup.monitor)}>{t('display.screens.monitorMissing')}</option> : null}
          </SelectField>
          <label className="checkbox">
            <input type="checkbox" checked={setup.kiosk} onChange={(e) => change({ kiosk: e.target.checked })} />
            <span>{t('display.screens.kiosk')}</span>
          </label>
          <p className="muted">{t('display.screens.kioskHint')}</p>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {t('display.screens.save')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
