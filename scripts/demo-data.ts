// `npm run demo-data` (issue 19 pt 7): fills a branch at the local HQ with generated people and a
// day of tickets and cases, so a newcomer sees a working branch. In browser mode the database is
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
import { BranchRules, rulesOn } from '../shared/cases/branch-rules';
import { DEFAULT_QUEUE_CONFIG } from '../shared/cases/config';
import { SERVICE_LETTER, SERVICES, TicketEvent, type CaseFlow, type Service } from '../shared/cases/schema';
import { addYears, localDateOf, offsetOfZone, parts, type BranchZone, type CalendarDate } from '../shared/dates';
import { formatDay } from '../shared/i18n/format';
import { composeNik } from '../shared/identity/nik';
import { formatTicketNumber } from '../shared/queue/ticket-numbers';
import { BRANCH_CONFIG_KEY, type Checkpoint, type PullResponse, type SyncDocument } from '../shared/sync/protocol';
import { replay, replayCase, storedSnapshot, ticketMachine } from '../state-machines';

export const DEFAULT_DEMO_BRANCH = 'DEMO01';
/** The ticket slot the demo's tickets are numbered in (A9-001 …): a PC set up as slot 1–8 never clashes. */
export const DEMO_SLOT = 9;
const TICKETS_PER_SERVICE = 8;
const MAX_PAGES = 100;

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
  tickets: Record<'waiting' | 'called' | 'serving' | 'done', number>;
  cases: Record<CaseFlow, { open: number; closed: number }>;
  refusals: number;
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
async function push(hqUrl: string, device: Device, collection: string, docs: readonly object[]): Promise<void> {
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
};

const STATUS_OF: Record<string, string> = { waiting: 'waiting', called: 'called', serving: 'serving', done: 'done', noShow: 'no-show', transferred: 'transferred' };

/** A ticket with its machine events on its history (as the desks write them), replayed to check them. */
function makeTicket(base: Omit<TicketDoc, 'status' | 'updatedAt' | 'history'>, events: readonly Record<string, unknown>[]): TicketDoc {
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

  try {
    await o.admin(['create-branch', branch, 'Cabang Demo']);
  } catch (err) {
    if (!(err instanceof Error && / exists$/.test(err.message))) throw err;
  }
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

  // Numbers go on from the demo slot's last of the day (a second run the same day adds more).
  const lastSeq = new Map<string, number>();
  for (const t of await pullAll(o.hqUrl, device, 'tickets')) {
    const d = t as Partial<TicketDoc>;
    if (d.day === day && d.slot === DEMO_SLOT && d.service) lastSeq.set(d.service, Math.max(lastSeq.get(d.service) ?? 0, d.seq ?? 0));
  }

  const officer = (n: number) => ({ staffId: STAFF[1 + (n % 2)]!.staffId, role: 'officer', deviceId: device.deviceId });
  const tickets: TicketDoc[] = [];
  const cases: Record<string, unknown>[] = [];
  const refusals: Record<string, unknown>[] = [];
  const counts: DemoResult['tickets'] = { waiting: 0, called: 0, serving: 0, done: 0 };
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
      const birthDate = addYears(day, -(service === 'jht-claim' ? 57 + (n % 8) : 24 + (n % 30)));
      const nik = composeNik({ regionCode: '317101', birthDate, sex: n % 2 ? 'female' : 'male', serial: 1 + (n % 9000) });
      const nikHash = nikHashForBranchKey(device.nikKey, nik);
      const e = (type: string, min: number, extra: object = {}) => ({ type, at: at(day, zone, min), actor, ...extra });
      const ticketEvents =
        stage === 'waiting'
          ? []
          : [e('ticket.called', issuedMin + 12, { counter }), ...(stage === 'called' ? [] : [e('service.started', issuedMin + 13)]), ...(stage === 'done' ? [e('service.finished', issuedMin + 30)] : [])];
      const ticket = makeTicket(
        { id: randomUUID(), branchCode: branch, service, number: formatTicketNumber(SERVICE_LETTER[service], DEMO_SLOT, seq), day, slot: DEMO_SLOT, seq, nikHash, issuedAt: at(day, zone, issuedMin) },
        ticketEvents,
      );
      tickets.push(ticket);
      counts[stage]++;
      if (service === 'general' || (stage !== 'done' && stage !== 'serving')) continue;

      // The case of a served (closed) or being-served (open) ticket, as the desk's CaseJournal writes it.
      const flow: CaseFlow = service;
      const openedMin = issuedMin + 14;
      const journal = caseJournal(flow, stage === 'done' ? (k === 2 && flow === 'jmo-reset' ? 'refused' : 'closed') : 'open', { day, n, e: (type, i, extra) => e(type, openedMin + 1 + i * 3, extra) });
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
    }
  });

  // Tickets first: HQ checks a case's visit start against its ticket, a refusal against its case.
  await push(o.hqUrl, device, 'tickets', tickets);
  await push(o.hqUrl, device, 'cases', cases);
  if (refusals.length > 0) await push(o.hqUrl, device, 'refusals', refusals);

  const forPc = (await o.admin(['enrol-code', branch])).split('\n');
  return {
    branch,
    day,
    zone,
    tickets: counts,
    cases: caseCounts,
    refusals: refusals.length,
    staff: STAFF.map(({ staffId, role }) => ({ staffId, role })),
    enrolCode: forPc[0]!.trim(),
    enrolCodeExpires: (/valid until (\S+)\)/.exec(forPc[1] ?? '')?.[1] ?? '').trim(),
  };
}

type Stage = 'closed' | 'open' | 'refused';

const lastAt = (journal: readonly Record<string, unknown>[]): string | undefined => {
  const at = journal[journal.length - 1]?.at;
  return typeof at === 'string' ? at : undefined;
};

/** A journal each flow's machine accepts: to the receipt (closed), part way (open), or refused at the identity check. */
function caseJournal(flow: CaseFlow, stage: Stage, o: { day: CalendarDate; n: number; e: (type: string, i: number, extra?: object) => Record<string, unknown> }): Record<string, unknown>[] {
  const { e, n, day } = o;
  const kpj = `12${String(100_000_000 + n * 7919).slice(-9)}`;
  let all: Record<string, unknown>[];
  let open: number;
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
        `  ${t.waiting + t.called + t.serving + t.done} tickets in slot ${DEMO_SLOT}: ${t.done} served, ${t.serving} being served, ${t.called} called, ${t.waiting} waiting`,
        `  cases: JHT claim ${c('jht-claim')}; BPU resignation ${c('bpu-resignation')}; JMO reset ${c('jmo-reset')}`,
        `  ${r.refusals} refusal for the head's review; staff: ${r.staff.map((s) => `${s.staffId} (${s.role})`).join(', ')}`,
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
