import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHm, parseIso } from '../../app/time';
import { useData } from '../../data/DataProvider';
import type { CaseDoc, CaseStatus } from '../../data/db/schemas';
import { syncStatus } from '../../sync/status';
import { useSyncStatus } from '../../sync/useSyncStatus';

/** What the list shows of a case: no personal data (the list reads no person, so it audits no read). */
interface CaseRow {
  id: string;
  flow: CaseDoc['flow'];
  status: CaseStatus;
  journalLength: number;
  openedAt: string;
  updatedAt: string;
  flag: string | null;
}

const LIMIT = 200;

/**
 * The branch's cases, newest first, each with whether HQ has acknowledged it. Cases made on other
 * PCs of the branch appear here once HQ has them (they come down from HQ), so "Diterima HQ" on a
 * case from another PC is true by construction, and on this PC's own cases it waits for HQ's answer.
 */
export function CaseListScreen() {
  const { t } = useTranslation();
  const data = useData();
  const sync = useSyncStatus();
  const [rows, setRows] = useState<CaseRow[] | null>(null);
  const [filter, setFilter] = useState<CaseStatus | 'all'>('all');

  useEffect(() => {
    if (data.phase !== 'ready') return;
    const selector = filter === 'all' ? {} : { status: filter };
    const sub = data.db.cases.find({ selector, sort: [{ updatedAt: 'desc' }], limit: LIMIT }).$.subscribe((docs) => {
      setRows(
        docs.map((d) => ({
          id: d.id,
          flow: d.flow,
          status: d.status,
          journalLength: d.journalLength,
          openedAt: d.openedAt,
          updatedAt: d.updatedAt,
          flag: d.flag?.reason ?? null,
        })),
      );
    });
    return () => sub.unsubscribe();
  }, [data, filter]);

  const enrolled = sync.link?.enrolled ?? false;
  const when = (iso: string) => {
    const d = parseIso(iso);
    return d ? `${d.toLocaleDateString('id-ID')} ${formatHm(d)}` : iso;
  };

  return (
    <div className="page" data-testid="cases-page">
      <h1 className="page__title">{t('cases.title')}</h1>
      <p className="page__intro">{t('cases.intro')}</p>
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
      {data.phase !== 'ready' ? (
        <p className="muted" aria-busy="true">
          {t('cases.loading')}
        </p>
      ) : rows && rows.length === 0 ? (
        <p className="muted">{t('cases.none')}</p>
      ) : (
        <section className="card">
          <table className="table" data-testid="cases-table">
            <caption className="visually-hidden">{t('cases.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.id')}</th>
                <th scope="col">{t('cases.flow')}</th>
                <th scope="col">{t('cases.state')}</th>
                <th scope="col">{t('cases.events')}</th>
                <th scope="col">{t('cases.updated')}</th>
                <th scope="col">{t('cases.hq')}</th>
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((r) => {
                const acked = syncStatus.isAcknowledged('cases', r.id);
                return (
                  <tr key={r.id} data-case={r.id}>
                    <td className="mono">{r.id}</td>
                    <td>{t(`cases.flows.${r.flow}`)}</td>
                    <td>
                      {t(`cases.status.${r.status}`)}
                      {r.flag ? <div className="muted">{r.flag}</div> : null}
                    </td>
                    <td>{r.journalLength}</td>
                    <td>{when(r.updatedAt)}</td>
                    <td data-testid="case-hq-status">{!enrolled ? t('cases.hqNotEnrolled') : acked ? t('cases.hqAcked') : t('cases.hqPending')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows && rows.length >= LIMIT ? <p className="muted card__padded">{t('cases.limited', { count: LIMIT })}</p> : null}
        </section>
      )}
    </div>
  );
}
