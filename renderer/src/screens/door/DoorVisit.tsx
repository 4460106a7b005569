import { useActorRef, useSelector } from '@xstate/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { triageMachine } from '@state-machines/triage.machine';
import type { QueueConfig } from '@shared/cases/config';
import { SERVICE_LETTER, SERVICES, TriageEvent, type Actor, type Service } from '@shared/cases/schema';
import type { InfoTopic } from '@shared/policy/info';
import type { LocalData } from '../../data/DataProvider';
import type { DoorBoard } from '../../data/db/ticket-desk';
import { declineNeed, serveNeed, serveSlip, type DoorResult } from '../../data/door-visit';
import { printDocument, type PrintDoc } from '../../print';
import { DeclinePanel } from './DeclinePanel';
import { doorProblemText } from './door-problems';
import { AppointmentResult, CheckedInResult, DeclinedResult, TicketResult, type PrintState } from './DoorResults';
import { InfoPanel } from './InfoPanel';
import { IssueForm } from './IssueForm';

/**
 * A visit that starts where the previous one stopped (today's capacity ran out mid-way), or with an
 * appointment slip scanned between visits (issue 21: its holder is checked in on the scan alone).
 */
export type VisitStart = { service: Service; nik: string; notice: string } | { slip: string };

type Need = Service | 'info';
const NEEDS: readonly Need[] = [...SERVICES, 'info'];

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
  /** Why the slip this visit started with checked no one in, in words (the visit then waits for the need). */
  onSlipProblem?: (problem: string) => void;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What a visit's result prints: the ticket, the appointment slip, or the decline slip. */
function printOf(result: DoorResult, branch: { code: string; name: string }): PrintDoc {
  switch (result.kind) {
    case 'checkedIn':
    case 'ticket': {
      const { doc, estimate } = result;
      const issuedAt = result.kind === 'checkedIn' ? doc.checkedInAt! : doc.issuedAt;
      return { kind: 'ticket', branch, ticket: { id: doc.id, number: doc.number, service: doc.service, issuedAt }, ahead: estimate.ahead, waitMinutes: estimate.minutes };
    }
    case 'appointment':
      return { kind: 'appointment', branch, service: result.doc.service, appointment: result.appointment, ticketId: result.doc.id, issuedAt: result.doc.issuedAt };
    case 'declined':
      return { kind: 'declined', branch, service: result.service, offered: result.offered, info: result.info, at: result.at, reference: result.reference };
  }
}

/**
 * One person at the door, driven by the triage machine: the screen offers only the events the
 * machine can take in its current state (`snapshot.can`). The machine has no refusal and no
 * redirect, so neither has this screen: every visit ends with a ticket, a guaranteed appointment
 * or an answer.
 */
export function DoorVisit({ start, data, actor, config, board, branch, counters, deviceSlot, onIssued, onNext, onIdle, onSlipProblem }: VisitProps) {
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
  // The branch code lets the machine take this branch's appointment slips only (issue 21).
  const ref = useActorRef(machine, { input: { config, issuedToday, ...(branch.code ? { branchCode: branch.code } : {}) } });
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

  const restart = start && 'service' in start ? start : null;
  const slip = start && 'slip' in start ? start.slip : null;
  // A visit restarted because the capacity ran out: the same need again, without retyping the NIK.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !restart) return;
    started.current = true;
    const e = offer({ type: 'need.stated', need: restart.service, ...stamp() });
    if (e) ref.send(e);
  }, [restart, offer, stamp, ref]);

  // A finished visit takes no more events (the root's need.stated would still answer can()).
  const needOffers = snap.status === 'done' ? [] : NEEDS.filter((need) => snap.can({ type: 'need.stated', need, ...stamp() }));
  const chosen = snap.context.need;
  const statedService = snap.context.statedService;
  const idle = state === 'askingNeed' || snap.status === 'done';
  useEffect(() => onIdle?.(idle), [idle, onIdle]);

  const [result, setResult] = useState<DoorResult | null>(null);

  const by = { staffId: actor.staffId, role: actor.role };
  const reprint = () => pendingPrint.current && void runPrint(pendingPrint.current);
  /** Shows a served need, prints it and records it in the machine; or says why it was not served. */
  const settle = (outcome: Awaited<ReturnType<typeof serveNeed>>): string | null => {
    if (!outcome.ok) return doorProblemText(t, lang, outcome.problem);
    setResult(outcome.result);
    pendingPrint.current = printOf(outcome.result, branch);
    ref.send(outcome.event);
    return null;
  };

  // Issue 21: a visit started by a slip's scan checks its holder in on the scan alone (the machine
  // decides: this branch, today, still waiting); refused, it says why and waits for the need.
  const checkInBySlip = useRef<(reference: string) => Promise<void>>(async () => {});
  checkInBySlip.current = async (reference) => {
    const problem = settle(await serveSlip({ data, config, by, stamp, offer, counters }, { reference }));
    if (problem) onSlipProblem?.(problem);
    else onIssued();
  };
  useEffect(() => {
    if (started.current || !slip) return;
    started.current = true;
    void checkInBySlip.current(slip);
  }, [slip]);

  const decline = async (): Promise<string | null> => {
    if (!statedService) return null;
    const full = (snap.context.issuedToday[statedService] ?? 0) >= snap.context.config.dailyCapacity[statedService];
    const info = [...new Set(snap.context.answers.map((a) => a.topic))];
    return settle(await declineNeed({ data, config, by, stamp, offer, board }, { service: statedService, full, info }));
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
          initialNik={restart?.service === chosen ? restart.nik : ''}
          notice={restart?.service === chosen ? restart.notice : null}
          full={(snap.context.issuedToday[chosen] ?? 0) >= snap.context.config.dailyCapacity[chosen]}
          data={data}
          config={config}
          onSubmit={async (nik, full, priority, personAsked) => {
            const service = chosen;
            const outcome = await serveNeed({ data, config, by, stamp, offer, counters, deviceSlot }, { service, nik, full, priority, personAsked });
            if (!outcome.ok && outcome.problem.why === 'capacityReached') {
              onNext({ service, nik, notice: doorProblemText(t, lang, outcome.problem) });
              return null;
            }
            const problem = settle(outcome);
            if (problem) return problem;
            onIssued();
            // Saved but not taken by the machine: say so rather than pretend (the ticket stands).
            return ref.getSnapshot().status === 'done' ? null : t('door.errors.notRecorded');
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

      {state === 'checkedIn' && result?.kind === 'checkedIn' ? <CheckedInResult result={result} print={print} onReprint={reprint} onNext={() => onNext()} /> : null}

      {state === 'declined' && result?.kind === 'declined' ? <DeclinedResult result={result} print={print} onReprint={reprint} onNext={() => onNext()} /> : null}

      {state === 'ticketIssued' && result?.kind === 'ticket' ? <TicketResult result={result} print={print} onReprint={reprint} onNext={() => onNext()} /> : null}

      {state === 'appointmentBooked' && result?.kind === 'appointment' ? <AppointmentResult result={result} print={print} onReprint={reprint} onNext={() => onNext()} /> : null}

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
