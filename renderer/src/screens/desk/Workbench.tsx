import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useWorkspaceActive } from '../../app/workspace';
import { useTranslation } from 'react-i18next';
import { SERVICES, type Actor, type PriorityCategory, type Service } from '@shared/cases/schema';
import type { AppInfo } from '@shared/ipc/contract';
import type { Session } from '@shared/staff/schema';
import { useApp } from '../../app/AppContext';
import { useNow } from '../../app/useNow';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { useData, type LocalData } from '../../data/DataProvider';
import { callableToday, noShowStatus, ticketCan, type TicketCalls, ticketEvents, viewTicket, type CallOutcome } from '../../data/db/ticket-calls';
import type { TicketDoc } from '../../data/db/schemas';
import { callOrder } from '../../data/branch-clock';
import { localDateOf, localTimeOf } from '@shared/dates';
import { printDocument } from '../../print';
import { CaseView } from './CaseView';
import { OpenCaseForm } from './OpenCaseForm';
import { useBranchProfile, useDeskSettings, useNikHasher } from './desk-hooks';
import { useDeskQueues, useTicketCalls, useTicketFollowsCase } from '../../data/hooks/desk';
import { branchZone } from '../../data/branch-zone';

/**
 * The officer's workbench: the queue per service, call next (F2), recall (F3), no-show (F4, only
 * when the ticket machine allows it), the called ticket, opening its case, and this officer's
 * open cases to resume. Everything is read live from the local database, so a restart resumes
 * exactly where the desk was.
 */
export function Workbench() {
  const { t } = useTranslation();
  const data = useData();
  const { view } = useApp();
  if (view.name !== 'signedIn') return null;
  if (data.phase === 'error') {
    return (
      <div className="page" data-screen="Workbench">
        <ErrorAlert>{t('desk.dataError', { message: data.message })}</ErrorAlert>
      </div>
    );
  }
  if (data.phase !== 'ready') {
    return (
      <div className="page page--center" data-screen="Workbench" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
        <p className="muted">{t('desk.opening')}</p>
      </div>
    );
  }
  return <Desk data={data} session={view.session} info={view.info} />;
}

/** The last desk that called a ticket (from the ticket machine's events on it). */
function lastCall(t: TicketDoc): { staffId?: string; counter?: string } {
  const calls = ticketEvents(t).filter((e) => e.type === 'ticket.called') as Array<{ actor?: { staffId?: string }; counter?: string }>;
  const last = calls[calls.length - 1];
  return { staffId: last?.actor?.staffId, counter: last?.counter };
}

function minutesSince(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000));
}

function Desk({ data, session, info }: { data: LocalData; session: Session; info: AppInfo }) {
  const { t } = useTranslation();
  const branchCode = info.branch?.code ?? '';
  const branch = useBranchProfile();
  const hasher = useNikHasher();
  const desk = useDeskSettings();
  const now = useNow(15_000);
  const by = useMemo(() => ({ staffId: session.staffId, role: session.role }), [session.staffId, session.role]);
  // Receipts this officer issues carry their name, not their login id.
  const self = useMemo(() => ({ staffId: session.staffId, name: session.name }), [session.staffId, session.name]);
  const actor: Actor = useMemo(() => ({ ...by, deviceId: info.deviceId }), [by, info.deviceId]);
  // While the branch hub is reachable, "call next" is decided there (no two counters call the same ticket).
  const calls = useTicketCalls(data, branchCode, info.deviceId);
  // A finished case finishes its ticket, whatever this desk shows (a data-layer rule).
  useTicketFollowsCase(data, calls, by);
  const [caseId, setCaseId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const { waiting: waitingDocs, active: activeDocs, noShows: noShowDocs, openCases: openDocs } = useDeskQueues(data, branchCode);

  const today = localDateOf(now.toISOString(), branchZone());
  const waiting = useMemo(() => (waitingDocs ?? []).filter((tk) => callableToday(tk, today)), [waitingDocs, today]);
  // Today's no-shows: a person who comes back the same day is served on the same ticket (DOMAIN.md).
  const noShowsToday = useMemo(
    () =>
      (noShowDocs ?? [])
        .filter((tk) => localDateOf(tk.updatedAt, branchZone()) === today)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    [noShowDocs, today],
  );
  const mine = useMemo(
    () =>
      (activeDocs ?? [])
        .filter((tk) => lastCall(tk).staffId === session.staffId)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    [activeDocs, session.staffId],
  );
  const myCases = useMemo(
    () =>
      (openDocs ?? [])
        .filter((c) => c.input.openedBy === session.staffId)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    [openDocs, session.staffId],
  );

  const current = mine[0] ?? null;
  const currentView = current ? viewTicket(current) : null;
  const caseOfCurrent = current ? myCases.find((c) => c.ticketId === current.id) ?? null : null;
  // The check must be later than the ticket's last event (the machine refuses out-of-order events).
  const at = new Date(Math.max(Date.now(), current ? Date.parse(current.updatedAt) : 0)).toISOString();
  const canRecall = !!current && ticketCan(current, 'ticket.recalled', actor, at);
  const canNoShow = !!current && ticketCan(current, 'ticket.noShowMarked', actor, at);
  // Why F4 is not possible yet: the calls that count and the earliest time (ticket machine's rule).
  const noShowRule = current ? noShowStatus(current, at) : null;
  const chosenWaiting = waiting.filter((tk) => desk.services.includes(tk.service)).length;
  const callBlocked = !desk.counter ? t('desk.callNeedsCounter') : current ? t('desk.callNeedsFinish', { number: current.number }) : chosenWaiting === 0 ? t('desk.queueEmpty') : null;

  const run = useCallback(
    async (action: () => Promise<CallOutcome>, success: (tk: TicketDoc) => string) => {
      setBusy(true);
      setError(null);
      setNotice(null);
      try {
        const r = await action();
        if (r.ok) setNotice(success(r.ticket));
        else setError(r.reason === 'QUEUE_EMPTY' ? t('desk.queueEmpty') : r.reason === 'TAKEN' ? t('desk.taken') : r.reason === 'HUB_BUSY' ? t('desk.hubBusy') : t('desk.ticketRejected', { detail: r.detail }));
      } catch (e) {
        setError(t('desk.unexpected', { message: e instanceof Error ? e.message : String(e) }));
      } finally {
        setBusy(false);
      }
    },
    [t],
  );

  const callNext = () => {
    if (busy || callBlocked || !desk.counter) return;
    const counter = desk.counter;
    void run(
      () => calls.callNext(desk.services, counter, by),
      (tk) => t('desk.called', { number: tk.number, counter }),
    );
  };
  const recall = () => {
    if (busy || !current || !canRecall) return;
    void run(
      () => calls.recall(current.id, by),
      (tk) => t('desk.recalled', { number: tk.number, count: viewTicket(tk).context.calls }),
    );
  };
  const noShow = () => {
    if (busy || !current || !canNoShow) return;
    void run(
      () => calls.noShow(current.id, by),
      (tk) => t('desk.noShowDone', { number: tk.number }),
    );
  };

  const returned = (tk: TicketDoc) => {
    if (busy) return;
    void run(
      () => calls.returned(tk.id, by),
      (back) => t('desk.returnedDone', { number: back.number }),
    );
  };

  // F2/F3/F4 from anywhere on the workbench; the handlers read the latest state through a ref.
  const keys = useRef({ callNext, recall, noShow });
  keys.current = { callNext, recall, noShow };
  const active = useWorkspaceActive();
  useEffect(() => {
    if (caseId || !active) return;
    const onKey = (e: KeyboardEvent) => {
      const action = e.key === 'F2' ? keys.current.callNext : e.key === 'F3' ? keys.current.recall : e.key === 'F4' ? keys.current.noShow : null;
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [caseId, active]);

  if (caseId) {
    return (
      <CaseView
        caseId={caseId}
        data={data}
        actor={actor}
        branch={{ code: branchCode, name: info.branch?.name ?? branchCode }}
        onBack={() => setCaseId(null)}
        onOpenCase={setCaseId}
        self={self}
      />
    );
  }

  const counters = Math.max(1, branch?.counters ?? info.branch?.counters ?? 1);
  return (
    <div className="page desk" data-screen="Workbench">
      <h1 className="page__title">{t('desk.title')}</h1>
      <ErrorAlert>{error}</ErrorAlert>
      <SuccessNotice>{notice}</SuccessNotice>
      <div className="desk__grid">
        <section className="card desk__queue" aria-labelledby="desk-queue-title">
          <h2 id="desk-queue-title" className="card__title">
            {t('desk.queueTitle')}
          </h2>
          <div className="field field--short">
            <label className="field__label" htmlFor="desk-counter">
              {t('desk.counter')}
            </label>
            <select id="desk-counter" className="input select" value={desk.counter ?? ''} onChange={(e) => desk.setCounter(e.target.value)} aria-describedby="desk-counter-hint">
              <option value="" disabled>
                {t('desk.counterChoose')}
              </option>
              {Array.from({ length: counters }, (_, i) => String(i + 1)).map((c) => (
                <option key={c} value={c}>
                  {t('desk.counterN', { n: c })}
                </option>
              ))}
            </select>
            <p id="desk-counter-hint" className="field__hint">
              {t('desk.counterHint')}
            </p>
          </div>
          <table className="table desk__queue-table" data-testid="desk-queue">
            <caption className="visually-hidden">{t('desk.queueCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('desk.colServe')}</th>
                <th scope="col">{t('desk.colService')}</th>
                <th scope="col">{t('desk.colWaiting')}</th>
                <th scope="col">{t('desk.colOldest')}</th>
                <th scope="col">{t('desk.colNext')}</th>
              </tr>
            </thead>
            <tbody>
              {SERVICES.map((s: Service) => {
                const list = waiting.filter((tk) => tk.service === s).sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
                const oldest = list[0];
                const checked = desk.services.includes(s);
                return (
                  <tr key={s} data-service={s}>
                    <td>
                      <input
                        type="checkbox"
                        className="checkbox"
                        id={`desk-serve-${s}`}
                        checked={checked}
                        disabled={checked && desk.services.length === 1}
                        onChange={(e) => desk.setServices(e.target.checked ? [...desk.services, s] : desk.services.filter((x) => x !== s))}
                        aria-label={t('desk.serveService', { service: t(`desk.service.${s}`) })}
                      />
                    </td>
                    <td>
                      <label htmlFor={`desk-serve-${s}`}>{t(`desk.service.${s}`)}</label>
                    </td>
                    <td data-testid={`desk-count-${s}`}>{list.length}</td>
                    <td>{oldest ? t('desk.minutes', { count: minutesSince(oldest.issuedAt, now) }) : '–'}</td>
                    <td data-testid={`desk-next-${s}`}>
                      <NextInLine waiting={list} now={now.toISOString()} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="desk__actions">
            <button type="button" className="button button--primary button--large" onClick={callNext} disabled={busy || !!callBlocked} aria-describedby="desk-call-why" aria-keyshortcuts="F2">
              {t('desk.callNext')} <kbd>F2</kbd>
            </button>
            <p id="desk-call-why" className="field__hint">
              {callBlocked ?? t('desk.callHint', { count: chosenWaiting })}
            </p>
          </div>
          {noShowsToday.length > 0 ? (
            <div className="desk__no-shows" data-testid="desk-no-shows">
              <h3 className="field__label">{t('desk.noShowsToday')}</h3>
              <p className="field__hint">{t('desk.noShowsTodayHint')}</p>
              <ul>
                {noShowsToday.map((tk) => (
                  <li key={tk.id}>
                    <span className="mono">{tk.number}</span>{' '}
                    <button type="button" className="button button--small" onClick={() => returned(tk)} disabled={busy}>
                      {t('desk.returnedButton', { number: tk.number })}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>

        <section className="card desk__current" aria-labelledby="desk-current-title" data-testid="desk-current">
          <h2 id="desk-current-title" className="card__title">
            {t('desk.currentTitle')}
          </h2>
          {current && currentView ? (
            <>
              <p className="desk__number" data-testid="desk-current-number">
                {current.number}
              </p>
              {current.priority ? (
                <p data-testid="desk-current-priority">
                  <PriorityMark category={current.priority} />
                </p>
              ) : null}
              <dl className="facts">
                <div>
                  <dt>{t('desk.colService')}</dt>
                  <dd>{t(`desk.service.${current.service}`)}</dd>
                </div>
                <div>
                  <dt>{t('desk.counter')}</dt>
                  <dd>{currentView.context.counter ?? '–'}</dd>
                </div>
                <div>
                  <dt>{t('desk.state')}</dt>
                  <dd>{t(`desk.ticketState.${currentView.state}`)}</dd>
                </div>
                <div>
                  <dt>{t('desk.callsMade')}</dt>
                  <dd>
                    {t('desk.callsOf', {
                      count: currentView.context.calls,
                      counted: noShowRule?.counted ?? 0,
                      max: currentView.context.noShowAfterCalls,
                      gap: currentView.context.noShowCallGapMinutes,
                    })}
                  </dd>
                </div>
              </dl>
              <div className="desk__actions desk__actions--row">
                <button type="button" className="button" onClick={recall} disabled={busy || !canRecall} aria-keyshortcuts="F3" aria-describedby="desk-ticket-why">
                  {t('desk.recall')} <kbd>F3</kbd>
                </button>
                <button type="button" className="button button--danger-ghost" onClick={noShow} disabled={busy || !canNoShow} aria-keyshortcuts="F4" aria-describedby="desk-ticket-why">
                  {t('desk.noShow')} <kbd>F4</kbd>
                </button>
              </div>
              <p id="desk-ticket-why" className="field__hint">
                {currentView.state === 'serving'
                  ? t('desk.servingHint')
                  : canNoShow
                    ? t('desk.noShowNow')
                    : t('desk.noShowAfter', {
                        max: noShowRule?.needed ?? currentView.context.noShowAfterCalls,
                        gap: currentView.context.noShowCallGapMinutes,
                        count: noShowRule?.counted ?? 0,
                        time: localTimeOf(noShowRule?.earliestAt ?? at, branchZone()),
                      })}
              </p>
              {caseOfCurrent ? (
                <button type="button" className="button button--primary" onClick={() => setCaseId(caseOfCurrent.id)}>
                  {t('desk.resumeCase', { id: caseOfCurrent.id })}
                </button>
              ) : current.service === 'general' ? (
                <GeneralService
                  ticket={current}
                  state={currentView.state}
                  calls={calls}
                  by={by}
                  run={run}
                  branch={{ code: branchCode, name: info.branch?.name ?? branchCode }}
                  officerName={self.name}
                />
              ) : (
                <OpenCaseForm
                  ticket={current}
                  hasher={hasher}
                  branch={branch}
                  data={data}
                  calls={calls}
                  by={by}
                  onOpened={(id) => {
                    setNotice(null);
                    setCaseId(id);
                  }}
                />
              )}
            </>
          ) : (
            <p className="muted">{t('desk.noCurrent')}</p>
          )}
        </section>

        <section className="card desk__cases" aria-labelledby="desk-cases-title">
          <h2 id="desk-cases-title" className="card__title">
            {t('desk.myCases')}
          </h2>
          {myCases.length === 0 ? (
            <p className="muted">{t('desk.noCases')}</p>
          ) : (
            <ul className="desk__case-list" data-testid="desk-open-cases">
              {myCases.map((c) => (
                <li key={c.id}>
                  <button type="button" className="button button--ghost" onClick={() => setCaseId(c.id)}>
                    {t('desk.resumeLine', { id: c.id, flow: t(`desk.service.${c.flow}`), name: c.person.name })}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

/**
 * A "general" ticket has no case flow: the officer serves it and marks it done, and the person gets
 * the receipt the desk promises ("ditutup dengan tanda terima"), printed as the ticket is finished.
 */
function GeneralService({
  ticket,
  state,
  calls,
  by,
  run,
  branch,
  officerName,
}: {
  ticket: TicketDoc;
  state: string;
  calls: TicketCalls;
  by: { staffId: string; role: Session['role'] };
  run: (action: () => Promise<CallOutcome>, success: (tk: TicketDoc) => string) => Promise<void>;
  branch: { code: string; name: string };
  officerName: string;
}) {
  const { t } = useTranslation();
  return state === 'called' ? (
    <button type="button" className="button button--primary" onClick={() => void run(() => calls.startServing(ticket.id, by), (tk) => t('desk.serving', { number: tk.number }))}>
      {t('desk.startServing')}
    </button>
  ) : (
    <button
      type="button"
      className="button button--primary"
      onClick={() =>
        void run(
          async () => {
            const r = await calls.finish(ticket.id, by);
            if (r.ok) await printDocument({ kind: 'served', branch, service: r.ticket.service, ticketNumber: r.ticket.number, at: new Date().toISOString(), officerName });
            return r;
          },
          (tk) => t('desk.finishedPrinted', { number: tk.number }),
        )
      }
    >
      {t('desk.finishGeneral')}
    </button>
  );
}

/** A priority ticket (UU 25/2009 Art. 29) on the officer's screens: a star and the word, never colour only; staff see the category. */
export function PriorityMark({ category }: { category?: PriorityCategory | undefined }) {
  const { t } = useTranslation();
  return (
    <span className="desk__priority" data-testid="desk-priority">
      <span aria-hidden="true">★ </span>
      {category ? t('desk.priority.withCategory', { category: t(`door.priority.categories.${category}`) }) : t('desk.priority.mark')}
    </span>
  );
}

/** A service's next number in call order (priority first), marked when it is a priority ticket, and how many priority tickets wait. */
export function NextInLine({ waiting, now }: { waiting: readonly TicketDoc[]; now: string }) {
  const { t } = useTranslation();
  const next = callOrder(waiting, now)[0];
  if (!next) return <>–</>;
  const priorities = waiting.filter((tk) => tk.status === 'waiting' && tk.priority).length;
  return (
    <>
      <span className="mono">{next.number}</span>
      {next.priority ? (
        <>
          {' '}
          <PriorityMark category={next.priority} />
        </>
      ) : null}
      {priorities > 0 ? <span className="desk__priority-count">{t('desk.priority.waiting', { count: priorities })}</span> : null}
    </>
  );
}
