import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInstant, langOf } from '@shared/i18n/format';
import { useApp } from '../../app/AppContext';
import { ErrorAlert } from '../../components/Alert';
import { branchZone } from '../../data/branch-zone';
import { useData } from '../../data/DataProvider';
import { caseOutcome, parseCaseQuery, type CaseOutcome } from '../../data/case-lookup';
import { caseRefusals, searchCases, watchRecentCases } from '../../data/hooks/case-records';
import type { CaseDoc, CaseStatus } from '../../data/db/schemas';
import { syncStatus } from '../../sync/status';
import { useSyncStatus } from '../../sync/useSyncStatus';
import { CaseDetail } from './CaseDetail';

/** What the list shows of a case: no personal data (the list reads no person, so it audits no read). */
interface CaseRow {
  id: string;
  flow: CaseDoc['flow'];
  outcome: CaseOutcome;
  updatedAt: string;
  flag: string | null;
}

const LIMIT = 200;

function toRows(docs: readonly CaseDoc[], refusals: Map<string, string>): CaseRow[] {
  return docs.map((d) => ({
    id: d.id,
    flow: d.flow,
    outcome: caseOutcome(d, refusals.get(d.id) as never),
    updatedAt: d.updatedAt,
    flag: d.flag?.reason ?? null,
  }));
}

/**
 * The branch's cases, newest first, each with its outcome at a glance and whether HQ has
 * acknowledged it; the head finds any case by case number, ticket number or NIK (every search and
 * every opened case is audited). Cases made on other PCs of the branch appear here once HQ has
 * them (they come down from HQ), so "Diterima HQ" on a case from another PC is true by
 * construction, and on this PC's own cases it waits for HQ's answer.
 */
export function CaseListScreen() {
  const { t, i18n } = useTranslation();
  const data = useData();
  const { session } = useApp();
  const sync = useSyncStatus();
  const [rows, setRows] = useState<CaseRow[] | null>(null);
  const [filter, setFilter] = useState<CaseStatus | 'all'>('all');
  const [query, setQuery] = useState('');
  const [queryError, setQueryError] = useState<string | null>(null);
  const [found, setFound] = useState<{ query: string; rows: CaseRow[] } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (data.phase !== 'ready') return;
    let alive = true;
    const stop = watchRecentCases(data, filter, LIMIT, (list) => {
      void caseRefusals(data, list.map((c) => c.id)).then((refusals) => {
        if (alive) setRows(toRows(list, refusals));
      });
    });
    return () => {
      alive = false;
      stop();
    };
  }, [data, filter]);

  // Stable while the same person is signed in: opening a case is audited once, not on every render.
  const staffId = session?.staffId;
  const role = session?.role;
  const viewer = useMemo(() => (staffId && role ? { staffId, role } : null), [staffId, role]);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (data.phase !== 'ready' || !viewer) return;
    setFailure(null);
    const parsed = parseCaseQuery(query);
    if (!parsed) {
      setQueryError(t('cases.search.invalid'));
      return;
    }
    setQueryError(null);
    try {
      const docs = await searchCases(data, parsed, viewer);
      const refusals = await caseRefusals(data, docs.map((d) => d.id));
      // The query may be an NIK: the heading names what was searched, never the digits.
      setFound({ query: t(`cases.search.by.${parsed.kind}`), rows: toRows(docs, refusals) });
      setOpened(null);
      setTimeout(() => resultsHeading.current?.focus(), 0);
    } catch (err) {
      setFailure(t('cases.search.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };

  const clearSearch = () => {
    setFound(null);
    setQuery('');
    setQueryError(null);
  };

  const enrolled = sync.link?.enrolled ?? false;
  const when = (iso: string) => {
    // In the branch's zone and the screen's language: "Senin, 21 Desember 2026, 08.30".
    return formatInstant(iso, langOf(i18n.language), branchZone());
  };
  const shown = found ? found.rows : (rows ?? []);

  return (
    <div className="page" data-testid="cases-page">
      <h1 className="page__title">{t('cases.title')}</h1>
      <p className="page__intro">{t('cases.intro')}</p>
      <form className="form case-search" role="search" aria-label={t('cases.search.formLabel')} onSubmit={(e) => void search(e)} noValidate>
        <div className={['field', queryError ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
          <label htmlFor="case-search" className="field__label">
            {t('cases.search.label')}
          </label>
          <input
            id="case-search"
            className="input"
            value={query}
            autoComplete="off"
            maxLength={100}
            onChange={(e) => {
              setQuery(e.target.value);
              setQueryError(null);
            }}
            aria-invalid={queryError ? true : undefined}
            aria-describedby={['case-search-hint', queryError ? 'case-search-error' : ''].filter(Boolean).join(' ')}
          />
          <p id="case-search-hint" className="field__hint">
            {t('cases.search.hint')}
          </p>
          {queryError ? (
            <p id="case-search-error" className="field__error">
              {queryError}
            </p>
          ) : null}
        </div>
        <p className="form__actions">
          <button type="submit" className="button button--primary" disabled={data.phase !== 'ready'}>
            {t('cases.search.submit')}
          </button>
          {found ? (
            <button type="button" className="button button--ghost" onClick={clearSearch}>
              {t('cases.search.clear')}
            </button>
          ) : null}
        </p>
      </form>
      <ErrorAlert>{failure}</ErrorAlert>
      {!found ? (
        <div className="form__actions">
          <label className="field">
            <span className="field__label">{t('cases.filter')}</span>
            <select className="input" value={filter} onChange={(e) => setFilter(e.target.value as CaseStatus | 'all')}>
              <option value="all">{t('cases.all')}</option>
              <option value="open">{t('cases.status.open')}</option>
              <option value="closed">{t('cases.status.closed')}</option>
              <option value="conflict">{t('cases.status.conflict')}</option>
            </select>
          </label>
        </div>
      ) : (
        <h2 className="card__heading" tabIndex={-1} ref={resultsHeading} data-testid="case-search-results">
          {t('cases.search.results', { count: found.rows.length, by: found.query })}
        </h2>
      )}
      {opened && data.phase === 'ready' && viewer ? (
        <CaseDetail caseId={opened} local={data} viewer={viewer} onClose={() => setOpened(null)} />
      ) : null}
      {data.phase !== 'ready' ? (
        <p className="muted" aria-busy="true">
          {t('cases.loading')}
        </p>
      ) : shown.length === 0 ? (
        <p className="muted">{found ? t('cases.search.none') : t('cases.none')}</p>
      ) : (
        <section className="card">
          <table className="table" data-testid="cases-table">
            <caption className="visually-hidden">{t('cases.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.id')}</th>
                <th scope="col">{t('cases.flow')}</th>
                <th scope="col">{t('cases.outcome')}</th>
                <th scope="col">{t('cases.updated')}</th>
                <th scope="col">{t('cases.hq')}</th>
                <th scope="col">{t('cases.action')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                const acked = syncStatus.isAcknowledged('cases', r.id);
                return (
                  <tr key={r.id} data-case={r.id}>
                    <td className="mono">{r.id}</td>
                    <td>{t(`cases.flows.${r.flow}`)}</td>
                    <td data-testid="case-outcome">
                      <span className={`case-outcome case-outcome--${r.outcome}`}>{t(`cases.outcomes.${r.outcome}`)}</span>
                      {r.flag ? <div className="muted">{r.flag}</div> : null}
                    </td>
                    <td>{when(r.updatedAt)}</td>
                    <td data-testid="case-hq-status">{!enrolled ? t('cases.hqNotEnrolled') : acked ? t('cases.hqAcked') : t('cases.hqPending')}</td>
                    <td>
                      <button type="button" className="button button--ghost" aria-label={t('cases.openLabel', { caseId: r.id })} onClick={() => setOpened(r.id)}>
                        {t('cases.open')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {!found && rows && rows.length >= LIMIT ? <p className="muted card__padded">{t('cases.limited', { count: LIMIT })}</p> : null}
        </section>
      )}
    </div>
  );
}
