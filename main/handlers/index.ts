import { SyncAtHqResponse, type EventName, type EventPayload, type UpdateStatus } from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import { branchZoneOf } from '@shared/branch/schema';
import type { Session, StaffSummary } from '@shared/staff/schema';
import { SIGN_IN_FAILED, type StaffAccounts } from '../accounts';
import type { AppState } from '../app-state';
import type { CallContext, Handlers } from '../ipc/dispatch';
import { nikHashKey, queueDataKey, type SecretVault } from '../secrets';
import { holdsCaseData, readsCaseData } from '@shared/staff/case-access';
import { HandcarrySigner, handcarrySigningKey } from '../storage/handcarry-key';
import { AuditEntrySigner } from '../audit/entry-signer';
import type { HqLink } from '../hq-link';
import type { LocalClosuresOutbox } from '../local-closures';
import type { DisplayHub, DisplayWindows, ScreenSetupStore } from '../display';
import type { Kiosk } from '../kiosk';
import type { Printing, PrinterSetupStore } from '../printing';
import type { JournalService } from '../journal';
import type { HubService } from '../hub/service';
import type { HubFinder } from '../hub/finder';
import type { DecommissionResult } from '../retention';
import { callNextAtHub } from '../hub/calls';
import { checkEnrolment } from '../hq/enrolment';
import type { DeviceAuditLog } from '../audit/device-log';
import type { DeviceAuditAction } from '@shared/audit/device-chain';
import type { JsonObject } from '@shared/canonical-json';
import { isWritable } from '@shared/sync/protocol';
import { pushMarked } from '../hub/push-marked';

export interface HandlerDeps {
  mode: 'electron' | 'browser';
  version: string;
  state: AppState;
  accounts: StaffAccounts;
  vault: SecretVault;
  sessions: Map<string, Session>;
  now: () => Date;
  updates: { status(): UpdateStatus; setBusy(busy: boolean): void };
  /** The device's link to HQ (calls, token, event stream). */
  hq: HqLink;
  /** The branch hub: its link (pull/push via the hub), the pinned hub, hosting (issue 17). */
  hub: HubService;
  /** Finding the hub: mDNS, a manual address, pairing with the hub PC's code. */
  hubFinder: HubFinder;
  /** Sends an event to one client (window or browser page). */
  notify: <E extends EventName>(clientId: string, event: E, payload: EventPayload<E>) => void;
  /** Waiting-room display snapshots (both modes). */
  display: DisplayHub;
  /** Electron only: printing the calling window, opening the display window. */
  printing?: Printing | undefined;
  displayWindows?: DisplayWindows | undefined;
  /** This PC's printer and paper per document kind (issue 21). */
  printerSetup: PrinterSetupStore;
  /** This PC's screens: display host and its monitor, kiosk mode (issue 21); the kiosk of its window (Electron). */
  screenSetup: ScreenSetupStore;
  kiosk?: Kiosk | undefined;
  /** The acknowledged-writes journal (main/journal.ts). */
  journal: JournalService;
  /** Main's own signed audit chain (main/audit/device-log.ts): every access is recorded here. */
  audit: DeviceAuditLog;
  /** The head's local closures on their way to HQ (main/local-closures.ts). */
  closures: LocalClosuresOutbox;
  /** Retires this PC once HQ holds every record (main/retention.ts). */
  /** `audit`: called once HQ holds every record, before anything is erased (main/retention.ts). */
  decommission: (audit: (details: { checked: number }) => Promise<void>) => Promise<DecommissionResult>;
}

function electronOnly<T>(dep: T | undefined): T {
  if (!dep) throw new IpcFailure('UNAVAILABLE', 'Only the desktop app can do this; in a browser use its own print and window commands.');
  return dep;
}

/** Main's handler map: plain typed functions, reached through IPC or browser-mode HTTP alike. */
export function createHandlers(d: HandlerDeps): Handlers {
  const startSession = (ctx: CallContext, staff: StaffSummary): Session => {
    const session: Session = {
      staffId: staff.staffId,
      name: staff.name,
      role: staff.role,
      locked: false,
      signedInAt: d.now().toISOString(),
      mustChangePin: staff.mustChangePin === true,
      language: d.accounts.languageOf(staff.staffId),
    };
    d.sessions.set(ctx.clientId, session);
    d.notify(ctx.clientId, 'session.changed', session);
    return session;
  };
  const endSession = (clientId: string) => {
    if (d.sessions.delete(clientId)) d.notify(clientId, 'session.changed', null);
  };
  const requireSession = (ctx: CallContext): Session => {
    if (!ctx.session) throw new IpcFailure('NOT_SIGNED_IN', 'Sign in first.');
    return ctx.session;
  };
  // Issue 18 pt 7: written by main before it answers; an access that cannot be recorded does not happen.
  const recordAccess = async (action: DeviceAuditAction, actor: { staffId: string; role: Session['role'] } | null, details: JsonObject = {}) => {
    await d.audit.record(action, actor ? { staffId: actor.staffId, role: actor.role } : null, details);
  };
  // Issue 18 pt 6: case data (its key, its records) only for roles that work cases, checked here too,
  // not only by the contract's access list or the renderer.
  const requireCaseRole = (ctx: CallContext, what: string): Session => {
    const session = requireSession(ctx);
    if (!readsCaseData(session.role)) throw new IpcFailure('FORBIDDEN_ROLE', `${what} is for staff who work cases, not for the ${session.role} role.`);
    return session;
  };
  const checkCollection = (ctx: CallContext, collection: string) => {
    if (holdsCaseData(collection)) requireCaseRole(ctx, `The ${collection} collection`);
  };
  const sendAuditToHq = () => d.audit.upload((body) => d.hq.pushDeviceAudit(body));
  const handcarry = new HandcarrySigner(d.vault);
  // The renderer's audit entries, signed with the device key here (main/audit/entry-signer.ts).
  const auditSigner = new AuditEntrySigner({ deviceId: () => d.state.deviceId, key: () => handcarrySigningKey(d.vault), anchoredSeq: () => d.audit.rendererAnchoredSeq() });

  return {
    'app.info': () => {
      const branch = d.state.branch();
      return {
        version: d.version,
        deviceId: d.state.deviceId,
        mode: d.mode,
        branch: branch ? { code: branch.code, name: branch.name, counters: branch.counters, zone: branchZoneOf(branch) } : null,
        setupComplete: branch !== null,
        deviceSlot: d.state.deviceSlot(),
        hq: (({ connected, lastContactAt }) => ({ connected, lastContactAt }))(d.hq.status()),
        language: d.state.settings().language,
        kiosk: d.screenSetup.read().kiosk,
      };
    },
    'app.setBusy': ({ busy }) => {
      d.updates.setBusy(busy);
      return null;
    },
    'settings.get': () => d.state.settings(),
    'settings.set': async (patch, ctx) => {
      const settings = d.state.updateSettings(patch);
      await recordAccess('settings.changed', ctx.session, { keys: Object.keys(patch).sort() });
      return settings;
    },
    'secrets.dbKey': async (_req, ctx) => {
      const keys = { key: queueDataKey(d.vault), nikKey: nikHashKey(d.vault, d.hq.branchNikKey()) };
      await recordAccess('key.handedOut', ctx.session, { key: 'queue' });
      return keys;
    },
    'secrets.caseKey': async (_req, ctx) => {
      const session = requireCaseRole(ctx, 'The case key');
      const key = d.vault.dbKey(); // the single key of earlier installs: their cases still open
      await recordAccess('key.handedOut', session, { key: 'case' });
      return { key };
    },
    'branch.get': () => d.state.branch(),
    'branch.setZone': async ({ zone }, ctx) => {
      const branch = d.state.branch();
      if (!branch) throw new IpcFailure('SETUP_REQUIRED', 'Set up the branch first.');
      const next = { ...branch, zone };
      d.state.setBranch(next);
      await recordAccess('branch.zoneChanged', ctx.session, { zone });
      return next;
    },
    'branch.setLocalClosures': async ({ localClosures }, ctx) => {
      const session = requireSession(ctx);
      const settings = d.state.updateSettings({ localClosures });
      const { sentToHq } = await d.closures.submit(localClosures.map((c) => c.date), { staffId: session.staffId, role: session.role });
      return { settings, sentToHq };
    },
    'branch.localClosuresStatus': () => d.closures.status(),
    'branch.setup': async ({ branch, deviceSlot, head }, ctx) => {
      // The head account is written before the branch: a crash in between leaves setup still open.
      const existing = d.accounts.list().find((s) => s.staffId === head.staffId);
      const account = existing ?? (await d.accounts.add({ ...head, role: 'head' }, null));
      if (d.state.branch()) throw new IpcFailure('ALREADY_SET_UP', 'This device is already set up.');
      d.state.setDeviceSlot(deviceSlot);
      d.state.setBranch(branch);
      const staff = existing ? await d.accounts.verify(head.staffId, head.pin) : account;
      await recordAccess('branch.setUp', staff, { branchCode: branch.code, deviceSlot });
      await recordAccess('staff.signIn', staff);
      return startSession(ctx, staff);
    },
    'staff.signIn': async ({ staffId, pin }, ctx) => {
      if (!d.state.branch()) throw new IpcFailure('SETUP_REQUIRED', 'Set up the branch first.');
      // One failure for unknown, deactivated, locked and wrong PIN (issue 18).
      let staff: StaffSummary;
      try {
        staff = await d.accounts.signIn(staffId, pin);
      } catch (e) {
        // The id typed is recorded as given (it may be no one's); the PIN never is.
        await recordAccess('staff.signInFailed', null, { staffId, code: e instanceof IpcFailure ? e.code : 'ERROR' });
        throw e;
      }
      await recordAccess('staff.signIn', staff);
      return startSession(ctx, staff);
    },
    'staff.signOut': async (_req, ctx) => {
      if (ctx.session) await recordAccess('staff.signOut', ctx.session);
      endSession(ctx.clientId);
      return null;
    },
    'staff.session': (_req, ctx) => ctx.session,
    'staff.lock': async (_req, ctx) => {
      const locked = { ...requireSession(ctx), locked: true };
      await recordAccess('staff.lock', locked);
      d.sessions.set(ctx.clientId, locked);
      d.notify(ctx.clientId, 'session.changed', locked);
      return locked;
    },
    'staff.unlock': async ({ pin }, ctx) => {
      const session = requireSession(ctx);
      try {
        await d.accounts.verify(session.staffId, pin);
      } catch (e) {
        await recordAccess('staff.unlockFailed', session, { code: e instanceof IpcFailure ? e.code : 'ERROR' });
        // Locked out (or deactivated) while the screen was locked: end the session entirely.
        if (e instanceof IpcFailure && e.code !== 'PIN_WRONG') endSession(ctx.clientId);
        throw e;
      }
      await recordAccess('staff.unlock', session);
      const unlocked = { ...session, locked: false };
      d.sessions.set(ctx.clientId, unlocked);
      d.notify(ctx.clientId, 'session.changed', unlocked);
      return unlocked;
    },
    'staff.list': () => d.accounts.list(),
    'staff.add': async (input, ctx) => {
      const staff = await d.accounts.add(input, requireSession(ctx).staffId);
      await recordAccess('staff.created', ctx.session, { staffId: staff.staffId, role: staff.role });
      return staff;
    },
    'staff.setActive': async ({ staffId, active }, ctx) => {
      const result = d.accounts.setActive(staffId, active, requireSession(ctx).staffId);
      await recordAccess('staff.activeChanged', ctx.session, { staffId, active });
      if (!active) {
        for (const [clientId, s] of d.sessions) if (s.staffId === staffId) endSession(clientId);
      }
      return result;
    },
    'staff.resetPin': async ({ staffId, pin }, ctx) => {
      const result = await d.accounts.resetPin(staffId, pin, requireSession(ctx).staffId);
      await recordAccess('staff.pinReset', ctx.session, { staffId });
      // Whoever is signed in as that member now is signed out: the old PIN is gone.
      for (const [clientId, s] of d.sessions) if (s.staffId === staffId) endSession(clientId);
      return result;
    },
    'staff.changePin': async ({ pin, newPin }, ctx) => {
      const session = requireSession(ctx);
      const staff = await d.accounts.changePin(session.staffId, pin, newPin);
      await recordAccess('staff.pinChanged', session);
      const next: Session = { ...session, mustChangePin: staff.mustChangePin === true };
      d.sessions.set(ctx.clientId, next);
      d.notify(ctx.clientId, 'session.changed', next);
      return next;
    },
    'staff.setLanguage': ({ language }, ctx) => {
      const session = requireSession(ctx);
      d.accounts.setLanguage(session.staffId, language);
      const next: Session = { ...session, language };
      d.sessions.set(ctx.clientId, next);
      d.notify(ctx.clientId, 'session.changed', next);
      return next;
    },
    'update.status': () => d.updates.status(),
    'hq.enrol': async (input, ctx) => {
      // Moving an enrolled PC to another HQ: the head only, and the HQ left is in the audit entry (issue 18 pt 5).
      const { previousHq } = checkEnrolment(d.hq.status(), input.url, ctx.session?.role ?? null);
      const enrolled = await d.hq.enrol(input);
      await recordAccess('device.enrolled', ctx.session, { branchCode: enrolled.branchCode, hq: new URL(input.url).host, ...(previousHq ? { previousHq } : {}) });
      // The first upload registers this device's public key at HQ (the key that signs its chain and hand-carry files).
      await sendAuditToHq().catch(() => undefined);
      return enrolled;
    },
    'hq.status': () => d.hq.status(),
    'hq.quarantine': ({ before }) => d.hq.quarantine(before),
    'hq.auditFlags': ({ before }) => d.hq.auditFlags(before),
    // `via`: HQ or the branch hub; each has its own checkpoint, so never the other one silently.
    'sync.pull': async ({ collection, checkpoint, limit, via }, ctx) => {
      checkCollection(ctx, collection);
      const answer = await (via === 'hub' ? d.hub.link : d.hq).pull(collection, checkpoint, limit);
      // Versions written elsewhere: marked as pulled when this PC pushes them to a hub (main/hub/pulled-versions.ts).
      if (isWritable(collection) && Array.isArray(answer.documents)) d.hub.versions.pulled(collection, answer.documents);
      return answer;
    },
    'sync.push': async ({ collection, rows: fromPage, via }, ctx) => {
      checkCollection(ctx, collection); // its answer carries the upstream's copies of conflicting records
      // A version this PC pulled goes marked, to the hub or HQ: neither takes it as this PC's write (issue 17).
      const { sent, conflicts, heldBack } = await pushMarked(d.hub.versions, via === 'hub' ? d.hub.link : d.hq, collection, fromPage);
      // What HQ (or the hub, on its disk and relaying it to HQ) now holds no longer needs the journal.
      await d.journal.acknowledgePushed(collection, sent, conflicts);
      // The renderer's chain went to HQ: main's goes along (its failure never fails the renderer's push).
      if (collection === 'audit' && via !== 'hub') await sendAuditToHq().catch(() => undefined);
      // Rows held back are not at that upstream: the renderer must not show them as received there.
      return heldBack.length > 0 ? { conflicts, heldBack } : conflicts;
    },
    // "Received by HQ" through the hub: the hub answers from what HQ acknowledged to it (hq/hub/at-hq.ts).
    'sync.atHq': async (req) => SyncAtHqResponse.parse(await d.hub.link.request('POST', '/v1/hub/at-hq', req)),
    /* Branch hub */
    'hub.status': () => d.hub.status(),
    'hub.become': (_req, ctx) => d.hub.become(requireSession(ctx).staffId),
    'hub.release': () => d.hub.release(),
    'hub.setAddress': (address) => d.hubFinder.setAddress(address),
    'hub.pair': (input) => d.hubFinder.pair(input),
    'hub.discovered': ({ refresh }) => d.hubFinder.discovered(refresh),
    'hub.callNext': async (req, ctx) => {
      const answer = await callNextAtHub(d.hub.link, requireSession(ctx), branchZoneOf(d.state.branch()), req);
      // The called ticket is this PC's write (the hub wrote it as this PC's), however it comes back.
      if (answer.ticket) d.hub.versions.own('tickets', [answer.ticket]);
      return answer;
    },
    /* Print */
    // Browser mode has no main-side printing: the page prints itself with window.print().
    'print.page': (req, ctx) => electronOnly(d.printing).print(ctx.clientId, req),
    // Issue 21: the printer and paper per document kind are this PC's (both modes; a browser maps the paper to its own print).
    'print.printers': async (_req, ctx) => ({ printers: d.printing ? await d.printing.printers(ctx.clientId) : [], setup: d.printerSetup.read() }),
    'print.setup': (setup) => d.printerSetup.write(setup),
    'print.pdf': ({ name }, ctx) => electronOnly(d.printing).savePdf(ctx.clientId, name),
    /* Display */
    'display.publish': (snapshot) => {
      d.display.publish(snapshot, d.sessions.keys());
      return null;
    },
    'display.get': (_req, ctx) => d.display.get(ctx.clientId),
    'display.open': () => electronOnly(d.displayWindows).open(),
    'display.screens': () => ({ monitors: d.displayWindows?.monitors().slice(0, 16) ?? [], setup: d.screenSetup.read() }),
    'display.setScreens': async (setup, ctx) => {
      const saved = d.screenSetup.write(setup);
      // Takes effect now (and at every start): the display opens or closes, the window enters or leaves kiosk mode.
      d.displayWindows?.host({ host: saved.displayHost, monitor: saved.monitor });
      d.kiosk?.apply(saved.kiosk);
      await recordAccess('settings.changed', ctx.session, { keys: ['screens'] });
      return saved;
    },
    // The way out of kiosk mode, from the door or the sign-in screen: a head's staff id and PIN, checked
    // as a sign-in is (one at a time, the same lockout, one generic failure: a guard's right PIN looks
    // like a wrong one), each refusal in main's chain as a failed sign-in for the kiosk.
    'display.exitKiosk': async ({ staffId, pin }) => {
      if (!d.state.branch()) throw new IpcFailure('SETUP_REQUIRED', 'Set up the branch first.');
      const refused = async (code: string) => recordAccess('staff.signInFailed', null, { staffId, code, for: 'kiosk.exit' });
      let staff: StaffSummary;
      try {
        staff = await d.accounts.signIn(staffId, pin);
      } catch (e) {
        await refused(e instanceof IpcFailure ? e.code : 'ERROR');
        throw e;
      }
      if (staff.role !== 'head') {
        await refused('FORBIDDEN_ROLE');
        throw SIGN_IN_FAILED();
      }
      const saved = d.screenSetup.write({ ...d.screenSetup.read(), kiosk: false });
      d.kiosk?.apply(false);
      await recordAccess('settings.changed', staff, { keys: ['kiosk'] });
      return saved;
    },
    /* Hand-carry */
    'handcarry.publicKey': () => handcarry.publicKey(),
    'handcarry.sign': async ({ exportId, part, last, recordCount }, ctx) => {
      const { signature, bytes } = handcarry.part(ctx.clientId, { exportId, part, last });
      if (signature !== null) await recordAccess('handcarry.exported', ctx.session, { recordCount, bytes });
      return { signature };
    },
    /* Audit */
    'audit.anchor': async ({ seq, hash }, ctx) => {
      await recordAccess('renderer.anchored', ctx.session, { seq, hash });
      return null;
    },
    'audit.sign': async ({ entry }, ctx) => ({ signature: await auditSigner.sign(entry, ctx.session) }),
    /* Journal */
    'journal.append': ({ entries }) => d.journal.append(entries),
    'journal.records': async (_req, ctx) => {
      const { records } = await d.journal.records();
      // The door's restore gets its own kind of records; case records only for roles that work cases.
      const shown = ctx.session && readsCaseData(ctx.session.role) ? records : records.filter((r) => !holdsCaseData(r.collection));
      return { records: shown, withheld: records.length - shown.length };
    },
    'journal.sentinel': ({ database }) => d.journal.sentinel(database),
    'journal.setSentinel': ({ database, epoch }) => d.journal.setSentinel(database, epoch),
    // Issue 18 pt 7/8: the head's decommission is in main's signed chain, and HQ holds that entry before
    // the erase (which takes the device key with it); when HQ does not take it, nothing is erased.
    'device.decommission': (_, ctx) => {
      const head = requireSession(ctx);
      return d.decommission(async (details) => {
        const entry = await d.audit.record('device.decommissioned', { staffId: head.staffId, role: head.role }, details);
        const held = await sendAuditToHq();
        if (held < entry.seq) throw new IpcFailure('HQ_UNREACHABLE', 'HQ did not take this PC’s audit chain. Nothing was erased.');
      });
    },
  };
}
