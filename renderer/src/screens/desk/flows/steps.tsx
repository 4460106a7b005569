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

/** e-KTP presented and matching the NIK (and, for JMO, the KPJ belongs to the NIK). */
export function IdentityStep(props: FlowProps & { withKpj?: boolean }) {
  const { t } = useTranslation();
  const [ektpPresented, setPresented] = useState(false);
  const [ektpMatchesNik, setMatches] = useState(false);
  const [kpjMatchesNik, setKpj] = useState(false);
  const recorded = (props.caseDoc.snapshot.context as { identity?: { ektpPresented: boolean; ektpMatchesNik: boolean; kpjMatchesNik?: boolean } | null }).identity;
  const event = { type: 'identity.checked', ektpPresented, ektpMatchesNik, ...(props.withKpj ? { kpjMatchesNik } : {}) };
  return (
    <div className="form" data-step="identity">
      <p className="field__hint">{t('desk.flow.identityHint', { nik: props.caseDoc.person.nik })}</p>
      <label className="desk-check">
        <input type="checkbox" className="checkbox" checked={ektpPresented} onChange={(e) => setPresented(e.target.checked)} /> {t('desk.flow.ektpPresented')}
      </label>
      <label className="desk-check">
        <input type="checkbox" className="checkbox" checked={ektpMatchesNik} onChange={(e) => setMatches(e.target.checked)} /> {t('desk.flow.ektpMatches')}
      </label>
      {props.withKpj ? (
        <label className="desk-check">
          <input type="checkbox" className="checkbox" checked={kpjMatchesNik} onChange={(e) => setKpj(e.target.checked)} /> {t('desk.flow.kpjMatches')}
        </label>
      ) : null}
      {recorded ? (
        <p className="alert alert--error" data-testid="identity-not-verified">
          {t('desk.flow.identityFailed')}
        </p>
      ) : null}
      <StepButton {...props} event={event} label={t('desk.flow.recordIdentity')} primary />
    </div>
  );
}
