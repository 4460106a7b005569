import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FOLLOW_UPS, MobilePhone, OMBUDSMAN_CATEGORIES, OMBUDSMAN_CATEGORY_TITLES, type Actor, type FollowUp, type OmbudsmanCategory } from '@shared/cases/schema';
import { addDays, localDateOf } from '@shared/dates';
import { REQUIRED_DOCUMENT_TITLES, reasonFor } from '@shared/policy/catalog';
import { ErrorAlert } from '../../components/Alert';
import { SelectField, storableTyping, TextField } from '../../components/Field';
import { focusFirstError } from '../../app/errors';
import type { RefusalReviews, RefusalUnderReview, ReviewDecision, ReviewFailure } from '../../data/db/refusal-reviews';
import { branchDateTime, pick } from './format';
import { branchZone } from '../../data/branch-zone';

type Errors = Record<string, string>;

/**
 * The decision on one pending refusal: the facts the officer's guard held on, then uphold or
 * overturn (Ombudsman category, follow-up with a due date, optional note). The machine decides
 * whether the decision stands; the form only helps fill it in.
 */
export function ReviewForm({
  reviews,
  refusalId,
  actor,
  canDecide,
  officerName,
  onDone,
  onCancel,
}: {
  reviews: RefusalReviews;
  refusalId: string;
  actor: Actor;
  canDecide: boolean;
  officerName: string;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [view, setView] = useState<RefusalUnderReview | null>(null);
  const [decision, setDecision] = useState<'' | 'upheld' | 'overturned'>('');
  const [category, setCategory] = useState<'' | OmbudsmanCategory>('');
  const [followUp, setFollowUp] = useState<'' | FollowUp>('');
  const today = localDateOf(new Date().toISOString(), branchZone());
  const [dueDate, setDueDate] = useState(addDays(today, 1));
  const [dueTime, setDueTime] = useState('');
  const [note, setNote] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let alive = true;
    // Opening the facts is an audited read of the person's case.
    void reviews.underReview(refusalId, { staffId: actor.staffId, role: actor.role }).then((v) => {
      if (alive) setView(v);
    });
    heading.current?.focus();
    return () => {
      alive = false;
    };
  }, [reviews, refusalId, actor.staffId, actor.role]);

  // A field's message goes as soon as the head changes that field.
  const clearError = (field: string) =>
    setErrors((e) => {
      if (!(field in e)) return e;
      const next = { ...e };
      delete next[field];
      return next;
    });

  const refusal = view?.refusal;
  const caseId = refusal?.caseId ?? '';
  const reason = refusal ? reasonFor(refusal.code) : undefined;
  const facts = view?.record?.facts;
  // "Call the person back" is offered only with a number to call: the case's, or one recorded here.
  const phoneGiven = MobilePhone.safeParse(phone.trim()).success;
  const canCallBack = !!view?.phoneRecorded || phoneGiven;
  const followUps = FOLLOW_UPS.filter((f) => f !== 'callBack' || canCallBack);
  const yesNo = (v: boolean | undefined) => (v === undefined ? t('review.form.none') : v ? t('review.form.yes') : t('review.form.no'));

  const validate = (): Errors => {
    const e: Errors = {};
    if (!decision) e.decision = t('review.errors.decisionRequired');
    if (decision === 'overturned') {
      if (!category) e.category = t('review.errors.categoryRequired');
      if (!view?.phoneRecorded && phone.trim() && !phoneGiven) e.phone = t('review.errors.phoneInvalid');
      if (!followUp) e.followUp = t('review.errors.followUpRequired');
      else if (followUp === 'callBack' && !canCallBack) e.followUp = t('review.errors.NO_PHONE');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || dueDate < today) e.dueDate = t('review.errors.dueDateRequired');
      if (followUp === 'appointment' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(dueTime)) e.dueTime = t('review.errors.dueTimeRequired');
    }
    if (note.trim().length > 500) e.note = t('review.errors.noteTooLong');
    else if (/\d{16}/.test(note.replace(/[\s.-]/g, ''))) e.note = t('review.errors.noteNik');
    return e;
  };

  const failureText = (f: ReviewFailure) => (f.reason === 'REFUSED_BY_MACHINE' ? t('review.errors.REFUSED_BY_MACHINE', { detail: f.rejection.reason }) : t(`review.errors.${f.reason}`));

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (busy || !refusal) return;
    setFailure(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setTimeout(() => focusFirstError(form.current, found), 0);
      return;
    }
    const trimmed = note.trim();
    const input: ReviewDecision =
      decision === 'upheld'
        ? { kind: 'upheld', ...(trimmed ? { note: trimmed } : {}) }
        : {
            kind: 'overturned',
            category: category as OmbudsmanCategory,
            followUp: followUp as FollowUp,
            dueDate,
            ...(followUp === 'appointment' ? { dueTime } : {}),
            ...(followUp === 'callBack' && !view?.phoneRecorded ? { phone: phone.trim() } : {}),
            ...(trimmed ? { note: trimmed } : {}),
          };
    setBusy(true);
    try {
      const r = await reviews.review(refusal.id, input, actor);
      if (!r.ok) {
        setFailure(failureText(r.failure));
        return;
      }
      const due = followUp === 'appointment' ? `${dueDate} ${dueTime}` : dueDate;
      onDone(
        decision === 'upheld'
          ? t('review.form.saved', { caseId, decision: t('review.decisions.upheld') })
          : t('review.form.savedFollowUp', { caseId, followUp: t(`review.followUpKinds.${followUp as FollowUp}`), due }),
      );
    } catch (e) {
      setFailure(t('review.errors.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    // Escape leaves the form without deciding (nothing is saved until "Simpan keputusan").
    <section
      className="card head-review"
      aria-labelledby="review-form-title"
      data-testid="review-form"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) onCancel();
      }}
    >
      <h2 id="review-form-title" className="card__heading card__padded" tabIndex={-1} ref={heading}>
        {t('review.form.title', { caseId })}
      </h2>
      <div className="card__padded">
        <p>
          <strong className="mono">{refusal?.code}</strong> — {pick(reason?.title, lang)} · {officerName} · {branchDateTime(refusal?.at)}
        </p>
        {reason ? (
          <p className="muted">
            {t('review.form.holdsWhen')}: {pick(reason.holdsWhen, lang)}
          </p>
        ) : null}
        <h3 className="head-review__sub">{t('review.form.facts')}</h3>
        {view && !facts ? <p className="card__hint">{t('review.form.factsMissing')}</p> : null}
        {facts ? (
          <dl className="facts" data-testid="review-facts">
            <div>
              <dt>{t('review.form.requestedAt')}</dt>
              <dd>{branchDateTime(facts.at)}</dd>
            </div>
            <div>
              <dt>{t('review.form.identity')}</dt>
              <dd>
                {facts.identity
                  ? t('review.form.identityValue', { presented: yesNo(facts.identity.ektpPresented), matches: yesNo(facts.identity.ektpMatchesNik), kpj: yesNo(facts.identity.kpjMatchesNik) })
                  : t('review.form.identityUnchecked')}
              </dd>
            </div>
            <div>
              <dt>{t('review.form.participant')}</dt>
              <dd>{facts.participantFound === null ? t('review.form.participantUnchecked') : facts.participantFound ? t('review.form.participantFound') : t('review.form.participantNotFound')}</dd>
            </div>
            <div>
              <dt>{t('review.form.firstClaimDate')}</dt>
              <dd>{facts.firstClaimDate ?? t('review.form.none')}</dd>
            </div>
            <div>
              <dt>{t('review.form.missingDocuments')}</dt>
              <dd>{facts.missingDocuments && facts.missingDocuments.length > 0 ? facts.missingDocuments.map((d) => pick(REQUIRED_DOCUMENT_TITLES[d], lang)).join('; ') : t('review.form.none')}</dd>
            </div>
            <div>
              <dt>{t('review.form.kpjs')}</dt>
              <dd>{t('review.form.kpjsValue', { count: facts.kpjs.length, paid: facts.kpjs.filter((k) => k.paidBefore).length })}</dd>
            </div>
          </dl>
        ) : null}
      </div>

      {!canDecide ? (
        <p className="card__padded card__hint" role="note">
          {t('review.form.adminOnly')}
        </p>
      ) : (
        <form ref={form} className="form card__padded" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
          <ErrorAlert>{failure}</ErrorAlert>
          <fieldset className="head-review__decision" aria-describedby={errors.decision ? 'review-decision-error' : undefined}>
            <legend className="field__label">{t('review.form.decision')}</legend>
            {(['upheld', 'overturned'] as const).map((d) => (
              <label key={d} className="checkbox">
                <input
                  type="radio"
                  name="decision"
                  value={d}
                  data-field="decision"
                  checked={decision === d}
                  aria-invalid={errors.decision ? true : undefined}
                  onChange={() => {
                    setDecision(d);
                    clearError('decision');
                  }}
                  disabled={!facts}
                />
                {d === 'upheld' ? t('review.form.uphold') : t('review.form.overturn')}
              </label>
            ))}
            {errors.decision ? (
              <p id="review-decision-error" className="field__error">
                {errors.decision}
              </p>
            ) : null}
          </fieldset>

          {decision === 'overturned' ? (
            <>
              <SelectField id="review-category" field="category" label={t('review.form.category')} value={category} onChange={(e) => {
                  setCategory(e.target.value as OmbudsmanCategory);
                  clearError('category');
                }} error={errors.category}>
                <option value="">{t('review.form.categoryPlaceholder')}</option>
                {OMBUDSMAN_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {pick(OMBUDSMAN_CATEGORY_TITLES[c], lang)}
                  </option>
                ))}
              </SelectField>
              {!view?.phoneRecorded ? (
                <TextField
                  id="review-phone"
                  field="phone"
                  type="tel"
                  inputMode="tel"
                  autoComplete="off"
                  label={t('review.form.phone')}
                  hint={t('review.form.phoneHint')}
                  value={phone}
                  onChange={(e) => {
                    const next = e.target.value;
                    setPhone(next);
                    clearError('phone');
                    // Without a valid number there is nobody to call back.
                    if (followUp === 'callBack' && !MobilePhone.safeParse(next.trim()).success) setFollowUp('');
                  }}
                  error={errors.phone}
                  className="field--short"
                />
              ) : null}
              <SelectField id="review-follow-up" field="followUp" label={t('review.form.followUp')} value={followUp} onChange={(e) => {
                  setFollowUp(e.target.value as FollowUp);
                  clearError('followUp');
                  clearError('dueTime');
                }} error={errors.followUp}>
                <option value="">{t('review.form.followUpPlaceholder')}</option>
                {followUps.map((f) => (
                  <option key={f} value={f}>
                    {t(`review.followUpKinds.${f}`)}
                  </option>
                ))}
              </SelectField>
              <TextField id="review-due-date" field="dueDate" type="date" label={t('review.form.dueDate')} value={dueDate} min={today} onChange={(e) => {
                  setDueDate(e.target.value);
                  clearError('dueDate');
                }} error={errors.dueDate} className="field--short" />
              {followUp === 'appointment' ? (
                <TextField
                  id="review-due-time"
                  field="dueTime"
                  type="time"
                  label={t('review.form.dueTime')}
                  hint={t('review.form.dueTimeHint')}
                  value={dueTime}
                  onChange={(e) => {
                    setDueTime(e.target.value);
                    clearError('dueTime');
                  }}
                  error={errors.dueTime}
                  className="field--short"
                />
              ) : null}
            </>
          ) : null}

          <div className={['field', errors.note ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
            <label htmlFor="review-note" className="field__label">
              {t('review.form.note')}
            </label>
            <textarea
              id="review-note"
              name="note"
              data-field="note"
              className="input head-review__note"
              rows={3}
              maxLength={600}
              value={note}
              onChange={storableTyping((e) => {
                setNote(e.target.value);
                clearError('note');
              })}
              aria-invalid={errors.note ? true : undefined}
              aria-describedby={['review-note-hint', errors.note ? 'review-note-error' : ''].filter(Boolean).join(' ')}
            />
            <p id="review-note-hint" className="field__hint">
              {t('review.form.noteHint')}
            </p>
            {errors.note ? (
              <p id="review-note-error" className="field__error">
                {errors.note}
              </p>
            ) : null}
          </div>

          <p className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy || !facts}>
              {t('review.form.submit')}
            </button>
            <button type="button" className="button button--ghost" onClick={onCancel}>
              {t('review.form.cancel')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
