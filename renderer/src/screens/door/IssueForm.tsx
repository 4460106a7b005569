import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueConfig } from '@shared/cases/config';
import { PRIORITY_CATEGORIES, type Appointment, type PriorityCategory, type Service } from '@shared/cases/schema';
import { localDateOf } from '@shared/dates';
import { parseNik } from '@shared/identity/nik';
import type { LocalData } from '../../data/DataProvider';
import { branchZone } from '../../data/branch-zone';
import { laterDateProblem } from './door-problems';
import { formatDate } from './format';
import { NikField } from './NikField';

/** The NIK (and, when today is full, the appointment offered or a later date the person asks for). */
export function IssueForm({
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
