// `npm run demo-data` (issue 19 pt 7): fills a branch at the local HQ with generated people and a
// day of tickets and cases, so a newcomer sees a working branch: walk-ins (some of them priority
// tickets), appointments booked for later open days, closed and open cases, refusals awaiting the
// head's review (one a "not yet" with its appointment) and a transfer to another branch. In browser mode the database is
// the browser's, so the way in is HQ: this script enrols itself as a device of the branch and pushes
// the records through HQ's own push API, where they are validated like any PC's (journals replayed,
// NIK hashes under the branch key, the branch's rules of the day); the newcomer's PC then pulls them.
//
//   npm run hq                      # in another terminal (PGlite in .hq-data/, or DATABASE_URL)
//   npm run demo-data [-- --branch DEMO01] [--hq http://127.0.0.1:4790]
//
// Admin steps (branch, staff, enrolment codes) go the way `npm run hq:admin` goes: through the
// running HQ's admin endpoint on PGlite, through DATABASE_URL otherwise. Everything is generated:
// NIKs of a made-up district (shared/identity composeNik), names from syllables, example.org e-mail.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AdminError, callAdminEndpoint, runAdminCommand } from '../hq/admin';
import { DataFolderInUse, openDatabase, pgliteDataDir } from '../hq/db';
import { nikHashForBranchKey } from '../hq/validate';
import { branchCalendar, isOpenDay } from '@shared/calendar';
import { BranchRules, rulesOn } from '@shared/cases/branch-rules';
import { DEFAULT_QUEUE_CONFIG, type CaseConfig } from '@shared/cases/config';
import { firstClaimDate } from '@shared/cases/rules';
import { SERVICE_LETTER, SERVICES, TicketEvent, type Appointment, type CaseFlow, type PriorityCategory, type Service } from '@shared/cases/schema';
import { addDays, addYears, localDateOf, offsetOfZone, parts, type BranchZone, type CalendarDate } from '@shared/dates';
import { formatDay } from '@shared/i18n/format';
import { composeNik } from '@shared/identity/nik';
import { firstOpenSlot } from '@shared/policy';
import { allocateAppointment, queueConfigFor } from '@shared/queue/planning';
import { formatTicketNumber } from '@shared/queue/ticket-numbers';
import { checkRecord } from '@shared/records';
import { BRANCH_CONFIG_KEY, type Checkpoint, type PullResponse, type SyncDocument } from '@shared/sync/protocol';
import { replay, replayCase, storedSnapshot, ticketMachine } from '@state-machines';

export const DEFAULT_DEMO_BRANCH = 'DEMO01';
/** The ticket slot the demo's tickets are numbered in (A9-001 …): a PC set up as slot 1–8 never clashes. */
export const DEMO_SLOT = 9;
const TICKETS_PER_SERVICE = 8;
const MAX_PAGES = 100;
/** The branch a case is transferred to at the person's request (created at HQ if missing). */
export const DEMO_TRANSFER_BRANCH = 'DEMO99';
/** As the desk's transfer panel: the receiving branch accepts within 48 hours (a warm transfer). */
const TRANSFER_SLA_HOURS = 48;
/** One waiting walk-in per service is a priority ticket (UU 25/2009 Art. 29), a category that fits the person. */
const PRIORITY_OF: Record<Service, PriorityCategory> = { 'jht-claim': 'elderly', 'bpu-resignation': 'disability', 'jmo-reset': 'pregnant', general: 'smallChild' };
const PRIORITY_TICKET = 5;
/** Which served ticket's case ends other than with a receipt: refused (for the head's review) or transferred. */
const CASE_ENDING: Partial<Record<CaseFlow, { k: number; ending: Exclude<Stage, 'closed' | 'open'> }>> = {
  'jht-claim': { k: 2, ending: 'notYet' },
  'bpu-resignation': { k: 1, ending: 'transferred' },
  'jmo-reset': { k: 2, ending: 'refused' },
};

export interface DemoOptions {
  /** HQ's address, e.g. http://127.0.0.1:4790. */
  hqUrl: string;
  branch?: string;
  /** One `npm run hq:admin` command (argv), its output. */
  admin: (argv: readonly string[]) => Promise<string>;
  /** "Now", for the branch's day (default: the clock). */
  now?: Date;
}

export interface DemoResult {
  branch: string;
  day: CalendarDate;
  zone: BranchZone;
  /** Today's walk-in tickets by status. */
  tickets: Record<'waiting' | 'called' | 'serving' | 'done', number>;
  /** Walk-in tickets with a priority category. */
  priority: number;
  /** Appointments booked today for later open days (tickets with `appointment`), one at the person's request. */
  appointments: number;
  cases: Record<CaseFlow, { open: number; closed: number }>;
  /** Refusals awaiting the head's review. */
  refusals: number;
  /** Transfers requested to another branch, awaiting its decision. */
  transfers: number;
  staff: { staffId: string; role: string }[];
  /** A one-time code for the newcomer's PC. */
  enrolCode: string;
  enrolCodeExpires: string;
}

interface Device {
  deviceId: string;
  token: string;
  nikKey: string;
}

const STAFF = [
  { staffId: 'kepala.demo', name: 'Kepala Cabang Demo', role: 'head' },
  { staffId: 'petugas.demo1', name: 'Petugas Demo Satu', role: 'officer' },
  { staffId: 'petugas.demo2', name: 'Petugas Demo Dua', role: 'officer' },
  { staffId: 'satpam.demo', name: 'Satpam Demo', role: 'security' },
] as const;

// Names from syllables: generated, never a real person's. The given name is a bijection of n mod
// 4,096 (three base-16 syllables), so no two of the first 4,096 people share it.
const SYLLABLES = ['ra', 'wi', 'su', 'da', 'na', 'ti', 'ko', 'me', 'lan', 'sa', 'ri', 'yo', 'pu', 'ha', 'ji', 'nur'];
const word = (x: number, len: number): string => {
  let w = '';
  for (let i = 0, rest = x; i < len; i++, rest = Math.floor(rest / 16)) w += SYLLABLES[rest % 16];
  return w.charAt(0).toUpperCase() + w.slice(1);
};
const personName = (n: number): string => `${word((n * 1103) % 4096, 3)} ${word((n * 7 + 5) % 256, 2)}`;

/** Branch wall-clock `HH:MM` of `day` plus `minutes` after 08:00, as an ISO instant. */
function at(day: CalendarDate, zone: BranchZone, minutes: number): string {
  const { y, m, d } = parts(day);
  return new Date(Date.UTC(y, m - 1, d, 8, minutes) - offsetOfZone(zone) * 60_000).toISOString();
}

class DemoError extends Error {
  override name = 'DemoError';
}

async function call<T>(hqUrl: string, method: 'GET' | 'POST', path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(new URL(path, hqUrl), {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(30_000),
  }).catch((err: unknown) => {
    throw new DemoError(`cannot reach HQ at ${hqUrl} (${err instanceof Error ? err.message : String(err)}): start it with npm run hq`);
  });
  const text = await res.text();
  if (!res.ok) throw new DemoError(`HQ answered ${method} ${path} with ${res.status}: ${text.slice(0, 2000)}`);
  return JSON.parse(text) as T;
}

/** Every document of a collection the device's branch holds (a demo branch is small; bounded). */
async function pullAll(hqUrl: string, device: Device, collection: string): Promise<SyncDocument[]> {
  const out: SyncDocument[] = [];
  let checkpoint: Checkpoint | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = new URLSearchParams({ limit: '1000', ...(checkpoint ? { id: checkpoint.id, seq: String(checkpoint.seq) } : {}) });
    const r: PullResponse = await call<PullResponse>(hqUrl, 'GET', `/v1/sync/${collection}/pull?${q.toString()}`, device.token);
    out.push(...r.documents);
    if (!r.checkpoint || (r.documents.length < 1000 && !r.more)) return out;
    checkpoint = r.checkpoint;
  }
  return out;
}

/** Pushes documents as new ones; any refusal or conflict is an error (the demo must validate like a PC's records). */
async function push(hqUrl: string, device: Device, collection: 'tickets' | 'cases' | 'refusals' | 'transfers', docs: readonly object[]): Promise<void> {
  // The shared record schema HQ checks first: a demo record that breaks it is a bug here, said before pushing.
  for (const d of docs) {
    const r = checkRecord(collection, d);
    if (!r.ok) throw new DemoError(`demo ${collection} record does not match its schema: ${r.problems.join('; ')}`);
  }
  for (let i = 0; i < docs.length; i += 100) {
    const rows = docs.slice(i, i + 100).map((d) => ({ assumedMasterState: null, newDocumentState: d }));
    const conflicts = await call<unknown[]>(hqUrl, 'POST', `/v1/sync/${collection}/push`, device.token, rows);
    if (conflicts.length > 0) throw new DemoError(`${conflicts.length} ${collection} conflicted with what HQ holds`);
  }
}

type TicketDoc = {
  id: string;
  branchCode: string;
  service: Service;
  status: string;
  number: string;
  day: string;
  slot: number;
  seq: number;
  nikHash: string;
  issuedAt: string;
  updatedAt: string;
  history: Record<string, unknown>[];
  appointment?: Appointment;
  priority?: PriorityCategory;
};

const STATUS_OF: Record<string, string> = { waiting: 'waiting', called: 'called', serving: 'serving', done: 'done', noShow: 'no-show', transferred: 'transferred' };

/**
 * A ticket of the demo's slot (a fresh id, its number from the service and `seq`) with its machine
 * events on its history (as the desks write them), replayed to check them.
 */
function makeTicket(
  given: Pick<TicketDoc, 'branchCode' | 'service' | 'day' | 'seq' | 'nikHash' | 'issuedAt' | 'appointment' | 'priority'>,
  events: readonly Record<string, unknown>[],
): TicketDoc {
  const base = { id: randomUUID(), ...given, number: formatTicketNumber(SERVICE_LETTER[given.service], DEMO_SLOT, given.seq), slot: DEMO_SLOT };
  const history: Record<string, unknown>[] = [{ status: 'waiting', at: base.issuedAt }];
  const input = { number: base.number, service: base.service, issuedAt: base.issuedAt, config: DEFAULT_QUEUE_CONFIG };
  for (let i = 0; i < events.length; i++) {
    const event = TicketEvent.parse(events[i]);
    const r = replay(ticketMachine, input, events.slice(0, i + 1) as never);
    if (r.rejected) throw new DemoError(`demo ticket ${base.number}: ${r.rejected.reason}: ${r.rejected.detail}`);
    history.push({ status: STATUS_OF[String(r.snapshot.value)], at: event.at, event });
  }
  const last = history[history.length - 1]!;
  return { ...base, status: String(last.status), updatedAt: String(last.at), history };
}

export async function makeDemoData(o: DemoOptions): Promise<DemoResult> {
  const branch = o.branch ?? DEFAULT_DEMO_BRANCH;
  const now = o.now ?? new Date();
  await call(o.hqUrl, 'GET', '/healthz', null);

  const createBranch = async (code: string, name: string) => {
    try {
      await o.admin(['create-branch', code, name]);
    } catch (err) {
      if (!(err instanceof Error && / exists$/.test(err.message))) throw err;
    }
  };
  await createBranch(branch, 'Cabang Demo');
  // The receiving branch of the demo's transfer (the person asked to finish at a branch near home).
  const transferTo = branch === DEMO_TRANSFER_BRANCH ? DEFAULT_DEMO_BRANCH : DEMO_TRANSFER_BRANCH;
  await createBranch(transferTo, 'Cabang Demo Tujuan');
  for (const s of STAFF) await o.admin(['add-staff', branch, s.staffId, ...s.name.split(' '), s.role]);

  // The generator is a device of the branch, enrolled like a PC.
  const code = (await o.admin(['enrol-code', branch])).split('\n')[0]!.trim();
  const deviceId = randomUUID();
  const device = await call<Device>(o.hqUrl, 'POST', '/v1/enrol', null, { code, deviceId, deviceName: 'Data demo (npm run demo-data)' });

  // HQ's rules and zone for the branch, as a PC gets them (its `config` document).
  const config = (await pullAll(o.hqUrl, device, 'config')).find((d) => (d as { key?: unknown }).key === BRANCH_CONFIG_KEY) as { value?: { rules?: unknown } } | undefined;
  const rules = BranchRules.parse(config?.value?.rules);
  const zone: BranchZone = rules.base.zone ?? 'WIB';
  const day = localDateOf(now.toISOString(), zone);
  const caseConfig = rulesOn(rules, day);

  // Numbers go on from the demo slot's last of the day (a second run the same day adds more), and
  // appointments already booked for later days keep their slots.
  const lastSeq = new Map<string, number>();
  const booked = new Map<Service, Appointment[]>(SERVICES.map((s) => [s, []]));
  for (const t of await pullAll(o.hqUrl, device, 'tickets')) {
    const d = t as Partial<TicketDoc>;
    if (d.day === day && d.slot === DEMO_SLOT && d.service) lastSeq.set(d.service, Math.max(lastSeq.get(d.service) ?? 0, d.seq ?? 0));
    if (d.service && d.appointment?.date && d.appointment.date > day) booked.get(d.service)?.push(d.appointment);
  }
  // The door's queue config for the branch: its hours, zone and local closures (no appointment on a closed day).
  const queueConfig = queueConfigFor({ serviceHours: caseConfig.serviceHours, zone }, null, (caseConfig.localClosures ?? []).map((date) => ({ date })));

  const officer = (n: number) => ({ staffId: STAFF[1 + (n % 2)]!.staffId, role: 'officer', deviceId: device.deviceId });
  const tickets: TicketDoc[] = [];
  const cases: Record<string, unknown>[] = [];
  const refusals: Record<string, unknown>[] = [];
  const transfers: Record<string, unknown>[] = [];
  const counts: DemoResult['tickets'] = { waiting: 0, called: 0, serving: 0, done: 0 };
  let priority = 0;
  let appointments = 0;
  const caseCounts = { 'jht-claim': { open: 0, closed: 0 }, 'bpu-resignation': { open: 0, closed: 0 }, 'jmo-reset': { open: 0, closed: 0 } } satisfies DemoResult['cases'];
  // People are numbered on from those of earlier runs the same day (other NIKs, other names).
  let person = [...lastSeq.values()].reduce((a, b) => a + b, 0);

  SERVICES.forEach((service, s) => {
    const counter = String(1 + s);
    for (let k = 0; k < TICKETS_PER_SERVICE; k++) {
      person++;
      const n = person;
      const seq = (lastSeq.get(service) ?? 0) + k + 1;
      const issuedMin = k * 35 + s * 4;
      const actor = officer(k + s);
      // The first three served, then one being served, one called, the rest waiting.
      const stage = k < 3 ? 'done' : k === 3 ? 'serving' : k === 4 ? 'called' : 'waiting';
      const category = k === PRIORITY_TICKET ? PRIORITY_OF[service] : undefined;
      const special = service === 'general' ? undefined : CASE_ENDING[service];
      const ending = special?.k === k ? special.ending : null;
      const { nik, nikHash } = personOf(n, device.nikKey, day, ending === 'notYet' ? 'young' : service === 'jht-claim' ? 'claimAge' : 'working', category);
      const e = (type: string, min: number, extra: object = {}) => ({ type, at: at(day, zone, min), actor, ...extra });
      const ticketEvents =
        stage === 'waiting'
          ? []
          : [e('ticket.called', issuedMin + 12, { counter }), ...(stage === 'called' ? [] : [e('service.started', issuedMin + 13)]), ...(stage === 'done' ? [e('service.finished', issuedMin + 30)] : [])];
      const ticket = makeTicket(
        {
          branchCode: branch,
          service,
          day,
          seq,
          nikHash,
          issuedAt: at(day, zone, issuedMin),
          ...(category ? { priority: category } : {}),
        },
        ticketEvents,
      );
      tickets.push(ticket);
      counts[stage]++;
      if (category) priority++;
      if (service === 'general' || (stage !== 'done' && stage !== 'serving')) continue;

      // The case of a served (closed) or being-served (open) ticket, as the desk's CaseJournal writes it.
      const flow: CaseFlow = service;
      const openedMin = issuedMin + 14;
      const journal = caseJournal(flow, stage === 'done' ? (ending ?? 'closed') : 'open', {
        day,
        n,
        e: (type, i, extra) => e(type, openedMin + 1 + i * 3, extra),
        config: caseConfig,
        transferTo,
      });
      const id = `${branch}-${day.replaceAll('-', '')}-${ticket.number}-${randomUUID().slice(0, 6)}`.toUpperCase();
      const openedAt = at(day, zone, openedMin);
      const input = { openedAt, config: caseConfig, openedBy: actor.staffId, visitStartedAt: ticket.issuedAt, recordedChecks: true as const, caseId: id, nik };
      const replayed = replayCase({ flow, input, events: journal });
      if (replayed.rejected) throw new DemoError(`demo ${flow} case: ${replayed.rejected.reason}: ${replayed.rejected.detail}`);
      const snapshot = storedSnapshot(replayed.snapshot);
      const status = snapshot.status === 'done' ? 'closed' : 'open';
      caseCounts[flow][status]++;
      cases.push({
        id,
        branchCode: branch,
        flow,
        status,
        nikHash,
        person: { nik, name: personName(n), phone: `0812${String(10_000_000 + n).slice(-8)}` },
        input,
        events: journal,
        snapshot,
        journalLength: journal.length,
        openedAt,
        updatedAt: lastAt(journal) ?? openedAt,
        ticketId: ticket.id,
      });
      // A refusal gets its own document for the head's review (renderer CaseJournal.deriveRecords).
      replayed.emitted.forEach((ev, i) => {
        if (ev.type !== 'refusal.recorded') return;
        const r = (ev as unknown as { refusal: { code: string; at: string; actor: unknown } }).refusal;
        refusals.push({ id: `${id}:refusal:${i}`, caseId: id, branchCode: branch, code: r.code, status: 'pending', at: r.at, actor: r.actor, updatedAt: r.at });
      });
      // So does a transfer, from the machine's context (as CaseJournal.deriveRecords writes it).
      const transfer = (snapshot.context as { transfer?: { targetBranch: string; reason: string; slaDeadline: string; at: string } | null }).transfer;
      if (transfer) {
        const { targetBranch, reason, slaDeadline, at: requestedAt } = transfer;
        transfers.push({ id: `${id}:transfer`, caseId: id, fromBranch: branch, toBranch: targetBranch, reason, slaDeadline, status: 'requested', at: requestedAt, updatedAt: requestedAt });
      }
    }

    // Appointments booked at the door today for this service (as TicketDesk.bookAppointment): the
    // earliest free slot on a later open day; for a JHT claim also one on a later date the person
    // asked for, recorded as their choice. Numbered on the day of booking, after the walk-ins.
    const asks: (CalendarDate | undefined)[] = service === 'jht-claim' ? [undefined, addDays(day, 8)] : [undefined];
    asks.forEach((asked, i) => {
      person++;
      const n = person;
      const seq = (lastSeq.get(service) ?? 0) + TICKETS_PER_SERVICE + i + 1;
      const appointment = bookAppointment(service, day, queueConfig, booked.get(service) ?? [], asked);
      booked.get(service)?.push(appointment);
      const { nikHash } = personOf(n, device.nikKey, day, service === 'jht-claim' ? 'claimAge' : 'working');
      tickets.push(
        makeTicket(
          {
            branchCode: branch,
            service,
            day,
            seq,
            nikHash,
            issuedAt: at(day, zone, TICKETS_PER_SERVICE * 35 + s * 4 + i * 6),
            appointment,
          },
          [],
        ),
      );
      appointments++;
    });
  });

  // Tickets first: HQ checks a case's visit start against its ticket, a refusal against its case.
  await push(o.hqUrl, device, 'tickets', tickets);
  await push(o.hqUrl, device, 'cases', cases);
  if (refusals.length > 0) await push(o.hqUrl, device, 'refusals', refusals);
  if (transfers.length > 0) await push(o.hqUrl, device, 'transfers', transfers);

  const forPc = (await o.admin(['enrol-code', branch])).split('\n');
  return {
    branch,
    day,
    zone,
    tickets: counts,
    priority,
    appointments,
    cases: caseCounts,
    refusals: refusals.length,
    transfers: transfers.length,
    staff: STAFF.map(({ staffId, role }) => ({ staffId, role })),
    enrolCode: forPc[0]!.trim(),
    enrolCodeExpires: (/valid until (\S+)\)/.exec(forPc[1] ?? '')?.[1] ?? '').trim(),
  };
}

/** How a case ends: a receipt, still open, refused at the identity check, refused "not yet" (with its appointment), transferred. */
type Stage = 'closed' | 'open' | 'refused' | 'notYet' | 'transferred';

/**
 * A generated person: a NIK of a made-up district whose embedded birth date and sex fit what the
 * demo says of them (old enough for an age-56 claim, under 56 for a "not yet", 60 or more when
 * elderly, a woman of 22–36 when pregnant), and its keyed hash under the branch's key.
 */
function personOf(n: number, nikKey: string, day: CalendarDate, age: 'claimAge' | 'young' | 'working', category?: PriorityCategory): { nik: string; nikHash: string } {
  const years = category === 'elderly' ? 60 + (n % 15) : category === 'pregnant' ? 22 + (n % 15) : age === 'claimAge' ? 57 + (n % 8) : age === 'young' ? 25 + (n % 25) : 24 + (n % 30);
  const sex = category === 'pregnant' ? 'female' : n % 2 ? 'female' : 'male';
  const nik = composeNik({ regionCode: '317101', birthDate: addYears(day, -years), sex, serial: 1 + (n % 9000) });
  return { nik, nikHash: nikHashForBranchKey(nikKey, nik) };
}

/** The slot the door books (shared queue planning, as TicketDesk.bookAppointment): never on a closed day, always inside the hours. */
function bookAppointment(service: Service, today: CalendarDate, config: ReturnType<typeof queueConfigFor>, booked: readonly Appointment[], personAsked?: CalendarDate): Appointment {
  // A later date the person names may be a closed day: they are then asked for the next one (bounded).
  for (let d = 0; d < 14; d++) {
    const asked = personAsked === undefined ? undefined : addDays(personAsked, d);
    const slot = allocateAppointment({ service, today, config, booked, ...(asked ? { personAsked: asked } : {}) });
    if (slot) return slot;
    if (asked === undefined) break;
  }
  throw new DemoError(`no free appointment slot for ${service} from ${today}: the branch has no open day with room in the horizon`);
}

const lastAt = (journal: readonly Record<string, unknown>[]): string | undefined => {
  const at = journal[journal.length - 1]?.at;
  return typeof at === 'string' ? at : undefined;
};

/** A journal each flow's machine accepts: to the receipt (closed), part way (open), or refused at the identity check. */
function caseJournal(
  flow: CaseFlow,
  stage: Stage,
  o: { day: CalendarDate; n: number; e: (type: string, i: number, extra?: object) => Record<string, unknown>; config: CaseConfig; transferTo: string },
): Record<string, unknown>[] {
  const { e, n, day } = o;
  const kpj = `12${String(100_000_000 + n * 7919).slice(-9)}`;
  let all: Record<string, unknown>[];
  let open: number;
  if (stage === 'notYet') {
    // JHT after a resignation 10 days ago: claimable one month after it. The slip gives that date and an appointment on its first open day (as the desk proposes).
    const effectiveDate = addDays(day, -10);
    const first = firstClaimDate('resignation', effectiveDate, o.config.waitingPeriodMonths) ?? day;
    const appointment = firstOpenSlot(o.config.serviceHours, first, (d) => isOpenDay(d, branchCalendar(o.config.localClosures ?? [])));
    if (!appointment) throw new DemoError(`no open day for the "not yet" appointment from ${first}`);
    return [
      e('identity.checked', 0, { ektpPresented: true, ektpMatchesNik: true }),
      e('cause.selected', 1, { cause: 'resignation', effectiveDate }),
      e('refusal.requested', 2, { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment }),
    ];
  }
  if (flow === 'jmo-reset') {
    if (stage === 'refused') {
      return [e('identity.checked', 0, { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false }), e('refusal.requested', 1, { code: 'IDENTITY_NOT_VERIFIED' })];
    }
    all = [
      e('identity.checked', 0, { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }),
      e('contact.updated', 1, { email: `peserta.demo${n}@example.org`, phone: `0813${String(10_000_000 + n).slice(-8)}` }),
      e('reset.requested', 2),
      e('reset.confirmed', 3),
      e('receipt.issued', 4),
    ];
    open = 2;
  } else if (flow === 'jht-claim') {
    all = [
      e('identity.checked', 0, { ektpPresented: true, ektpMatchesNik: true }),
      e('cause.selected', 1, { cause: 'age56' }),
      e('kpj.searched', 2, { results: [{ kpj, balance: 4_250_000 + n * 10_000, registeredOn: '2011-02-01' }] }),
      e('kpj.listConfirmed', 3),
      e('document.presented', 4, { documents: ['savingsBook'] }),
      e('documents.confirmed', 5),
      e('kpj.resolved', 6, { kpj, outcome: { kind: 'paid' } }),
      e('receipt.issued', 7),
    ];
    open = 4;
  } else {
    all = [
      e('identity.checked', 0, { ektpPresented: true, ektpMatchesNik: true }),
      e('bpu.membershipConfirmed', 1, { kpj, billingChannels: [] }),
      e('stop.recorded', 2, { stopDate: day }),
      e('jht.continued', 3),
      e('receipt.issued', 4),
    ];
    open = 2;
  }
  if (stage === 'transferred') {
    // After the first two steps the person asked to finish at another branch (the only reason a
    // case is transferred): a warm transfer, with the receiving branch's deadline ahead.
    const requested = e('transfer.requested', 2, { targetBranch: o.transferTo, reason: 'PERSON_REQUESTED' });
    const slaDeadline = new Date(Date.parse(String(requested.at)) + TRANSFER_SLA_HOURS * 3_600_000).toISOString();
    return [...all.slice(0, 2), { ...requested, slaDeadline }];
  }
  return stage === 'open' ? all.slice(0, open) : all;
}

/** Admin commands the way `npm run hq:admin` runs them: the running HQ's endpoint on PGlite, DATABASE_URL otherwise. */
async function adminOf(env: NodeJS.ProcessEnv): Promise<{ run: (argv: readonly string[]) => Promise<string>; close: () => Promise<void> }> {
  const dataDir = pgliteDataDir(env);
  if (dataDir !== null && !existsSync(join(dataDir, 'PG_VERSION'))) throw new DemoError(`no HQ database in ${dataDir}: start HQ first (npm run hq), then run this again`);
  try {
    const db = await openDatabase(env);
    if (db.kind === 'pglite') {
      await db.close();
      throw new DemoError(`HQ is not running on ${dataDir ?? '.hq-data'}: start it (npm run hq) in another terminal; the PC pulls the demo data from it`);
    }
    return { run: (argv) => runAdminCommand(db, argv), close: () => db.close() };
  } catch (err) {
    if (err instanceof DataFolderInUse) return { run: (argv) => callAdminEndpoint(err.dataDir, argv), close: () => Promise.resolve() };
    throw err;
  }
}

async function cli(): Promise<void> {
  const { values } = parseArgs({ options: { branch: { type: 'string' }, hq: { type: 'string' } } });
  const hqUrl = values.hq ?? `http://127.0.0.1:${process.env.HQ_PORT ?? 4790}`;
  const admin = await adminOf(process.env);
  try {
    const r = await makeDemoData({ hqUrl, admin: admin.run, ...(values.branch ? { branch: values.branch } : {}) });
    const t = r.tickets;
    const c = (f: CaseFlow) => `${r.cases[f].closed} closed, ${r.cases[f].open} open`;
    console.log(
      [
        `Demo data in branch ${r.branch} at ${hqUrl}, for ${formatDay(r.day, 'en')} (${r.zone}); every person generated.`,
        `  ${t.waiting + t.called + t.serving + t.done} tickets in slot ${DEMO_SLOT}: ${t.done} served, ${t.serving} being served, ${t.called} called, ${t.waiting} waiting (${r.priority} of them priority)`,
        `  ${r.appointments} appointments booked for later open days (one on a date the person asked for)`,
        `  cases: JHT claim ${c('jht-claim')}; BPU resignation ${c('bpu-resignation')}; JMO reset ${c('jmo-reset')}`,
        `  ${r.refusals} refusals for the head's review; ${r.transfers} transfer to ${DEMO_TRANSFER_BRANCH} awaiting its decision`,
        `  staff: ${r.staff.map((s) => `${s.staffId} (${s.role})`).join(', ')}`,
        '',
        'To see it: npm run web (or npm start), set up the branch with code ' + `${r.branch} (any PC slot 1–8, your own head account),`,
        `then, signed in as that head, connect to HQ ("Hubungkan ke HQ"): address ${hqUrl}, enrolment code ${r.enrolCode} (one use, valid until ${r.enrolCodeExpires}).`,
      ].join('\n'),
    );
  } finally {
    await admin.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().catch((err: unknown) => {
    console.error(err instanceof DemoError || err instanceof AdminError ? err.message : err);
    process.exitCode = 1;
  });
}
