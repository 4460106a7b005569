import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HqEnrol } from '@shared/ipc/contract';
import { loket } from '../../bridge';
import { useApp } from '../../app/AppContext';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { failureOf, useFormSubmit } from '../../components/useFormSubmit';
import { syncStatus } from '../../sync/status';
import { useSyncStatus } from '../../sync/useSyncStatus';

/** "Hubungkan ke HQ" (head/admin, in Settings): HQ address + one-time enrolment code → device token kept by main. */
export function ConnectHqScreen() {
  const { t } = useTranslation();
  const { handleSessionError, refreshInfo, setSettings } = useApp();
  const link = useSyncStatus().link;
  const [url, setUrl] = useState(link?.url ?? '');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [done, setDone] = useState<string | null>(null);

  const { formRef, errors, alert, busy, onSubmit } = useFormSubmit({
    validate: () => {
      setDone(null);
      const parsed = HqEnrol.safeParse({ url: url.trim(), code, deviceName });
      if (parsed.success) return { ok: true, data: parsed.data };
      const out: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        out[field] ??= field === 'url' ? t('validation.url') : field === 'code' ? t('hqConnect.codeInvalid') : t('hqConnect.deviceNameInvalid');
      }
      return { ok: false, errors: out };
    },
    call: (data) => loket().hq.enrol(data),
    onSuccess: async (value) => {
      setDone(value.branchCode);
      setCode('');
      const [status, settings] = await Promise.all([loket().hq.status(), loket().settings.get()]);
      if (status.ok) syncStatus.setLink(status.value);
      if (settings.ok) setSettings(settings.value); // Settings shows the HQ address main saved
      await refreshInfo();
    },
    onFailure: (error) => {
      if (handleSessionError(error)) return 'handled';
      if (error.code === 'CONFLICT') return { errors: {}, alert: t('errorDetail.enrolBranchMismatch') };
      return failureOf(t, error);
    },
  });

  return (
    <div className="page page--narrow" data-testid="connect-hq">
      <h2 className="page__title">{t('hqConnect.title')}</h2>
      <p className="page__intro">
        {link?.enrolled ? t('hqConnect.current', { url: link.url ?? '', branch: link.branchCode ?? '' }) : t('hqConnect.notEnrolled')}{' '}
        {t('hqConnect.intro')}
      </p>
      <form ref={formRef} className="card form" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <ErrorAlert>{alert}</ErrorAlert>
        <SuccessNotice>{done ? t('hqConnect.done', { branch: done }) : null}</SuccessNotice>
        <TextField
          id="hq-url"
          field="url"
          label={t('hqConnect.url')}
          hint={t('hqConnect.urlHint')}
          type="url"
          inputMode="url"
          placeholder="https://"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          id="hq-code"
          field="code"
          label={t('hqConnect.code')}
          hint={t('hqConnect.codeHint')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={errors.code}
          autoComplete="off"
          spellCheck={false}
          className="mono"
        />
        <TextField
          id="hq-device-name"
          field="deviceName"
          label={t('hqConnect.deviceName')}
          hint={t('hqConnect.deviceNameHint')}
          value={deviceName}
          onChange={(e) => setDeviceName(e.target.value)}
          error={errors.deviceName}
          autoComplete="off"
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('hqConnect.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
