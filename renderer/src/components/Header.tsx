import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../app/AppContext';
import { LanguageSwitch } from './LanguageSwitch';

/** App name, optional navigation, the signed-in staff member and the "Keluar" button. */
export function Header({ nav }: { nav?: ReactNode }) {
  const { t } = useTranslation();
  const { view, signOut } = useApp();
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
            <button type="button" className="button button--ghost" onClick={() => void signOut()}>
              {t('header.signOut')}
            </button>
          </>
        ) : null}
      </div>
    </header>
  );
}
