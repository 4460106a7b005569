import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../../bridge';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { errorMessage } from '../../app/errors';

/** "Buka layar ruang tunggu": the desktop app opens it full-screen on the second monitor; a browser opens a tab. */
export function OpenDisplayPanel() {
  const { t } = useTranslation();
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const open = async () => {
    setNotice(null);
    setError(null);
    if (!window.loket) {
      window.open('#/display', '_blank', 'noopener');
      setNotice(t('display.openedTab'));
      return;
    }
    const r = await loket().display.open();
    if (r.ok) setNotice(r.value.external ? t('display.opened') : t('display.openedPrimary'));
    else setError(errorMessage(t, r.error));
  };

  return (
    <section className="card form" aria-labelledby="open-display-title">
      <h2 id="open-display-title" className="card__heading">
        {t('display.title')}
      </h2>
      <p className="muted">{t('display.openHint')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      <SuccessNotice>{notice}</SuccessNotice>
      <div className="form__actions">
        <button type="button" className="button" onClick={() => void open()}>
          {t('display.open')}
        </button>
      </div>
    </section>
  );
}
