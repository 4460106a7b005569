import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** "Declined by the person": two steps, so a mis-click never records a decline. */
export function DeclinePanel({ what, onDecline }: { what: 'ticket' | 'appointment'; onDecline: () => Promise<string | null> }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  if (!asking) {
    return (
      <p className="door__restart">
        <button type="button" className="button button--ghost" onClick={() => setAsking(true)}>
          {t('door.decline.start')}
        </button>
      </p>
    );
  }
  return (
    <section className="card door-step" aria-labelledby="door-decline-title" data-testid="door-decline">
      <h2 id="door-decline-title" className="door__heading">
        {t('door.decline.title', { what: t(`door.decline.${what}`) })}
      </h2>
      <p>{t('door.decline.body')}</p>
      {alert ? (
        <div role="alert" className="alert alert--error">
          {alert}
        </div>
      ) : null}
      <div className="form__actions">
        <button
          type="button"
          className="button button--large"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onDecline().then((problem) => {
              setBusy(false);
              setAlert(problem);
            });
          }}
        >
          {t('door.decline.confirm')}
        </button>
        <button type="button" className="button button--ghost" autoFocus onClick={() => setAsking(false)}>
          {t('door.decline.cancel')}
        </button>
      </div>
    </section>
  );
}
