import { addWorkingDays, branchCalendar } from '../calendar/open-days';
import type { CalendarDate } from '../dates';
import type { Text } from './catalog';

/**
 * The catalog of pending reasons (DOMAIN.md "Refusals", pending KPJ paragraph; issue 16 pt 3).
 * A KPJ left pending in a multi-KPJ claim is a refusal in disguise unless it is controlled: it takes
 * one of these codes (each with its basis, so the branch head can check it) and a follow-up date
 * within the configured number of working days. Free text is a note, never the reason. "The system
 * is down, come back next month" is not here, and cannot be: it is not a reason.
 */
export const PENDING_CODES = ['EMPLOYER_DATA_CONFIRMATION', 'BALANCE_RECONCILIATION', 'IDENTITY_DATA_CORRECTION', 'BANK_ACCOUNT_VERIFICATION'] as const;
export type PendingCode = (typeof PENDING_CODES)[number];

export interface PendingReason {
  code: PendingCode;
  title: Text;
  /** Where the step comes from (legal or operational basis). */
  basis: Text;
  /** What happens on the follow-up date, printed on the receipt. */
  followUp: Text;
}

const PERMENAKER_4_2022 = { id: 'Permenaker No. 4 Tahun 2022', en: 'Minister of Manpower Regulation 4/2022' };

export const PENDING_CATALOG: readonly PendingReason[] = [
  {
    code: 'EMPLOYER_DATA_CONFIRMATION',
    title: { id: 'Konfirmasi data kepesertaan kepada pemberi kerja', en: 'Membership data confirmation with the employer' },
    basis: {
      id: `${PERMENAKER_4_2022.id} (pembayaran JHT berdasarkan data kepesertaan yang sah); PP No. 44 Tahun 2015: pemberi kerja wajib menyampaikan data pekerja yang benar`,
      en: `${PERMENAKER_4_2022.en} (JHT is paid on valid membership data); Government Regulation 44/2015: the employer must report correct worker data`,
    },
    followUp: { id: 'cabang menghubungi pemberi kerja dan menyelesaikan KPJ ini', en: 'the branch contacts the employer and settles this KPJ' },
  },
  {
    code: 'BALANCE_RECONCILIATION',
    title: { id: 'Rekonsiliasi saldo dengan kantor cabang lain', en: 'Balance reconciliation with another office' },
    basis: {
      id: `${PERMENAKER_4_2022.id} (penggabungan saldo/pembayaran per KPJ); prosedur operasional penggabungan saldo antar kantor cabang`,
      en: `${PERMENAKER_4_2022.en} (merging balances / payment per KPJ); the operational procedure for merging balances between offices`,
    },
    followUp: { id: 'cabang menyelesaikan rekonsiliasi dan membayar atau menggabungkan KPJ ini', en: 'the branch completes the reconciliation and pays or merges this KPJ' },
  },
  {
    code: 'IDENTITY_DATA_CORRECTION',
    title: { id: 'Perbaikan data identitas pada KPJ (nama/tanggal lahir berbeda dengan e-KTP)', en: 'Correction of identity data on the KPJ (name/birth date differs from the e-KTP)' },
    basis: {
      id: 'UU No. 24 Tahun 2011 tentang BPJS dan UU No. 27 Tahun 2022 (PDP): data peserta harus akurat sebelum manfaat dibayarkan',
      en: 'Law 24/2011 on BPJS and Law 27/2022 (PDP): participant data must be accurate before a benefit is paid',
    },
    followUp: { id: 'cabang memperbaiki data KPJ sesuai e-KTP lalu memprosesnya', en: "the branch corrects the KPJ's data to the e-KTP and processes it" },
  },
  {
    code: 'BANK_ACCOUNT_VERIFICATION',
    title: { id: 'Verifikasi rekening bank penerima', en: "Verification of the recipient's bank account" },
    basis: {
      id: `${PERMENAKER_4_2022.id} (manfaat dibayarkan ke rekening atas nama peserta)`,
      en: `${PERMENAKER_4_2022.en} (the benefit is paid into an account in the participant's name)`,
    },
    followUp: { id: 'cabang menyelesaikan verifikasi rekening dan membayar KPJ ini', en: 'the branch completes the account check and pays this KPJ' },
  },
];

export function pendingReasonFor(code: string): PendingReason | undefined {
  return PENDING_CATALOG.find((r) => r.code === code);
}

/** Default: follow up within 5 working days (DOMAIN.md, *(config)*). */
export const DEFAULT_PENDING_FOLLOW_UP_WORKING_DAYS = 5;

/**
 * The latest follow-up date allowed for a KPJ left pending on `today`: `workingDays` working days
 * later. Working days skip weekends, the national closed days (holidays and joint leave of the
 * shipped calendar) and the branch's local closures (its case rules' `localClosures`, which HQ's
 * replay holds as well): a day the branch is closed gives the person no service.
 */
export function latestFollowUp(today: CalendarDate, workingDays: number, localClosures: readonly CalendarDate[] = []): CalendarDate {
  return addWorkingDays(today, workingDays, branchCalendar(localClosures));
}

export const PENDING_REJECTIONS = {
  UNKNOWN_PENDING_REASON: { id: 'Bukan alasan tertunda yang sah (pilih dari daftar)', en: 'Not a valid pending reason (choose from the list)' },
  FOLLOW_UP_IN_PAST: { id: 'Tanggal tindak lanjut tidak boleh sebelum hari ini', en: 'The follow-up date cannot be before today' },
  FOLLOW_UP_TOO_LATE: { id: 'Tanggal tindak lanjut melewati batas hari kerja', en: 'The follow-up date is beyond the working-day limit' },
} as const;
export type PendingRejection = keyof typeof PENDING_REJECTIONS;

/** The whole rule for leaving a KPJ pending: a catalog reason and a follow-up date in [today, latest]. */
export function checkPending(
  reason: string,
  followUpOn: CalendarDate,
  today: CalendarDate,
  workingDays: number,
  localClosures: readonly CalendarDate[] = [],
): { ok: true } | { ok: false; why: PendingRejection } {
  if (!pendingReasonFor(reason)) return { ok: false, why: 'UNKNOWN_PENDING_REASON' };
  if (followUpOn < today) return { ok: false, why: 'FOLLOW_UP_IN_PAST' };
  if (followUpOn > latestFollowUp(today, workingDays, localClosures)) return { ok: false, why: 'FOLLOW_UP_TOO_LATE' };
  return { ok: true };
}
