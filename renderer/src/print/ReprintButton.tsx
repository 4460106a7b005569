import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lastPrinted, onLastPrinted, reprintLast } from './index';

/** "Cetak ulang": prints this window's last document again (any screen may place it). */
export function ReprintButton({ className = 'button' }: { className?: string }) {
  const { t } = useTranslation();
  const [available, setAvailable] = useState(() => lastPrinted() !== null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => onLastPrinted((doc) => setAvailable(doc !== null)), []);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={!available}
        title={t('print.reprintHint')}
        onClick={() => {
          setError(null);
          void reprintLast().then((r) => {
            if (r && !r.printed && r.reason) setError(t('print.failed', { reason: r.reason }));
          });
        }}
      >
        {t('print.reprint')}
      </button>
      {error ? (
        <p role="alert" className="alert alert--error">
          {error}
        </p>
      ) : null}
    </>
  );
}
