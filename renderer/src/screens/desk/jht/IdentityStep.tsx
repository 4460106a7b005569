import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StepApi } from './api';

/** e-KTP presented and matching the NIK: without both the claim stays here (or is refused). */
export function IdentityStep({ api }: { api: StepApi }) {
  const { t } = useTranslation();
  const [presented, setPresented] = useState(api.ctx.identity?.ektpPresented ?? false);
  const [matches, setMatches] = useState(api.ctx.identity?.ektpMatchesNik ?? false);
  const payload = { type: 'identity.checked', ektpPresented: presented, ektpMatchesNik: presented && matches };
  const allowed = api.can(payload);
  const failed = api.ctx.identity !== null && !(api.ctx.identity.ektpPresented && api.ctx.identity.ektpMatchesNik);

  function onSubmit(e: FormEvent): void {
    e.preventDefault();
    if (!allowed || api.busy) return;
    void api.fire(payload);
  }

  return (
    <form className="jht-step" onSubmit={onSubmit} aria-labelledby="jht-identity-title">
      <h4 id="jht-identity-title" className="jht-step__title">
        {t('jht.identity.title')}
      </h4>
      <p className="muted">{t('jht.identity.intro')}</p>
      <div className="jht-checks">
        <span className="checkbox">
          <input id="jht-ektp-presented" type="checkbox" checked={presented} onChange={(e) => setPresented(e.target.checked)} />
          <label htmlFor="jht-ektp-presented">{t('jht.identity.presented')}</label>
        </span>
        <span className="checkbox">
          <input id="jht-ektp-matches" type="checkbox" checked={matches && presented} disabled={!presented} onChange={(e) => setMatches(e.target.checked)} />
          <label htmlFor="jht-ektp-matches">{t('jht.identity.matches')}</label>
        </span>
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
      {!allowed ? <p className="jht-why">{t('jht.why.roleOrState')}</p> : null}
    </form>
  );
}
