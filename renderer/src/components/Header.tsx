import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../app/AppContext';
import { loket } from '../bridge';
import { LanguageSwitch } from './LanguageSwitch';

/** App name, optional navigation, the signed-in staff member, "Kunci" (step away) and "Keluar". */
export function Header({ nav }: { nav?: ReactNode }) {
  const { t } = useTranslation();
  const { view, signOut, setSession, handleSessionError } = useApp();
  // Stepping away from the desk: lock now instead of waiting for the idle timer (an open case stays open).
  const lock = async () => {
    const result = await loket().staff.lock();
    if (result.ok) setSession(result.value);
    else handleSessionError(result.error);
  };
  const session = view.name === 'signedIn' ? view.session : null;
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <span className="app-header__logo" aria-hidden="true">
          L
        </span>
        <span className="app-header__name">{t('app.name')}</span>
        <span className="app-header__tagline">{t('app.tagline')}</span>
      </div>
      {nav}
      <div className="app-header__end">
        <LanguageSwitch />
        {session ? (
          <>
            <span className="app-header__user" data-testid="header-user">
              <span className="app-header__user-name">{session.name}</span>
              <span className="app-header__user-role">{t(`roles.${session.role}`)}</span>
            </span>
            <button type="button" className="button button--ghost" onClick={() => void lock()} title={t('header.lockHint')}>
              {t('header.lock')}
            </button>
            <button type="button" className="button button--ghost" onClick={() => void signOut()}>
              {t('header.signOut')}
            </button>
          </>
        ) : null}
      </div>
    </header>
  );
}
