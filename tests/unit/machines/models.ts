import type { AnyStateMachine } from 'xstate';
import type { Flow } from '@shared/cases/schema';
import { bpuResignationMachine } from '@state-machines/bpu-resignation.machine';
import { jhtClaimMachine, type JhtClaimContext } from '@state-machines/jht-claim.machine';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { refusalReviewMachine } from '@state-machines/refusal-review.machine';
import { ticketMachine, type TicketContext } from '@state-machines/ticket.machine';
import { triageMachine, type TriageContext } from '@state-machines/triage.machine';
import {
  AT,
  K1,
  K2,
  K3,
  NIK_56,
  admin,
  caseInput,
  ev,
  head,
  makeNik,
  officer,
  queueConfig,
  refusalEvents,
  sampleRefusal,
  security,
  transferEvents,
  wib,
} from './fixtures';

type WalkEvent = { type: string; at: string; actor: typeof officer } & Record<string, unknown>;

/**
 * One model per machine for the graph walk: representative payloads per event type, and an
 * abstraction of the snapshot that bounds the walk (histories such as timelines and invalid
 * attempts are left out, so loops do not make new vertices).
 */
export interface Model {
  /** Label for the report; several models may walk one flow. */
  name?: string;
  flow: Flow;
  machine: AnyStateMachine;
  inputs: Array<Record<string, unknown>>;
  events: WalkEvent[];
  abstract: (snap: { value: unknown; context: never }) => unknown;
  /**
   * Partial-order reduction: events that commute (resolving KPJ one by one, presenting
   * documents) are walked in one canonical order instead of every permutation.
   */
  filter?: (snap: { value: unknown; context: never }, event: WalkEvent) => boolean;
}

/** A branch that closes at 09:30 on Mondays: the walk's 10:00 events happen after hours. */
const AFTER_HOURS_CONFIG = { ...caseInput.config, serviceHours: { ...caseInput.config.serviceHours, mon: { open: '08:00', close: '09:30' } } };

/** Issue 16: the visit began at 09:00 (inside AFTER_HOURS_CONFIG's 08:00–09:30), checks recorded. */
const VISIT_IN_HOURS = { visitStartedAt: wib('2026-03-02', '09:00'), recordedChecks: true as const };

const K1_PAID = { ...K1, paidBefore: { paidOn: '2024-05-06', reference: 'PAY-778' } };

const common = (): WalkEvent[] => [
  ...refusalEvents(officer),
  ...refusalEvents(security).slice(0, 1),
  ...transferEvents(officer),
  ...transferEvents(security),
  ev('case.withdrawn', {}),
];

export const MODELS: Model[] = [
  {
    flow: 'triage',
    machine: triageMachine,
    inputs: [
      { config: queueConfig, issuedToday: { 'jht-claim': 3 } },
      // Issue 21: a door of branch UJI01, whose appointment slips check their holders in on the scan alone.
      { config: queueConfig, issuedToday: { 'jht-claim': 120 }, branchCode: 'UJI01' },
      // Issue 16 pt 10: the head closed the branch on Wednesday 4 March (a local closure).
      { config: { ...queueConfig, localClosures: ['2026-03-04'] }, issuedToday: { 'jht-claim': 120 } },
    ],
    events: [
      ev('need.stated', { need: 'jht-claim' }, security),
      ev('need.stated', { need: 'info' }, security),
      ev('ticket.issued', { service: 'jht-claim', nik: NIK_56, number: 'A1-004' }, security),
      ev('ticket.issued', { service: 'jht-claim', nik: '3171019999990001', number: 'A1-005' }, security),
      ev('ticket.issued', { service: 'jht-claim', nik: NIK_56, number: 'C1-007' }, security),
      ev('ticket.issued', { service: 'jht-claim', nik: NIK_56, number: 'A1-006' }, admin),
      ev('appointment.booked', { service: 'jht-claim', nik: NIK_56, appointment: { date: '2026-03-03', time: '09:00' } }, security),
      ev('appointment.booked', { service: 'jht-claim', nik: NIK_56, appointment: { date: '2026-03-02', time: '14:00' } }, security),
      // Closed days (invariant noAppointmentOnClosedDay): joint leave for Idul Fitri; a local closure in the third input.
      ev('appointment.booked', { service: 'jht-claim', nik: NIK_56, appointment: { date: '2026-03-20', time: '09:00' } }, security),
      ev('appointment.booked', { service: 'jht-claim', nik: NIK_56, appointment: { date: '2026-03-04', time: '09:00' } }, security),
      ev('info.asked', { topic: 'jmoReset' }, security),
      ev('info.asked', { topic: 'madeUp' }, security),
      ev('visit.ended', {}, security),
      // Issue 16: priority, appointment check-in, "declined by the person".
      ev('ticket.issued', { service: 'jht-claim', nik: NIK_56, number: 'A1-008', priority: 'pregnant' }, security),
      ev('appointment.checkedIn', { service: 'jht-claim', nik: NIK_56, number: 'A1-002' }, security),
      // Issue 21: today's appointment slip of UJI01 scanned (taken only at its door), and one already checked in.
      ev('appointment.checkedInBySlip', { service: 'jht-claim', reference: 'UJI01:2026-02-27:A1-002', number: 'A1-002', nikHash: 'ab'.repeat(32), appointment: { date: '2026-03-02', time: '09:00' }, held: 'waiting' }, security),
      ev('appointment.checkedInBySlip', { service: 'jht-claim', reference: 'UJI01:2026-02-27:A1-003', number: 'A1-003', nikHash: 'cd'.repeat(32), appointment: { date: '2026-03-02', time: '09:00' }, held: 'checkedIn' }, security),
      ev('visit.declined', { service: 'jht-claim', offered: 'ticket', info: ['jhtDocuments'] }, security),
      ev('visit.declined', { service: 'jht-claim', offered: 'appointment', info: [] }, security),
      ev('visit.declined', { service: 'bpu-resignation', offered: 'ticket', info: [] }, security),
    ],
    abstract: (s) => {
      const c = s.context as TriageContext;
      return [s.value, c.need, c.statedService, c.answers.length > 0, c.issuedToday];
    },
  },
  {
    flow: 'ticket',
    machine: ticketMachine,
    // Every walked event has the same time: the walk covers the structure with no gap between calls
    // (the spacing rule itself is tested in ticket.rules.test.ts).
    inputs: [{ number: 'A1-004', service: 'jht-claim', issuedAt: wib('2026-03-02', '08:05'), config: { ...queueConfig, noShowCallGapMinutes: 0 } }],
    events: [
      ev('ticket.called', { counter: '3' }),
      ev('ticket.called', { counter: '3' }, security),
      ev('ticket.recalled', {}),
      ev('ticket.noShowMarked', { rule: 'spacedCalls' }),
      ev('ticket.returned', {}),
      ev('ticket.returned', {}, security),
      ev('service.started', {}),
      ev('service.finished', {}),
      ev('ticket.transferred', { toService: 'bpu-resignation' }),
      ev('ticket.transferred', { toService: 'jht-claim' }),
    ],
    abstract: (s) => [s.value, Math.min((s.context as TicketContext).calls, 3)],
  },
  {
    flow: 'jht-claim',
    machine: jhtClaimMachine,
    inputs: [{ ...caseInput, nik: NIK_56, openedAt: AT }],
    events: [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: false }),
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, security),
      ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }),
      ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-02-20' }),
      ev('cause.selected', { cause: 'age56' }),
      ev('kpj.searched', { results: [K1, K2] }),
      ev('kpj.searched', { results: [] }),
      ev('kpj.added', { record: K3 }),
      ev('kpj.listConfirmed', {}),
      ev('document.presented', { documents: ['ektp', 'savingsBook', 'otherTerminationProof'] }),
      ev('document.presented', { documents: ['npwp'] }),
      ev('documents.confirmed', {}),
      ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }),
      ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'merged', into: K1.kpj } }),
      ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'pending', reason: 'saldo dalam rekonsiliasi', followUpOn: '2026-03-16' } }),
      ev('receipt.issued', {}),
      ...common(),
    ],
    abstract: (s) => {
      const c = s.context as JhtClaimContext;
      return [
        s.value,
        c.identity?.ektpMatchesNik ?? null,
        c.cause,
        c.effectiveDate,
        c.kpjSearchDone,
        c.kpjs.map((k) => [k.kpj, k.outcome?.kind ?? null]),
        [...c.documents].sort(),
      ];
    },
    filter: (s, e) => {
      const c = s.context as JhtClaimContext;
      if (e.type === 'kpj.resolved') return c.kpjs.find((k) => k.outcome === null && !k.paidBefore)?.kpj === e.kpj;
      if (e.type === 'document.presented' && (e.documents as string[]).includes('npwp')) return c.documents.includes('ektp');
      return true;
    },
  },
  {
    // Second JHT walk: after closing time, with balances paid out in an earlier claim.
    name: 'jht-claim (after hours, paid before)',
    flow: 'jht-claim',
    machine: jhtClaimMachine,
    inputs: [{ ...caseInput, config: AFTER_HOURS_CONFIG, nik: NIK_56, openedAt: AT }],
    events: [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
      ev('identity.checked', { ektpPresented: false, ektpMatchesNik: false }),
      ev('cause.selected', { cause: 'age56' }),
      ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-02-20' }),
      ev('kpj.searched', { results: [K1_PAID] }),
      ev('kpj.searched', { results: [K1_PAID, K3] }),
      ev('kpj.listConfirmed', {}),
      ev('document.presented', { documents: ['ektp', 'savingsBook'] }),
      ev('documents.confirmed', {}),
      ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'paid' } }),
      ev('receipt.issued', {}),
      ...common(),
      // The first claim date (20 March) is itself joint leave: never an appointment on it.
      ev('refusal.requested', { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date: '2026-03-20', time: '09:00' } }),
    ],
    abstract: (s) => {
      const c = s.context as JhtClaimContext;
      return [s.value, c.identity?.ektpMatchesNik ?? null, c.cause, c.kpjs.map((k) => [k.kpj, k.outcome?.kind ?? null]), c.documents.length];
    },
  },
  {
    // Third JHT walk (issue 16): a ticket taken at 09:00, within hours, called after the 09:30
    // closing; checks recorded. OUTSIDE_SERVICE_HOURS must never be reached, DOCUMENT_MISSING only
    // after a requirement was recorded as not presented.
    name: 'jht-claim (recorded checks, ticket taken in hours)',
    flow: 'jht-claim',
    machine: jhtClaimMachine,
    inputs: [{ ...caseInput, config: AFTER_HOURS_CONFIG, nik: NIK_56, openedAt: AT, ...VISIT_IN_HOURS }],
    events: [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: false }),
      ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }),
      ev('kpj.searched', { results: [K3] }),
      ev('kpj.listConfirmed', {}),
      ev('document.notPresented', { documents: ['terminationProof'] }),
      ev('document.notPresented', { documents: ['savingsBook'] }),
      ev('document.presented', { documents: ['savingsBook'] }),
      ev('document.presented', { documents: ['otherTerminationProof'] }),
      ev('documents.confirmed', {}),
      ev('kpj.resolved', { kpj: K3.kpj, outcome: { kind: 'paid' } }),
      ev('receipt.issued', {}),
      ...common(),
      ev('refusal.requested', { code: 'DOCUMENT_MISSING', documents: ['savingsBook'] }),
    ],
    abstract: (s) => {
      const c = s.context as JhtClaimContext;
      return [s.value, c.identity?.ektpMatchesNik ?? null, c.cause, c.kpjs.map((k) => [k.kpj, k.outcome?.kind ?? null]), [...c.documents].sort(), [...(c.notPresented ?? [])].sort()];
    },
  },
  {
    // Fourth JHT walk (issue 16 pts 3, 4): a person not 56 yet (56 on Tuesday 10 March 2026) who
    // may also claim for a resignation; KPJs left pending only with a catalog reason and a
    // follow-up within 5 working days (Monday 2 March → Monday 9 March).
    name: 'jht-claim (age not reached, pending KPJ)',
    flow: 'jht-claim',
    machine: jhtClaimMachine,
    inputs: [
      { ...caseInput, nik: makeNik('1970-03-10', 'male', 5), openedAt: AT, ...VISIT_IN_HOURS },
      // The boundary: 56 on the walk day itself, so AGE_NOT_REACHED must not hold (refusal-oracle.ts).
      { ...caseInput, nik: makeNik('1970-03-02', 'female', 6), openedAt: AT, ...VISIT_IN_HOURS },
      // The head closed the branch on the 56th birthday (a local closure): the appointment moves to the 11th.
      { ...caseInput, config: { ...caseInput.config, localClosures: ['2026-03-10'] }, nik: makeNik('1970-03-10', 'male', 5), openedAt: AT, ...VISIT_IN_HOURS },
    ],
    events: [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
      ev('cause.selected', { cause: 'age56' }),
      ev('refusal.requested', { code: 'AGE_NOT_REACHED', appointment: { date: '2026-03-10', time: '08:00' } }),
      ev('refusal.requested', { code: 'AGE_NOT_REACHED', appointment: { date: '2026-03-09', time: '08:00' } }),
      ev('refusal.requested', { code: 'AGE_NOT_REACHED', appointment: { date: '2026-03-11', time: '08:00' } }),
      ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }),
      // A KPJ typed by mistake, removed before the NIK search is recorded (issue 16 pt 14).
      ev('kpj.added', { record: K3 }),
      ev('kpj.removed', { kpj: K3.kpj }),
      ev('kpj.searched', { results: [K1, K2] }),
      ev('kpj.listConfirmed', {}),
      ev('document.presented', { documents: ['savingsBook', 'otherTerminationProof', 'npwp'] }),
      ev('documents.confirmed', {}),
      ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }),
      ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'pending', reason: 'EMPLOYER_DATA_CONFIRMATION', followUpOn: '2026-03-09', note: 'HRD dihubungi' } }),
      ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'pending', reason: 'sistem sedang gangguan', followUpOn: '2026-03-03' } }),
      ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'pending', reason: 'BALANCE_RECONCILIATION', followUpOn: '2026-03-10' } }),
      ev('receipt.issued', {}),
    ],
    abstract: (s) => {
      const c = s.context as JhtClaimContext;
      return [s.value, c.cause, c.kpjs.map((k) => [k.kpj, k.outcome?.kind ?? null]), c.documents.length];
    },
  },
  {
    flow: 'bpu-resignation',
    machine: bpuResignationMachine,
    inputs: [
      { ...caseInput, nik: makeNik('1985-07-01', 'female', 2) },
      { ...caseInput, config: AFTER_HOURS_CONFIG, nik: makeNik('1985-07-01', 'female', 2) },
      { ...caseInput, config: AFTER_HOURS_CONFIG, nik: makeNik('1985-07-01', 'female', 2), ...VISIT_IN_HOURS },
    ],
    events: [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
      ev('identity.checked', { ektpPresented: false, ektpMatchesNik: false }),
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, security),
      ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels: ['autoDebit', 'paymentApp'] }),
      ev('bpu.membershipNotFound', {}),
      ev('stop.recorded', { stopDate: '2026-03-02' }),
      ev('stop.recorded', { stopDate: '2026-03-01' }),
      ev('billingStop.recorded', { channel: 'autoDebit', instruction: 'mandat autodebet dicabut' }),
      ev('billingStop.recorded', { channel: 'paymentApp', instruction: 'tagihan aplikasi dihentikan' }),
      ev('billingStop.recorded', { channel: 'other', instruction: 'tidak ada' }),
      ev('jht.continued', {}),
      ev('jht.declined', {}),
      ev('receipt.issued', {}),
      ...common(),
    ],
    abstract: (s) => {
      const c = s.context as { identity: { ektpPresented: boolean } | null; participantFound: boolean | null; billingStops: Array<{ channel: string }> };
      return [s.value, c.identity?.ektpPresented ?? null, c.participantFound, c.billingStops.map((b) => b.channel)];
    },
  },
  {
    flow: 'jmo-reset',
    machine: jmoResetMachine,
    inputs: [
      { ...caseInput, nik: makeNik('1992-11-23', 'male', 3) },
      { ...caseInput, config: AFTER_HOURS_CONFIG, nik: makeNik('1992-11-23', 'male', 3) },
      { ...caseInput, config: AFTER_HOURS_CONFIG, nik: makeNik('1992-11-23', 'male', 3), ...VISIT_IN_HOURS },
    ],
    events: [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }),
      // Not answered: with recorded checks, not a failed check.
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false }),
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, security),
      ev('contact.updated', { email: 'peserta@example.com', phone: '081234567890' }),
      ev('contact.updated', { email: 'bukan-email', phone: '081234567890' }),
      ev('reset.requested', {}),
      ev('reset.confirmed', {}),
      ev('receipt.issued', {}),
      ...common(),
    ],
    abstract: (s) => {
      const c = s.context as { identity: { kpjMatchesNik?: boolean } | null; recordedChecks?: true };
      return [s.value, c.identity ? (c.identity.kpjMatchesNik ?? 'unanswered') : null, c.recordedChecks ?? false];
    },
  },
  {
    flow: 'refusal-review',
    machine: refusalReviewMachine,
    inputs: [{ caseId: 'CASE-0001', flow: 'jht-claim', refusal: sampleRefusal }],
    events: [
      ev('review.upheld', {}, head),
      ev('review.upheld', {}, officer),
      ev('review.overturned', { category: 'proceduralDeviation', followUp: 'reopenCase' }, head),
      ev('review.overturned', { category: 'undueDelay', followUp: 'appointment', appointment: { date: '2026-03-03', time: '09:00' } }, head),
      ev('review.overturned', { category: 'undueDelay', followUp: 'appointment' }, head),
      ev('review.overturned', { category: 'failureToServe', followUp: 'callBack' }, security),
    ],
    abstract: (s) => s.value,
  },
];
