import { useTranslation } from 'react-i18next';
import { useApp } from '../app/AppContext';
import { formatHm } from '../app/time';
import { useNow } from '../app/useNow';
import { useData } from '../data/DataProvider';

/** The bar at the bottom of every screen: who, which branch, the time, and the link to HQ. */
export function StatusBar() {
  const { t } = useTranslation();
  const { info, session } = useApp();
  const now = useNow(1000);
  const branch = info?.branch;
  const hqConnected = info?.hq.connected ?? false;
  const data = useData();
  const flagged = data.phase === 'ready' ? data.restore.flagged.length : 0;
  return (
    <footer className="status-bar" data-testid="status-bar" aria-label={t('statusBar.label')}>
      <span className="status-bar__item" data-testid="status-user">
        {session ? (
          <>
            <strong>{session.name}</strong> · {t(`roles.${session.role}`)}
          </>
        ) : (
          t('statusBar.notSignedIn')
        )}
      </span>
      <span className="status-bar__item" data-testid="status-branch">
        {branch ? (
          <>
            <strong>{branch.code}</strong> · {branch.name}
          </>
        ) : (
          t('statusBar.noBranch')
        )}
      </span>
      {data.phase !== 'closed' ? (
        <span className={`status-bar__item status-bar__data is-${data.phase}`} data-testid="status-data" title={data.phase === 'error' ? data.message : undefined}>
          {data.phase === 'opening' ? t('statusBar.dataOpening') : data.phase === 'ready' ? t('statusBar.dataReady') : t('statusBar.dataError')}
          {flagged > 0 ? <strong className="status-bar__flag"> · {t('statusBar.casesFlagged', { count: flagged })}</strong> : null}
        </span>
      ) : null}
      <span className="status-bar__spacer" />
      <span
        className={`status-bar__item status-bar__hq ${hqConnected ? 'is-online' : 'is-offline'}`}
        data-testid="status-hq"
      >
        <span className="status-dot" aria-hidden="true" />
        {hqConnected ? t('statusBar.hqConnected') : t('statusBar.hqDisconnected')}
      </span>
      <time className="status-bar__item status-bar__clock" data-testid="status-clock" dateTime={now.toISOString()}>
        {formatHm(now)}
      </time>
    </footer>
  );
}
