import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../../shared/staff/schema';
import type { Settings } from '../../../shared/settings';
import { Header } from '../components/Header';
import { SettingsScreen } from './SettingsScreen';
import { StaffScreen } from './StaffScreen';

type Page = 'staff' | 'settings';
const PAGES: readonly Page[] = ['staff', 'settings'];

/** Branch head and admin: "Staf" and "Pengaturan". */
export function ManagerHome({ session, settings }: { session: Session; settings: Settings }) {
  const { t } = useTranslation();
  const [page, setPage] = useState<Page>('staff');
  const nav = (
    <nav className="app-nav" aria-label={t('header.nav')}>
      {PAGES.map((p) => (
        <button
          key={p}
          type="button"
          className="app-nav__item"
          aria-current={page === p ? 'page' : undefined}
          onClick={() => setPage(p)}
        >
          {t(`${p}.nav`)}
        </button>
      ))}
    </nav>
  );
  return (
    <>
      <Header nav={nav} />
      <main className="app-main" id="content">
        {page === 'staff' ? <StaffScreen session={session} /> : <SettingsScreen settings={settings} />}
      </main>
    </>
  );
}
