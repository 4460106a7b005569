import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { WEEKDAYS } from '@shared/branch/schema';
import { Appointment, type RequiredDocument } from '@shared/cases/schema';
import { localDateOf, localTimeOf, weekdayOf } from '@shared/dates';
import { checkRefusal, firstClaimDateOf, firstOpenSlot, nextOpening, POLICY_CATALOG, PREDICATES, REQUIRED_DOCUMENT_TITLES, type RefusalReason } from '@shared/policy';
import type { RefusalFacts, RefusalRequest } from '@shared/policy/facts';
import { branchCalendar, isOpenDay } from '@shared/calendar';
import { formatDay } from '@shared/i18n/format';
import { ErrorAlert } from '../../components/Alert';
import type { AppendResult } from '../../data/db/case-journal';
import { currentLanguage } from '../../i18n';
import { refusalFactsOf, tryEvent } from './case-machines';
import type { FlowProps } from './flow-props';

/** Why a catalog reason's guard does not hold on these facts, in the officer's words. */
export function whyNot(t: TFunction, reason: RefusalReason, facts: RefusalFacts): string {
  if (!reason.flows.includes(facts.flow)) return t('desk.refusal.why.notForFlow');
  switch (reason.code) {
    case 'IDENTITY_NOT_VERIFIED':
      return facts.identity === null ? t('desk.refusal.why.identityNotChecked') : t('desk.refusal.why.identityVerified');
    case 'WAITING_PERIOD_NOT_ELAPSED':
      return facts.firstClaimDate === null ? t('desk.refusal.why.noWaitingPeriod') : t('desk.refusal.why.waitingElapsed', { date: facts.firstClaimDate });
    case 'DOCUMENT_MISSING':
      return facts.missingDocuments === null ? t('desk.refusal.why.documentsNotChecked') : t('desk.refusal.why.documentsComplete');
    case 'ALREADY_PAID':
      return facts.kpjs.length === 0 ? t('desk.refusal.why.noKpjYet') : t('desk.refusal.why.notAllPaid');
    case 'NOT_A_PARTICIPANT':
      return facts.participantFound === null ? t('desk.refusal.why.membershipNotSearched') : t('desk.refusal.why.participantFound');
    case 'AGE_NOT_REACHED':
      return facts.ageReachedOn === undefined ? t('desk.refusal.why.notAge56') : t('desk.refusal.why.age56Reached', { date: facts.ageReachedOn });
    case 'OUTSIDE_SERVICE_HOURS': {
      // Judged when the visit began (the ticket was taken), not now.
      const when = facts.visitStartedAt ?? facts.at;
      const day = facts.serviceHours[WEEKDAYS[weekdayOf(localDateOf(when, facts.zone))] ?? 'sun'];
      const hours = day ? `${day.open}–${day.close}` : '';
      return facts.visitStartedAt !== undefined ? t('desk.refusal.why.visitInHours', { time: localTimeOf(facts.visitStartedAt, facts.zone), hours }) : t('desk.refusal.why.open', { hours });
    }
  }
}

/** The earliest appointment a reason accepts, as a starting value for the officer. */
export function defaultAppointment(reason: RefusalReason, facts: RefusalFacts): { date: string; time: string } {
  // Never a weekend, national holiday, joint leave day or local closure (issue 16): the calendar the machine and HQ judge by.
  const calendar = branchCalendar(facts.localClosures);
  const opening = nextOpening(facts.serviceHours, facts.at, facts.zone, calendar);
  // "Not yet" (waiting period, age 56): the first claim date, moved to the next open day if closed.
  const first = reason.appointment === 'onOrAfterFirstClaimDate' ? firstClaimDateOf(reason, facts) : null;
  const slot = first ? firstOpenSlot(facts.serviceHours, first, (d) => isOpenDay(d, calendar)) : null;
  if (slot) return slot;
  return { date: opening?.date ?? localDateOf(facts.at, facts.zone), time: opening?.time ?? '08:00' };
}

/**
 * The appointment the refusal records: the earliest one as proposed, or a later date only when the
 * person asked for it, then recorded as their choice (DOMAIN "Queue"); a later date nobody asked
 * for is not recorded (null).
 */
export function refusalAppointment(chosen: { date: string; time: string }, earliest: { date: string }, personAsked: boolean): Appointment | null {
  if (chosen.date <= earliest.date) return { date: chosen.date, time: chosen.time };
  return personAsked ? { date: chosen.date, time: chosen.time, chosenByPerson: true } : null;
}

/**
 * Refusal only through the policy catalog: every code of the catalog is listed; a code is
 * selectable only when its guard holds on this case's facts now, and every other one says why
 * not. There is no free-text reason and no other list: invented reasons cannot be chosen.
 */
export function RefusalPanel({ flowProps, onRefuse }: { flowProps: FlowProps; onRefuse: (event: Record<string, unknown>) => Promise<AppendResult> }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { caseDoc, actor } = flowProps;
  const now = () => flowProps.now();
  const at = now();
  const facts = refusalFactsOf(caseDoc, at);
  const [code, setCode] = useState<string | null>(null);
  const [appointment, setAppointment] = useState<{ date: string; time: string } | null>(null);
  // The person asked for a date later than the earliest one (recorded as their choice).
  const [personAsked, setPersonAsked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const forFlow = POLICY_CATALOG.filter((r) => r.flows.includes(caseDoc.flow));
  const others = POLICY_CATALOG.filter((r) => !r.flows.includes(caseDoc.flow));
  const holds = (r: RefusalReason) => PREDICATES[r.guard](facts, { code: r.code });
  const selected = forFlow.find((r) => r.code === code && holds(r)) ?? null;
  // Only the documents the officer recorded as not presented (never presumed): the slip names them all.
  const missing = (facts.missingDocuments ?? []) as RequiredDocument[];
  const earliestAppointment = selected && selected.appointment !== 'none' ? defaultAppointment(selected, facts) : null;
  const chosenAppointment = earliestAppointment ? (appointment ?? earliestAppointment) : null;
  const laterDate = !!chosenAppointment && !!earliestAppointment && chosenAppointment.date > earliestAppointment.date;
  const recordedAppointment = chosenAppointment && earliestAppointment ? refusalAppointment(chosenAppointment, earliestAppointment, personAsked) : null;

  const request = (): RefusalRequest & Record<string, unknown> => ({
    code: selected!.code,
    ...(selected!.code === 'DOCUMENT_MISSING' ? { documents: missing } : {}),
    ...(recordedAppointment ? { appointment: recordedAppointment } : {}),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!selected || busy) return;
    setError(null);
    if (chosenAppointment && earliestAppointment && !recordedAppointment) {
      setError(t('desk.refusal.laterNeedsRequest', { date: formatDay(earliestAppointment.date, lang) }));
      return;
    }
    const req = request();
    if (chosenAppointment && !Appointment.safeParse(chosenAppointment).success) {
      setError(t('desk.refusal.appointmentInvalid'));
      return;
    }
    const check = checkRefusal(refusalFactsOf(caseDoc, now()), req, actor.role);
    if (!check.ok) {
      setError(t(`desk.refusal.rejected.${check.why}`));
      return;
    }
    const event = { type: 'refusal.requested', at: now(), actor, ...req };
    // Only a refusal the machine takes to "refused" is sent: a mistaken click is not recorded as an attempt.
    if (tryEvent(caseDoc, event).value !== 'refused') {
      setError(t('desk.refusal.rejected.GUARD_NOT_HELD'));
      return;
    }
    setBusy(true);
    try {
      await onRefuse(event);
    } finally {
      setBusy(false);
    }
  };

  const option = (r: RefusalReason, enabled: boolean) => {
    const id = `desk-refusal-${r.code}`;
    return (
      <li key={r.code} className={`desk-refusal__option${enabled ? '' : ' desk-refusal__option--off'}`} data-code={r.code} data-available={enabled}>
        <input
          type="radio"
          className="checkbox"
          name="refusal-code"
          id={id}
          value={r.code}
          disabled={!enabled}
          checked={code === r.code && enabled}
          onChange={() => {
            setCode(r.code);
            setAppointment(null);
            setError(null);
          }}
          aria-describedby={`${id}-why`}
        />
        <label htmlFor={id}>
          <strong>{r.title[lang]}</strong> <span className="mono muted">{r.code}</span>
        </label>
        <p id={`${id}-why`} className="field__hint">
          {enabled ? t('desk.refusal.holds', { when: r.holdsWhen[lang] }) : t('desk.refusal.unavailable', { why: whyNot(t, r, facts) })}
        </p>
      </li>
    );
  };

  return (
    <section className="card desk-refusal" aria-labelledby="desk-refusal-title" data-testid="refusal-panel">
      <h2 id="desk-refusal-title" className="card__title">
        {t('desk.refusal.title')}
      </h2>
      <p className="card__hint">{t('desk.refusal.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="desk-refusal__set">
          <legend className="visually-hidden">{t('desk.refusal.legend')}</legend>
          <ul className="desk-refusal__list">{forFlow.map((r) => option(r, holds(r)))}</ul>
        </fieldset>
        {selected?.code === 'DOCUMENT_MISSING' ? (
          <fieldset className="desk-refusal__set">
            <legend className="field__label">{t('desk.refusal.missingDocuments')}</legend>
            <ul className="desk-refusal__docs" data-testid="refusal-missing-documents">
              {missing.map((d) => (
                <li key={d}>{REQUIRED_DOCUMENT_TITLES[d][lang]}</li>
              ))}
            </ul>
          </fieldset>
        ) : null}
        {chosenAppointment ? (
          <fieldset className="desk-refusal__set">
            <legend className="field__label">{t('desk.refusal.appointment')}</legend>
            <div className="desk__actions--row">
              <label className="field">
                <span className="field__label">{t('desk.refusal.appointmentDate')}</span>
                <input type="date" className="input" value={chosenAppointment.date} onChange={(e) => setAppointment({ ...chosenAppointment, date: e.target.value })} />
              </label>
              <label className="field">
                <span className="field__label">{t('desk.refusal.appointmentTime')}</span>
                <input type="time" className="input input--time" value={chosenAppointment.time} onChange={(e) => setAppointment({ ...chosenAppointment, time: e.target.value })} />
              </label>
            </div>
            {laterDate && earliestAppointment ? (
              <label className="desk-check">
                <input type="checkbox" className="checkbox" checked={personAsked} onChange={(e) => setPersonAsked(e.target.checked)} />{' '}
                {t('desk.refusal.personAskedLater', { date: formatDay(earliestAppointment.date, lang) })}
              </label>
            ) : null}
          </fieldset>
        ) : null}
        <ErrorAlert>{error}</ErrorAlert>
        {selected ? <p className="field__hint">{t('desk.refusal.basis', { basis: selected.legalBasis[lang] })}</p> : null}
        <button type="submit" className="button button--danger-ghost" disabled={!selected || busy}>
          {t('desk.refusal.submit')}
        </button>
        {!selected ? <p className="field__hint">{forFlow.some(holds) ? t('desk.refusal.choose') : t('desk.refusal.noneHolds')}</p> : null}
      </form>
      {others.length ? (
        <details className="desk-refusal__others">
          <summary>{t('desk.refusal.othersTitle', { count: others.length })}</summary>
          <ul className="desk-refusal__list">{others.map((r) => option(r, false))}</ul>
        </details>
      ) : null}
    </section>
  );
}
