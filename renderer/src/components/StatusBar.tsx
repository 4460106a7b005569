import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useApp } from '../app/AppContext';
import { parseIso } from '../app/time';
import { DEFAULT_BRANCH_ZONE, localTimeOf, type BranchZone } from '@shared/dates';
import { useNow } from '../app/useNow';
import { useData } from '../data/DataProvider';
import type { SyncSnapshot } from '../sync/status';
import { ageParts, useHqLinkWatcher, useSyncStatus } from '../sync/useSyncStatus';

export interface LinkStatusProps {
  t: TFunction;
  sync: SyncSnapshot;
  /** The HQ link when the store has none yet (app.info at start-up). */
  fallback: { connected: boolean; lastContactAt: string | null } | null;
  zone: BranchZone;
  now: Date;
}

/**
 * The branch hub link and the HQ link, each on its own (issue 17), and how many records are only
 * on this PC and how many are in the branch but not yet at HQ. A PC without a hub shows no hub part.
 */
export function LinkStatus({ t, sync, fallback, zone, now }: LinkStatusProps) {
  const link = sync.link;
  const enrolled = link?.enrolled ?? false;
  const hqConnected = link ? link.connected : (fallback?.connected ?? false);
  const lastContact = parseIso(link?.lastContactAt ?? fallback?.lastContactAt ?? null);
  const lastError = sync.lastError?.message ?? link?.lastError?.message ?? null;
  // HQ answered 503 HQ_BUSY: main holds back until its Retry-After (main/hq/backoff.ts); cleared by HQ's next answer.
  const hqBusy = link?.lastError?.code.endsWith(':HQ_BUSY') ?? false;
  const hub = sync.hub && sync.hub.role !== 'none' ? sync.hub : null;
  const age = sync.oldestPendingSince !== null ? ageParts(sync.oldestPendingSince, now.getTime()) : null;
  const ageText = age ? t(age.key, { count: age.count }) : null;
  const pendingText = hub
    ? [
        t('statusBar.levelLocal', { count: sync.levels.local }),
        t('statusBar.levelBranch', { count: sync.levels.branch }),
        ...(sync.pendingCount > 0 && ageText ? [t('statusBar.pendingOldest', { age: ageText })] : []),
      ].join(' · ')
    : sync.pendingCount > 0 && ageText
      ? t('statusBar.hqPendingOldest', { count: sync.pendingCount, age: ageText })
      : t('statusBar.hqPending', { count: sync.pendingCount });
  return (
    <>
      {hub ? (
        <span
          className={`status-bar__item status-bar__hub ${hub.connected ? 'is-online' : 'is-offline'}`}
          data-testid="status-hub"
          title={!hub.connected && hub.lastError ? hub.lastError.message : undefined}
        >
          <span className="status-dot" aria-hidden="true" />
          <span data-testid="status-hub-link">
            {hub.connected ? t('statusBar.hubOnline') : t('statusBar.hubOffline')}
            {hub.role === 'host' ? ` ${t('statusBar.hubThisPc')}` : ''}
          </span>
        </span>
      ) : null}
      <span
        className={`status-bar__item status-bar__hq ${hqConnected ? 'is-online' : 'is-offline'}`}
        data-testid="status-hq"
        title={!hqConnected && lastError ? lastError : undefined}
      >
        <span className="status-dot" aria-hidden="true" />
        {!enrolled ? (
          t('statusBar.hqDisconnected')
        ) : (
          <>
            <span data-testid="status-hq-link">{hqConnected ? t('statusBar.hqOnline') : t('statusBar.hqOffline')}</span>
            {hqBusy ? (
              <strong className="status-bar__flag" data-testid="status-hq-busy" role="status">
                {' · '}
                {t('statusBar.hqBusy')}
              </strong>
            ) : null}
            {sync.running ? (
              <span data-testid="status-hq-pending" data-local={sync.levels.local} data-branch={sync.levels.branch}>
                {hqConnected ? ' · ' : ' — '}
                {pendingText}
              </span>
            ) : null}
            {sync.refusedCount > 0 && sync.lastRefusal ? (
              <strong className="status-bar__flag" data-testid="status-hq-refused" title={sync.lastRefusal.reason}>
                {' · '}
                {t('statusBar.hqRefused', {
                  count: sync.refusedCount,
                  reason: sync.lastRefusal.reason.length > 40 ? `${sync.lastRefusal.reason.slice(0, 39)}…` : sync.lastRefusal.reason,
                })}
              </strong>
            ) : null}
            {sync.heldBackCount > 0 ? (
              <span className="status-bar__flag" data-testid="status-held-back">
                {' · '}
                {t('statusBar.heldBack', { count: sync.heldBackCount })}
              </span>
            ) : null}
            {sync.conflicts.length > 0 ? <strong className="status-bar__flag"> · {t('statusBar.hqConflicts', { count: sync.conflicts.length })}</strong> : null}
            {lastContact ? <span data-testid="status-hq-contact"> · {t('statusBar.hqLastContact', { time: localTimeOf(lastContact.toISOString(), zone) })}</span> : null}
            {!hqConnected && !hqBusy && lastError ? (
              <span className="status-bar__error" data-testid="status-hq-error">
                {' · '}
                {t('statusBar.hqLastError', { message: lastError.length > 40 ? `${lastError.slice(0, 39)}…` : lastError })}
              </span>
            ) : null}
          </>
        )}
      </span>
    </>
  );
}

/** The bar at the bottom of every screen: who, which branch, the time, and the links to the branch hub and HQ. */
export function StatusBar() {
  const { t } = useTranslation();
  const { info, session } = useApp();
  const now = useNow(1000);
  const branch = info?.branch;
  const zone = branch?.zone ?? DEFAULT_BRANCH_ZONE;
  useHqLinkWatcher();
  const sync = useSyncStatus();
  const data = useData();
  const flagged = data.phase === 'ready' ? data.restore.flagged.length : 0;
  const recovery = data.phase === 'ready' ? data.recovery : null;
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
          {recovery && (recovery.restored > 0 || recovery.wiped) ? (
            <strong className="status-bar__flag" data-testid="status-restored" role="status">
              {' · '}
              {recovery.restored > 0 ? t('statusBar.recordsRestored', { count: recovery.restored }) : t('statusBar.databaseWiped')}
            </strong>
          ) : null}
        </span>
      ) : null}
      <span className="status-bar__spacer" />
      <LinkStatus t={t} sync={sync} fallback={info ? info.hq : null} zone={zone} now={now} />
      {/* The branch's clock (its zone from the profile, WIB when unset), whatever the PC's own zone. */}
      <time className="status-bar__item status-bar__clock" data-testid="status-clock" dateTime={now.toISOString()}>
        {localTimeOf(now.toISOString(), zone)}
      </time>
      <span className="status-bar__item status-bar__zone" data-testid="status-zone">
        {zone}
      </span>
    </footer>
  );
}
