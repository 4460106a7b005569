import { useTranslation } from 'react-i18next';
import { formatHm, parseIso } from '../app/time';
import { useNow } from '../app/useNow';
import { ageParts, useSyncStatus } from '../sync/useSyncStatus';

/**
 * The flight recorder for the branch head: the HQ link, records HQ has not acknowledged yet,
 * conflicts to review, and recent errors. Only kind, id, age and the problem: no personal data.
 */
export function SyncScreen() {
  const { t } = useTranslation();
  const sync = useSyncStatus();
  const now = useNow(15_000);
  const link = sync.link;
  const contact = parseIso(link?.lastContactAt ?? null);
  const age = (since: number) => {
    const a = ageParts(since, now.getTime());
    return t(a.key, { count: a.count });
  };
  const more = sync.pendingCount - sync.pending.length;
  const exportReport = () => {
    // The flight recorder as a file: no document content, so no personal data.
    const report = {
      exportedAt: new Date().toISOString(),
      link: link ? { url: link.url, branchCode: link.branchCode, connected: link.connected, lastContactAt: link.lastContactAt, lastError: link.lastError } : null,
      pendingCount: sync.pendingCount,
      pending: sync.pending.map((p) => ({ collection: p.collection, id: p.id, since: new Date(p.since).toISOString(), error: p.error })),
      conflicts: sync.conflicts,
      errors: sync.errors.map((e) => ({ at: new Date(e.at).toISOString(), collection: e.collection, message: e.message })),
    };
    const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `loket-sync-${link?.branchCode ?? 'device'}-${report.exportedAt.slice(0, 19).replace(/[:T]/g, '')}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="page" data-testid="sync-page">
      <h1 className="page__title">{t('sync.title')}</h1>
      <p className="page__intro">{t('sync.intro')}</p>
      <p className="form__actions">
        <button type="button" className="button" onClick={exportReport} title={t('sync.exportHint')}>
          {t('sync.export')}
        </button>
      </p>

      <section className="card" aria-labelledby="sync-link">
        <h2 id="sync-link" className="card__heading card__padded">
          {t('sync.link')}
        </h2>
        <dl className="facts card__padded" data-testid="sync-link">
          <div>
            <dt>{t('hqConnect.url')}</dt>
            <dd>{link?.enrolled ? `${link.url ?? ''} · ${link.branchCode ?? ''}` : t('sync.notEnrolled')}</dd>
          </div>
          <div>
            <dt>{t('sync.link')}</dt>
            <dd>{link?.connected ? t('sync.connected') : t('sync.disconnected')}</dd>
          </div>
          <div>
            <dt>{t('sync.lastContact')}</dt>
            <dd>{contact ? formatHm(contact) : t('sync.never')}</dd>
          </div>
          <div>
            <dt>{t('sync.lastError')}</dt>
            <dd>{link?.lastError ? `${formatHm(new Date(link.lastError.at))} ${link.lastError.code}: ${link.lastError.message}` : t('sync.none')}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="sync-pending">
        <h2 id="sync-pending" className="card__heading card__padded">
          {t('sync.pendingTitle')} ({sync.pendingCount})
        </h2>
        {sync.pendingCount === 0 ? (
          <p className="card__padded card__hint">{t('sync.pendingNone')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="sync-pending-table">
              <thead>
                <tr>
                  <th scope="col">{t('sync.collection')}</th>
                  <th scope="col">{t('sync.id')}</th>
                  <th scope="col">{t('sync.age')}</th>
                  <th scope="col">{t('sync.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {sync.pending.map((p) => (
                  <tr key={`${p.collection}/${p.id}`}>
                    <td className="nowrap">{p.collection}</td>
                    <td className="mono">{p.id}</td>
                    <td className="nowrap">{age(p.since)}</td>
                    <td>{p.error ? t('sync.rejected', { reason: p.error }) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {more > 0 ? <p className="card__padded card__hint">{t('sync.pendingMore', { count: more })}</p> : null}
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="sync-conflicts">
        <h2 id="sync-conflicts" className="card__heading card__padded">
          {t('sync.conflictsTitle')} ({sync.conflicts.length})
        </h2>
        {sync.conflicts.length === 0 ? (
          <p className="card__padded card__hint">{t('sync.conflictsNone')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="sync-conflicts-table">
              <tbody>
                {sync.conflicts.map((c) => (
                  <tr key={`${c.collection}/${c.id}`}>
                    <td className="nowrap">{c.collection}</td>
                    <td className="mono">{c.id}</td>
                    <td className="nowrap">{formatHm(new Date(c.at))}</td>
                    <td>{c.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="sync-errors">
        <h2 id="sync-errors" className="card__heading card__padded">
          {t('sync.errorsTitle')}
        </h2>
        {sync.errors.length === 0 ? (
          <p className="card__padded card__hint">{t('sync.errorsNone')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="sync-errors-table">
              <thead>
                <tr>
                  <th scope="col">{t('sync.when')}</th>
                  <th scope="col">{t('sync.collection')}</th>
                  <th scope="col">{t('sync.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {sync.errors.map((e, i) => (
                  <tr key={`${e.at}-${i}`}>
                    <td className="nowrap">{formatHm(new Date(e.at))}</td>
                    <td className="nowrap">{e.collection ?? ''}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
