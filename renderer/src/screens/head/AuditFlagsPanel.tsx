import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { BranchZone } from '@shared/dates';
import { formatDay, formatInstant, langOf } from '@shared/i18n/format';
import type { AuditFlagView } from '@shared/sync/audit-flags';
import { useApp } from '../../app/AppContext';
import { errorMessage } from '../../app/errors';
import { branchZone } from '../../data/branch-zone';
import { useAuditFlags, type AuditFlagsState } from '../../data/hooks/audit-flags';
import { useSyncStatus } from '../../sync/useSyncStatus';

/** The head's sentence for one flag, by its kind, naming what it is about and its day. */
export function auditFlagText(t: TFunction, flag: AuditFlagView, language: string): string {
  const date = flag.date ? formatDay(flag.date, langOf(language)) : '';
  return t(`auditFlags.kind.${flag.kind}`, { subject: flag.subject ?? '', date });
}

export interface AuditFlagsViewProps {
  t: TFunction;
  language: string;
  zone: BranchZone | null;
  state: Pick<AuditFlagsState, 'flags' | 'more' | 'error' | 'loading'>;
  onReload: () => void;
  onOlder: () => void;
}

/**
 * "Catatan audit dari HQ": what HQ kept but flagged for this branch's review (an action recorded
 * under someone who is not staff here, a pending-KPJ follow-up against the branch's rules, a record
 * whose writing PC never sent it), newest first, each in the head's words; HQ's own wording follows
 * in small type.
 */
export function AuditFlagsView({ t, language, zone, state, onReload, onOlder }: AuditFlagsViewProps) {
  const { flags, more, error, loading } = state;
  return (
    <section className="card" aria-labelledby="audit-flags-title" data-testid="audit-flags">
      <h2 id="audit-flags-title" className="card__heading card__padded">
        {t('auditFlags.title')}
      </h2>
      <p className="card__padded card__hint">{t('auditFlags.intro')}</p>
      <p className="card__padded form__actions">
        <button type="button" className="button button--small" onClick={onReload} disabled={loading} aria-busy={loading}>
          {loading ? t('auditFlags.loading') : t('auditFlags.reload')}
        </button>
      </p>
      {/* Plain text, not an alert or status region: the review page keeps its one of each for the head's decisions. */}
      {error ? (
        <p className="card__padded card__hint" data-testid="audit-flags-failed">
          {t('auditFlags.failed', { message: errorMessage(t, error) })}
        </p>
      ) : null}
      {flags === null ? (
        error ? null : (
          <p className="card__padded card__hint" aria-busy="true">
            {t('auditFlags.loading')}
          </p>
        )
      ) : flags.length === 0 ? (
        <p className="card__padded card__hint">
          {t('auditFlags.none')}
        </p>
      ) : (
        <>
          <p className="card__padded card__hint">
            {t(more ? 'auditFlags.countMore' : 'auditFlags.count', { count: flags.length })}
          </p>
          <ul className="card__padded" data-testid="audit-flags-list">
            {flags.map((f) => (
              <li key={f.flagId} data-flag-kind={f.kind}>
                <span>{auditFlagText(t, f, language)}</span>
                <br />
                <small className="muted">
                  {t('auditFlags.noted', { when: formatInstant(f.flaggedAt, langOf(language), zone), device: f.deviceId ? f.deviceId.slice(0, 8) : '—' })}
                </small>
                <br />
                <small className="muted mono">{t('auditFlags.hqWords', { reason: f.reason })}</small>
              </li>
            ))}
          </ul>
          {more ? (
            <p className="card__padded form__actions">
              <button type="button" className="button button--small" onClick={onOlder} disabled={loading} aria-busy={loading}>
                {t('auditFlags.older')}
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

/** The panel on the head's review page: only for a head or admin on a PC enrolled at HQ. */
export function AuditFlagsPanel() {
  const { t, i18n } = useTranslation();
  const { session, handleSessionError } = useApp();
  const sync = useSyncStatus();
  const enabled = !!session && (session.role === 'head' || session.role === 'admin') && sync.link?.enrolled === true;
  const state = useAuditFlags(enabled);
  // A session that ended (locked, signed out) is handled as everywhere else.
  useEffect(() => {
    if (state.error) handleSessionError(state.error);
  }, [state.error, handleSessionError]);
  if (!enabled) return null;
  return <AuditFlagsView t={t} language={i18n.language} zone={branchZone()} state={state} onReload={state.reload} onOlder={state.loadOlder} />;
}
