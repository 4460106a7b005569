import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowProps } from '../flow-props';

/**
 * One machine event as a button: enabled only when the machine would take the event now
 * (`canTake`); `event: null` means the officer's input is not complete yet (`onInvalid` says why).
 */
export function StepButton({
  event,
  label,
  primary = false,
  onInvalid,
  onSent,
  ...props
}: FlowProps & { event: Record<string, unknown> | null; label: string; primary?: boolean; onInvalid?: () => void; onSent?: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const takes = event === null ? true : props.canTake(event);
  return (
    <span className="step-button">
      <button
        type="button"
        className={`button${primary ? ' button--primary' : ''}`}
        disabled={busy || !takes}
        onClick={() => {
          if (event === null) return onInvalid?.();
          setBusy(true);
          void props
            .send({ at: props.now(), actor: props.actor, ...event })
            .then((r) => (r.ok ? onSent?.() : undefined))
            .finally(() => setBusy(false));
        }}
      >
        {label}
      </button>
      {!takes ? <span className="field__hint">{t('desk.flow.notAccepted')}</span> : null}
    </span>
  );
}

/**
 * One question of a recorded check, answered explicitly: "Ya" or "Tidak", nothing preselected. An
 * unanswered question is not a "no" (issue 16: a refusal needs a recorded check outcome).
 */
export function YesNo({ id, legend, value, onChange, disabled = false }: { id: string; legend: string; value: boolean | null; onChange: (v: boolean) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <fieldset className="desk-refusal__set desk-yesno" disabled={disabled} data-question={id}>
      <legend className="field__label">{legend}</legend>
      {[true, false].map((v) => (
        <label key={String(v)} className="desk-check">
          <input type="radio" className="checkbox" name={id} checked={value === v} onChange={() => onChange(v)} /> {v ? t('desk.flow.answerYes') : t('desk.flow.answerNo')}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The identity check as the officer answers it: whether the e-KTP was presented, whether it matches
 * (asked only when presented) and, for JMO, whether the KPJ belongs to the NIK (required when the
 * e-KTP passed). Null until every needed answer is given: an empty submission records nothing.
 */
export function identityAnswers(a: { presented: boolean | null; matches: boolean | null; kpj?: boolean | null }, withKpj = false): Record<string, unknown> | null {
  if (a.presented === null) return null;
  if (a.presented && a.matches === null) return null;
  const ektpOk = a.presented && a.matches === true;
  const kpj = a.kpj ?? null;
  if (withKpj && ektpOk && kpj === null) return null;
  return { type: 'identity.checked', ektpPresented: a.presented, ektpMatchesNik: ektpOk, ...(withKpj && kpj !== null ? { kpjMatchesNik: kpj } : {}) };
}

/** e-KTP presented and matching the NIK (and, for JMO, the KPJ belongs to the NIK), each answered. */
export function IdentityStep(props: FlowProps & { withKpj?: boolean }) {
  const { t } = useTranslation();
  const [presented, setPresented] = useState<boolean | null>(null);
  const [matches, setMatches] = useState<boolean | null>(null);
  const [kpj, setKpj] = useState<boolean | null>(null);
  const [why, setWhy] = useState<string | null>(null);
  const recorded = (props.caseDoc.snapshot.context as { identity?: { ektpPresented: boolean; ektpMatchesNik: boolean; kpjMatchesNik?: boolean } | null }).identity;
  const event = identityAnswers({ presented, matches, kpj }, props.withKpj);
  const answer = (set: (v: boolean) => void) => (v: boolean) => {
    set(v);
    setWhy(null);
  };
  return (
    <div className="form" data-step="identity">
      <p className="field__hint">{t('desk.flow.identityHint', { nik: props.caseDoc.person.nik })}</p>
      <YesNo id="identity-ektp-presented" legend={t('desk.flow.ektpPresented')} value={presented} onChange={answer(setPresented)} />
      <YesNo id="identity-ektp-matches" legend={t('desk.flow.ektpMatches')} value={presented === false ? null : matches} disabled={presented !== true} onChange={answer(setMatches)} />
      {props.withKpj ? <YesNo id="identity-kpj-matches" legend={t('desk.flow.kpjMatches')} value={kpj} onChange={answer(setKpj)} /> : null}
      {recorded ? (
        <p className="alert alert--error" data-testid="identity-not-verified">
          {t('desk.flow.identityFailed')}
        </p>
      ) : null}
      <StepButton {...props} event={event} label={t('desk.flow.recordIdentity')} primary onInvalid={() => setWhy(t('desk.flow.identityUnanswered'))} />
      {why ? (
        <p className="field__error" role="alert" data-testid="identity-unanswered">
          {why}
        </p>
      ) : null}
    </div>
  );
}
