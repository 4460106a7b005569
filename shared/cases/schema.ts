import { z } from 'zod';
import { BranchCode } from '../branch/schema';
import { CalendarDateSchema, Timestamp } from '../dates';
import { Kpj } from '../identity/kpj';
import { Nik } from '../identity/nik';
import { Role, StaffId } from '../staff/schema';

/** Every flow that has a machine in state-machines/. */
export const FLOWS = ['triage', 'ticket', 'jht-claim', 'bpu-resignation', 'jmo-reset', 'refusal-review'] as const;
export type Flow = (typeof FLOWS)[number];

/** Flows that are cases: they end with a receipt, may be refused through the catalog, never redirected. */
export const CASE_FLOWS = ['jht-claim', 'bpu-resignation', 'jmo-reset'] as const;
export const CaseFlow = z.enum(CASE_FLOWS);
export type CaseFlow = z.infer<typeof CaseFlow>;

/** Services a ticket can be issued for; the letter starts the ticket number (e.g. `A2-017`). */
export const SERVICES = ['jht-claim', 'bpu-resignation', 'jmo-reset', 'general'] as const;
export const Service = z.enum(SERVICES);
export type Service = z.infer<typeof Service>;
export const SERVICE_LETTER: Record<Service, string> = { 'jht-claim': 'A', 'bpu-resignation': 'B', 'jmo-reset': 'C', general: 'D' };

/** Who fired an event, from which enrolled device. */
export const Actor = z.object({ staffId: StaffId, role: Role, deviceId: z.string().min(1).max(64) });
export type Actor = z.infer<typeof Actor>;

const base = { at: Timestamp, actor: Actor };
const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...base, ...shape });

export const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
/**
 * An appointment: the earliest free slot on an open day, or a later date only at the person's
 * request, then recorded as their choice (`chosenByPerson`; DOMAIN "Queue", issue 16).
 */
export const Appointment = z.object({ date: CalendarDateSchema, time: HourMinute, chosenByPerson: z.literal(true).optional() });
export type Appointment = z.infer<typeof Appointment>;

// ---- facts ----------------------------------------------------------------------------------

export const JHT_CAUSES = [
  'age56',
  'resignation',
  'dismissal',
  'contractEnd',
  'bpuStoppedWorking',
  'permanentDisability',
  'leavingIndonesia',
  'death',
  'partial',
] as const;
export const JhtCause = z.enum(JHT_CAUSES);
export type JhtCause = z.infer<typeof JhtCause>;

/** Documents a person can present. A paklaring is one kind of proof of termination, not the only one. */
export const DOCUMENT_KINDS = ['ektp', 'kpjCard', 'savingsBook', 'paklaring', 'otherTerminationProof', 'kk', 'deathCertificate', 'npwp'] as const;
export const DocumentKind = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** Requirements a claim can be missing (what a DOCUMENT_MISSING slip may name). */
export const REQUIRED_DOCUMENTS = ['ektp', 'savingsBook', 'terminationProof', 'kk', 'deathCertificate', 'npwp'] as const;
export const RequiredDocument = z.enum(REQUIRED_DOCUMENTS);
export type RequiredDocument = (typeof REQUIRED_DOCUMENTS)[number];

export const PaidBefore = z.object({ paidOn: CalendarDateSchema, reference: z.string().min(1).max(40) });

/** One KPJ of the claimant as found by the NIK search or presented by the person. Balance in Rupiah. */
export const KpjRecord = z.object({
  kpj: Kpj,
  balance: z.number().int().nonnegative(),
  registeredOn: CalendarDateSchema.optional(),
  /** The employer's unpaid contributions: recorded for follow-up, never a reason to block. */
  employerArrears: z.boolean().optional(),
  /** The balance was already paid out in an earlier claim. */
  paidBefore: PaidBefore.optional(),
});
export type KpjRecord = z.infer<typeof KpjRecord>;

export const KpjOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paid') }),
  z.object({ kind: z.literal('merged'), into: Kpj }),
  /**
   * `reason`: since issue 16 a code of the catalog of pending reasons (shared/policy/pending.ts),
   * checked by the rules module; a string on the wire so journals written before still replay.
   * `note`: the officer's free text, never the reason.
   */
  z.object({
    kind: z.literal('pending'),
    reason: z.string().trim().min(3).max(200),
    followUpOn: CalendarDateSchema,
    note: z.string().trim().max(500).optional(),
  }),
]);
export type KpjOutcome = z.infer<typeof KpjOutcome>;

export const BILLING_CHANNELS = ['autoDebit', 'paymentApp', 'other'] as const;
export const BillingChannel = z.enum(BILLING_CHANNELS);
export type BillingChannel = z.infer<typeof BillingChannel>;

export const OMBUDSMAN_CATEGORIES = [
  'undueDelay',
  'failureToServe',
  'proceduralDeviation',
  'incompetence',
  'solicitingPayment',
  'discrimination',
  'abuseOfAuthority',
  'impropriety',
] as const;
export const OmbudsmanCategory = z.enum(OMBUDSMAN_CATEGORIES);
export type OmbudsmanCategory = z.infer<typeof OmbudsmanCategory>;
export const OMBUDSMAN_CATEGORY_TITLES: Record<OmbudsmanCategory, { id: string; en: string }> = {
  undueDelay: { id: 'Penundaan berlarut', en: 'Undue delay' },
  failureToServe: { id: 'Tidak memberikan pelayanan', en: 'Failure to serve' },
  proceduralDeviation: { id: 'Penyimpangan prosedur', en: 'Procedural deviation' },
  incompetence: { id: 'Tidak kompeten', en: 'Incompetence' },
  solicitingPayment: { id: 'Permintaan imbalan', en: 'Soliciting payment' },
  discrimination: { id: 'Diskriminasi', en: 'Discrimination' },
  abuseOfAuthority: { id: 'Penyalahgunaan wewenang', en: 'Abuse of authority' },
  impropriety: { id: 'Tidak patut', en: 'Impropriety' },
};

export const FOLLOW_UPS = ['callBack', 'reopenCase', 'appointment'] as const;
export const FollowUp = z.enum(FOLLOW_UPS);
export type FollowUp = z.infer<typeof FollowUp>;

// ---- events shared by the case flows ----------------------------------------------------------

/** `code` is any string on the wire so that invented reasons can be recorded as attempts. */
export const RefusalRequested = ev('refusal.requested', {
  code: z.string().min(1).max(64),
  /** For DOCUMENT_MISSING: the documents the officer says are missing. */
  documents: z.array(z.string().max(40)).max(10).optional(),
  appointment: Appointment.optional(),
});
export const TRANSFER_REASONS = ['PERSON_REQUESTED'] as const;
export const TransferRequested = ev('transfer.requested', {
  targetBranch: BranchCode,
  /** Any string on the wire; only PERSON_REQUESTED is accepted for the case flows. */
  reason: z.string().min(1).max(64),
  slaDeadline: Timestamp,
});
export const CaseWithdrawn = ev('case.withdrawn', {});
export const ReceiptIssued = ev('receipt.issued', {});
export const IdentityChecked = ev('identity.checked', {
  ektpPresented: z.boolean(),
  ektpMatchesNik: z.boolean(),
  /** JMO reset: the KPJ given belongs to this NIK. */
  kpjMatchesNik: z.boolean().optional(),
});

const caseCommon = [RefusalRequested, TransferRequested, CaseWithdrawn, ReceiptIssued, IdentityChecked] as const;

// ---- JHT claim --------------------------------------------------------------------------------

export const JhtClaimEvent = z.discriminatedUnion('type', [
  ...caseCommon,
  ev('cause.selected', {
    cause: JhtCause,
    /** Effective date of the resignation, dismissal, contract end or BPU stop. */
    effectiveDate: CalendarDateSchema.optional(),
    partial: z
      .object({
        percent: z.union([z.literal(10), z.literal(30)]),
        membershipSince: CalendarDateSchema,
        /** The partial claim is for people still working (Permenaker 4/2022). */
        stillWorking: z.boolean(),
        /** A partial claim is paid once: an earlier one on record closes this path. */
        earlierPartialClaim: z.boolean(),
      })
      .optional(),
  }),
  ev('kpj.searched', { results: z.array(KpjRecord).max(20) }),
  ev('kpj.added', { record: KpjRecord }),
  /** A KPJ typed by mistake, taken out before the NIK search is recorded (issue 16 pt 14). */
  ev('kpj.removed', { kpj: Kpj }),
  ev('kpj.listConfirmed', {}),
  ev('document.presented', { documents: z.array(DocumentKind).min(1).max(DOCUMENT_KINDS.length) }),
  /** The officer records, requirement by requirement, that a document was not presented (never presumed). */
  ev('document.notPresented', { documents: z.array(RequiredDocument).min(1).max(REQUIRED_DOCUMENTS.length) }),
  ev('documents.confirmed', {}),
  ev('kpj.resolved', { kpj: Kpj, outcome: KpjOutcome }),
]);
export type JhtClaimEvent = z.infer<typeof JhtClaimEvent>;

// ---- BPU resignation --------------------------------------------------------------------------

export const BpuResignationEvent = z.discriminatedUnion('type', [
  ...caseCommon,
  ev('bpu.membershipConfirmed', { kpj: Kpj, billingChannels: z.array(BillingChannel).max(3) }),
  ev('bpu.membershipNotFound', {}),
  ev('stop.recorded', { stopDate: CalendarDateSchema }),
  ev('billingStop.recorded', { channel: BillingChannel, instruction: z.string().trim().min(3).max(200) }),
  ev('jht.continued', {}),
  ev('jht.declined', {}),
]);
export type BpuResignationEvent = z.infer<typeof BpuResignationEvent>;

// ---- JMO reset --------------------------------------------------------------------------------

export const Email = z.email();
/** Indonesian mobile number: 08… or +628…, 10–13 digits after the prefix's 0. */
export const MobilePhone = z.string().regex(/^(\+62|0)8\d{8,11}$/, 'Nomor HP tidak valid');

export const JmoResetEvent = z.discriminatedUnion('type', [
  ...caseCommon,
  // Contact data is validated by the guard, not here, so a typo is visible as a rejected event.
  ev('contact.updated', { email: z.string().max(254), phone: z.string().max(20) }),
  ev('reset.requested', {}),
  ev('reset.confirmed', {}),
]);
export type JmoResetEvent = z.infer<typeof JmoResetEvent>;

// ---- triage, ticket, review -------------------------------------------------------------------

/**
 * Priority service (UU 25/2009 Art. 29, special treatment): the category only, no further personal
 * data. Priority tickets are called first.
 */
export const PRIORITY_CATEGORIES = ['disability', 'elderly', 'pregnant', 'smallChild'] as const;
export const PriorityCategory = z.enum(PRIORITY_CATEGORIES);
export type PriorityCategory = z.infer<typeof PriorityCategory>;

const TicketNumber = z.string().regex(/^[A-D]\d-\d{3,}$/);
/** An appointment slip's QR: the appointment's ticket id, branch:day-of-booking:number (no personal data). */
export const SlipReference = z.string().regex(/^[A-Z0-9]{2,10}:\d{4}-\d{2}-\d{2}:[A-D]\d-\d{3,7}$/);

export const TriageEvent = z.discriminatedUnion('type', [
  ev('need.stated', { need: z.union([Service, z.literal('info')]) }),
  ev('ticket.issued', { service: Service, nik: Nik, number: TicketNumber, priority: PriorityCategory.optional() }),
  ev('appointment.booked', { service: Service, nik: Nik, appointment: Appointment }),
  /** An appointment holder checked in on their day: their appointment becomes their ticket (issue 16). */
  ev('appointment.checkedIn', { service: Service, nik: Nik, number: TicketNumber, priority: PriorityCategory.optional() }),
  /**
   * Issue 21: an appointment holder checked in on the scan of their slip's QR alone, no NIK typed.
   * `reference` is what the QR holds (the appointment's ticket id, branch:day:number); `appointment`
   * and `held` are the appointment as the branch holds it when scanned (waiting for its holder,
   * already checked in, or closed: served, gone, transferred); `nikHash` is the holder's, recorded at
   * booking. Identity is checked at the counter, as for everyone.
   */
  ev('appointment.checkedInBySlip', {
    service: Service,
    reference: SlipReference,
    number: TicketNumber,
    nikHash: z.string().regex(/^[0-9a-f]{64}$/),
    appointment: Appointment,
    held: z.enum(['waiting', 'checkedIn', 'closed']),
    priority: PriorityCategory.optional(),
  }),
  ev('info.asked', { topic: z.string().min(1).max(40) }),
  ev('visit.ended', {}),
  /**
   * The person declined the ticket or appointment offered for the service they asked for; `info`
   * is what they were told (info catalog topics), printed for them (issue 16).
   */
  ev('visit.declined', { service: Service, offered: z.enum(['ticket', 'appointment']), info: z.array(z.string().min(1).max(40)).max(20) }),
]);
export type TriageEvent = z.infer<typeof TriageEvent>;

export const TicketEvent = z.discriminatedUnion('type', [
  ev('ticket.called', { counter: z.string().min(1).max(8) }),
  ev('ticket.recalled', {}),
  // `rule`: judged by the spaced-calls rule (issue 16). Histories written before it lack the field
  // and are held to the rule of their day (three calls), so they still replay.
  ev('ticket.noShowMarked', { rule: z.literal('spacedCalls').optional() }),
  /** The person came back the same day: the no-show ticket returns to the queue (same number). */
  ev('ticket.returned', {}),
  ev('service.started', {}),
  ev('service.finished', {}),
  ev('ticket.transferred', { toService: Service }),
]);
export type TicketEvent = z.infer<typeof TicketEvent>;

export const RefusalReviewEvent = z.discriminatedUnion('type', [
  ev('review.upheld', { note: z.string().max(500).optional() }),
  ev('review.overturned', {
    category: OmbudsmanCategory,
    followUp: FollowUp,
    appointment: Appointment.optional(),
    note: z.string().max(500).optional(),
  }),
]);
export type RefusalReviewEvent = z.infer<typeof RefusalReviewEvent>;

export const EVENT_SCHEMAS = {
  triage: TriageEvent,
  ticket: TicketEvent,
  'jht-claim': JhtClaimEvent,
  'bpu-resignation': BpuResignationEvent,
  'jmo-reset': JmoResetEvent,
  'refusal-review': RefusalReviewEvent,
} as const satisfies Record<Flow, z.ZodType>;

/** One line of a case journal: append-only, ordered by `seq` per case. */
export const JournalEntry = z.object({
  caseId: z.string().min(1).max(64),
  flow: z.enum(FLOWS),
  seq: z.number().int().nonnegative(),
  event: z.looseObject({ type: z.string(), at: Timestamp, actor: Actor }),
});
export type JournalEntry = z.infer<typeof JournalEntry>;
