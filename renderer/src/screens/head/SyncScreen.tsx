import { useTranslation } from 'react-i18next';
import { formatHm, parseIso } from '../../app/time';
import { useNow } from '../../app/useNow';
import { type SyncLevel } from '../../sync/status';
import { ageParts, useSyncStatus } from '../../sync/useSyncStatus';
import { doubleCallWords } from '../../sync/double-calls';
import { HandcarryExport } from './HandcarryExport';
import { HqQuarantine } from './HqQuarantine';
import { TableOrEmpty } from '../../components/TableOrEmpty';

/** The words for each level of a record (issue 17). */
const LEVEL_TEXT = {
  local: { name: 'sync.levelLocal', help: 'sync.levelLocalHelp' },
  branch: { name: 'sync.levelBranch', help: 'sync.levelBranchHelp' },
  hq: { name: 'sync.levelHq', help: 'sync.levelHqHelp' },
} as const satisfies Record<SyncLevel, { name: string; help: string }>;

/** This PC's link to the branch hub (issue 17); a PC without a hub says it sends straight to HQ. */
function HubLinkCard() {
  const { t } = useTranslation();
  const hub = useSyncStatus().hub;
  const contact = parseIso(hub?.lastContactAt ?? null);
  return (
    <section className="card" aria-labelledby="sync-hub" data-testid="sync-hub">
      <h2 id="sync-hub" className="card__heading card__padded">
        {t('sync.hubTitle')}
      </h2>
      {!hub || hub.role === 'none' ? (
        <p className="card__padded card__hint">{t('sync.hubNone')}</p>
      ) : (
        <dl className="facts card__padded">
          {hub.role === 'host' ? (
            <div>
              <dt>{t('sync.hubTitle')}</dt>
              <dd>{t('sync.hubThisPc')}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('sync.hubAddress')}</dt>
            <dd className="mono">{hub.hub?.url ?? t('sync.none')}</dd>
          </div>
          <div>
            <dt>{t('sync.link')}</dt>
            <dd>{hub.connected ? t('sync.connected') : t('sync.disconnected')}</dd>
          </div>
          <div>
            <dt>{t('sync.lastContact')}</dt>
            <dd>{contact ? formatHm(contact) : t('sync.never')}</dd>
          </div>
          <div>
            <dt>{t('sync.lastError')}</dt>
            <dd>{hub.lastError ? `${formatHm(new Date(hub.lastError.at))} ${hub.lastError.message}` : t('sync.none')}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

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
  // Not enrolled, or enrolled without a successful contact yet: nothing is known to be at HQ.
  const neverReachedHq = !link?.enrolled || !contact;
  const exportReport = () => {
    // The flight recorder as a file: no document content, so no personal data.
    const report = {
      exportedAt: new Date().toISOString(),
      link: link ? { url: link.url, branchCode: link.branchCode, connected: link.connected, lastContactAt: link.lastContactAt, lastError: link.lastError } : null,
      pendingCount: sync.pendingCount,
      levels: sync.levels,
      upstream: sync.upstream,
      pending: sync.pending.map((p) => ({ collection: p.collection, id: p.id, level: p.level, since: new Date(p.since).toISOString(), error: p.error })),
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

      <HandcarryExport />

      <HqQuarantine />

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
          <div>
            <dt>{t('sync.route')}</dt>
            <dd data-testid="sync-route">{sync.upstream === 'hub' ? t('sync.routeHub') : sync.upstream === 'hq' ? t('sync.routeHq') : t('sync.routeNone')}</dd>
          </div>
        </dl>
      </section>

      <HubLinkCard />

      <section className="card" aria-labelledby="sync-levels" data-testid="sync-levels">
        <h2 id="sync-levels" className="card__heading card__padded">
          {t('sync.levelsTitle')}
        </h2>
        <p className="card__padded card__hint">{t('sync.levelsIntro')}</p>
        <dl className="facts card__padded">
          {(['local', 'branch', 'hq'] as const).map((level) => (
            <div key={level} data-level={level}>
              <dt>
                {t(LEVEL_TEXT[level].name)} <strong data-testid={`sync-level-${level}`}>({sync.levels[level]})</strong>
              </dt>
              <dd>{t(LEVEL_TEXT[level].help)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="card" aria-labelledby="sync-pending">
        <h2 id="sync-pending" className="card__heading card__padded">
          {t('sync.pendingTitle')} ({sync.pendingCount})
        </h2>
        {sync.refusedCount > 0 ? (
          <p className="card__padded card__hint" role="status" data-testid="sync-refused">
            {t('sync.refusedSummary', { count: sync.refusedCount })}
          </p>
        ) : null}
        {/* Never "all received by HQ" from a device that has not reached HQ: say why nothing was sent. */}
        {neverReachedHq ? (
          <p className="card__padded card__hint" data-testid="sync-never-sent">
            {link?.enrolled ? t('sync.noContactYet') : t('sync.notSentNotConnected')}
          </p>
        ) : null}
        {sync.pendingCount === 0 ? (
          neverReachedHq ? null : <p className="card__padded card__hint">{t('sync.pendingNone')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="sync-pending-table">
              <thead>
                <tr>
                  <th scope="col">{t('sync.collection')}</th>
                  <th scope="col">{t('sync.id')}</th>
                  <th scope="col">{t('sync.level')}</th>
                  <th scope="col">{t('sync.age')}</th>
                  <th scope="col">{t('sync.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {sync.pending.map((p) => (
                  <tr key={`${p.collection}/${p.id}`} data-id={p.id} data-level={p.level} data-refused={p.error ? 'true' : undefined}>
                    <td className="nowrap">{p.collection}</td>
                    <td className="mono">{p.id}</td>
                    <td className="nowrap">{t(LEVEL_TEXT[p.level].name)}</td>
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
        <TableOrEmpty empty={sync.conflicts.length === 0} message={t('sync.conflictsNone')} className="card__padded card__hint">
            <table className="table" data-testid="sync-conflicts-table">
              <tbody>
                {sync.conflicts.map((c) => (
                  <tr key={`${c.collection}/${c.id}`}>
                    <td className="nowrap">{c.collection}</td>
                    <td className="mono">{c.id}</td>
                    <td className="nowrap">{formatHm(new Date(c.at))}</td>
                    <td>{doubleCallWords(c.reason, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableOrEmpty>
      </section>

      <section className="card" aria-labelledby="sync-errors">
        <h2 id="sync-errors" className="card__heading card__padded">
          {t('sync.errorsTitle')}
        </h2>
        <TableOrEmpty empty={sync.errors.length === 0} message={t('sync.errorsNone')} className="card__padded card__hint">
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
          </TableOrEmpty>
      </section>
    </div>
  );
}
