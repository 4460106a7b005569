import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { LANGUAGES, SettingsPatch, type Language, type Settings } from '@shared/settings';
import { DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { SERVICES, type Service } from '@shared/cases/schema';
import { ErrorAlert, SuccessNotice } from '../components/Alert';
import { SelectField, TextField } from '../components/Field';
import { failureOf, parseForm, useFormSubmit } from '../components/useFormSubmit';
import { useApp } from '../app/AppContext';
import { applyLanguage, storeLanguage } from '../i18n';
import { PrintTestPanel } from '../print/PrintTestPanel';
import { OpenDisplayPanel } from './display/OpenDisplayPanel';
import { BranchCalendarPanel } from './settings/BranchCalendarPanel';
import { DisplayHostPanel } from './settings/DisplayHostPanel';
import { HubPanel } from './settings/HubPanel';
import { PrintersPanel } from './settings/PrintersPanel';

/** Device settings for the branch head and admins, saved with `settings.set`. */
export function SettingsScreen({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const { setSettings, handleSessionError } = useApp();
  const [language, setLanguage] = useState<Language>(settings.language);
  const [autoLock, setAutoLock] = useState(String(settings.autoLockMinutes));
  const [saved, setSaved] = useState(false);
  // Daily capacity per service (DOMAIN "Queue"): beyond it the door books guaranteed appointments.
  const [capacity, setCapacity] = useState<Record<Service, string>>(
    () => Object.fromEntries(SERVICES.map((s) => [s, String(settings.dailyCapacity?.[s] ?? DEFAULT_QUEUE_CONFIG.dailyCapacity[s])])) as Record<Service, string>,
  );
  // The header's ID/EN switch also saves the language; keep the form in step with it.
  useEffect(() => setLanguage(settings.language), [settings.language]);

  const { formRef, errors, alert, busy, onSubmit } = useFormSubmit({
    validate: () => {
      setSaved(false);
      return parseForm(t, SettingsPatch, {
        language,
        autoLockMinutes: autoLock.trim() === '' ? Number.NaN : Number(autoLock),
        dailyCapacity: Object.fromEntries(SERVICES.map((s) => [s, capacity[s].trim() === '' ? Number.NaN : Number(capacity[s])])),
      });
    },
    call: (data) => loket().settings.set(data),
    onSuccess: async (next) => {
      setSettings(next);
      storeLanguage(next.language);
      await applyLanguage(next.language);
      setSaved(true);
    },
    onFailure: (error) => (handleSessionError(error) ? 'handled' : failureOf(t, error)),
  });

  return (
    <div className="page page--narrow">
      <h1 className="page__title">{t('settings.title')}</h1>
      <p className="page__intro">{t('settings.intro')}</p>
      <form ref={formRef} className="card form" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <ErrorAlert>{alert}</ErrorAlert>
        <SuccessNotice>{saved ? t('settings.saved') : null}</SuccessNotice>
        <SelectField
          id="settings-language"
          field="language"
          label={t('settings.language')}
          value={language}
          onChange={(e) => setLanguage(e.target.value as Language)}
          error={errors.language}
          autoFocus
        >
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`language.${l}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          id="settings-auto-lock"
          field="autoLockMinutes"
          label={t('settings.autoLockMinutes')}
          hint={t('settings.autoLockHint')}
          type="number"
          inputMode="numeric"
          min={1}
          max={120}
          step={1}
          value={autoLock}
          onChange={(e) => setAutoLock(e.target.value)}
          error={errors.autoLockMinutes}
          className="field--short"
        />
        <fieldset className="fieldset">
          <legend className="field__label">{t('settings.dailyCapacity')}</legend>
          <p className="field__hint">{t('settings.dailyCapacityHint')}</p>
          {SERVICES.map((s) => (
            <TextField
              key={s}
              id={`settings-capacity-${s}`}
              field={`dailyCapacity.${s}`}
              label={t(`door.services.${s}.title`)}
              type="number"
              inputMode="numeric"
              min={1}
              max={10000}
              step={1}
              value={capacity[s]}
              onChange={(e) => setCapacity((c) => ({ ...c, [s]: e.target.value }))}
              error={errors[`dailyCapacity.${s}`]}
              className="field--short"
            />
          ))}
        </fieldset>
        <div className="field">
          <span className="field__label">{t('settings.hqUrl')}</span>
          <p className="field__static">{settings.hqUrl ?? t('settings.hqUrlNone')}</p>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('settings.submit')}
          </button>
        </div>
      </form>
      <BranchCalendarPanel settings={settings} />
      {/* The branch hub (issue 17): this PC's role, becoming the hub, finding and pairing with it. */}
      <HubPanel />
      {/* Printer check ("contoh cetakan") and the waiting-room display: devices of this PC. */}
      <PrintersPanel />
      <PrintTestPanel />
      <OpenDisplayPanel />
      <DisplayHostPanel />
    </div>
  );
}
