import type { EventName, EventPayload, UpdateStatus } from '../shared/ipc/contract';
import type { Session } from '../shared/staff/schema';
import { StaffAccounts } from './accounts';
import { AppState } from './app-state';
import { createHandlers } from './handlers';
import { createDispatch, type Dispatch } from './ipc/dispatch';
import type { Logger } from './log';
import type { SecretVault } from './secrets';

export interface CoreOptions {
  userDataDir: string;
  mode: 'electron' | 'browser';
  version: string;
  log: Logger;
  vault: SecretVault;
  now?: () => Date;
  updates?: { status(): UpdateStatus; setBusy(busy: boolean): void };
}

export interface Core {
  dispatch: Dispatch;
  state: AppState;
  /** Registers the transport's event sender; returns nothing to unsubscribe because there is one transport per process. */
  onEvent(send: (clientId: string, event: EventName, payload: unknown) => void): void;
  /** A window or page went away: forget its session. */
  forget(clientId: string): void;
}

const noUpdates = {
  status: (): UpdateStatus => ({ state: 'disabled', version: null, deferredForCase: false, message: null }),
  setBusy: () => undefined,
};

/** Everything main does that is not Electron: state, accounts, sessions and the handler map. */
export function createCore(o: CoreOptions): Core {
  const now = o.now ?? (() => new Date());
  const state = new AppState(o.userDataDir);
  const accounts = new StaffAccounts(o.userDataDir, now);
  const sessions = new Map<string, Session>();
  let send: (clientId: string, event: EventName, payload: unknown) => void = () => undefined;
  const handlers = createHandlers({
    mode: o.mode,
    version: o.version,
    state,
    accounts,
    vault: o.vault,
    sessions,
    now,
    updates: o.updates ?? noUpdates,
    notify: <E extends EventName>(clientId: string, event: E, payload: EventPayload<E>) => send(clientId, event, payload),
  });
  const dispatch = createDispatch({
    handlers,
    sessionOf: (clientId) => sessions.get(clientId) ?? null,
    setupComplete: () => state.branch() !== null,
    log: o.log,
  });
  return {
    dispatch,
    state,
    onEvent: (fn) => {
      send = fn;
    },
    forget: (clientId) => void sessions.delete(clientId),
  };
}
