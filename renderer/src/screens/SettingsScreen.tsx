import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { LANGUAGES, SettingsPatch, type Language, type Settings } from '../../../shared/settings';
import { ErrorAlert, SuccessNotice } from '../components/Alert';
import { SelectField, TextField } from '../components/Field';
import { useFocusOnError } from '../components/useFocusOnError';
import { useApp } from '../app/AppContext';
import { errorMessage, fieldErrors, serverFieldErrors } from '../app/errors';
import { applyLanguage, storeLanguage } from '../i18n';

/** Device settings for the branch head and admins, saved with `settings.set`. */
export function SettingsScreen({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const { setSettings, handleSessionError } = useApp();
  const formRef = useRef<HTMLFormElement>(null);
  const [language, setLanguage] = useState<Language>(settings.language);
  const [autoLock, setAutoLock] = useState(String(settings.autoLockMinutes));
  const [updateUrl, setUpdateUrl] = useState(settings.updateUrl ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useFocusOnError(formRef, attempt);
  // The header's ID/EN switch also saves the language; keep the form in step with it.
  useEffect(() => setLanguage(settings.language), [settings.language]);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    setSaved(false);
    const parsed = SettingsPatch.safeParse({
      language,
      autoLockMinutes: autoLock.trim() === '' ? Number.NaN : Number(autoLock),
      updateUrl: updateUrl.trim() === '' ? null : updateUrl.trim(),
    });
    if (!parsed.success) {
      setErrors(fieldErrors(t, parsed.error.issues));
      setAlert(t('validation.summary'));
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    setErrors({});
    setAlert(null);
    const result = await loket().settings.set(parsed.data);
    setBusy(false);
    if (!result.ok) {
      if (handleSessionError(result.error)) return;
      setErrors(serverFieldErrors(t, result.error));
      setAlert(errorMessage(t, result.error));
      setAttempt((a) => a + 1);
      return;
    }
    setSettings(result.value);
    storeLanguage(result.value.language);
    await applyLanguage(result.value.language);
    setSaved(true);
  }

  return (
    <div className="page page--narrow">
      <h1 className="page__title">{t('settings.title')}</h1>
      <p className="page__intro">{t('settings.intro')}</p>
      <form ref={formRef} className="card form" noValidate onSubmit={(e) => void submit(e)} aria-busy={busy}>
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
        <TextField
          id="settings-update-url"
          field="updateUrl"
          label={t('settings.updateUrl')}
          hint={t('settings.updateUrlHint')}
          type="url"
          inputMode="url"
          placeholder="https://"
          value={updateUrl}
          onChange={(e) => setUpdateUrl(e.target.value)}
          error={errors.updateUrl}
          autoComplete="off"
          spellCheck={false}
        />
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
    </div>
  );
}
