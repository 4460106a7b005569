import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '@shared/staff/schema';
import type { Settings } from '@shared/settings';
import { Header } from '../../components/Header';
import { ConnectHqScreen } from './ConnectHqScreen';
import { SettingsScreen } from '../SettingsScreen';
import { StaffScreen } from './StaffScreen';
import { SyncScreen } from './SyncScreen';
import { CaseListScreen } from '../cases/CaseListScreen';
import { DashboardScreen } from './DashboardScreen';
import { RestoreNotice } from './RestoreNotice';
import { ReviewScreen } from './ReviewScreen';

type Page = 'review' | 'cases' | 'dashboard' | 'staff' | 'sync' | 'settings';
const PAGES: readonly Page[] = ['review', 'cases', 'dashboard', 'staff', 'sync', 'settings'];

/** Branch head and admin: review queue, dashboard, staff, sync and settings (with "Hubungkan ke HQ"). */
export function ManagerHome({ session, settings }: { session: Session; settings: Settings }) {
  const { t } = useTranslation();
  const [page, setPage] = useState<Page>('review');
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
        {session.role === 'head' ? <RestoreNotice /> : null}
        {page === 'review' ? <ReviewScreen /> : null}
        {page === 'cases' ? <CaseListScreen /> : null}
        {page === 'dashboard' ? <DashboardScreen /> : null}
        {page === 'staff' ? <StaffScreen session={session} /> : null}
        {page === 'sync' ? <SyncScreen /> : null}
        {page === 'settings' ? (
          <>
            <SettingsScreen settings={settings} />
            <ConnectHqScreen />
          </>
        ) : null}
      </main>
    </>
  );
}
