import type { EventName, EventPayload, UpdateStatus } from '@shared/ipc/contract';
import { StaffAccounts, staffFile } from './accounts';
import { AppState, appStateFiles } from './app-state';
import { stateGuard } from './integrity';
import { pinHasher } from './pin';
import { SessionTable } from './sessions';
import { createHandlers } from './handlers';
import { createDispatch, type Dispatch } from './ipc/dispatch';
import type { Logger } from './log';
import type { SecretVault } from './secrets';
import fs from 'node:fs';
import path from 'node:path';
import { fileCredentials, type CredentialStore } from './hq/credentials';
import { HqLink, type HqLinkOptions } from './hq-link';
import { LocalClosuresOutbox } from './local-closures';
import { DisplayHub, ScreenSetupStore, type DisplayWindows } from './display';
import type { Kiosk } from './kiosk';
import { PrinterSetupStore, type Printing } from './printing';
import { JournalService } from './journal';
import { decommissionPc } from './retention';
import { HubService, type HubServiceOptions } from './hub/service';
import { HubFinder } from './hub/finder';
import type { Mdns } from './hub/discovery';
import { shortCodeOf } from './hub/pairing';
import { DeviceAuditLog } from './audit/device-log';
import { handcarrySigningKey } from './storage/handcarry-key';

export interface CoreOptions {
  userDataDir: string;
  mode: 'electron' | 'browser';
  version: string;
  log: Logger;
  vault: SecretVault;
  now?: () => Date;
  updates?: { status(): UpdateStatus; setBusy(busy: boolean): void };
  /** Where the HQ device token is kept (default: a 0600 file under userDataDir/secrets). */
  hqCredentials?: CredentialStore;
  /** Test hooks for the HQ link: fetch, time-outs, stream back-off. */
  hqLink?: Pick<HqLinkOptions, 'fetch' | 'timeoutMs' | 'stream'>;
  /** Electron only: print the calling window / open the waiting-room display window. */
  printing?: Printing;
  displayWindows?: DisplayWindows;
  /** Electron only: kiosk mode of the operator's window (issue 21). */
  kiosk?: Kiosk;
  /** The branch hub (issue 17): how this PC runs one (null: it cannot), and test hooks for the link. */
  hub?: Pick<HubServiceOptions, 'hosting' | 'link' | 'pollMs'>;
  /** The LAN's multicast DNS, to find the branch hub and announce this PC's (absent: none, as in tests). */
  mdns?: Mdns | null;
  /** Desktop app: ms since the last keyboard or mouse input on this PC (main locks idle sessions by it; absent: by calls). */
  inputIdleMs?: () => number;
  /** Electron: clears the pages' browser storage (IndexedDB) when the PC is decommissioned. */
  clearBrowserStorage?: () => Promise<void>;
  /** Unit tests only: a lower scrypt cost for PIN hashes (production always uses main/pin.ts's). */
  testOnlyPinScryptN?: number;
}

export interface Core {
  dispatch: Dispatch;
  state: AppState;
  /** Registers the transport's event sender; returns nothing to unsubscribe because there is one transport per process. */
  onEvent(send: (clientId: string, event: EventName, payload: unknown) => void): void;
  /** A window or page went away: forget its session. */
  forget(clientId: string): void;
  /** The HQ link: call `hq.start()` to keep its event stream open, `hq.stop()` on quit. */
  hq: HqLink;
  /** The acknowledged-writes journal: opened (torn tail cut) by createCore, before any window. */
  journal: JournalService;
  /** The branch hub link and hosting: call `hub.start()` with `hq.start()`, `hub.stop()` on quit. */
  hub: HubService;
  /** Finding the hub (mDNS, address, pairing) and announcing this PC's: `start()` with `hub.start()`. */
  hubFinder: HubFinder;
  /** Main's signed audit chain (issue 18, point 7). */
  audit: DeviceAuditLog;
}

const noUpdates = {
  status: (): UpdateStatus => ({ state: 'disabled', version: null, deferredForCase: false, message: null }),
  setBusy: () => undefined,
};

/** Everything main does that is not Electron: state, accounts, sessions and the handler map. */
export function createCore(o: CoreOptions): Core {
  const now = o.now ?? (() => new Date());
  const credentials = o.hqCredentials ?? fileCredentials(path.join(o.userDataDir, 'secrets'), o.log);
  // State files are sealed (issue 18); an install from before the seals is sealed once, here.
  const guard = stateGuard(o.vault, o.log);
  const files = appStateFiles(o.userDataDir, guard.seal);
  const staff = staffFile(o.userDataDir, guard.seal);
  // An older install that has a branch profile, or is enrolled with HQ (enrolment needs one), was set up.
  const wasSetUp = fs.existsSync(path.join(o.userDataDir, 'branch.json')) || credentials.read() !== null;
  guard.migrate([() => files.device.read(), () => files.branch.read(), () => files.settings.read(), () => staff.read()], wasSetUp, now);
  const state = new AppState(o.userDataDir, guard);
  const accounts = new StaffAccounts(o.userDataDir, now, guard.seal, pinHasher(() => guard.pepper(), o.testOnlyPinScryptN));
  let send: (clientId: string, event: EventName, payload: unknown) => void = () => undefined;
  const sessions = new SessionTable({
    now,
    autoLockMinutes: () => state.settings().autoLockMinutes,
    inputIdleMs: o.inputIdleMs,
    changed: (clientId, session) => send(clientId, 'session.changed', session),
  });
  // HQ notices go to every signed-in window or page (each runs its own replication and status bar).
  const broadcast = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const clientId of sessions.keys()) send(clientId, event, payload);
  };
  // Declared before the HQ link: its status reaches the hub service (a returning HQ is asked for the branch's hub).
  let hub: HubService | null = null;
  let closures: LocalClosuresOutbox | null = null;
  let finder: HubFinder | null = null;
  const hq = new HqLink({
    deviceId: state.deviceId,
    localBranch: () => state.branch()?.code ?? null,
    saveUrl: (hqUrl) => void state.updateSettings({ hqUrl }),
    credentials,
    log: o.log,
    now,
    ...o.hqLink,
    onStatus: (status) => {
      broadcast('hq.changed', status);
      hub?.hqChanged(status);
      // HQ answering again: the head's local closures entered meanwhile go now (a failed send sets
      // lastError, so this never loops on an HQ that is away).
      if (status.connected && status.lastError === null) void closures?.flush();
    },
    onChanged: (event) => broadcast('sync.changed', event),
    // The branch's hub moved or announced itself: follow it now, not at the next poll.
    onHubChanged: () => void hub?.learnFromHq(),
  });
  hub = new HubService({
    userDataDir: o.userDataDir,
    deviceId: state.deviceId,
    credentials,
    hq,
    log: o.log,
    now,
    // The pairing code shown on the hub PC is derived from its certificate (main/hub/pairing.ts).
    hosting: o.hub?.hosting ? { shortCodeOf, ...o.hub.hosting } : null,
    ...(o.hub?.link ? { link: o.hub.link } : {}),
    ...(o.hub?.pollMs ? { pollMs: o.hub.pollMs } : {}),
    onStatus: (status) => {
      broadcast('hub.changed', status);
      finder?.hubChanged(status);
    },
    onChanged: (event) => broadcast('sync.changed', event),
  });
  closures = new LocalClosuresOutbox({ dir: o.userDataDir, send: (body) => hq.setLocalClosures(body), log: o.log, now });
  finder = new HubFinder({ hub, credentials, mdns: o.mdns ?? null, log: o.log });
  const journal = new JournalService({ dir: path.join(o.userDataDir, 'journal'), dbKey: () => o.vault.dbKey(), log: o.log, now });
  // Opened now so a torn tail is cut before anything appends; a failure is reported on use.
  void journal.open().catch(() => undefined);
  // Signed with the device key (kept in the vault), under <userData>/audit.
  const audit = new DeviceAuditLog({ dir: path.join(o.userDataDir, 'audit'), deviceId: state.deviceId, key: () => handcarrySigningKey(o.vault), now });
  const display = new DisplayHub((clientId, snapshot) => send(clientId, 'display.changed', snapshot));
  const handlers = createHandlers({
    mode: o.mode,
    version: o.version,
    state,
    accounts,
    vault: o.vault,
    sessions,
    now,
    updates: o.updates ?? noUpdates,
    hq,
    hub,
    hubFinder: finder,
    notify: <E extends EventName>(clientId: string, event: E, payload: EventPayload<E>) => send(clientId, event, payload),
    display,
    printing: o.printing,
    displayWindows: o.displayWindows,
    printerSetup: new PrinterSetupStore(o.userDataDir),
    screenSetup: new ScreenSetupStore(o.userDataDir),
    kiosk: o.kiosk,
    closures,
    journal,
    audit,
    // Pushed straight to HQ (never the hub); the links and the journal are closed before erasing.
    decommission: (recordDecommission) =>
      decommissionPc({
        audit: recordDecommission,
        userDataDir: o.userDataDir,
        records: async () => (await journal.records()).records,
        push: (collection, rows) => hq.push(collection, rows),
        beforeErase: async () => {
          await Promise.all([hq.stop(), hub.stop()]);
          await journal.close();
        },
        ...(o.clearBrowserStorage ? { clearBrowserStorage: o.clearBrowserStorage } : {}),
        log: o.log,
      }),
  });
  const dispatch = createDispatch({
    handlers,
    sessionOf: (clientId, channel) => sessions.current(clientId, channel),
    setupComplete: () => {
      state.check();
      return state.branch() !== null;
    },
    refused: (e) => guard.refused(e),
    log: o.log,
  });
  return {
    dispatch,
    state,
    onEvent: (fn) => {
      send = fn;
    },
    forget: (clientId) => {
      sessions.delete(clientId);
      display.forget(clientId);
    },
    hq,
    journal,
    hub,
    hubFinder: finder,
    audit,
  };
}
