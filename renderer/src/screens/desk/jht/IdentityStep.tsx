import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { identityAnswers, YesNo } from '../flows/steps';
import type { StepApi } from './api';

/**
 * e-KTP presented and matching the NIK: without both the claim stays here (or is refused). Each
 * question is answered explicitly (ya/tidak); an empty submission records nothing, so "identity
 * not verified" rests on a recorded check outcome (issue 16).
 */
export function IdentityStep({ api }: { api: StepApi }) {
  const { t } = useTranslation();
  const [presented, setPresented] = useState<boolean | null>(api.ctx.identity?.ektpPresented ?? null);
  const [matches, setMatches] = useState<boolean | null>(api.ctx.identity?.ektpPresented ? api.ctx.identity.ektpMatchesNik : null);
  const [unanswered, setUnanswered] = useState(false);
  const payload = identityAnswers({ presented, matches });
  // Unanswered yet: whether this officer may record a check at all (role, stage) is asked with any outcome.
  const allowed = api.can(payload ?? { type: 'identity.checked', ektpPresented: false, ektpMatchesNik: false });
  const failed = api.ctx.identity !== null && !(api.ctx.identity.ektpPresented && api.ctx.identity.ektpMatchesNik);

  function onSubmit(e: FormEvent): void {
    e.preventDefault();
    if (api.busy) return;
    if (payload === null) {
      setUnanswered(true);
      return;
    }
    if (!allowed) return;
    void api.fire(payload);
  }
  const answer = (set: (v: boolean) => void) => (v: boolean) => {
    set(v);
    setUnanswered(false);
  };

  return (
    <form className="jht-step" onSubmit={onSubmit} aria-labelledby="jht-identity-title">
      <h4 id="jht-identity-title" className="jht-step__title">
        {t('jht.identity.title')}
      </h4>
      <p className="muted">{t('jht.identity.intro')}</p>
      <div className="jht-checks">
        <YesNo id="jht-ektp-presented" legend={t('jht.identity.presented')} value={presented} onChange={answer(setPresented)} />
        <YesNo id="jht-ektp-matches" legend={t('jht.identity.matches')} value={presented === false ? null : matches} disabled={presented !== true} onChange={answer(setMatches)} />
      </div>
      {failed ? (
        <div className="alert jht-warn" role="status">
          {t('jht.identity.notVerified')}
        </div>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={!allowed || api.busy}>
          {t('jht.identity.submit')}
        </button>
      </div>
      {unanswered ? (
        <p className="jht-why" role="alert" data-testid="identity-unanswered">
          {t('desk.flow.identityUnanswered')}
        </p>
      ) : null}
      {!allowed ? <p className="jht-why">{t('jht.why.roleOrState')}</p> : null}
    </form>
  );
}
