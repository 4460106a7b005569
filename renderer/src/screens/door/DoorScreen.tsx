import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../../bridge';
import { useApp } from '../../app/AppContext';
import { useData, type LocalData } from '../../data/DataProvider';
import type { DoorBoard } from '../../data/db/ticket-desk';
import { queueConfigFor } from '@shared/queue/planning';
import { useBranchClosures } from '../../data/hooks/branch';
import { BranchProfile } from '@shared/branch/schema';
import { SERVICES, type Actor, type Service } from '@shared/cases/schema';
import { Settings } from '@shared/settings';
import { useScans } from '../../data/scanner-hook';
import { DoorVisit, type VisitStart } from './DoorVisit';
import { formatDate, formatMinutes } from './format';

/** How often the counters refresh on their own (other PCs' tickets arrive through sync). */
const BOARD_REFRESH_MS = 30_000;

/**
 * The door (security staff): one visit at a time, driven by the triage machine; today's counters
 * beside it. Loads the branch profile (service hours, counters) and the head's capacities.
 */
export function DoorScreen() {
  const { t } = useTranslation();
  const data = useData();
  const { info, session, settings } = useApp();
  const [branch, setBranch] = useState<BranchProfile | null>(null);
  const [capacity, setCapacity] = useState<Settings['dailyCapacity']>(settings?.dailyCapacity);
  const [loadError, setLoadError] = useState<string | null>(null);
  // The branch day the door shows (from the board): a new day loads the head's capacities again.
  const [day, setDay] = useState<string | null>(null);

  // The branch's published hours and counters, and the capacities the head set, fresh on entry and each new day.
  useEffect(() => {
    let live = true;
    void (async () => {
      const [b, s] = await Promise.all([loket().branch.get(), loket().settings.get()]);
      if (!live) return;
      const parsedBranch = b.ok ? BranchProfile.nullable().safeParse(b.value) : null;
      if (parsedBranch?.success) setBranch(parsedBranch.data);
      else setLoadError(t('door.errors.branch'));
      const parsedSettings = s.ok ? Settings.safeParse(s.value) : null;
      if (parsedSettings?.success) setCapacity(parsedSettings.data.dailyCapacity);
    })();
    return () => {
      live = false;
    };
  }, [t, day]);

  // This PC's closures and the ones the head entered on another PC of the branch (through HQ).
  const localClosures = useBranchClosures(data, info?.branch?.code, settings?.localClosures, '-');
  const config = useMemo(() => queueConfigFor(branch, capacity, localClosures), [branch, capacity, localClosures]);

  if (data.phase !== 'ready' || !session || !info) {
    return (
      <div className="page page--center" data-screen="DoorScreen" aria-busy={data.phase === 'opening'}>
        {data.phase === 'error' ? (
          <div role="alert" className="alert alert--error">
            {t('door.errors.data', { message: data.message })}
          </div>
        ) : (
          <p className="muted">{t('door.loading')}</p>
        )}
      </div>
    );
  }
  const actor: Actor = { staffId: session.staffId, role: session.role, deviceId: info.deviceId };
  return (
    <Door
      data={data}
      actor={actor}
      config={config}
      branch={{ code: info.branch?.code ?? branch?.code ?? '', name: info.branch?.name ?? branch?.name ?? '' }}
      counters={branch?.counters ?? info.branch?.counters ?? 1}
      deviceSlot={info.deviceSlot ?? 1}
      loadError={loadError}
      onDay={setDay}
    />
  );
}

interface DoorProps {
  data: LocalData;
  actor: Actor;
  config: ReturnType<typeof queueConfigFor>;
  branch: { code: string; name: string };
  counters: number;
  deviceSlot: number;
  loadError: string | null;
  onDay: (day: string) => void;
}

/** How often the door looks at the clock for the branch day's change (cheap: no database read). */
const DAY_CHECK_MS = 15_000;

function Door({ data, actor, config, branch, counters, deviceSlot, loadError, onDay }: DoorProps) {
  const { t } = useTranslation();
  const [board, setBoard] = useState<DoorBoard | null>(null);
  const [boardError, setBoardError] = useState<string | null>(null);
  // One visit = one person = one triage actor; the key starts a fresh one (nothing carried over).
  const [visit, setVisit] = useState<{ key: number; start: VisitStart | null }>({ key: 0, start: null });

  const refresh = useCallback(async () => {
    try {
      setBoard(await data.tickets.board(config, counters));
      setBoardError(null);
    } catch (e) {
      setBoardError(t('door.errors.board', { message: e instanceof Error ? e.message : String(e) }));
    }
  }, [data.tickets, config, counters, t]);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), BOARD_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  // The branch day rolls over without a reload (issue 16): at the change, the counts, capacities and
  // queue are read again for the new day. A visit still asking the need starts afresh on the new
  // day's counts; a visit with a stated need is left to end (ticket, appointment or declined).
  const boardDay = board?.day ?? null;
  useEffect(() => {
    if (boardDay) onDay(boardDay);
  }, [boardDay, onDay]);
  useEffect(() => {
    if (!boardDay) return;
    const timer = window.setInterval(() => {
      if (data.tickets.today() !== boardDay) void refresh();
    }, DAY_CHECK_MS);
    return () => window.clearInterval(timer);
  }, [boardDay, data.tickets, refresh]);
  const [visitDay, setVisitDay] = useState<string | null>(null);
  const [idle, setIdle] = useState(true);
  useEffect(() => {
    if (!boardDay || boardDay === visitDay) return;
    if (visitDay !== null && idle) setVisit((v) => ({ key: v.key + 1, start: null }));
    if (visitDay === null || idle) setVisitDay(boardDay);
  }, [boardDay, visitDay, idle]);

  // What the last scan of a slip could not do, in words; cleared when the next visit starts.
  const [scanned, setScanned] = useState<string | null>(null);

  // The next visit starts from fresh counts (the machine decides ticket or appointment from them).
  const next = useCallback(
    (start: VisitStart | null = null) => {
      setScanned(null);
      void refresh().then(() => setVisit((v) => ({ key: v.key + 1, start })));
    },
    [refresh],
  );
  // A visit the guard starts by hand (a need chosen) starts afresh too: no scan's words left over.
  useEffect(() => {
    if (!idle) setScanned(null);
  }, [idle]);

  // Issue 21: an appointment slip's QR scanned between visits starts a visit that checks its holder
  // in on the scan alone (the triage machine decides: this branch, today, still waiting); refused,
  // the door says why and nothing is stated. A stated need is never dropped by a scan.
  useScans((scan) => {
    if (scan.kind !== 'appointment') return;
    if (!idle) return setScanned(t('door.scan.busy'));
    next({ slip: scan.reference });
  });

  return (
    <div className="page door" data-screen="DoorScreen">
      <h1 className="page__title">{t('door.title')}</h1>
      <p className="page__intro">{t('door.intro')}</p>
      {scanned ? (
        <div role="alert" className="alert alert--error" data-testid="door-scan-problem">
          {scanned}
        </div>
      ) : null}
      {loadError ? (
        <div role="alert" className="alert alert--error">
          {loadError}
        </div>
      ) : null}
      <div className="door__layout">
        {board ? (
          <DoorVisit
            key={visit.key}
            start={visit.start}
            data={data}
            actor={actor}
            config={config}
            board={board}
            branch={branch}
            counters={counters}
            deviceSlot={deviceSlot}
            onIssued={() => void refresh()}
            onNext={next}
            onIdle={setIdle}
            onSlipProblem={setScanned}
          />
        ) : (
          <p className="muted" aria-busy="true">
            {boardError ?? t('door.loading')}
          </p>
        )}
        <TodayBoard board={board} error={boardError} />
      </div>
    </div>
  );
}

/** Today's counters per service: places taken, capacity, places left, people waiting, the estimate. */
function TodayBoard({ board, error }: { board: DoorBoard | null; error: string | null }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card door-today" aria-labelledby="door-today-title" data-testid="door-today">
      <h2 id="door-today-title" className="door__heading">
        {t('door.today.title')}
      </h2>
      {board ? (
        <p className="muted" data-testid="door-day">
          {t('door.today.day', { date: formatDate(board.day, i18n.language) })}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="alert alert--error">
          {error}
        </p>
      ) : null}
      {board ? (
        <ul className="door-today__list">
          {SERVICES.map((s: Service) => {
            const row = board.services[s];
            return (
              <li key={s} className="door-today__row" data-service={s}>
                <span className="door-today__service">{t(`door.services.${s}.title`)}</span>
                <dl className="door-today__figures">
                  <div>
                    <dt>{t('door.today.issued')}</dt>
                    <dd>{t('door.today.ofCapacity', { issued: row.issued, capacity: row.capacity })}</dd>
                  </div>
                  <div>
                    <dt>{t('door.today.remaining')}</dt>
                    <dd data-testid={`door-remaining-${s}`}>{row.remaining === 0 ? <span className="status-pill door-full">{t('door.today.full')}</span> : row.remaining}</dd>
                  </div>
                  <div>
                    <dt>{t('door.today.waiting')}</dt>
                    <dd>{row.waiting}</dd>
                  </div>
                  <div>
                    <dt>{t('door.today.estimate')}</dt>
                    <dd>{formatMinutes(t, row.estimate.minutes)}</dd>
                  </div>
                </dl>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p className="card__hint">{t('door.today.hint')}</p>
    </section>
  );
}
