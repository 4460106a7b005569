import { z } from 'zod';
import { BranchProfile } from '../branch/schema';
import { Service } from '../cases/schema';
import { BranchZone, Timestamp } from '../dates';
import { TicketRecord } from '../records';
import { AUDIT_SIGNATURE_RE, AuditEntrySchema } from '../audit/chain';
import { Base64Url32, PublicKeyJwkSchema } from '../handcarry/format';
import { Language, Settings, SettingsPatch } from '../settings';
import type { EVENT_NAMES } from './names';
import { CHANNEL_NAMES } from './names';
import type { Role } from '../staff/schema';
import { CASE_DATA_ROLES } from '../staff/case-access';
import { ChangePin, NewPin, NewStaff, Pin, ResetPin, Session, StaffId, StaffName, StaffSummary } from '../staff/schema';
import { SecureUrl } from '../net/secure-url';
import { AuditFlagPage } from '../sync/audit-flags';
import { Checkpoint, CollectionName, DocId, EnrolCode, EnrolRequest, HubAtHqRequest, MAX_AT_HQ_RECORDS, MAX_PULL_LIMIT, PushBody, SyncDocument, WRITABLE_COLLECTIONS } from '../sync/protocol';

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
  /** The branch; `zone` is its time zone (absent = WIB), for the status bar clock and the branch day. */
  branch: z.object({ code: z.string(), name: z.string(), counters: z.number().int(), zone: BranchZone.optional() }).nullable(),
  setupComplete: z.boolean(),
  deviceSlot: DeviceSlot.nullable(),
  /** HQ connection as the status bar shows it; "never" until the sync issue lands. */
  hq: z.object({ connected: z.boolean(), lastContactAt: z.string().nullable() }),
  language: Language,
  /** This PC's window runs as a kiosk (issue 21): its pages offer the head's way out. Absent: an older main. */
  kiosk: z.boolean().optional(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** This device's link to HQ, as main sees it (the token itself never leaves main). */
export const HqStatus = z.object({
  enrolled: z.boolean(),
  url: z.string().nullable(),
  branchCode: z.string().nullable(),
  /** The live event stream from HQ is open. */
  connected: z.boolean(),
  /** Last time HQ answered anything (a call or stream data). */
  lastContactAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
});
export type HqStatus = z.infer<typeof HqStatus>;

export const HqEnrol = z.strictObject({
  // Only https off the PC (issue 18 pt 5); http only to this PC, for development and tests.
  url: SecureUrl.max(200),
  code: EnrolCode,
  deviceName: EnrolRequest.shape.deviceName,
});

/**
 * Which upstream a pull or push goes to (issue 17): HQ, or the branch hub on the LAN. Main sends to
 * that one only, never silently to the other: each keeps its own checkpoint.
 */
export const SyncVia = z.enum(['hq', 'hub']);
export type SyncVia = z.infer<typeof SyncVia>;

export const SyncPull = z.strictObject({
  collection: CollectionName,
  checkpoint: Checkpoint.nullable(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT),
  via: SyncVia.default('hq'),
});
// Pulled documents are HQ's as stored: staff and config documents carry their own keys (staffId, key), not `id`.
/**
 * `hq.quarantine`: what HQ refused from this branch's devices, newest first, a page at a time. The
 * refused document itself stays at HQ (it may hold personal data): the head sees what, from which
 * device, when and why.
 */
export const HqQuarantineRequest = z.strictObject({ before: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() });
export const HqQuarantineEntry = z.strictObject({
  qid: z.number().int().positive(),
  collection: z.string().max(40),
  id: z.string().max(200),
  deviceId: z.string().max(100),
  reason: z.string().max(2_000),
  receivedAt: Timestamp,
  lastReceivedAt: Timestamp,
  attempts: z.number().int().min(1),
});
export const HqQuarantinePage = z.strictObject({ entries: z.array(HqQuarantineEntry).max(200), next: z.number().int().positive().nullable() });
export type HqQuarantinePage = z.infer<typeof HqQuarantinePage>;
export const SyncPullResponse = z.object({
  documents: z.array(z.looseObject({ _deleted: z.boolean().optional() })),
  checkpoint: Checkpoint.nullable(),
  /** The upstream cut the page by bytes: more follow now (shared/sync/protocol.ts PullResponse). */
  more: z.boolean().optional(),
});
export const SyncPush = z.strictObject({ collection: z.enum(WRITABLE_COLLECTIONS), rows: PushBody, via: SyncVia.default('hq') });
/**
 * `sync.push`'s answer: the upstream's copies of the rows that conflicted. When main held rows back
 * (versions this PC only pulled, for an upstream that does not take them marked: main/hub/push-marked.ts),
 * `{ conflicts, heldBack }`: those ids were not sent, so the upstream does not hold them.
 */
export const SyncPushResponse = z.union([z.array(SyncDocument), z.strictObject({ conflicts: z.array(SyncDocument), heldBack: z.array(DocId).min(1) })]);
export type SyncPushResponse = z.infer<typeof SyncPushResponse>;
/**
 * `sync.atHq` (issue 17): which of these records HQ holds in this PC's version (`fp`: its
 * fingerprint, shared/sync/fingerprint.ts), as the branch hub knows from HQ's own answers.
 */
export const SyncAtHq = HubAtHqRequest;
export const SyncAtHqResponse = z.strictObject({
  atHq: z.array(DocId).max(MAX_AT_HQ_RECORDS),
  /** Records whose asked version HQ refused when the hub relayed it, with HQ's reason (absent: none). */
  refused: z.array(z.strictObject({ id: DocId, reason: z.string().max(500) })).max(MAX_AT_HQ_RECORDS).optional(),
});

/**
 * `sync.changed`: one collection changed upstream, or pull everything again (after a reconnect).
 * `via`: which upstream said so (absent: HQ).
 */
export const SyncChanged = z.union([
  z.strictObject({ collection: CollectionName, via: SyncVia.optional() }),
  z.strictObject({ resync: z.literal(true), via: SyncVia.optional() }),
]);
export type SyncChanged = z.infer<typeof SyncChanged>;

/* Branch hub (issue 17) */
/** Where this PC learnt the hub's address and fingerprint. */
export const HubSource = z.enum(['hq', 'mdns', 'manual', 'paired']);
export type HubSource = z.infer<typeof HubSource>;
export const HubTarget = z.strictObject({ url: z.string().max(300), fingerprint: z.string().max(200), source: HubSource });
export type HubTarget = z.infer<typeof HubTarget>;
/** This PC's link to its branch hub, and the hub it runs itself (role 'host'). */
export const HubStatus = z.object({
  role: z.enum(['none', 'client', 'host']),
  hub: HubTarget.nullable(),
  /** The last hub call or the hub's stream was fine within the last 10 s. */
  connected: z.boolean(),
  lastContactAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  /** The hub this PC runs (null: it runs none). `hqLink`: the hub's own link to HQ ('unknown' | 'ok' | 'unreachable' | 'refused'). */
  hosting: z
    .object({
      state: z.enum(['stopped', 'starting', 'running', 'restarting']),
      crashes: z.number().int().min(0),
      shortCode: z.string().nullable(),
      hqLink: z.string(),
    })
    .nullable(),
});
export type HubStatus = z.infer<typeof HubStatus>;

/** A hub of this PC's branch seen on the LAN (mDNS); `trusted`: it shows the pinned certificate (else: pair first). */
export const HubSeen = z.strictObject({
  name: z.string().max(63),
  host: z.string().max(253),
  port: z.number().int().min(1).max(65_535),
  fingerprint: z.string().max(200),
  trusted: z.boolean(),
  lastSeenAt: z.string(),
});
export type HubSeen = z.infer<typeof HubSeen>;
/** A hub's LAN address as the head types it: an IPv4/IPv6 address or a PC name, and its port. */
export const HubAddressInput = z.strictObject({ host: z.string().trim().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'host: an IP address or a PC name'), port: z.number().int().min(1).max(65_535) });
/** `hub.pair`: the address and the code read on the hub PC (8 digits; spaces and a dash allowed). */
export const HubPair = HubAddressInput.extend({ code: z.string().regex(/^[\d\s-]{8,12}$/, 'code: the 8 digits shown on the hub PC') });
export const HubDiscovered = z.strictObject({ hubs: z.array(HubSeen).max(20), lanAddresses: z.array(z.string().max(45)).max(8) });

/** `hub.callNext`: the services this desk serves, its counter, and the press's id (a repeat gets the same ticket); who calls is the session's. */
export const HubCallNext = z.strictObject({ services: z.array(Service).min(1).max(10), counter: z.string().trim().regex(/^[1-9]\d?$/, 'counter: 1–99'), requestId: z.uuid() });
export type HubCallNext = z.infer<typeof HubCallNext>;
/** The ticket as the hub wrote it (called to this counter), or null when nothing is waiting. */
export const HubCallNextResponse = z.strictObject({ ticket: TicketRecord.nullable() });
export type HubCallNextResponse = z.infer<typeof HubCallNextResponse>;

export const BranchSetup = z.object({
  branch: BranchProfile,
  deviceSlot: DeviceSlot,
  head: z.object({ staffId: StaffId, name: StaffName, pin: NewPin }),
});
export type BranchSetup = z.infer<typeof BranchSetup>;

export const SignIn = z.object({ staffId: StaffId, pin: Pin });

/* Print */
/** `print.pdf`: a file-name stem for the saved copy (the folder and date are main's). */
export const PrintPdf = z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/) });
/** Issue 21: which printer setting a document uses (slips: appointment, refusal, declined; receipts: case and service receipts). */
export const PrintKind = z.enum(['ticket', 'slip', 'receipt']);
export type PrintKind = z.infer<typeof PrintKind>;
/** The paper in the printer: a thermal roll 80 mm or 58 mm wide (the page is as long as the document), or A4. */
export const PaperSize = z.enum(['roll80', 'roll58', 'a4']);
export type PaperSize = z.infer<typeof PaperSize>;
/** `printer`: the OS name of the printer this kind prints to silently; null: ask with the print dialog. */
export const PrinterChoice = z.strictObject({ printer: z.string().trim().min(1).max(200).nullable(), paper: PaperSize });
export type PrinterChoice = z.infer<typeof PrinterChoice>;
export const PrinterSetup = z.strictObject({ ticket: PrinterChoice, slip: PrinterChoice, receipt: PrinterChoice });
export type PrinterSetup = z.infer<typeof PrinterSetup>;
/** What the PC reports of a printer; `state` from the OS when it says (CUPS, Windows spooler), else 'unknown'. */
export const PrinterState = z.enum(['ready', 'offline', 'noPaper', 'unknown']);
export const PrinterInfo = z.strictObject({ name: z.string().max(200), displayName: z.string().max(200), isDefault: z.boolean(), state: PrinterState });
export type PrinterInfo = z.infer<typeof PrinterInfo>;
export const PrintersList = z.strictObject({ printers: z.array(PrinterInfo).max(100), setup: PrinterSetup });
export type PrintersList = z.infer<typeof PrintersList>;
/** `print.page`: the document's kind (its printer and paper), its PDF name for the fallback copy, its height on a roll. */
export const PrintPage = z
  .strictObject({ kind: PrintKind, name: PrintPdf.shape.name, heightMm: z.number().min(10).max(5000) })
  .optional();
/** Why a document did not print, for plain words on screen (renderer's i18n): never blocks the case. */
export const PrintProblem = z.enum(['cancelled', 'notFound', 'offline', 'noPaper', 'failed']);
export type PrintProblem = z.infer<typeof PrintProblem>;
/** `pdf`: where the copy was saved when the printer failed (hand it over or print it later). */
export const PrintResult = z.object({
  printed: z.boolean(),
  reason: z.string().max(200).nullable(),
  problem: PrintProblem.nullable().optional(),
  pdf: z.string().nullable().optional(),
});
export type PrintResult = z.infer<typeof PrintResult>;

/* Display */
// The waiting-room display shows numbers, counters and service names only: no personal data.
const TicketNumber = z.string().regex(/^[A-Z][1-9]-\d{3,7}$/);
export const DisplayCall = z.strictObject({
  number: TicketNumber,
  counter: z.string().regex(/^[0-9A-Za-z]{1,8}$/),
  service: Service,
  at: Timestamp,
  /** A priority number (UU 25/2009 Art. 29): shown with a mark and words, never the category or the person. */
  priority: z.literal(true).optional(),
});
export const DisplaySnapshot = z.strictObject({
  /** Most recent call first. */
  called: z.array(DisplayCall).max(12),
  /** In call order; `priority`: those of `numbers` that are priority numbers. */
  nextUp: z.array(z.strictObject({ service: Service, numbers: z.array(TicketNumber).max(6), priority: z.array(TicketNumber).max(6).optional() })).max(4),
  /** Today's average from issue to first call; null before the first call. */
  averageWaitMinutes: z.number().int().min(0).max(24 * 60).nullable(),
  /** The branch's service pledge (maklumat pelayanan). */
  pledge: z.string().trim().min(1).max(600),
  publishedAt: Timestamp,
});
export type DisplaySnapshot = z.infer<typeof DisplaySnapshot>;
export type DisplayCall = z.infer<typeof DisplayCall>;
/**
 * This PC's screens (issue 21 pt 3): it hosts the waiting-room display (opened at start on `monitor`,
 * a monitor id; null: the first that is not the primary) and/or runs as a kiosk (the door PC).
 */
export const ScreenSetup = z.strictObject({ displayHost: z.boolean(), monitor: z.number().int().nullable(), kiosk: z.boolean() });
export type ScreenSetup = z.infer<typeof ScreenSetup>;
export const MonitorInfo = z.strictObject({ id: z.number().int(), label: z.string().max(100), primary: z.boolean(), width: z.number().int(), height: z.number().int() });
export type MonitorInfo = z.infer<typeof MonitorInfo>;
export const ScreensList = z.strictObject({ monitors: z.array(MonitorInfo).max(16), setup: ScreenSetup });
export type ScreensList = z.infer<typeof ScreensList>;

/* Hand-carry */
// The device's ECDSA P-256 signing key for hand-carry files (docs/handcarry-format.md), as JWKs:
// the public half is the one the files carry.
export const HandcarryPublicJwk = PublicKeyJwkSchema;
export const HandcarrySigningKey = z.strictObject({
  privateKey: HandcarryPublicJwk.extend({ d: Base64Url32 }),
  publicKey: HandcarryPublicJwk,
});
export type HandcarrySigningKey = z.infer<typeof HandcarrySigningKey>;
/** One part of the text a hand-carry signature covers (parts stay under the browser bridge's 64 KB). */
export const HANDCARRY_SIGN_PART_CHARS = 16 * 1024;
export const HandcarrySignPart = z.strictObject({
  exportId: z.uuid(),
  part: z.string().max(HANDCARRY_SIGN_PART_CHARS),
  last: z.boolean(),
  recordCount: z.number().int().min(0),
});

/* Audit */
export const AuditAnchor = z.strictObject({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AuditAnchor = z.infer<typeof AuditAnchor>;
/** A renderer audit entry main is asked to sign (issue 17 / 18 pt 7): the whole entry, so main can check it is this device's. */
export const AuditSignRequest = z.strictObject({ entry: AuditEntrySchema.omit({ signature: true }) });
export type AuditSignRequest = z.infer<typeof AuditSignRequest>;

/* Local closures (issue 16 pt 10) */
const LocalClosureList = Settings.shape.localClosures.unwrap();
export const LocalClosuresSaved = z.strictObject({ settings: Settings, sentToHq: z.boolean() });
/** `pending`: entered here, not yet received by HQ; `refused`: what HQ said when it refused the last list. */
export const LocalClosuresSendStatus = z.strictObject({ pending: z.boolean(), refused: z.string().nullable() });
export type LocalClosuresSendStatus = z.infer<typeof LocalClosuresSendStatus>;

/* Journal */
// The acknowledged-writes journal in main (main/storage/ack-journal.ts): a write counts as saved
// once main has it on disk; after an unclean shutdown the renderer restores from it what IndexedDB lost.
export const JournalCollection = z.enum(['cases', 'tickets', 'audit', 'counters']);
export type JournalCollection = z.infer<typeof JournalCollection>;
export const JournalEntry = z.strictObject({ collection: JournalCollection, id: z.string().min(1).max(200), doc: z.looseObject({}) });
/**
 * Takes back an entry appended in parallel with its database write, which then failed: `doc` is what
 * the database still holds (null: nothing), so a restore never brings back a write reported as failed.
 */
export const JournalUndo = z.strictObject({ collection: JournalCollection, id: z.string().min(1).max(200), undo: z.literal(true), doc: z.looseObject({}).nullable() });
export const JournalAppend = z.strictObject({ entries: z.array(z.union([JournalEntry, JournalUndo])).min(1).max(16) });
export type JournalAppend = z.infer<typeof JournalAppend>;
export const JournalRecords = z.strictObject({
  records: z.array(JournalEntry.extend({ seq: z.number().int().positive() })),
  /** Case records held back from a role without the case key: how many, never what (a door PC purges its old cases only at 0). */
  withheld: z.number().int().nonnegative().optional(),
});
export type JournalRecords = z.infer<typeof JournalRecords>;
/** The local database's name (e.g. `loket-jkt01`) and the epoch it was created with (its sentinel). */
export const JournalDatabase = z.string().regex(/^[a-z0-9-]{1,40}$/);
export const JournalEpoch = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export const JournalSentinel = z.strictObject({ epoch: JournalEpoch.nullable() });

/**
 * The one bridge contract: channel name (`domain.verb`) → request and response schemas and access.
 * Main registers a handler per channel; the preload and the browser client derive `window.loket`
 * from the same names.
 */
export const contract = {
  'app.info': channel({ request: None, response: AppInfo, access: 'public' }),
  'settings.get': channel({ request: None, response: Settings, access: 'public' }),
  'settings.set': channel({ request: SettingsPatch, response: Settings, access: ['head', 'admin'] }),
  // key: the queue-data root key, for every signed-in role (issue 18 pt 6: it opens nothing of a case).
  // nikKey: the NIK hash key, branch-wide from HQ once enrolled, else this PC's own ('local': lookups by NIK stay on this PC).
  'secrets.dbKey': channel({
    request: None,
    response: z.object({ key: z.string().min(32), nikKey: z.object({ key: z.string().min(32), scope: z.enum(['branch', 'local']) }).optional() }),
    access: 'unlocked',
  }),
  // The case-data root key: only roles that work cases; the door (security) is refused (issue 18 pt 6).
  'secrets.caseKey': channel({ request: None, response: z.object({ key: z.string().min(32) }), access: CASE_DATA_ROLES }),
  'branch.setup': channel({ request: BranchSetup, response: Session, access: 'setup' }),
  'branch.get': channel({ request: None, response: BranchProfile.nullable(), access: 'public' }),
  // The head sets the branch's time zone (WIB/WITA/WIT) in Settings.
  'branch.setZone': channel({ request: z.strictObject({ zone: BranchZone }), response: BranchProfile, access: ['head', 'admin'] }),
  // The head's local closures (Settings): kept on this PC and sent to HQ, into the branch's case
  // rules for every PC (issue 16 pt 10); HQ away: sent when it is back (`localClosuresStatus`).
  'branch.setLocalClosures': channel({ request: z.strictObject({ localClosures: LocalClosureList }), response: LocalClosuresSaved, access: ['head'] }),
  'branch.localClosuresStatus': channel({ request: None, response: LocalClosuresSendStatus, access: ['head', 'admin'] }),
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
  'staff.resetPin': channel({ request: ResetPin, response: StaffSummary, access: ['head', 'admin'] }),
  // 'session' (not 'unlocked'): a member who must replace a reset PIN can do only this, sign out and choose a language.
  'staff.changePin': channel({ request: ChangePin, response: Session, access: 'session' }),
  'staff.setLanguage': channel({ request: z.object({ language: Language }), response: Session, access: 'session' }),
  'update.status': channel({ request: None, response: z.lazy(() => UpdateStatus), access: 'public' }),
  'app.setBusy': channel({
    request: z.object({ busy: z.boolean() }),
    response: z.null(),
    access: 'session',
  }),
  // HQ link: main holds the URL and the device token and makes every HQ call.
  'hq.enrol': channel({ request: HqEnrol, response: z.object({ branchCode: z.string() }), access: ['head', 'admin'] }),
  'hq.status': channel({ request: None, response: HqStatus, access: 'public' }),
  'hq.quarantine': channel({ request: HqQuarantineRequest, response: HqQuarantinePage, access: ['head', 'admin'] }),
  // What HQ flagged for the branch's review (shared/sync/audit-flags.ts), newest first, a page at a time.
  'hq.auditFlags': channel({ request: HqQuarantineRequest, response: AuditFlagPage, access: ['head', 'admin'] }),
  // Replication: the renderer's pull/push handlers, relayed to HQ as is. A locked screen keeps syncing.
  'sync.pull': channel({ request: SyncPull, response: SyncPullResponse, access: 'session' }),
  'sync.push': channel({ request: SyncPush, response: SyncPushResponse, access: 'session' }),
  // Asked of the branch hub: which records it holds that HQ has too ("received by HQ" through the hub).
  'sync.atHq': channel({ request: SyncAtHq, response: SyncAtHqResponse, access: 'session' }),
  /* Branch hub (issue 17) */
  'hub.status': channel({ request: None, response: HubStatus, access: 'public' }),
  // The head makes THIS PC the branch's hub (moving the role is the same call on the new PC), or stops it.
  'hub.become': channel({ request: None, response: HubStatus, access: ['head', 'admin'] }),
  'hub.release': channel({ request: None, response: HubStatus, access: ['head', 'admin'] }),
  // Finding the hub (issue 17 pts 2-3): an address for LANs without multicast (only for the pinned
  // certificate; null forgets the hub), pairing with the code on the hub PC's screen, hubs seen on the LAN.
  'hub.setAddress': channel({ request: HubAddressInput.nullable(), response: HubStatus, access: ['head', 'admin'] }),
  'hub.pair': channel({ request: HubPair, response: HubStatus, access: ['head', 'admin'] }),
  'hub.discovered': channel({ request: z.strictObject({ refresh: z.boolean().default(false) }), response: HubDiscovered, access: ['head', 'admin'] }),
  // Call next decided at the hub (two counters never call the same ticket): the ticket it called, or null.
  'hub.callNext': channel({ request: HubCallNext, response: HubCallNextResponse, access: 'session' }),
  /* Print */
  // Electron: main prints or saves the calling window itself; browser mode answers UNAVAILABLE (window.print()).
  'print.page': channel({ request: PrintPage, response: PrintResult, access: 'unlocked' }),
  // Issue 21: this PC's printers (Electron; none in a browser) and the printer and paper per document kind (both modes).
  'print.printers': channel({ request: None, response: PrintersList, access: 'unlocked' }),
  'print.setup': channel({ request: PrinterSetup, response: PrinterSetup, access: 'unlocked' }),
  'print.pdf': channel({ request: PrintPdf, response: z.object({ path: z.string() }), access: 'unlocked' }),
  /* Display */
  // A signed-in PC publishes; the display (no sign-in) reads and listens to `display.changed`.
  'display.publish': channel({ request: DisplaySnapshot, response: z.null(), access: 'session' }),
  'display.get': channel({ request: None, response: DisplaySnapshot.nullable(), access: 'public' }),
  'display.open': channel({ request: None, response: z.object({ external: z.boolean() }), access: ['head', 'officer'] }),
  // Issue 21: the head makes this PC the display host (on a chosen monitor) or a kiosk; the head's PIN ends kiosk mode.
  'display.screens': channel({ request: None, response: ScreensList, access: ['head', 'admin'] }),
  'display.setScreens': channel({ request: ScreenSetup, response: ScreenSetup, access: ['head', 'admin'] }),
  // Public like staff.signIn: the door PC may be at its sign-in screen; the handler checks a head's PIN as sign-in does.
  'display.exitKiosk': channel({ request: SignIn.strict(), response: ScreenSetup, access: 'public' }),
  /* Hand-carry */
  // The head exports pending records when the WAN is down for days; main keeps the signing key.
  // The private key stays in main (issue 18 pt 7): the renderer gets the public key and sends the
  // text to sign in parts; the last part answers the signature and audits the export.
  'handcarry.publicKey': channel({ request: None, response: HandcarryPublicJwk, access: ['head', 'admin'] }),
  'handcarry.sign': channel({ request: HandcarrySignPart, response: z.strictObject({ signature: z.string().nullable() }), access: ['head', 'admin'] }),
  /* Audit */
  // The renderer's audit chain head (seq + hash), anchored into main's signed chain (issue 18, point 7).
  'audit.anchor': channel({ request: AuditAnchor, response: z.null(), access: 'session' }),
  // The device key's signature of a new entry of this device's renderer chain (the key stays in main):
  // only for a signed-in session, an entry of this device, its actor that session's staff.
  'audit.sign': channel({ request: AuditSignRequest, response: z.strictObject({ signature: z.string().regex(AUDIT_SIGNATURE_RE) }), access: 'session' }),
  /* Retention (issue 18 pt 8) */
  // The head retires this PC: erased only once HQ holds every record (else CONFLICT/HQ_UNREACHABLE, details.notAtHq).
  'device.decommission': channel({ request: None, response: z.strictObject({ checked: z.number().int().nonnegative(), erased: z.array(z.string()) }), access: ['head'] }),
  /* Journal */
  // Answers once the entries are fsync'd in main's journal: only then does the screen say "saved".
  'journal.append': channel({ request: JournalAppend, response: z.object({ seq: z.number().int().positive() }), access: 'session' }),
  // Unacknowledged records, as written (they hold personal data: unlocked sessions only, like the database key).
  'journal.records': channel({ request: None, response: JournalRecords, access: 'unlocked' }),
  'journal.sentinel': channel({ request: z.strictObject({ database: JournalDatabase }), response: JournalSentinel, access: 'unlocked' }),
  'journal.setSentinel': channel({ request: z.strictObject({ database: JournalDatabase, epoch: JournalEpoch }), response: z.null(), access: 'unlocked' }),
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
  'hq.changed': HqStatus,
  'sync.changed': SyncChanged,
  'hub.changed': HubStatus,
  'display.changed': DisplaySnapshot,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
const _eventsMatch: Same<EventName, (typeof EVENT_NAMES)[number]> = true;
void _eventsMatch;
