// Channel and event names without zod, so the sandboxed preload stays small.
// contract.ts checks at compile time that these lists match its channels exactly.
export const CHANNEL_NAMES = [
  'app.info',
  'app.setBusy',
  'settings.get',
  'settings.set',
  'secrets.dbKey',
  'branch.setup',
  'branch.get',
  'branch.setZone',
  'staff.signIn',
  'staff.signOut',
  'staff.session',
  'staff.lock',
  'staff.unlock',
  'staff.list',
  'staff.add',
  'staff.setActive',
  'staff.resetPin',
  'staff.changePin',
  'staff.setLanguage',
  'update.status',
  'hq.enrol',
  'hq.status',
  'hq.quarantine',
  'sync.pull',
  'sync.push',
  'sync.atHq',
  'hub.status',
  'hub.become',
  'hub.release',
  'hub.setAddress',
  'hub.pair',
  'hub.discovered',
  'hub.callNext',
  'print.page',
  'print.pdf',
  'display.publish',
  'display.get',
  'display.open',
  'handcarry.signingKey',
  'journal.append',
  'journal.records',
  'journal.sentinel',
  'journal.setSentinel',
] as const;

export const EVENT_NAMES = ['session.changed', 'update.changed', 'hq.changed', 'sync.changed', 'display.changed', 'hub.changed'] as const;

/** The Electron IPC channels that carry every call and every event. */
export const IPC_CALL = 'loket:call';
export const IPC_EVENT = 'loket:event';
