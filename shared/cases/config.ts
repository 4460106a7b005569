import { z } from 'zod';
import { DEFAULT_SERVICE_HOURS, ServiceHours } from '../branch/schema';
import { BranchZone, CalendarDateSchema } from '../dates';
import { SERVICES, type Service } from './schema';

/** Printed on every receipt and slip (DOMAIN.md: call center 175, LAPOR!, Ombudsman RI). */
export const ComplaintChannel = z.object({ name: z.string(), contact: z.string() });
export type ComplaintChannel = z.infer<typeof ComplaintChannel>;

export const ReceiptConfig = z.object({
  surveyUrl: z.url(),
  complaintChannels: z.array(ComplaintChannel).min(1),
});
export type ReceiptConfig = z.infer<typeof ReceiptConfig>;

export const DEFAULT_RECEIPT_CONFIG: ReceiptConfig = {
  surveyUrl: 'https://survei.bpjsketenagakerjaan.go.id/',
  complaintChannels: [
    { name: 'Layanan Masyarakat BPJS Ketenagakerjaan', contact: '175' },
    { name: 'LAPOR!', contact: 'https://www.lapor.go.id' },
    { name: 'Ombudsman RI', contact: 'https://ombudsman.go.id' },
  ],
};

/** Rules that DOMAIN.md marks *(config)*: branch or HQ configuration, with these defaults. */
export const CaseConfig = z.object({
  branchCode: z.string(),
  serviceHours: ServiceHours,
  /** The branch's time zone: its dates and hours are judged on this clock. Absent = WIB (older journals). */
  zone: BranchZone.optional(),
  /** NPWP is required only when the claimed balance is strictly above this (Rupiah). */
  npwpThreshold: z.number().int().nonnegative(),
  /** Resignation/dismissal: claimable this many months after the effective date. */
  waitingPeriodMonths: z.number().int().nonnegative(),
  retirementAge: z.number().int().positive(),
  partialClaimMinYears: z.number().int().positive(),
  payoutSlaWorkingDays: z.number().int().positive(),
  bpuLapseMonths: z.number().int().positive(),
  receipt: ReceiptConfig,
  /**
   * A KPJ left pending is followed up within this many working days (DOMAIN.md, default 5).
   * Optional so rules stored before issue 16 still compare equal at HQ; read with
   * `pendingFollowUpWorkingDays()` (shared/cases/rules.ts).
   */
  pendingFollowUpWorkingDays: z.number().int().min(1).max(30).optional(),
  /**
   * Tax on the JHT lump sum, printed on the receipt for information: 0% up to `freeUpTo`, then
   * `percentAbove` on the part above it (DOMAIN.md, default Rp50,000,000 and 5%). Optional, read
   * with `lumpSumTaxRule()`.
   */
  lumpSumTax: z.object({ freeUpTo: z.number().int().nonnegative(), percentAbove: z.number().min(0).max(100) }).optional(),
  /**
   * The head's local closed days (DOMAIN "Time and calendar"), on top of the national calendar: no
   * "not yet" or next-opening appointment on them. Part of the branch's rules, versioned at HQ like
   * the others, so HQ's replay judges them too. Optional: absent = none (older journals).
   */
  localClosures: z.array(CalendarDateSchema).max(200).optional(),
});
export type CaseConfig = z.infer<typeof CaseConfig>;

export const DEFAULT_CASE_CONFIG: CaseConfig = {
  branchCode: 'JKT01',
  serviceHours: DEFAULT_SERVICE_HOURS,
  npwpThreshold: 50_000_000,
  waitingPeriodMonths: 1,
  retirementAge: 56,
  partialClaimMinYears: 10,
  payoutSlaWorkingDays: 5,
  bpuLapseMonths: 3,
  receipt: DEFAULT_RECEIPT_CONFIG,
};

export const QueueConfig = z.object({
  serviceHours: ServiceHours,
  /** The branch's time zone (absent = WIB). */
  zone: BranchZone.optional(),
  /** The head's local closed days (settings), on top of the national calendar: no appointment on them. */
  localClosures: z.array(CalendarDateSchema).max(200).optional(),
  /** Tickets per service per day; beyond it the person gets a guaranteed appointment. */
  dailyCapacity: z.record(z.enum(SERVICES), z.number().int().nonnegative()),
  /** A called ticket becomes a no-show only after this many calls (never after the first)… */
  noShowAfterCalls: z.number().int().min(2).max(10),
  /** …each at least this many minutes after the previous counted one, and as long after the last. */
  noShowCallGapMinutes: z.number().int().min(1).max(60),
  /** Service-time standards (minutes): target maximum wait and handling time per service. */
  targetMaxWaitMinutes: z.number().int().positive(),
  targetHandlingMinutes: z.record(z.enum(SERVICES), z.number().int().positive()),
});
export type QueueConfig = z.infer<typeof QueueConfig>;

const perService = (n: number): Record<Service, number> =>
  Object.fromEntries(SERVICES.map((s) => [s, n])) as Record<Service, number>;

export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  serviceHours: DEFAULT_SERVICE_HOURS,
  dailyCapacity: perService(120),
  noShowAfterCalls: 2,
  noShowCallGapMinutes: 3,
  targetMaxWaitMinutes: 60,
  targetHandlingMinutes: { 'jht-claim': 20, 'bpu-resignation': 10, 'jmo-reset': 10, general: 15 },
};
