import { z } from 'zod';
import { BranchProfile } from '../branch/schema';
import { Language, Settings, SettingsPatch } from '../settings';
import type { EVENT_NAMES } from './names';
import { CHANNEL_NAMES } from './names';
import type { Role } from '../staff/schema';
import { NewPin, NewStaff, Pin, Session, StaffId, StaffName, StaffSummary } from '../staff/schema';

/**
 * Who may call a channel. `public`: anyone on the app page; `setup`: only before first run is
 * complete; `session`: a signed-in staff member, even while the screen is locked; `unlocked`: a
 * signed-in, unlocked session; a list of roles: an unlocked session with one of them.
 */
export type Access = 'public' | 'setup' | 'session' | 'unlocked' | readonly Role[];

interface ChannelDef<Req extends z.ZodType, Res extends z.ZodType> {
  request: Req;
  response: Res;
  access: Access;
}

function channel<Req extends z.ZodType, Res extends z.ZodType>(def: ChannelDef<Req, Res>): ChannelDef<Req, Res> {
  return def;
}

const None = z.undefined();

/** This PC's slot in its branch (1–9): the digit after the service letter in its ticket numbers. */
export const DeviceSlot = z.number().int().min(1).max(9);

export const AppInfo = z.object({
  version: z.string(),
  deviceId: z.uuid(),
  mode: z.enum(['electron', 'browser']),
  branch: z.object({ code: z.string(), name: z.string(), counters: z.number().int() }).nullable(),
  setupComplete: z.boolean(),
  deviceSlot: DeviceSlot.nullable(),
  /** HQ connection as the status bar shows it; "never" until the sync issue lands. */
  hq: z.object({ connected: z.boolean(), lastContactAt: z.string().nullable() }),
  language: Language,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const BranchSetup = z.object({
  branch: BranchProfile,
  deviceSlot: DeviceSlot,
  head: z.object({ staffId: StaffId, name: StaffName, pin: NewPin }),
});
export type BranchSetup = z.infer<typeof BranchSetup>;

export const SignIn = z.object({ staffId: StaffId, pin: Pin });

/**
 * The one bridge contract: channel name (`domain.verb`) → request and response schemas and access.
 * Main registers a handler per channel; the preload and the browser client derive `window.loket`
 * from the same names.
 */
export const contract = {
  'app.info': channel({ request: None, response: AppInfo, access: 'public' }),
  'settings.get': channel({ request: None, response: Settings, access: 'public' }),
  'settings.set': channel({ request: SettingsPatch, response: Settings, access: ['head', 'admin'] }),
  'secrets.dbKey': channel({ request: None, response: z.object({ key: z.string().min(32) }), access: 'unlocked' }),
  'branch.setup': channel({ request: BranchSetup, response: Session, access: 'setup' }),
  'branch.get': channel({ request: None, response: BranchProfile.nullable(), access: 'public' }),
  'staff.signIn': channel({ request: SignIn, response: Session, access: 'public' }),
  'staff.signOut': channel({ request: None, response: z.null(), access: 'public' }),
  'staff.session': channel({ request: None, response: Session.nullable(), access: 'public' }),
  'staff.lock': channel({ request: None, response: Session, access: 'session' }),
  'staff.unlock': channel({ request: z.object({ pin: Pin }), response: Session, access: 'session' }),
  'staff.list': channel({ request: None, response: z.array(StaffSummary), access: ['head', 'admin'] }),
  'staff.add': channel({ request: NewStaff, response: StaffSummary, access: ['head', 'admin'] }),
  'staff.setActive': channel({
    request: z.object({ staffId: StaffId, active: z.boolean() }),
    response: StaffSummary,
    access: ['head', 'admin'],
  }),
  'update.status': channel({ request: None, response: z.lazy(() => UpdateStatus), access: 'public' }),
  'app.setBusy': channel({
    request: z.object({ busy: z.boolean() }),
    response: z.null(),
    access: 'session',
  }),
} as const;

export const UpdateStatus = z.object({
  state: z.enum(['disabled', 'idle', 'checking', 'available', 'downloaded', 'error']),
  version: z.string().nullable(),
  /** True when an update is downloaded but a case is open: it installs when the app quits. */
  deferredForCase: z.boolean(),
  message: z.string().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
// Compile-time check: names.ts lists exactly the contract's channels and events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _channelsMatch: Same<Channel, (typeof CHANNEL_NAMES)[number]> = true;
void _channelsMatch;
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

/** Events main pushes to the renderer (IPC `loket:event` / browser-mode SSE). */
export const events = {
  'session.changed': Session.nullable(),
  'update.changed': UpdateStatus,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
const _eventsMatch: Same<EventName, (typeof EVENT_NAMES)[number]> = true;
void _eventsMatch;
