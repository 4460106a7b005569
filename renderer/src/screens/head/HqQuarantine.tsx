import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HqQuarantinePage } from '@shared/ipc/contract';
import { loket } from '../../bridge';
import { useApp } from '../../app/AppContext';
import { errorMessage } from '../../app/errors';
import { formatHm } from '../../app/time';
import { ErrorAlert } from '../../components/Alert';
import { useSyncStatus } from '../../sync/useSyncStatus';

/**
 * What HQ refused from any device of this branch (the branch head's view of HQ's quarantine): what,
 * from which device, when, how often and why. The refused documents stay at HQ.
 */
export function HqQuarantine() {
  const { t } = useTranslation();
  const { session, handleSessionError } = useApp();
  const sync = useSyncStatus();
  const [entries, setEntries] = useState<HqQuarantinePage['entries'] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!session || (session.role !== 'head' && session.role !== 'admin') || !sync.link?.enrolled) return null;

  const load = async (older: boolean) => {
    if (loading) return;
    setLoading(true);
    setFailure(null);
    const r = await loket().hq.quarantine(older && next !== null ? { before: next } : {});
    setLoading(false);
    if (!r.ok) {
      if (!handleSessionError(r.error)) setFailure(t('sync.quarantineFailed', { message: errorMessage(t, r.error) }));
      return;
    }
    setEntries((before) => (older && before ? [...before, ...r.value.entries] : r.value.entries));
    setNext(r.value.next);
  };

  return (
    <section className="card" aria-labelledby="sync-quarantine" data-testid="sync-quarantine">
      <h2 id="sync-quarantine" className="card__heading card__padded">
        {t('sync.quarantineTitle')}
      </h2>
      <p className="card__padded card__hint">{t('sync.quarantineIntro')}</p>
      <p className="card__padded form__actions">
        <button type="button" className="button" onClick={() => void load(false)} disabled={loading} aria-busy={loading}>
          {loading ? t('sync.quarantineLoading') : t('sync.quarantineLoad')}
        </button>
      </p>
      {failure ? <ErrorAlert>{failure}</ErrorAlert> : null}
      {entries === null ? (
        <p className="card__padded card__hint">{t('sync.quarantineNotLoaded')}</p>
      ) : entries.length === 0 ? (
        <p className="card__padded card__hint" role="status">
          {t('sync.quarantineNone')}
        </p>
      ) : (
        <>
          <p className="card__padded card__hint" role="status">
            {t('sync.quarantineCount', { count: entries.length })}
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="sync-quarantine-table">
              <thead>
                <tr>
                  <th scope="col">{t('sync.when')}</th>
                  <th scope="col">{t('sync.collection')}</th>
                  <th scope="col">{t('sync.id')}</th>
                  <th scope="col">{t('sync.quarantineDevice')}</th>
                  <th scope="col">{t('sync.quarantineAttempts')}</th>
                  <th scope="col">{t('sync.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((q) => (
                  <tr key={q.qid} data-qid={q.qid}>
                    <td className="nowrap">{formatHm(new Date(q.lastReceivedAt))}</td>
                    <td className="nowrap">{q.collection}</td>
                    <td className="mono">{q.id}</td>
                    <td className="mono">{q.deviceId.slice(0, 8)}</td>
                    <td>{q.attempts}</td>
                    <td>{q.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next !== null ? (
            <p className="card__padded form__actions">
              <button type="button" className="button" onClick={() => void load(true)} disabled={loading}>
                {t('sync.quarantineMore')}
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
