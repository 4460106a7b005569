import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { STAFF_MANAGERS } from '../../../shared/staff/schema';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { Header } from '../components/Header';
import { StatusBar } from '../components/StatusBar';
import { FirstRunScreen } from '../screens/FirstRunScreen';
import { LockScreen } from '../screens/LockScreen';
import { ManagerHome } from '../screens/ManagerHome';
import { SignInScreen } from '../screens/SignInScreen';
import { DoorScreen } from '../screens/door/DoorScreen';
import { Workbench } from '../screens/desk/Workbench';
import { DataProvider } from '../data/DataProvider';
import { useApp, type View } from './AppContext';
import { errorMessage } from './errors';
import { useIdleLock } from './useIdleLock';

export function App() {
  const { view, settings, setSession, handleSessionError } = useApp();

  const lockNow = useCallback(async () => {
    const result = await loket().staff.lock();
    if (result.ok) setSession(result.value);
    else handleSessionError(result.error);
  }, [setSession, handleSessionError]);

  useIdleLock(view.name === 'signedIn', settings?.autoLockMinutes ?? DEFAULT_SETTINGS.autoLockMinutes, () => void lockNow());

  const identity =
    (view.name === 'signedIn' || view.name === 'locked') && view.info.branch && view.info.deviceSlot
      ? { branchCode: view.info.branch.code, deviceId: view.info.deviceId, deviceSlot: view.info.deviceSlot, actor: { staffId: view.session.staffId, role: view.session.role } }
      : null;
  return (
    <DataProvider identity={identity} unlocked={view.name === 'signedIn'}>
      <div className="app" data-view={view.name}>
        <Body view={view} />
        <StatusBar />
      </div>
    </DataProvider>
  );
}

function Body({ view }: { view: View }) {
  const { settings } = useApp();
  if (view.name === 'signedIn' && STAFF_MANAGERS.includes(view.session.role)) {
    return <ManagerHome session={view.session} settings={settings ?? DEFAULT_SETTINGS} />;
  }
  return (
    <>
      <Header />
      <main className="app-main" id="content">
        {view.name === 'loading' ? <Loading /> : null}
        {view.name === 'unavailable' ? <Unavailable view={view} /> : null}
        {view.name === 'setup' ? <FirstRunScreen /> : null}
        {view.name === 'signedOut' ? <SignInScreen /> : null}
        {view.name === 'locked' ? <LockScreen key={view.session.staffId} session={view.session} /> : null}
        {view.name === 'signedIn' && view.session.role === 'security' ? <DoorScreen /> : null}
        {view.name === 'signedIn' && view.session.role === 'officer' ? <Workbench /> : null}
      </main>
    </>
  );
}

function Loading() {
  const { t } = useTranslation();
  return (
    <div className="page page--center" aria-busy="true">
      <div className="spinner" aria-hidden="true" />
      <p className="muted">{t('app.loading')}</p>
    </div>
  );
}

function Unavailable({ view }: { view: Extract<View, { name: 'unavailable' }> }) {
  const { t } = useTranslation();
  const { reload } = useApp();
  return (
    <div className="page page--center">
      <div className="card card--auth">
        <h1 className="card__heading">{t('app.unavailableTitle')}</h1>
        <div role="alert" className="alert alert--error">
          {errorMessage(t, view.error)}
        </div>
        <button type="button" className="button button--primary button--block" autoFocus onClick={() => void reload()}>
          {t('app.retry')}
        </button>
      </div>
    </div>
  );
}
