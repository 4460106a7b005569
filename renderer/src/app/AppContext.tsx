import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, type ReactNode } from 'react';
import { loket } from '../bridge';
import { setBranchZone } from '../data/branch-zone';
import type { AppInfo } from '@shared/ipc/contract';
import type { IpcError } from '@shared/ipc/result';
import type { Language, Settings } from '@shared/settings';
import type { Session } from '@shared/staff/schema';
import { applyLanguage, languageFor, storeLanguage, storedLanguage } from '../i18n';

/**
 * The app-level state: one of loading / unavailable / setup / signed-out / signed-in / locked.
 * The view is derived from what main reports (app info, the session), never kept separately, so a
 * `session.changed` event from main is the only thing needed to move between them.
 */
type State =
  | { phase: 'loading' }
  | { phase: 'unavailable'; error: IpcError }
  | { phase: 'ready'; info: AppInfo; settings: Settings; session: Session | null };

type Action =
  | { type: 'loaded'; info: AppInfo; settings: Settings; session: Session | null }
  | { type: 'failed'; error: IpcError }
  | { type: 'session'; session: Session | null }
  | { type: 'settings'; settings: Settings }
  | { type: 'info'; info: AppInfo };

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'loaded':
      return { phase: 'ready', info: action.info, settings: action.settings, session: action.session };
    case 'failed':
      return { phase: 'unavailable', error: action.error };
    case 'session':
      return state.phase === 'ready' ? { ...state, session: action.session } : state;
    case 'settings':
      return state.phase === 'ready' ? { ...state, settings: action.settings } : state;
    case 'info':
      return state.phase === 'ready' ? { ...state, info: action.info } : state;
  }
}

export type View =
  | { name: 'loading' }
  | { name: 'unavailable'; error: IpcError }
  | { name: 'setup'; info: AppInfo }
  | { name: 'signedOut'; info: AppInfo }
  | { name: 'signedIn'; info: AppInfo; session: Session }
  | { name: 'locked'; info: AppInfo; session: Session };

function viewOf(state: State): View {
  if (state.phase === 'loading') return { name: 'loading' };
  if (state.phase === 'unavailable') return { name: 'unavailable', error: state.error };
  const { info, session } = state;
  if (!info.setupComplete) return { name: 'setup', info };
  if (!session) return { name: 'signedOut', info };
  return session.locked ? { name: 'locked', info, session } : { name: 'signedIn', info, session };
}

export interface AppApi {
  view: View;
  info: AppInfo | null;
  settings: Settings | null;
  session: Session | null;
  reload: () => Promise<void>;
  refreshInfo: () => Promise<void>;
  setSession: (session: Session | null) => void;
  setSettings: (settings: Settings) => void;
  /** Reacts to NOT_SIGNED_IN / SESSION_LOCKED from any call; true when it handled the error. */
  handleSessionError: (error: IpcError) => boolean;
  /** Switches the UI language: the signed-in member's own choice; signed out, this PC's default. */
  changeLanguage: (language: Language) => Promise<void>;
  signOut: () => Promise<void>;
}

const AppContext = createContext<AppApi | null>(null);

export function AppProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(reducer, { phase: 'loading' });

  const reload = useCallback(async () => {
    const api = loket();
    const [info, settings, session] = await Promise.all([api.app.info(), api.settings.get(), api.staff.session()]);
    if (!info.ok) return dispatch({ type: 'failed', error: info.error });
    if (!settings.ok) return dispatch({ type: 'failed', error: settings.error });
    setBranchZone(info.value.branch?.zone);
    await applyLanguage(storedLanguage() ?? settings.value.language);
    dispatch({ type: 'loaded', info: info.value, settings: settings.value, session: session.ok ? session.value : null });
  }, []);

  const refreshInfo = useCallback(async () => {
    const info = await loket().app.info();
    if (info.ok) {
      setBranchZone(info.value.branch?.zone);
      dispatch({ type: 'info', info: info.value });
    }
  }, []);

  useEffect(() => {
    void reload();
    return loket().on('session.changed', (session) => dispatch({ type: 'session', session }));
  }, [reload]);

  const session = state.phase === 'ready' ? state.session : null;

  const handleSessionError = useCallback(
    (error: IpcError) => {
      if (error.code === 'NOT_SIGNED_IN') {
        dispatch({ type: 'session', session: null });
        return true;
      }
      if (error.code === 'SESSION_LOCKED') {
        void loket()
          .staff.session()
          .then((r) => dispatch({ type: 'session', session: r.ok ? r.value : null }));
        return true;
      }
      return false;
    },
    [],
  );

  const changeLanguage = useCallback(
    async (language: Language) => {
      await applyLanguage(language);
      // The language belongs to the staff member (issue 16): a member's choice is theirs and does
      // not change the PC's default, which only the sign-in screen (nobody signed in) sets.
      if (!session) {
        storeLanguage(language);
        return;
      }
      const saved = await loket().staff.setLanguage({ language });
      if (saved.ok) dispatch({ type: 'session', session: saved.value });
    },
    [session],
  );

  // After sign-in the UI speaks the member's language; after sign-out, the PC's default again.
  const pcDefault = storedLanguage() ?? (state.phase === 'ready' ? state.settings.language : 'id');
  const sessionLanguage = session?.language ?? null;
  const signedInAs = session?.staffId ?? null;
  useEffect(() => {
    if (state.phase !== 'ready') return;
    void applyLanguage(languageFor(sessionLanguage ? { language: sessionLanguage } : null, pcDefault));
  }, [state.phase, signedInAs, sessionLanguage, pcDefault]);

  const signOut = useCallback(async () => {
    await loket().staff.signOut();
    dispatch({ type: 'session', session: null });
  }, []);

  const value = useMemo<AppApi>(
    () => ({
      view: viewOf(state),
      info: state.phase === 'ready' ? state.info : null,
      settings: state.phase === 'ready' ? state.settings : null,
      session,
      reload,
      refreshInfo,
      setSession: (s) => dispatch({ type: 'session', session: s }),
      setSettings: (s) => dispatch({ type: 'settings', settings: s }),
      handleSessionError,
      changeLanguage,
      signOut,
    }),
    [state, session, reload, refreshInfo, handleSessionError, changeLanguage, signOut],
  );

  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppApi {
  const api = useContext(AppContext);
  if (!api) throw new Error('useApp() outside <AppProvider>');
  return api;
}
