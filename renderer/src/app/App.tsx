import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { STAFF_MANAGERS, type Session } from '@shared/staff/schema';
import { DEFAULT_SETTINGS, type Settings } from '@shared/settings';
import { Header } from '../components/Header';
import { StatusBar } from '../components/StatusBar';
import { ChangePinScreen } from '../screens/ChangePinScreen';
import { FirstRunScreen } from '../screens/FirstRunScreen';
import { LockScreen } from '../screens/LockScreen';
import { ManagerHome } from '../screens/head/ManagerHome';
import { SignInScreen } from '../screens/SignInScreen';
import { DoorScreen } from '../screens/door/DoorScreen';
import { Workbench } from '../screens/desk/Workbench';
import { DataProvider } from '../data/DataProvider';
import { DisplayPublisher } from '../screens/display/DisplayPublisher';
import { KioskExit } from '../screens/kiosk/KioskExit';
import { useApp, type View } from './AppContext';
import { errorMessage } from './errors';
import { useIdleLock } from './useIdleLock';
import { WorkspaceActive } from './workspace';

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
    // A PIN the head reset must be replaced first: main hands out no database key until then.
    <DataProvider identity={identity} unlocked={view.name === 'signedIn' && !view.session.mustChangePin}>
      {/* Feeds the waiting-room display (second monitor) from this PC's queue: numbers only. */}
      <DisplayPublisher />
      <div className="app" data-view={view.name}>
        <Body view={view} />
        {/* A kiosk PC (issue 21): the head's way out, on the door, sign-in and every other page. */}
        <KioskExit />
        <StatusBar />
      </div>
    </DataProvider>
  );
}

function Body({ view }: { view: View }) {
  const { settings } = useApp();
  if (view.name === 'signedIn' && view.session.mustChangePin) {
    return (
      <>
        <Header />
        <main className="app-main" id="content">
          <ChangePinScreen session={view.session} />
        </main>
      </>
    );
  }
  if (view.name === 'signedIn' || view.name === 'locked') {
    const locked = view.name === 'locked';
    return (
      <>
        {/* The workspace stays mounted under the lock screen, so staff come back to the same page and
            case; `hidden` keeps everything of it (personal data included) off the screen meanwhile. */}
        <div className="app-workspace" hidden={locked}>
          <WorkspaceActive.Provider value={!locked}>
            <Workspace key={view.session.staffId} session={view.session} settings={settings ?? DEFAULT_SETTINGS} />
          </WorkspaceActive.Provider>
        </div>
        {locked ? (
          <>
            <Header />
            <main className="app-main" id="lock">
              <LockScreen key={view.session.staffId} session={view.session} />
            </main>
          </>
        ) : null}
      </>
    );
  }
  return (
    <>
      <Header />
      <main className="app-main" id="content">
        {view.name === 'loading' ? <Loading /> : null}
        {view.name === 'unavailable' ? <Unavailable view={view} /> : null}
        {view.name === 'setup' ? <FirstRunScreen /> : null}
        {view.name === 'signedOut' ? <SignInScreen /> : null}
      </main>
    </>
  );
}

/** Each role's home: the door for security staff, the workbench for officers, the head's pages. */
function Workspace({ session, settings }: { session: Session; settings: Settings }) {
  if (STAFF_MANAGERS.includes(session.role)) return <ManagerHome session={session} settings={settings} />;
  return (
    <>
      <Header />
      <main className="app-main" id="content">
        {session.role === 'security' ? <DoorScreen /> : <Workbench />}
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
