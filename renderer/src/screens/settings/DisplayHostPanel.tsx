import { useTranslation } from 'react-i18next';
import { useApp } from '../../app/AppContext';
import { errorMessage } from '../../app/errors';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { useScreenSetup } from '../../data/use-main-setting';
import type { MonitorInfo, ScreenSetup } from '@shared/ipc/contract';
import type { IpcError } from '@shared/ipc/result';

/** The select's value for "the first monitor that is not the main one" (monitor: null). */
const ANY_SECOND = '';

/**
 * "Layar PC ini" in Settings (issue 21 pt 3): this PC hosts the waiting-room display (opened full
 * screen at start on the chosen monitor, no sign-in needed, back on it after an unplug) and/or runs
 * as the door's kiosk. Kept by main per PC (display.screens / display.setScreens). The desktop app
 * only: a browser has no monitors to choose, so the panel says how to open the display there.
 */
export function DisplayHostPanel() {
  const { refreshInfo } = useApp();
  const { loaded, setup, change, save, saving, saved, error } = useScreenSetup();
  return (
    <DisplayHostPanelView
      desktop={Boolean(window.loket)}
      monitors={loaded?.monitors ?? []}
      setup={setup}
      error={error}
      saved={saved}
      saving={saving}
      onChange={(patch) => change((s) => ({ ...s, ...patch }))}
      // app.info says whether this PC is a kiosk: its pages then offer the head's way out.
      onSave={() => void save().then(refreshInfo)}
    />
  );
}

export interface DisplayHostPanelViewProps {
  /** The desktop app; false in a browser (no monitors to choose, no kiosk window). */
  desktop: boolean;
  monitors: MonitorInfo[];
  setup: ScreenSetup | null;
  error: IpcError | null;
  saved: boolean;
  saving: boolean;
  onChange: (patch: Partial<ScreenSetup>) => void;
  onSave: () => void;
}

export function DisplayHostPanelView({ desktop, monitors, setup, error, saved, saving, onChange, onSave }: DisplayHostPanelViewProps) {
  const { t } = useTranslation();
  // A monitor chosen earlier that is unplugged now stays selectable, marked as not connected.
  const chosenMissing = setup?.monitor != null && !monitors.some((m) => m.id === setup.monitor);

  return (
    <section className="card form display-host-panel" aria-labelledby="display-host-title">
      <h2 id="display-host-title" className="card__heading">
        {t('display.screens.title')}
      </h2>
      <p className="muted">{t('display.screens.intro')}</p>
      <ErrorAlert>{error ? errorMessage(t, error) : null}</ErrorAlert>
      <SuccessNotice>{saved ? t('display.screens.saved') : null}</SuccessNotice>
      {!desktop ? <p className="muted">{t('display.screens.browser')}</p> : null}
      {desktop && setup ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onSave();
          }}
        >
          <label className="checkbox">
            <input type="checkbox" checked={setup.displayHost} onChange={(e) => onChange({ displayHost: e.target.checked })} />
            <span>{t('display.screens.host')}</span>
          </label>
          <SelectField
            id="display-monitor"
            label={t('display.screens.monitor')}
            hint={monitors.length < 2 ? t('display.screens.oneMonitor') : undefined}
            value={setup.monitor === null ? ANY_SECOND : String(setup.monitor)}
            disabled={!setup.displayHost}
            onChange={(e) => onChange({ monitor: e.target.value === ANY_SECOND ? null : Number(e.target.value) })}
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
            <input type="checkbox" checked={setup.kiosk} onChange={(e) => onChange({ kiosk: e.target.checked })} />
            <span>{t('display.screens.kiosk')}</span>
          </label>
          <p className="muted">{t('display.screens.kioskHint')}</p>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={saving}>
              {t('display.screens.save')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
