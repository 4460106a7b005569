import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CAUSES_WITH_EFFECTIVE_DATE, CAUSES_WITH_WAITING_PERIOD } from '@shared/cases/rules';
import { JHT_CAUSES, type JhtCause } from '@shared/cases/schema';
import { addYears } from '@shared/dates';
import { TextField } from '../../../components/Field';
import type { StepApi } from './api';
import { CauseForm, causeTiming, issuesByField, partialBlockers } from './model';
import { formatDate } from './format';

/** Cause of the claim with the dates that decide whether it is claimable today. */
export function CauseStep({ api, notYetEligible }: { api: StepApi; notYetEligible: boolean }) {
  const { t } = useTranslation();
  const { ctx, today } = api;
  const [cause, setCause] = useState<JhtCause | ''>(ctx.cause ?? '');
  const [effectiveDate, setEffectiveDate] = useState(ctx.effectiveDate ?? '');
  const [percent, setPercent] = useState<'10' | '30'>(ctx.partial?.percent === 30 ? '30' : '10');
  const [membershipSince, setMembershipSince] = useState(ctx.partial?.membershipSince ?? '');
  const [stillWorking, setStillWorking] = useState(ctx.partial?.stillWorking ?? true);
  const [earlierPartialClaim, setEarlierPartialClaim] = useState(ctx.partial?.earlierPartialClaim ?? false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [why, setWhy] = useState<string | null>(null);

  const timing = causeTiming(cause, effectiveDate, membershipSince, ctx.birthDate, ctx.config, today);
  const blockers = cause === 'partial' ? partialBlockers(stillWorking, earlierPartialClaim, timing) : [];
  const blockerText = (b: string): string => t(`jht.${b}` as never, { date: formatDate(timing.partialFrom), years: ctx.config.partialClaimMinYears });
  const err = (field: string): string | undefined => (errors[field] ? t(`jht.${errors[field]}` as never) : undefined);
  // A corrected field stops showing its old message.
  const fix = (field: string) => setErrors(({ [field]: _fixed, ...rest }) => rest);

  function onSubmit(e: FormEvent): void {
    e.preventDefault();
    if (api.busy) return;
    const parsed = CauseForm.safeParse({ cause, effectiveDate, percent, membershipSince, stillWorking, earlierPartialClaim, today });
    if (!parsed.success) {
      setErrors(issuesByField(parsed.error.issues));
      setWhy(null);
      // Keyboard users land on the first field to fix.
      queueMicrotask(() => document.querySelector<HTMLElement>('.jht-cause [aria-invalid="true"], .jht-cause input[name="jht-cause"]')?.focus());
      return;
    }
    setErrors({});
    // A partial claim the rules do not allow has no refusal to go to: it is not offered at all.
    if (blockers.length > 0) {
      setWhy(blockers.map(blockerText).join(' '));
      return;
    }
    const payload = { type: 'cause.selected', ...parsed.data };
    if (!api.can(payload)) {
      setWhy(t('jht.why.roleOrState'));
      return;
    }
    setWhy(null);
    void api.fire(payload);
  }

  const needsDate = cause !== '' && CAUSES_WITH_EFFECTIVE_DATE.includes(cause);

  return (
    <form className="jht-step jht-cause" onSubmit={onSubmit} noValidate aria-labelledby="jht-cause-title">
      <h4 id="jht-cause-title" className="jht-step__title">
        {t('jht.cause.title')}
      </h4>
      {notYetEligible ? (
        <div className="alert jht-warn" role="status" data-testid="jht-not-eligible">
          {ctx.firstClaimDate
            ? t('jht.cause.notYetWaiting', { date: formatDate(ctx.firstClaimDate) })
            : ctx.cause === 'age56' && ctx.birthDate
              ? t('jht.cause.notYetAge', { date: formatDate(addYears(ctx.birthDate, ctx.config.retirementAge)) })
              : t('jht.cause.notYetOther')}
        </div>
      ) : null}
      <fieldset className="jht-causes" aria-describedby={errors.cause ? 'jht-cause-error' : undefined}>
        <legend className="field__label">{t('jht.cause.legend')}</legend>
        {JHT_CAUSES.map((c) => (
          <label key={c} className="jht-cause-option">
            <input type="radio" name="jht-cause" value={c} checked={cause === c} onChange={() => {
                setCause(c);
                fix('cause');
              }} aria-invalid={errors.cause ? true : undefined} />
            <span>
              <span className="jht-cause-option__name">{t(`jht.causes.${c}`)}</span>
              <span className="jht-cause-option__rule">{t(`jht.causeRules.${c}`, { months: ctx.config.waitingPeriodMonths, age: ctx.config.retirementAge, years: ctx.config.partialClaimMinYears })}</span>
            </span>
          </label>
        ))}
        {errors.cause ? (
          <p id="jht-cause-error" className="field__error">
            {err('cause')}
          </p>
        ) : null}
      </fieldset>

      {needsDate ? (
        <TextField
          id="jht-effective-date"
          type="date"
          className="field--short"
          label={t('jht.cause.effectiveDate')}
          hint={CAUSES_WITH_WAITING_PERIOD.includes(cause) ? t('jht.cause.effectiveHintWaiting', { months: ctx.config.waitingPeriodMonths }) : t('jht.cause.effectiveHint')}
          value={effectiveDate}
          max={today}
          onChange={(e) => {
            setEffectiveDate(e.target.value);
            fix('effectiveDate');
          }}
          error={err('effectiveDate')}
        />
      ) : null}

      {cause === 'partial' ? (
        <fieldset className="jht-partial">
          <legend className="field__label">{t('jht.partial.legend')}</legend>
          <div className="jht-checks" role="radiogroup" aria-label={t('jht.partial.percent')}>
            {(['10', '30'] as const).map((p) => (
              <span key={p} className="checkbox">
                <input id={`jht-partial-${p}`} type="radio" name="jht-partial-percent" checked={percent === p} onChange={() => setPercent(p)} />
                <label htmlFor={`jht-partial-${p}`}>{t(`jht.partial.p${p}`)}</label>
              </span>
            ))}
          </div>
          <TextField
            id="jht-membership-since"
            type="date"
            className="field--short"
            label={t('jht.partial.membershipSince')}
            hint={t('jht.partial.membershipHint', { years: ctx.config.partialClaimMinYears })}
            value={membershipSince}
            max={today}
            onChange={(e) => {
              setMembershipSince(e.target.value);
              fix('membershipSince');
            }}
            error={err('membershipSince')}
          />
          <div className="jht-checks">
            <span className="checkbox">
              <input id="jht-still-working" type="checkbox" checked={stillWorking} onChange={(e) => setStillWorking(e.target.checked)} />
              <label htmlFor="jht-still-working">{t('jht.partial.stillWorking')}</label>
            </span>
            <span className="checkbox">
              <input id="jht-earlier-partial" type="checkbox" checked={earlierPartialClaim} onChange={(e) => setEarlierPartialClaim(e.target.checked)} />
              <label htmlFor="jht-earlier-partial">{t('jht.partial.earlier')}</label>
            </span>
          </div>
        </fieldset>
      ) : null}

      <div className="jht-timing" aria-live="polite" data-testid="jht-timing">
        {timing.firstClaimDate ? (
          <p className={timing.claimableToday ? 'jht-ok' : 'jht-late'}>
            {t(timing.claimableToday ? 'jht.cause.firstDateOk' : 'jht.cause.firstDateLate', {
              date: formatDate(timing.firstClaimDate),
              months: ctx.config.waitingPeriodMonths,
            })}
          </p>
        ) : null}
        {cause === 'age56' ? (
          <p className={timing.claimableToday ? 'jht-ok' : 'jht-late'}>
            {timing.retirementDate
              ? t(timing.claimableToday ? 'jht.cause.ageOk' : 'jht.cause.ageLate', { date: formatDate(timing.retirementDate), age: ctx.config.retirementAge })
              : t('jht.cause.ageUnknown')}
          </p>
        ) : null}
        {cause === 'partial' && blockers.length === 0 && timing.partialFrom ? (
          <p className="jht-ok">{t('jht.partial.allowed', { date: formatDate(timing.partialFrom) })}</p>
        ) : null}
        {cause === 'partial' && blockers.length > 0 ? (
          <ul className="jht-late jht-list">
            {blockers.map((b) => (
              <li key={b}>{blockerText(b)}</li>
            ))}
          </ul>
        ) : null}
      </div>

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={api.busy}>
          {t('jht.cause.submit')}
        </button>
      </div>
      {why ? (
        <p className="jht-why" role="alert">
          {why}
        </p>
      ) : null}
    </form>
  );
}
