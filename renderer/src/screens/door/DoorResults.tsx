import { useTranslation } from 'react-i18next';
import type { DoorResult } from '../../data/door-visit';
import { formatDate, formatMinutes } from './format';

/** The print of a visit's result: idle, printing, printed, or failed with the printer's reason. */
export type PrintState = { state: 'idle' | 'printing' | 'printed' } | { state: 'failed'; message: string };

interface ResultProps<K extends DoorResult['kind']> {
  result: Extract<DoorResult, { kind: K }>;
  print: PrintState;
  onReprint: () => void;
  onNext: () => void;
}

export function TicketResult({ result, print, onReprint, onNext }: ResultProps<'ticket'>) {
  const { t } = useTranslation();
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

export function CheckedInResult({ result, print, onReprint, onNext }: ResultProps<'checkedIn'>) {
  const { t } = useTranslation();
  return (
    <section className="card door-result" aria-labelledby="door-result-title" data-testid="door-checkin-result">
      <h2 id="door-result-title" className="door__heading">
        {t('door.checkedIn.title')}
      </h2>
      <p className="door-ticket-number" data-testid="door-ticket-number">
        {result.doc.number}
      </p>
      <p>{t('door.checkedIn.body', { time: result.doc.appointment?.time ?? '' })}</p>
      {result.bySlip ? (
        <p className="muted" data-testid="door-checkin-by-slip">
          {t('door.scan.bySlip')}
        </p>
      ) : null}
      {result.doc.priority ? <p className="status-pill">{t('door.priority.badge', { category: t(`door.priority.categories.${result.doc.priority}`) })}</p> : null}
      <PrintStatus print={print} what="ticket" />
      <ResultActions print={print} onReprint={onReprint} onNext={onNext} />
    </section>
  );
}

export function DeclinedResult({ result, print, onReprint, onNext }: ResultProps<'declined'>) {
  const { t } = useTranslation();
  return (
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
      <ResultActions print={print} onReprint={onReprint} onNext={onNext} />
    </section>
  );
}

export function AppointmentResult({ result, print, onReprint, onNext }: ResultProps<'appointment'>) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
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
