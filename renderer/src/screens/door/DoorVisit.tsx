import { useActorRef, useSelector } from '@xstate/react';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { triageMachine } from '../../../../state-machines/triage.machine';
import type { QueueConfig } from '../../../../shared/cases/config';
import { PRIORITY_CATEGORIES, SERVICE_LETTER, SERVICES, TriageEvent, type Actor, type Appointment, type PriorityCategory, type Service } from '../../../../shared/cases/schema';
import { localDateOf } from '../../../../shared/dates';
import { parseNik } from '../../../../shared/identity/nik';
import type { InfoTopic } from '../../../../shared/policy/info';
import type { LocalData } from '../../data/DataProvider';
import { AppointmentTodayError, CapacityReachedError, CheckInError, LaterDateError, NoAppointmentSlotError, SameDayTicketError, type DoorBoard } from '../../data/db/ticket-desk';
import type { SlotProblem } from '../../../../shared/calendar';
import type { TicketDoc } from '../../data/db/schemas';
import type { WaitEstimate } from '../../data/queue-planning';
import { printDocument, type PrintDoc } from '../../print';
import { formatDate, formatMinutes } from './format';
import { InfoPanel } from './InfoPanel';
import { NikField } from './NikField';
import { branchZone } from '../../data/branch-zone';

/** A visit that starts where the previous one stopped (today's capacity ran out mid-way). */
export interface VisitStart {
  service: Service;
  nik: string;
  notice: string;
}

type Need = Service | 'info';
const NEEDS: readonly Need[] = [...SERVICES, 'info'];

type Result =
  | { kind: 'ticket'; doc: TicketDoc; estimate: WaitEstimate }
  | { kind: 'checkedIn'; doc: TicketDoc; estimate: WaitEstimate }
  | { kind: 'appointment'; doc: TicketDoc; appointment: Appointment }
  | { kind: 'declined'; reference: string };
type PrintState = { state: 'idle' | 'printing' | 'printed' } | { state: 'failed'; message: string };

interface VisitProps {
  start: VisitStart | null;
  data: LocalData;
  actor: Actor;
  config: QueueConfig;
  board: DoorBoard;
  branch: { code: string; name: string };
  counters: number;
  deviceSlot: number;
  onIssued: () => void;
  onNext: (start?: VisitStart | null) => void;
  /** True while the visit has not begun (no need stated): the door may start it afresh on a new day. */
  onIdle?: (idle: boolean) => void;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * One person at the door, driven by the triage machine: the screen offers only the events the
 * machine can take in its current state (`snapshot.can`). The machine has no refusal and no
 * redirect, so neither has this screen: every visit ends with a ticket, a guaranteed appointment
 * or an answer.
 */
export function DoorVisit({ start, data, actor, config, board, branch, counters, deviceSlot, onIssued, onNext, onIdle }: VisitProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // The counts when this person arrived: the machine decides ticket or appointment from them,
  // and TicketDesk checks them again when it writes.
  const [issuedToday] = useState(() => Object.fromEntries(SERVICES.map((s) => [s, board.services[s].issued])) as Record<Service, number>);
  const pendingPrint = useRef<PrintDoc | null>(null);
  const [print, setPrint] = useState<PrintState>({ state: 'idle' });

  const runPrint = useCallback(async (doc: PrintDoc) => {
    setPrint({ state: 'printing' });
    try {
      // Electron reports a cancelled dialog or a printer error; the guard then prints again.
      const outcome = await printDocument(doc);
      setPrint(outcome.printed ? { state: 'printed' } : { state: 'failed', message: outcome.reason ?? '' });
    } catch (e) {
      setPrint({ state: 'failed', message: messageOf(e) });
    }
  }, []);

  // The machine's print effect, supplied here: it prints what the last accepted event issued.
  const machine = useMemo(
    () =>
      triageMachine.provide({
        actions: {
          printTicket: () => {
            if (pendingPrint.current) void runPrint(pendingPrint.current);
          },
          printDeclineSlip: () => {
            if (pendingPrint.current) void runPrint(pendingPrint.current);
          },
        },
      }),
    [runPrint],
  );
  const ref = useActorRef(machine, { input: { config, issuedToday } });
  const snap = useSelector(ref, (s) => s);
  const state = String(snap.value);

  const stamp = useCallback(() => ({ at: new Date().toISOString(), actor }), [actor]);
  /** The event if it passes the schema and the machine can take it now; otherwise null. */
  const offer = useCallback(
    (event: unknown): TriageEvent | null => {
      const parsed = TriageEvent.safeParse(event);
      return parsed.success && ref.getSnapshot().can(parsed.data) ? parsed.data : null;
    },
    [ref],
  );

  // A visit restarted because the capacity ran out: the same need again, without retyping the NIK.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !start) return;
    started.current = true;
    const e = offer({ type: 'need.stated', need: start.service, ...stamp() });
    if (e) ref.send(e);
  }, [start, offer, stamp, ref]);

  // A finished visit takes no more events (the root's need.stated would still answer can()).
  const needOffers = snap.status === 'done' ? [] : NEEDS.filter((need) => snap.can({ type: 'need.stated', need, ...stamp() }));
  const chosen = snap.context.need;
  const statedService = snap.context.statedService;
  const idle = state === 'askingNeed' || snap.status === 'done';
  useEffect(() => onIdle?.(idle), [idle, onIdle]);

  const [result, setResult] = useState<Result | null>(null);

  // Issue 16: the person declined what the door offers for the service they named. Recorded (audit
  // chain, counted for the head) with what was offered and the info given, which is printed for them.
  const decline = async (): Promise<string | null> => {
    if (!statedService) return null;
    const full = (snap.context.issuedToday[statedService] ?? 0) >= snap.context.config.dailyCapacity[statedService];
    const info = [...new Set(snap.context.answers.map((a) => a.topic))];
    const probe = { type: 'visit.declined', service: statedService, offered: full ? 'appointment' : 'ticket', info, ...stamp() };
    if (!offer(probe)) return t('door.errors.notOffered');
    try {
      const by = { staffId: actor.staffId, role: actor.role };
      const offered = full
        ? ({ kind: 'appointment', appointment: await data.tickets.proposeAppointment(statedService, config).catch(() => null) } as const)
        : ({ kind: 'ticket', ahead: board.services[statedService].estimate.ahead, waitMinutes: board.services[statedService].estimate.minutes } as const);
      const rec = await data.tickets.recordDecline({ service: statedService, offered: full ? 'appointment' : 'ticket', info }, by);
      pendingPrint.current = { kind: 'declined', branch, service: statedService, offered, info, at: rec.at, reference: rec.id };
      setResult({ kind: 'declined', reference: rec.id });
      ref.send({ ...probe, at: rec.at } as TriageEvent);
      return null;
    } catch (e) {
      return t('door.errors.save', { message: messageOf(e) });
    }
  };

  return (
    <div className="door-visit" data-door-state={state}>
      {needOffers.length > 0 ? (
        <section className="door-needs" aria-labelledby="door-needs-title">
          <h2 id="door-needs-title" className="door__heading">
            {t('door.needs.title')}
          </h2>
          <div className="door-needs__grid">
            {needOffers.map((need, i) => {
              const full = need !== 'info' && (snap.context.issuedToday[need] ?? 0) >= snap.context.config.dailyCapacity[need];
              return (
                <button
                  key={need}
                  type="button"
                  className={['door-need', chosen === need ? 'is-chosen' : '', full ? 'is-full' : ''].filter(Boolean).join(' ')}
                  aria-pressed={chosen === need}
                  autoFocus={i === 0 && state === 'askingNeed'}
                  onClick={() => {
                    const e = offer({ type: 'need.stated', need, ...stamp() });
                    if (e) ref.send(e);
                  }}
                >
                  <span className="door-need__letter" aria-hidden="true">
                    {need === 'info' ? 'i' : SERVICE_LETTER[need]}
                  </span>
                  <span className="door-need__text">
                    <span className="door-need__title">{need === 'info' ? t('door.needs.info') : t(`door.services.${need}.title`)}</span>
                    <span className="door-need__sub">
                      {need === 'info'
                        ? t('door.needs.infoSub')
                        : full
                          ? t('door.needs.full')
                          : t('door.needs.remaining', { n: board.services[need].remaining })}
                    </span>
                  </span>
                </button>
              );
            })}
          </div>
        </section>
      ) : null}

      {state === 'askingNeed' ? <p className="door__prompt">{t('door.needs.prompt')}</p> : null}

      {state === 'issuing' && chosen && chosen !== 'info' ? (
        <IssueForm
          key={chosen}
          service={chosen}
          initialNik={start?.service === chosen ? start.nik : ''}
          notice={start?.service === chosen ? start.notice : null}
          full={(snap.context.issuedToday[chosen] ?? 0) >= snap.context.config.dailyCapacity[chosen]}
          data={data}
          config={config}
          onSubmit={async (nik, full, priority, personAsked) => {
            const service = chosen;
            const by = { staffId: actor.staffId, role: actor.role };
            const prio = priority ? { priority } : {};
            try {
              // An appointment holder on their day is checked in on it (counted once), full or not.
              const booked = await data.tickets.appointmentToday(nik, service);
              if (booked) {
                const probe = { type: 'appointment.checkedIn', service, nik, number: booked.number, ...prio, ...stamp() };
                if (!offer(probe)) return t('door.errors.notOffered');
                const doc = await data.tickets.checkIn(booked.id, by, prio);
                const estimate = await data.tickets.estimateFor({ service, day: doc.appointment!.date, issuedAt: doc.checkedInAt! }, config, counters);
                setResult({ kind: 'checkedIn', doc, estimate });
                pendingPrint.current = {
                  kind: 'ticket',
                  branch,
                  ticket: { id: doc.id, number: doc.number, service, issuedAt: doc.checkedInAt! },
                  ahead: estimate.ahead,
                  waitMinutes: estimate.minutes,
                };
                ref.send({ ...probe, at: doc.checkedInAt! } as TriageEvent);
              } else if (!full) {
                const probe = { type: 'ticket.issued', service, nik, number: `${SERVICE_LETTER[service]}${deviceSlot}-001`, ...prio, ...stamp() };
                if (!offer(probe)) return t('door.errors.notOffered');
                const doc = await data.tickets.issue({ service, nik, ...prio }, by, { dailyCapacity: config.dailyCapacity[service] });
                const estimate = await data.tickets.estimateFor(doc, config, counters);
                setResult({ kind: 'ticket', doc, estimate });
                pendingPrint.current = {
                  kind: 'ticket',
                  branch,
                  ticket: { id: doc.id, number: doc.number, service, issuedAt: doc.issuedAt },
                  ahead: estimate.ahead,
                  waitMinutes: estimate.minutes,
                };
                ref.send({ ...probe, number: doc.number, at: doc.issuedAt } as TriageEvent);
              } else {
                // The earliest free slot; a later date only when the person asked for it (recorded as theirs).
                let proposal: Appointment | null;
                if (personAsked) {
                  const later = await data.tickets.proposeLaterDate(service, config, personAsked);
                  if (!later.ok) return laterDateProblem(t, lang, personAsked, later.problem);
                  proposal = later.appointment;
                } else proposal = await data.tickets.proposeAppointment(service, config);
                if (!proposal) return t('door.errors.noSlot');
                const probe = { type: 'appointment.booked', service, nik, appointment: proposal, ...stamp() };
                if (!offer(probe)) return t('door.errors.notOffered');
                const doc = await data.tickets.bookAppointment({ service, nik, ...(personAsked ? { personAsked } : {}) }, by, config);
                const appointment = doc.appointment!;
                setResult({ kind: 'appointment', doc, appointment });
                pendingPrint.current = { kind: 'appointment', branch, service, appointment, ticketId: doc.id, issuedAt: doc.issuedAt };
                ref.send({ ...probe, appointment, at: doc.issuedAt } as TriageEvent);
              }
              onIssued();
              // Saved but not taken by the machine: say so rather than pretend (the ticket stands).
              return ref.getSnapshot().status === 'done' ? null : t('door.errors.notRecorded');
            } catch (e) {
              if (e instanceof CapacityReachedError) {
                onNext({ service, nik, notice: t('door.issue.justFull') });
                return null;
              }
              if (e instanceof NoAppointmentSlotError) return t('door.errors.noSlot');
              if (e instanceof LaterDateError) return laterDateProblem(t, lang, e.date, e.problem);
              if (e instanceof SameDayTicketError) return t('door.errors.sameDayTicket', { number: e.number });
              if (e instanceof AppointmentTodayError) return t('door.errors.appointmentToday', { number: e.number, time: e.time });
              if (e instanceof CheckInError) return t('door.errors.checkIn', { message: e.message });
              return t('door.errors.save', { message: messageOf(e) });
            }
          }}
        />
      ) : null}

      {state === 'informing' ? (
        <section className="card door-step" aria-labelledby="door-info-title">
          <h2 id="door-info-title" className="door__heading">
            {t('door.info.title')}
          </h2>
          <InfoPanel
            onAsked={(topic: InfoTopic) => {
              const e = offer({ type: 'info.asked', topic, ...stamp() });
              if (e) ref.send(e);
            }}
          />
          {snap.can({ type: 'visit.ended', ...stamp() }) ? (
            <div className="form__actions">
              <button
                type="button"
                className="button button--primary button--large"
                onClick={() => {
                  const e = offer({ type: 'visit.ended', ...stamp() });
                  if (e) ref.send(e);
                }}
              >
                {t('door.info.done')}
              </button>
            </div>
          ) : statedService ? (
            <p className="muted">{t('door.decline.mustEnd')}</p>
          ) : (
            <p className="muted">{t('door.info.doneHint')}</p>
          )}
        </section>
      ) : null}

      {statedService && snap.status === 'active' && state !== 'askingNeed' ? (
        <DeclinePanel
          what={(snap.context.issuedToday[statedService] ?? 0) >= snap.context.config.dailyCapacity[statedService] ? 'appointment' : 'ticket'}
          onDecline={decline}
        />
      ) : null}

      {state === 'checkedIn' && result?.kind === 'checkedIn' ? (
        <section className="card door-result" aria-labelledby="door-result-title" data-testid="door-checkin-result">
          <h2 id="door-result-title" className="door__heading">
            {t('door.checkedIn.title')}
          </h2>
          <p className="door-ticket-number" data-testid="door-ticket-number">
            {result.doc.number}
          </p>
          <p>{t('door.checkedIn.body', { time: result.doc.appointment?.time ?? '' })}</p>
          {result.doc.priority ? <p className="status-pill">{t('door.priority.badge', { category: t(`door.priority.categories.${result.doc.priority}`) })}</p> : null}
          <PrintStatus print={print} what="ticket" />
          <ResultActions print={print} onReprint={() => pendingPrint.current && void runPrint(pendingPrint.current)} onNext={() => onNext()} />
        </section>
      ) : null}

      {state === 'declined' && result?.kind === 'declined' ? (
        <section className="card door-result" aria-labelledby="door-result-title" data-testid="door-declined-result">
          <h2 id="door-result-title" className="door__heading">
            {t('door.decline.doneTitle')}
          </h2>
          <p>{t('door.decline.doneBody')}</p>
          <p className="muted">{t('door.appointment.reference', { id: result.reference })}</p>
          <p role="status" className="door-print-status" data-testid="door-print-status">
            {print.state === 'printed' ? t('door.decline.printed') : print.state === 'printing' ? t('door.print.printing') : ''}
          </p>
          {print.state === 'failed' ? (
            <div role="alert" className="alert alert--error">
              {t('door.print.failed', { message: print.message })}
            </div>
          ) : null}
          <ResultActions print={print} onReprint={() => pendingPrint.current && void runPrint(pendingPrint.current)} onNext={() => onNext()} />
        </section>
      ) : null}

      {state === 'ticketIssued' && result?.kind === 'ticket' ? (
        <TicketResult result={result} t={t} print={print} onReprint={() => pendingPrint.current && void runPrint(pendingPrint.current)} onNext={() => onNext()} />
      ) : null}

      {state === 'appointmentBooked' && result?.kind === 'appointment' ? (
        <section className="card door-result" aria-labelledby="door-result-title" data-testid="door-appointment-result">
          <h2 id="door-result-title" className="door__heading">
            {t('door.appointment.title')}
          </h2>
          <p>{t('door.appointment.why', { service: t(`door.services.${result.doc.service}.title`) })}</p>
          <p className="door-appointment" data-testid="door-appointment">
            <span>{formatDate(result.appointment.date, lang)}</span>
            <span className="door-appointment__time">{t('door.appointment.at', { time: result.appointment.time })}</span>
          </p>
          {result.appointment.chosenByPerson ? <p data-testid="door-appointment-chosen">{t('door.appointment.chosen')}</p> : null}
          <p>{t('door.appointment.bring')}</p>
          <p className="muted">{t('door.appointment.reference', { id: result.doc.id })}</p>
          <PrintStatus print={print} what="appointment" />
          <ResultActions print={print} onReprint={() => pendingPrint.current && void runPrint(pendingPrint.current)} onNext={() => onNext()} />
        </section>
      ) : null}

      {state === 'answered' ? (
        <section className="card door-result" aria-labelledby="door-result-title">
          <h2 id="door-result-title" className="door__heading">
            {t('door.answered.title')}
          </h2>
          <p>{t('door.answered.body')}</p>
          <div className="form__actions">
            <button type="button" className="button button--primary button--large" autoFocus onClick={() => onNext()}>
              {t('door.next')}
            </button>
          </div>
        </section>
      ) : null}

      {/* A stated need is never dropped by starting over (issue 16): it ends with a ticket, an appointment or a recorded decline. */}
      {state !== 'askingNeed' && snap.status !== 'done' && statedService === null ? (
        <p className="door__restart">
          <button type="button" className="button button--ghost" onClick={() => onNext()}>
            {t('door.restart')}
          </button>
        </p>
      ) : null}
    </div>
  );
}

function IssueForm({
  service,
  initialNik,
  notice,
  full,
  data,
  config,
  onSubmit,
}: {
  service: Service;
  initialNik: string;
  notice: string | null;
  full: boolean;
  data: LocalData;
  config: QueueConfig;
  onSubmit: (nik: string, full: boolean, priority: PriorityCategory | null, personAsked: string | null) => Promise<string | null>;
}) {
  const { t, i18n } = useTranslation();
  const [nik, setNik] = useState(initialNik);
  const [priority, setPriority] = useState<PriorityCategory | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const [proposal, setProposal] = useState<Appointment | null | undefined>(undefined);
  // The person asks for a later date than the proposal: its slot, or why it cannot be given.
  const [later, setLater] = useState(false);
  const [laterDate, setLaterDate] = useState('');
  const [laterCheck, setLaterCheck] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!full || !later || !/^\d{4}-\d{2}-\d{2}$/.test(laterDate)) {
      setLaterCheck(null);
      return;
    }
    let live = true;
    data.tickets.proposeLaterDate(service, config, laterDate).then(
      (p) => {
        if (!live) return;
        setLaterCheck(
          p.ok ? t('door.issue.laterProposal', { date: formatDate(p.appointment.date, i18n.language), time: p.appointment.time }) : laterDateProblem(t, i18n.language, laterDate, p.problem),
        );
      },
      () => live && setLaterCheck(null),
    );
    return () => {
      live = false;
    };
  }, [full, later, laterDate, service, config, data.tickets, t, i18n.language]);

  // When today is full, show the slot the person will get before the guard books it.
  useEffect(() => {
    if (!full) return;
    let live = true;
    data.tickets.proposeAppointment(service, config).then(
      (p) => live && setProposal(p),
      () => live && setProposal(null),
    );
    return () => {
      live = false;
    };
  }, [full, service, config, data.tickets]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setAlert(null);
    if (!parseNik(nik, localDateOf(new Date().toISOString(), branchZone())).ok) {
      formRef.current?.querySelector<HTMLInputElement>('input[name="nik"]')?.focus();
      return;
    }
    if (full && later && laterDate === '') {
      setAlert(t('door.issue.laterMissing'));
      return;
    }
    setBusy(true);
    const problem = await onSubmit(nik, full, priority, full && later ? laterDate : null);
    setBusy(false);
    if (problem) setAlert(problem);
  };

  return (
    <section className="card door-step" aria-labelledby="door-issue-title">
      <h2 id="door-issue-title" className="door__heading">
        {full ? t('door.issue.titleAppointment', { service: t(`door.services.${service}.title`) }) : t('door.issue.title', { service: t(`door.services.${service}.title`) })}
      </h2>
      {notice ? (
        <p className="alert alert--warn" role="status">
          {notice}
        </p>
      ) : null}
      {full ? (
        <div className="alert alert--warn door-full-notice" data-testid="door-full-notice">
          <p>{t('door.issue.fullBody')}</p>
          {proposal ? <p className="alert__detail">{t('door.issue.proposal', { date: formatDate(proposal.date, i18n.language), time: proposal.time })}</p> : null}
          {proposal === null ? <p className="alert__detail">{t('door.errors.noSlot')}</p> : null}
        </div>
      ) : null}
      {full && proposal ? (
        <div className="field door-later" data-testid="door-later">
          <label className="desk-check">
            <input
              type="checkbox"
              className="checkbox"
              checked={later}
              onChange={(e) => {
                setLater(e.target.checked);
                if (!e.target.checked) setLaterDate('');
              }}
            />{' '}
            {t('door.issue.laterToggle')}
          </label>
          {later ? (
            <>
              <label className="field__label" htmlFor="door-later-date">
                {t('door.issue.laterLabel')}
              </label>
              <input
                id="door-later-date"
                type="date"
                className="field__input field--short"
                min={proposal.date}
                value={laterDate}
                onChange={(e) => setLaterDate(e.target.value)}
                aria-describedby="door-later-hint door-later-check"
              />
              <p id="door-later-hint" className="field__hint">
                {t('door.issue.laterHint')}
              </p>
              <p id="door-later-check" className="field__hint" role="status" data-testid="door-later-check">
                {laterCheck ?? ''}
              </p>
              <button
                type="button"
                className="button button--ghost"
                onClick={() => {
                  setLater(false);
                  setLaterDate('');
                }}
              >
                {t('door.issue.laterUseEarliest')}
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      <form ref={formRef} className="form" noValidate onSubmit={(e) => void submit(e)} aria-busy={busy}>
        {alert ? (
          <div role="alert" className="alert alert--error">
            {alert}
          </div>
        ) : null}
        <NikField id="door-nik" value={nik} onChange={setNik} today={localDateOf(new Date().toISOString(), branchZone())} submitted={submitted} autoFocus />
        <div className="field">
          <label className="field__label" htmlFor="door-priority">
            {t('door.priority.label')}
          </label>
          <select id="door-priority" className="field__input" value={priority ?? ''} onChange={(e) => setPriority(e.target.value === '' ? null : (e.target.value as PriorityCategory))}>
            <option value="">{t('door.priority.none')}</option>
            {PRIORITY_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`door.priority.categories.${c}`)}
              </option>
            ))}
          </select>
          <p className="field__hint">{t('door.priority.hint')}</p>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary button--large door-submit" disabled={busy}>
            {busy ? t('door.issue.busy') : full ? t('door.issue.submitAppointment') : t('door.issue.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function TicketResult({ result, t, print, onReprint, onNext }: { result: Extract<Result, { kind: 'ticket' }>; t: TFunction; print: PrintState; onReprint: () => void; onNext: () => void }) {
  const { doc, estimate } = result;
  return (
    <section className="card door-result" aria-labelledby="door-result-title" data-testid="door-ticket-result">
      <h2 id="door-result-title" className="door__heading">
        {t('door.ticket.title')}
      </h2>
      <p className="door-ticket-number" data-testid="door-ticket-number">
        {doc.number}
      </p>
      <dl className="facts door-ticket-facts">
        <div>
          <dt>{t('door.ticket.service')}</dt>
          <dd>{t(`door.services.${doc.service}.title`)}</dd>
        </div>
        <div>
          <dt>{t('door.ticket.ahead')}</dt>
          <dd data-testid="door-ahead">{estimate.ahead}</dd>
        </div>
        <div>
          <dt>{t('door.ticket.estimate')}</dt>
          <dd data-testid="door-estimate">{formatMinutes(t, estimate.minutes)}</dd>
        </div>
      </dl>
      <p className="muted door-estimate-note">
        {estimate.basis === 'today'
          ? t('door.ticket.basisToday', { minutes: estimate.handlingMinutes, samples: estimate.samples, counters: estimate.counters })
          : t('door.ticket.basisTarget', { minutes: estimate.handlingMinutes, counters: estimate.counters })}
      </p>
      <PrintStatus print={print} what="ticket" />
      <ResultActions print={print} onReprint={onReprint} onNext={onNext} />
    </section>
  );
}

function PrintStatus({ print, what }: { print: PrintState; what: 'ticket' | 'appointment' }) {
  const { t } = useTranslation();
  if (print.state === 'failed') {
    return (
      <div role="alert" className="alert alert--error">
        {t('door.print.failed', { message: print.message })}
      </div>
    );
  }
  return (
    <p role="status" className="door-print-status" data-testid="door-print-status">
      {print.state === 'printing' ? t('door.print.printing') : print.state === 'printed' ? t(what === 'ticket' ? 'door.print.ticketDone' : 'door.print.appointmentDone') : ''}
    </p>
  );
}

function ResultActions({ print, onReprint, onNext }: { print: PrintState; onReprint: () => void; onNext: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="form__actions door-result__actions">
      <button type="button" className="button button--primary button--large" autoFocus onClick={onNext}>
        {t('door.next')}
      </button>
      <button type="button" className="button button--large" onClick={onReprint} disabled={print.state === 'printing'}>
        {t('door.print.again')}
      </button>
    </div>
  );
}

/** "Declined by the person": two steps, so a mis-click never records a decline. */
function DeclinePanel({ what, onDecline }: { what: 'ticket' | 'appointment'; onDecline: () => Promise<string | null> }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  if (!asking) {
    return (
      <p className="door__restart">
        <button type="button" className="button button--ghost" onClick={() => setAsking(true)}>
          {t('door.decline.start')}
        </button>
      </p>
    );
  }
  return (
    <section className="card door-step" aria-labelledby="door-decline-title" data-testid="door-decline">
      <h2 id="door-decline-title" className="door__heading">
        {t('door.decline.title', { what: t(`door.decline.${what}`) })}
      </h2>
      <p>{t('door.decline.body')}</p>
      {alert ? (
        <div role="alert" className="alert alert--error">
          {alert}
        </div>
      ) : null}
      <div className="form__actions">
        <button
          type="button"
          className="button button--large"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onDecline().then((problem) => {
              setBusy(false);
              setAlert(problem);
            });
          }}
        >
          {t('door.decline.confirm')}
        </button>
        <button type="button" className="button button--ghost" autoFocus onClick={() => setAsking(false)}>
          {t('door.decline.cancel')}
        </button>
      </div>
    </section>
  );
}


/** Why the later date the person asked for cannot be given, in words (closed day by name, too early, full). */
function laterDateProblem(t: TFunction, lang: string, date: string, problem: SlotProblem): string {
  const day = formatDate(date, lang);
  switch (problem.why) {
    case 'CLOSED_DAY':
      return problem.closedDay ? t('door.issue.laterClosedNamed', { date: day, name: problem.closedDay.name }) : t('door.issue.laterClosed', { date: day });
    case 'TOO_EARLY':
      return t('door.issue.laterTooEarly', { date: formatDate(problem.earliest, lang) });
    case 'DAY_FULL':
      return t('door.issue.laterFull', { date: day });
    default:
      return t('door.errors.noSlot');
  }
}
