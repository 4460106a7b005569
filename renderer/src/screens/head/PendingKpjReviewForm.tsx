import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { branchCalendar, closedDayOn, isWeekend } from '@shared/calendar/open-days';
import type { ClosedDay, LocalClosure } from '@shared/calendar/types';
import { FOLLOW_UPS, HourMinute, type FollowUp } from '@shared/cases/schema';
import { localDateOf } from '@shared/dates';
import { ErrorAlert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Field';
import { branchZone } from '../../data/branch-zone';
import { formatDate } from '../door/format';
import type { AuditActor } from '../../data/audit-chain';
import type { PendingKpjReviews } from '../../data/db/pending-kpj-reviews';
import type { PendingKpjItem } from '../../data/reports/pending-kpjs';

/**
 * Every follow-up kind the rules allow for an overturned pending KPJ, the default (reopen the case)
 * first; "call the person back" only when the case recorded a phone number (issue 16 pt 15).
 */
export function pendingFollowUpKinds(phoneRecorded: boolean): FollowUp[] {
  const kinds = FOLLOW_UPS.filter((k) => k !== 'callBack' || phoneRecorded);
  // The call back goes last, so the other kinds keep their place whether or not it is offered.
  return [...kinds.filter((k) => k !== 'callBack'), ...kinds.filter((k) => k === 'callBack')];
}

export type PendingFollowUpProblem =
  | { field: 'followUp'; why: 'NO_PHONE' }
  | { field: 'dueDate'; why: 'dueDateRequired' }
  | { field: 'dueDate'; why: 'closedDay'; closedDay: ClosedDay | null }
  | { field: 'dueTime'; why: 'dueTimeRequired' };

/**
 * What keeps the chosen follow-up from being saved (null when nothing): a date before today, an
 * appointment without a time or on a closed day (weekend, national holiday, joint leave), a call
 * back without a recorded phone. The data layer checks the date and the phone again.
 */
export function pendingFollowUpProblem(o: {
  followUp: FollowUp;
  dueDate: string;
  dueTime: string;
  today: string;
  phoneRecorded: boolean;
  /** The branch's own closed days (settings and HQ): never an appointment on one of them either. */
  localClosures?: readonly LocalClosure[];
}): PendingFollowUpProblem | null {
  if (o.followUp === 'callBack' && !o.phoneRecorded) return { field: 'followUp', why: 'NO_PHONE' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.dueDate) || o.dueDate < o.today) return { field: 'dueDate', why: 'dueDateRequired' };
  if (o.followUp !== 'appointment') return null;
  const closed = closedDayOn(o.dueDate, branchCalendar(o.localClosures));
  if (closed || isWeekend(o.dueDate)) return { field: 'dueDate', why: 'closedDay', closedDay: closed };
  if (!HourMinute.safeParse(o.dueTime).success) return { field: 'dueTime', why: 'dueTimeRequired' };
  return null;
}

/** The follow-up of an overturn: its kind, its date and, for an appointment, its time. */
export function PendingFollowUpFields({
  phoneRecorded,
  followUp,
  dueDate,
  dueTime,
  today,
  errors,
  onFollowUp,
  onDueDate,
  onDueTime,
}: {
  phoneRecorded: boolean;
  followUp: FollowUp;
  dueDate: string;
  dueTime: string;
  today: string;
  errors: Partial<Record<'followUp' | 'dueDate' | 'dueTime', string>>;
  onFollowUp: (kind: FollowUp) => void;
  onDueDate: (date: string) => void;
  onDueTime: (time: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        id="pending-kpj-follow-up"
        field="followUp"
        label={t('review.pendingKpjs.followUp')}
        hint={phoneRecorded ? undefined : t('review.pendingKpjs.callBackNeedsPhone')}
        value={followUp}
        onChange={(e) => onFollowUp(e.target.value as FollowUp)}
        error={errors.followUp}
      >
        {pendingFollowUpKinds(phoneRecorded).map((k) => (
          <option key={k} value={k}>
            {t(`review.followUpKinds.${k}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        id="pending-kpj-due-date"
        field="dueDate"
        type="date"
        label={t('review.pendingKpjs.dueDate')}
        value={dueDate}
        min={today}
        onChange={(e) => onDueDate(e.target.value)}
        error={errors.dueDate}
        className="field--short"
      />
      {followUp === 'appointment' ? (
        <TextField
          id="pending-kpj-due-time"
          field="dueTime"
          type="time"
          label={t('review.pendingKpjs.dueTime')}
          hint={t('review.pendingKpjs.dueTimeHint')}
          value={dueTime}
          onChange={(e) => onDueTime(e.target.value)}
          error={errors.dueTime}
          className="field--short"
        />
      ) : null}
    </>
  );
}

/**
 * The head's decision on one pending KPJ (issue 16 pt 3), like a refusal review: upheld (the
 * pending is justified) or overturned (it is not: the KPJ must be resolved), with a note, which an
 * overturn requires, and the follow-up it opens (by default the case reopened by the pending's
 * follow-up date). Recorded in the audit chain by `PendingKpjReviews.record`.
 */
export function PendingKpjReviewForm({
  item,
  reviews,
  by,
  localClosures,
  onDone,
  onCancel,
}: {
  item: PendingKpjItem;
  reviews: PendingKpjReviews;
  by: AuditActor;
  /** The branch's own closed days (this PC's and HQ's): an appointment is never set on one. */
  localClosures: readonly LocalClosure[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [decision, setDecision] = useState<'upheld' | 'overturned' | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const today = localDateOf(new Date().toISOString(), branchZone());
  const [followUp, setFollowUp] = useState<FollowUp>('reopenCase');
  // The follow-up date the person was given, or today when it has passed (the data layer's default).
  const [dueDate, setDueDate] = useState(item.followUpOn < today ? today : item.followUpOn);
  const [dueTime, setDueTime] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'followUp' | 'dueDate' | 'dueTime', string>>>({});
  const [phoneRecorded, setPhoneRecorded] = useState(false);

  useEffect(() => {
    let alive = true;
    void reviews.phoneRecorded(item.caseId).then((has) => {
      if (alive) setPhoneRecorded(has);
    });
    return () => {
      alive = false;
    };
  }, [reviews, item.caseId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!decision) {
      setFailure(t('review.pendingKpjs.errors.noDecision'));
      return;
    }
    if (decision === 'overturned' && note.trim() === '') {
      setFailure(t('review.pendingKpjs.errors.noteRequired'));
      return;
    }
    if (decision === 'overturned') {
      const problem = pendingFollowUpProblem({ followUp, dueDate, dueTime, today, phoneRecorded, localClosures });
      if (problem) {
        const message =
          problem.why === 'closedDay'
            ? problem.closedDay
              ? t('review.pendingKpjs.errors.closedDayNamed', { date: formatDate(dueDate, i18n.language), name: problem.closedDay.name })
              : t('review.pendingKpjs.errors.closedDay', { date: formatDate(dueDate, i18n.language) })
            : t(`review.pendingKpjs.errors.${problem.why}`);
        setErrors({ [problem.field]: message });
        setFailure(message);
        return;
      }
    }
    setErrors({});
    setBusy(true);
    setFailure(null);
    try {
      const followUpInput = decision === 'overturned' ? { followUp, dueDate, ...(followUp === 'appointment' ? { dueTime } : {}) } : {};
      const r = await reviews.record({ caseId: item.caseId, kpj: item.kpj, followUpOn: item.followUpOn, decision, note, ...followUpInput }, by);
      if (r.ok) onDone(t('review.pendingKpjs.saved', { kpj: item.kpj }));
      else setFailure(t(`review.pendingKpjs.errors.${r.reason}`));
    } catch (err) {
      setFailure(t('review.errors.saveFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="pending-kpj-review-title" data-testid="pending-kpj-review">
      <h3 id="pending-kpj-review-title" className="card__title">
        {t('review.pendingKpjs.reviewTitle', { kpj: item.kpj, caseId: item.caseId })}
      </h3>
      <form className="form card__padded" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <ErrorAlert>{failure}</ErrorAlert>
        <fieldset className="head-review__decision">
          <legend className="field__label">{t('review.pendingKpjs.decision')}</legend>
          {(['upheld', 'overturned'] as const).map((d) => (
            <label key={d} className="checkbox">
              <input type="radio" name="pending-kpj-decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
              {t(`review.pendingKpjs.${d}`)}
            </label>
          ))}
        </fieldset>
        {decision === 'overturned' ? (
          <PendingFollowUpFields
            phoneRecorded={phoneRecorded}
            followUp={followUp}
            dueDate={dueDate}
            dueTime={dueTime}
            today={today}
            errors={errors}
            onFollowUp={(k) => {
              setFollowUp(k);
              setErrors({});
            }}
            onDueDate={(d) => {
              setDueDate(d);
              setErrors({});
            }}
            onDueTime={(tm) => {
              setDueTime(tm);
              setErrors({});
            }}
          />
        ) : null}
        <div className="field">
          <label className="field__label" htmlFor="pending-kpj-note">
            {t('review.pendingKpjs.noteLabel')}
          </label>
          <textarea id="pending-kpj-note" className="input" rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="pending-kpj-note-hint" />
          <p id="pending-kpj-note-hint" className="field__hint">
            {t('review.pendingKpjs.noteHint')}
          </p>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('review.pendingKpjs.save')}
          </button>
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t('review.pendingKpjs.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
