import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { reasonFor } from '@shared/policy/catalog';
import { useApp } from '../../app/AppContext';
import { useNow } from '../../app/useNow';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { useData } from '../../data/DataProvider';
import { csvFileName, downloadCsv, toCsv, type CsvCell } from '../../data/reports/csv';
import {
  issuedVsServed,
  rangeOf,
  noShowsByOfficer,
  refusalsByOfficer,
  refusalsByReason,
  syncHealth,
  transfersPending,
  waitByHour,
  waitingNow,
  type RangeKey,
} from '../../data/reports/dashboard';
import { useDoorDeclines, usePendingKpjs, useSources } from '../../data/hooks/dashboard';
import { ageParts, useSyncStatus } from '../../sync/useSyncStatus';
import type { ChartSeries } from './DashboardChart';
import { branchDateTime, pick } from './format';
import { useStaffNames } from '../../data/hooks/staff-names';

// recharts is loaded with the dashboard only.
const DashboardChart = lazy(() => import('./DashboardChart'));

const COLORS = { primary: '#0b6e4f', warn: '#9a5b00', muted: '#5a6773', danger: '#b42318' };

/**
 * The branch head's dashboard: queue health, refusals, transfers and sync, today or the last 7
 * days. Each chart has a title, a text summary and its data table (also as CSV).
 */
export function DashboardScreen() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { info } = useApp();
  const data = useData();
  const local = data.phase === 'ready' ? data : null;
  const now = useNow(60_000);
  const [rangeKey, setRangeKey] = useState<RangeKey>('today');
  const range = useMemo(() => rangeOf(rangeKey, now), [rangeKey, now]);
  const { sources, error } = useSources(local, range.fromDay);
  const staffNames = useStaffNames(local);
  const sync = useSyncStatus();
  const [notice, setNotice] = useState('');
  const branchCode = info?.branch?.code ?? null;

  const nameOf = (staffId: string) => {
    const name = staffNames.get(staffId);
    return name ? `${name} (${staffId})` : staffId;
  };
  const noShowName = (staffId: string) => (staffId ? nameOf(staffId) : t('dashboard.noShows.unknown'));
  const hourLabel = (hour: number) => t('dashboard.hourValue', { hour: String(hour).padStart(2, '0') });
  const reasonLabel = (code: string) => {
    const r = reasonFor(code);
    return r ? `${code} — ${pick(r.title, lang)}` : `${code} (${t('review.invented')})`;
  };
  const exportCsv = (name: string, header: string[], rows: CsvCell[][]) => {
    const file = csvFileName(`${name}-${range.fromDay}_${range.toDay}`, branchCode, new Date());
    downloadCsv(file, toCsv(header, rows));
    setNotice(t('dashboard.exported', { file }));
  };

  const wait = useMemo(() => (sources ? waitByHour(sources.tickets, range) : []), [sources, range]);
  const flow = useMemo(() => (sources ? issuedVsServed(sources.tickets, range) : []), [sources, range]);
  const reasons = useMemo(() => (sources ? refusalsByReason(sources.refusals, range) : []), [sources, range]);
  const officers = useMemo(() => (sources ? refusalsByOfficer(sources.refusals, range) : []), [sources, range]);
  const noShows = useMemo(() => (sources ? noShowsByOfficer(sources.tickets, range) : []), [sources, range]);
  const declines = useDoorDeclines(local, range);
  const pendingKpjs = usePendingKpjs(local, range);
  const transfers = useMemo(() => transfersPending(sources?.transfers ?? [], now, branchCode), [sources, now, branchCode]);
  const queueNow = useMemo(() => waitingNow(sources?.tickets ?? [], now), [sources, now]);
  const health = syncHealth(sync, now, sources?.openConflicts);

  if (data.phase === 'error') {
    return (
      <div className="page" data-screen="DashboardScreen">
        <h1 className="page__title">{t('dashboard.title')}</h1>
        <ErrorAlert>{t('review.dataError', { message: data.message })}</ErrorAlert>
      </div>
    );
  }

  const minutes = (v: number | null) => (v === null ? '—' : t('dashboard.minutes', { value: String(v).replace('.', lang.startsWith('en') ? '.' : ',') }));
  const worst = wait.filter((w) => w.p90 !== null).sort((a, b) => b.p90! - a.p90! || a.hour - b.hour)[0];
  const allWaits = wait.flatMap((w) => (w.p50 === null ? [] : [w.p50])).sort((a, b) => a - b);
  const midP50 = allWaits.length ? allWaits[Math.ceil(allWaits.length / 2) - 1]! : 0;
  const peak = [...flow].sort((a, b) => b.issued - a.issued || a.hour - b.hour)[0];
  const topOfficer = officers[0];
  const tot = reasons.reduce((s, r) => ({ refused: s.refused + r.refused, overturned: s.overturned + r.overturned, attempted: s.attempted + r.attempted }), { refused: 0, overturned: 0, attempted: 0 });

  const waitSeries: ChartSeries[] = [
    { key: 'p50', name: t('dashboard.wait.p50'), color: COLORS.primary },
    { key: 'p90', name: t('dashboard.wait.p90'), color: COLORS.warn },
  ];
  const flowSeries: ChartSeries[] = [
    { key: 'issued', name: t('dashboard.flow.issued'), color: COLORS.muted },
    { key: 'served', name: t('dashboard.flow.served'), color: COLORS.primary },
  ];
  const noShowSeries: ChartSeries[] = [
    { key: 'noShows', name: t('dashboard.noShows.count'), color: COLORS.warn },
    { key: 'returned', name: t('dashboard.noShows.returned'), color: COLORS.primary },
  ];
  const refusalSeries: ChartSeries[] = [
    { key: 'refused', name: t('dashboard.reasons.refused'), color: COLORS.primary },
    { key: 'overturned', name: t('dashboard.reasons.overturned'), color: COLORS.warn },
    { key: 'attempted', name: t('dashboard.reasons.attempted'), color: COLORS.danger },
  ];
  const age = (minutesOld: number) => {
    const a = ageParts(now.getTime() - minutesOld * 60_000, now.getTime());
    return t(a.key, { count: a.count });
  };

  return (
    <div className="page" data-screen="DashboardScreen" data-testid="dashboard-page">
      <h1 className="page__title">{t('dashboard.title')}</h1>
      <p className="page__intro">{t('dashboard.intro')}</p>
      <fieldset className="head-range">
        <legend className="field__label">{t('dashboard.range')}</legend>
        {(['today', 'week'] as const).map((k) => (
          <label key={k} className="head-range__option">
            <input type="radio" name="dashboard-range" value={k} checked={rangeKey === k} onChange={() => setRangeKey(k)} />
            {t(`dashboard.${k}`)}
          </label>
        ))}
        <span className="muted head-range__days">{range.fromDay === range.toDay ? range.toDay : `${range.fromDay} – ${range.toDay}`}</span>
      </fieldset>
      <SuccessNotice>{notice}</SuccessNotice>
      <ErrorAlert>{error ? t('review.dataError', { message: error }) : null}</ErrorAlert>

      <div className="head-tiles">
        <section className="card" aria-labelledby="dash-sync" data-testid="dashboard-sync">
          <h2 id="dash-sync" className="card__heading card__padded">
            {t('dashboard.sync.title')}
          </h2>
          <dl className="facts card__padded">
            <div>
              <dt>{t('dashboard.sync.verdict')}</dt>
              <dd>
                <span className={`head-badge head-badge--${health.verdict}`}>{t(`dashboard.sync.verdicts.${health.verdict}`)}</span>
              </dd>
            </div>
            <div>
              <dt>{t('dashboard.sync.pending')}</dt>
              <dd>{health.pendingCount}</dd>
            </div>
            <div>
              <dt>{t('dashboard.sync.oldest')}</dt>
              <dd>{health.oldestPendingMinutes === null ? t('dashboard.sync.none') : age(health.oldestPendingMinutes)}</dd>
            </div>
            <div>
              <dt>{t('dashboard.sync.lastContact')}</dt>
              <dd>{health.lastContactAt ? branchDateTime(health.lastContactAt) : t('dashboard.sync.never')}</dd>
            </div>
            <div>
              <dt>{t('dashboard.sync.lastError')}</dt>
              <dd>{health.lastError ? `${branchDateTime(health.lastError.at)} ${health.lastError.message}` : t('dashboard.sync.none')}</dd>
            </div>
            <div>
              <dt>{t('dashboard.sync.conflicts')}</dt>
              <dd>{health.conflicts}</dd>
            </div>
          </dl>
        </section>

        <section className="card" aria-labelledby="dash-queue-now" data-testid="dashboard-queue-now">
          <h2 id="dash-queue-now" className="card__heading card__padded">
            {t('dashboard.queueNow.title')}
          </h2>
          <dl className="facts card__padded">
            <div>
              <dt>{t('dashboard.queueNow.waiting')}</dt>
              <dd data-testid="dash-waiting-now">{t('dashboard.queueNow.people', { count: queueNow.waiting })}</dd>
            </div>
            <div>
              <dt>{t('dashboard.queueNow.longest')}</dt>
              <dd data-testid="dash-waiting-longest">{queueNow.longestMinutes === null ? t('dashboard.sync.none') : age(queueNow.longestMinutes)}</dd>
            </div>
          </dl>
          <p className="card__padded card__hint">{t('dashboard.queueNow.hint')}</p>
        </section>

        <section className="card" aria-labelledby="dash-transfers" data-testid="dashboard-transfers">
          <h2 id="dash-transfers" className="card__heading card__padded">
            {t('dashboard.transfers.title')}
          </h2>
          <dl className="facts card__padded">
            <div>
              <dt>{t('dashboard.transfers.incoming')}</dt>
              <dd data-testid="transfers-incoming">
                <span className={transfers.incoming.overdue > 0 ? 'head-badge head-badge--failing' : undefined}>{t('dashboard.transfers.counts', transfers.incoming)}</span>
              </dd>
            </div>
            <div>
              <dt>{t('dashboard.transfers.outgoing')}</dt>
              <dd data-testid="transfers-outgoing">
                <span className={transfers.outgoing.overdue > 0 ? 'head-badge head-badge--behind' : undefined}>{t('dashboard.transfers.counts', transfers.outgoing)}</span>
              </dd>
            </div>
          </dl>
          {transfers.rows.length === 0 ? (
            <p className="card__padded card__hint">{t('dashboard.transfers.none')}</p>
          ) : (
            <ReportTable
              header={[t('dashboard.transfers.case'), t('dashboard.transfers.direction'), t('dashboard.transfers.branch'), t('dashboard.transfers.at'), t('dashboard.transfers.deadline'), t('dashboard.transfers.left')]}
              rows={transfers.rows.map((r) => [
                r.caseId,
                r.direction === 'incoming' ? t('dashboard.transfers.dirIncoming') : t('dashboard.transfers.dirOutgoing'),
                r.branch,
                branchDateTime(r.at),
                branchDateTime(r.slaDeadline),
                r.overdue ? t('dashboard.transfers.late', { value: age(-r.minutesLeft) }) : age(r.minutesLeft),
              ])}
              onCsv={(header, rows) => exportCsv('transfer', header, rows)}
              title={t('dashboard.transfers.title')}
            />
          )}
        </section>
      </div>

      {!sources ? (
        <p className="muted" aria-busy="true">
          {t('dashboard.loading')}
        </p>
      ) : (
        <>
          <ReportSection
            id="dash-wait"
            title={t('dashboard.wait.title')}
            empty={wait.length === 0}
            summary={worst ? `${t('dashboard.wait.summary', { p90: worst.p90, hour: String(worst.hour).padStart(2, '0'), p50: midP50 })} ${t('dashboard.wait.method')}` : ''}
            chart={{ data: wait.map((w) => ({ label: hourLabel(w.hour), p50: w.p50, p90: w.p90 })), xKey: 'label', series: waitSeries }}
            header={[t('dashboard.hour'), t('dashboard.wait.called'), t('dashboard.wait.p50'), t('dashboard.wait.p90')]}
            rows={wait.map((w) => [hourLabel(w.hour), w.called, w.p50, w.p90])}
            display={(row) => [row[0], row[1], minutes(row[2] as number | null), minutes(row[3] as number | null)]}
            onCsv={(header, rows) => exportCsv('tunggu-per-jam', header, rows)}
          />
          <ReportSection
            id="dash-flow"
            title={t('dashboard.flow.title')}
            empty={flow.length === 0}
            summary={peak ? t('dashboard.flow.summary', { issued: flow.reduce((s, f) => s + f.issued, 0), served: flow.reduce((s, f) => s + f.served, 0), hour: String(peak.hour).padStart(2, '0'), peak: peak.issued }) : ''}
            chart={{ data: flow.map((f) => ({ label: hourLabel(f.hour), issued: f.issued, served: f.served })), xKey: 'label', series: flowSeries }}
            header={[t('dashboard.hour'), t('dashboard.flow.issued'), t('dashboard.flow.served')]}
            rows={flow.map((f) => [hourLabel(f.hour), f.issued, f.served])}
            onCsv={(header, rows) => exportCsv('tiket-per-jam', header, rows)}
          />
          <ReportSection
            id="dash-reasons"
            title={t('dashboard.reasons.title')}
            empty={reasons.length === 0}
            summary={t('dashboard.reasons.summary', tot)}
            chart={{ data: reasons.map((r) => ({ label: r.code, refused: r.refused, overturned: r.overturned, attempted: r.attempted })), xKey: 'label', series: refusalSeries, horizontal: true }}
            header={[t('dashboard.reasons.code'), t('dashboard.reasons.refused'), t('dashboard.reasons.overturned'), t('dashboard.reasons.attempted')]}
            rows={reasons.map((r) => [reasonLabel(r.code), r.refused, r.overturned, r.attempted])}
            onCsv={(header, rows) => exportCsv('penolakan-per-alasan', header, rows)}
          />
          <ReportSection
            id="dash-officers"
            title={t('dashboard.officers.title')}
            empty={officers.length === 0}
            summary={topOfficer ? t('dashboard.officers.summary', { name: nameOf(topOfficer.staffId), count: topOfficer.refused + topOfficer.overturned + topOfficer.attempted }) : ''}
            chart={{ data: officers.map((o) => ({ label: nameOf(o.staffId), refused: o.refused, overturned: o.overturned, attempted: o.attempted })), xKey: 'label', series: refusalSeries, horizontal: true }}
            header={[t('dashboard.officers.officer'), t('dashboard.reasons.refused'), t('dashboard.reasons.overturned'), t('dashboard.reasons.attempted')]}
            rows={officers.map((o) => [nameOf(o.staffId), o.refused, o.overturned, o.attempted])}
            onCsv={(header, rows) => exportCsv('penolakan-per-petugas', header, rows)}
          />
          <ReportSection
            id="dash-no-shows"
            title={t('dashboard.noShows.title')}
            empty={noShows.length === 0}
            summary={
              noShows[0]
                ? t('dashboard.noShows.summary', {
                    name: noShowName(noShows[0].staffId),
                    count: noShows[0].noShows,
                    calls: DEFAULT_QUEUE_CONFIG.noShowAfterCalls,
                    gap: DEFAULT_QUEUE_CONFIG.noShowCallGapMinutes,
                  })
                : ''
            }
            chart={{ data: noShows.map((o) => ({ label: noShowName(o.staffId), noShows: o.noShows, returned: o.returned })), xKey: 'label', series: noShowSeries, horizontal: true }}
            header={[t('dashboard.officers.officer'), t('dashboard.noShows.count'), t('dashboard.noShows.returned')]}
            rows={noShows.map((o) => [noShowName(o.staffId), o.noShows, o.returned])}
            onCsv={(header, rows) => exportCsv('tidak-hadir-per-petugas', header, rows)}
          />
          <ReportSection
            id="dash-pending-kpjs"
            title={t('dashboard.pendingKpjs.title')}
            empty={pendingKpjs.length === 0}
            summary={pendingKpjs[0] ? t('dashboard.pendingKpjs.summary', { name: nameOf(pendingKpjs[0].staffId), count: pendingKpjs[0].pending }) : ''}
            chart={{ data: pendingKpjs.map((o) => ({ label: nameOf(o.staffId), pending: o.pending, overdue: o.overdue })), xKey: 'label', series: [{ key: 'pending', name: t('dashboard.pendingKpjs.count'), color: COLORS.warn }, { key: 'overdue', name: t('dashboard.pendingKpjs.overdue'), color: COLORS.muted }], horizontal: true }}
            header={[t('dashboard.officers.officer'), t('dashboard.pendingKpjs.count'), t('dashboard.pendingKpjs.overdue')]}
            rows={pendingKpjs.map((o) => [nameOf(o.staffId), o.pending, o.overdue])}
            onCsv={(header, rows) => exportCsv('kpj-tertunda-per-petugas', header, rows)}
          />
          <ReportSection
            id="dash-door-declines"
            title={t('dashboard.doorDeclines.title')}
            empty={declines.length === 0}
            summary={declines[0] ? t('dashboard.doorDeclines.summary', { name: nameOf(declines[0].staffId), count: declines[0].declined }) : ''}
            chart={{ data: declines.map((o) => ({ label: nameOf(o.staffId), declined: o.declined })), xKey: 'label', series: [{ key: 'declined', name: t('dashboard.doorDeclines.count'), color: COLORS.warn }], horizontal: true }}
            header={[t('dashboard.doorDeclines.staff'), t('dashboard.doorDeclines.count')]}
            rows={declines.map((o) => [nameOf(o.staffId), o.declined])}
            onCsv={(header, rows) => exportCsv('menolak-di-pintu-per-petugas', header, rows)}
          />
        </>
      )}
    </div>
  );
}

/** A data table with its CSV download; `display` formats cells for the screen only. */
function ReportTable({
  header,
  rows,
  onCsv,
  title,
  display,
}: {
  header: string[];
  rows: CsvCell[][];
  onCsv?: (header: string[], rows: CsvCell[][]) => void;
  title: string;
  display?: (row: CsvCell[]) => ReactNode[];
}) {
  return (
    <div className="head-report__table">
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              {header.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {(display ? display(row) : row.map((c) => (c === null || c === undefined ? '—' : String(c)))).map((c, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {c}
                    </th>
                  ) : (
                    <td key={j}>{c}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {onCsv ? <CsvButton title={title} onClick={() => onCsv(header, rows)} /> : null}
    </div>
  );
}

function CsvButton({ title, onClick }: { title: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <p className="form__actions card__padded">
      <button type="button" className="button button--small" aria-label={t('dashboard.exportCsvLabel', { title })} onClick={onClick}>
        {t('dashboard.exportCsv')}
      </button>
    </p>
  );
}

function ReportSection({
  id,
  title,
  empty,
  summary,
  chart,
  header,
  rows,
  display,
  onCsv,
}: {
  id: string;
  title: string;
  empty: boolean;
  summary: string;
  chart: { data: Array<Record<string, string | number | null>>; xKey: string; series: ChartSeries[]; horizontal?: boolean };
  header: string[];
  rows: CsvCell[][];
  display?: (row: CsvCell[]) => ReactNode[];
  onCsv: (header: string[], rows: CsvCell[][]) => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="card head-report" aria-labelledby={id} data-testid={id}>
      <h2 id={id} className="card__heading card__padded">
        {title}
      </h2>
      {empty ? (
        <p className="card__padded card__hint">{t('dashboard.noData')}</p>
      ) : (
        <>
          <figure className="head-report__figure card__padded" aria-describedby={`${id}-summary`}>
            <Suspense fallback={<p className="muted">{t('dashboard.loading')}</p>}>
              <DashboardChart {...chart} />
            </Suspense>
            <figcaption id={`${id}-summary`} className="head-report__summary">
              {summary}
            </figcaption>
          </figure>
          <details className="head-report__details card__padded">
            <summary>{t('dashboard.showTable')}</summary>
            <ReportTable header={header} rows={rows} display={display} title={title} />
          </details>
          <CsvButton title={title} onClick={() => onCsv(header, rows)} />
        </>
      )}
    </section>
  );
}
