import { transition, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import { HOLIDAYS_2026 } from '@shared/calendar/holidays-2026';
import { HOLIDAYS_2027 } from '@shared/calendar/holidays-2027';
import type { Actor } from '@shared/cases/schema';

/**
 * An oracle for the model-based walks, of their own: which refusal reasons must hold and which
 * must not, in a case machine's state, written from ../shared/DOMAIN.md and NOT from
 * shared/policy or shared/cases/rules (nothing here calls `checkRefusal`, the facts builders or the
 * rules module; only the holiday list is read, as data). A bug in the catalog's guards or in a
 * machine's facts then shows up as a disagreement between the machine and this table.
 *
 * Each row: the code, the DOMAIN.md section it comes from, and when it holds, judged on what the
 * officer recorded in the case (the machine's context fields, read raw).
 */

type Ctx = Record<string, unknown> & {
  config: { serviceHours: Record<string, { open: string; close: string } | null>; zone?: string; waitingPeriodMonths: number; retirementAge: number; npwpThreshold: number; localClosures?: string[] };
  recordedChecks?: true;
  visitStartedAt?: string;
};
type Flow = 'jht-claim' | 'bpu-resignation' | 'jmo-reset';

/** What the oracle expects of one code in one state; `request` is the refusal it would ask for. */
export interface Expectation {
  code: string;
  holds: boolean;
  /** Requests that must be accepted (when `holds`) or must all be rejected (when not). */
  requests: Array<Record<string, unknown>>;
  /** Requests that must be rejected even when the code holds (e.g. naming a document not recorded missing). */
  rejected: Array<Record<string, unknown>>;
}

// ---- Dates and clocks, computed here (DOMAIN "Time and calendar") ----
const OFFSET: Record<string, number> = { WIB: 7, WITA: 8, WIT: 9 };
function local(at: string, zone = 'WIB'): { date: string; time: string; weekday: number } {
  const d = new Date(Date.parse(at) + (OFFSET[zone] ?? 7) * 3_600_000);
  const iso = d.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: d.getUTCDay() };
}
const weekdayOfDate = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const DAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
function plusDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
/** Same day n months later; a day the month lacks becomes the month's last day. */
function plusMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
/** NIK `PPKKCC DDMMYY SSSS`, women day + 40; the century that puts the birth date in the past (DOMAIN "Identifiers"). */
function birthDateOfNik(nik: string, today: string): string {
  let day = Number(nik.slice(6, 8));
  if (day > 40) day -= 40;
  const month = nik.slice(8, 10);
  const yy = nik.slice(10, 12);
  const in2000s = `20${yy}-${month}-${String(day).padStart(2, '0')}`;
  return in2000s <= today ? in2000s : `19${yy}-${month}-${String(day).padStart(2, '0')}`;
}

/** Closed days: Saturday, Sunday, the shipped national list (data) and the branch's local closures. */
const NATIONAL = new Set([...HOLIDAYS_2026.days, ...HOLIDAYS_2027.days].map((d) => d.date));
function openDay(date: string, c: Ctx): boolean {
  const wd = weekdayOfDate(date);
  return wd !== 0 && wd !== 6 && !NATIONAL.has(date) && !(c.config.localClosures ?? []).includes(date) && c.config.serviceHours[DAY_KEYS[wd]!] != null;
}
/** A guaranteed appointment: the first open day on or after `from`, at its opening time. */
function appointmentFrom(from: string, c: Ctx): { date: string; time: string } {
  let d = from;
  while (!openDay(d, c)) d = plusDays(d, 1);
  return { date: d, time: c.config.serviceHours[DAY_KEYS[weekdayOfDate(d)]!]!.open };
}
/** A day that is not open (for the "never on a closed day" probe): the first Sunday after `from`. */
function closedDayFrom(from: string): string {
  let d = plusDays(from, 1);
  while (weekdayOfDate(d) !== 0) d = plusDays(d, 1);
  return d;
}

// ---- Documents (DOMAIN "JHT claim — Permenaker 4/2022", Documents) ----
const TERMINATION_CAUSES = ['resignation', 'dismissal', 'contractEnd'];
function requiredDocuments(c: Ctx): string[] {
  const cause = c.cause as string;
  const docs = ['ektp', 'savingsBook'];
  if (TERMINATION_CAUSES.includes(cause)) docs.push('terminationProof');
  if (cause === 'death') docs.push('kk', 'deathCertificate');
  // NPWP only when the amount paid in this claim exceeds the threshold (partial: its share).
  const kpjs = c.kpjs as Array<{ balance: number; paidBefore?: unknown }>;
  const balance = kpjs.filter((k) => k.paidBefore === undefined).reduce((s, k) => s + k.balance, 0);
  const partial = c.partial as { percent: number } | null;
  const paid = c.recordedChecks && partial ? Math.floor((balance * partial.percent) / 100) : balance;
  if (paid > c.config.npwpThreshold) docs.push('npwp');
  return docs;
}
function presentedDocuments(c: Ctx): Set<string> {
  const docs = new Set(c.documents as string[]);
  const id = c.identity as { ektpPresented: boolean; ektpMatchesNik: boolean } | null;
  if (id?.ektpPresented && id.ektpMatchesNik) docs.add('ektp'); // the e-KTP checked at the identity step
  if (docs.has('paklaring') || docs.has('otherTerminationProof')) docs.add('terminationProof'); // any proof, not only a paklaring
  return docs;
}

// ---- The table ----
interface Row {
  code: string;
  /** DOMAIN.md section the row is written from. */
  source: string;
  flows: readonly Flow[];
  holds: (c: Ctx, flow: Flow, today: string, at: string) => boolean;
}

export const ORACLE: readonly Row[] = [
  {
    code: 'IDENTITY_NOT_VERIFIED',
    source: 'DOMAIN "Refusals": no e-KTP presented, or it does not match the NIK; only after a recorded identity check outcome',
    flows: ['jht-claim', 'bpu-resignation', 'jmo-reset'],
    holds: (c) => {
      const id = c.identity as { ektpPresented: boolean; ektpMatchesNik: boolean; kpjMatchesNik?: boolean } | null;
      return id !== null && (id.ektpPresented === false || id.ektpMatchesNik === false || id.kpjMatchesNik === false);
    },
  },
  {
    code: 'WAITING_PERIOD_NOT_ELAPSED',
    source: 'DOMAIN "JHT claim": resignation/dismissal claimable 1 month (config) after the effective date; "Refusals" table',
    flows: ['jht-claim'],
    holds: (c, _f, today) =>
      (c.cause === 'resignation' || c.cause === 'dismissal') && typeof c.effectiveDate === 'string' && plusMonths(c.effectiveDate, c.config.waitingPeriodMonths) > today,
  },
  {
    code: 'DOCUMENT_MISSING',
    source: 'DOMAIN "Refusals": a required document not presented; checks recorded, never presumed (only documents recorded as not presented)',
    flows: ['jht-claim'],
    holds: (c) => documentsMissingForRefusal(c).length > 0,
  },
  {
    code: 'ALREADY_PAID',
    source: 'DOMAIN "Refusals": the KPJ\'s balance is already paid out (every listed KPJ; one still unpaid is claimed)',
    flows: ['jht-claim'],
    holds: (c) => {
      const kpjs = c.kpjs as Array<{ paidBefore?: unknown }>;
      return kpjs.length > 0 && kpjs.every((k) => k.paidBefore !== undefined);
    },
  },
  {
    code: 'NOT_A_PARTICIPANT',
    source: 'DOMAIN "Refusals": no KPJ found for the NIK (after the membership search ran)',
    flows: ['jht-claim', 'bpu-resignation'],
    holds: (c, flow) => (flow === 'jht-claim' ? c.kpjSearchDone === true && (c.kpjs as unknown[]).length === 0 : c.participantFound === false),
  },
  {
    code: 'OUTSIDE_SERVICE_HOURS',
    source: 'DOMAIN "Queue"/"Refusals": the visit began (ticket taken) while the branch was closed per its published hours',
    flows: ['jht-claim', 'bpu-resignation', 'jmo-reset'],
    holds: (c, _f, _today, at) => {
      const began = local(c.visitStartedAt ?? at, c.config.zone);
      const hours = c.config.serviceHours[DAY_KEYS[began.weekday]!];
      return !hours || began.time < hours.open || began.time >= hours.close;
    },
  },
  {
    code: 'AGE_NOT_REACHED',
    source: 'DOMAIN "Refusals"/"JHT claim": cause age 56 and the person is not 56 yet on the visit date (birth date from the NIK)',
    flows: ['jht-claim'],
    // Cases opened before issue 16 (no recordedChecks) ended such a claim as "not yet eligible" without it.
    holds: (c, _f, today) => c.recordedChecks === true && c.cause === 'age56' && plusYearsDate(birthDateOfNik(c.nik as string, today), c.config.retirementAge) > today,
  },
];

function plusYearsDate(date: string, n: number): string {
  return plusMonths(date, n * 12);
}

/** The documents a DOCUMENT_MISSING slip may name now (only in the documents step of a claim with a cause). */
function documentsMissingForRefusal(c: Ctx): string[] {
  if (!c.documentsStage || !c.cause) return [];
  const have = presentedDocuments(c);
  const missing = requiredDocuments(c).filter((d) => !have.has(d));
  // Recorded checks: only what the officer recorded, document by document, as not presented.
  return c.recordedChecks ? missing.filter((d) => ((c.notPresented as string[] | undefined) ?? []).includes(d)) : missing;
}

/** The "not yet" and "outside hours" codes carry a guaranteed appointment on an open day. */
function appointmentFor(code: string, c: Ctx, today: string): { date: string; time: string } | undefined {
  if (code === 'WAITING_PERIOD_NOT_ELAPSED' && typeof c.effectiveDate === 'string') return appointmentFrom(plusMonths(c.effectiveDate, c.config.waitingPeriodMonths), c);
  if (code === 'AGE_NOT_REACHED') return appointmentFrom(plusYearsDate(birthDateOfNik(c.nik as string, today), c.config.retirementAge), c);
  if (code === 'OUTSIDE_SERVICE_HOURS') return appointmentFrom(plusDays(today, 1), c);
  return undefined;
}

/** The oracle's expectation for every code in one state, for a refusal asked at `at`. */
export function expectations(flow: Flow, context: unknown, at: string): Expectation[] {
  const c = context as Ctx;
  const today = local(at, c.config.zone).date;
  return ORACLE.map((row) => {
    const holds = row.flows.includes(flow) && row.holds(c, flow, today, at);
    const appointment = appointmentFor(row.code, c, today);
    const base = { code: row.code, ...(appointment ? { appointment } : {}) };
    const requests: Array<Record<string, unknown>> = [];
    const rejected: Array<Record<string, unknown>> = [];
    if (row.code === 'DOCUMENT_MISSING') {
      const missing = documentsMissingForRefusal(c);
      requests.push({ ...base, documents: missing.length ? missing : ['savingsBook'] });
      // Naming a document that is not among those may never refuse.
      for (const d of ['ektp', 'savingsBook', 'terminationProof', 'kk', 'deathCertificate', 'npwp']) if (!missing.includes(d)) rejected.push({ ...base, documents: [d] });
    } else {
      requests.push(base);
      if (appointment) {
        // Never on a closed day, never before the first date the person can claim.
        rejected.push({ ...base, appointment: { date: closedDayFrom(appointment.date), time: appointment.time } });
        if (row.code !== 'OUTSIDE_SERVICE_HOURS') rejected.push({ ...base, appointment: { date: plusDays(appointment.date, -1), time: appointment.time } });
      }
    }
    return { code: row.code, holds, requests, rejected };
  });
}

export interface OracleDisagreement {
  state: string;
  code: string;
  message: string;
}

/**
 * Asks the machine, in `snap`, for each refusal the oracle names (as `actor`, an officer) and
 * compares what it accepts with the table. A security guard may never refuse at all.
 */
export function compareWithOracle(
  flow: Flow,
  machine: AnyStateMachine,
  snap: unknown,
  at: string,
  actor: Actor,
  guard: Actor,
  /** Codes the table said hold in some judged state (so a walk can show the oracle is not vacuous). */
  held?: Set<string>,
): OracleDisagreement[] {
  const s = snap as { status: string; value: unknown; context: Ctx };
  if (s.status !== 'active') return [];
  const state = typeof s.value === 'string' ? s.value : JSON.stringify(s.value);
  const accepted = (request: Record<string, unknown>, who: Actor) => {
    const [next] = transition(machine, snap as SnapshotFrom<AnyStateMachine>, { type: 'refusal.requested', at, actor: who, ...request });
    return (next as unknown as { value: unknown }).value === 'refused';
  };
  const out: OracleDisagreement[] = [];
  for (const e of expectations(flow, s.context, at)) {
    if (e.holds) held?.add(e.code);
    for (const r of e.requests) {
      if (accepted(r, actor) !== e.holds) out.push({ state, code: e.code, message: `${e.holds ? 'must hold but was refused' : 'must not hold but was accepted'}: ${JSON.stringify(r)}` });
      if (accepted(r, guard)) out.push({ state, code: e.code, message: 'accepted from a security guard' });
    }
    for (const r of e.rejected) if (accepted(r, actor)) out.push({ state, code: e.code, message: `accepted a request it must reject: ${JSON.stringify(r)}` });
  }
  return out;
}
