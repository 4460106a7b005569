import { z } from 'zod';
import type { WritableCollection } from '../sync/protocol';

// Keep only what the law needs (issue 18 pt 8). UU 27/2022 (PDP) Art. 16(2) and its retention
// principle: personal data is kept only as long as the purpose needs, then erased. One table, read
// by the PC (main/retention.ts) and by HQ (hq/retention.ts); the README's retention table says the
// same. Days are calendar days, counted from the record's last change (HQ: when HQ received its
// latest version; PC: when the file was written, or when HQ acknowledged the record).
//
// Assumption, to be confirmed by the agency's records officer: case files, refusals, transfers and
// the audit of access to them are the agency's records (UU 43/2009 on archives, kept per the
// agency's records retention schedule, JRA) and are kept at HQ for 10 years, the period UU 8/1997
// sets for financial supporting records (a JHT payout is one). Everything else is operational.

export const RECORD_CLASSES = ['cases', 'tickets', 'audit', 'logs', 'printedPdfs', 'quarantine', 'leveldbBackups'] as const;
export type RecordClass = (typeof RECORD_CLASSES)[number];

export interface RetentionRule {
  /** Days HQ keeps it (null: HQ never holds it). */
  hqDays: number | null;
  /** Days a PC keeps it (for replicated records: after HQ acknowledged them; never before). */
  pcDays: number;
  /** Why this long, for the README and the head. */
  basis: string;
}

const Days = z.number().int().min(1).max(36_600);
export const RetentionRuleSchema = z.strictObject({ hqDays: Days.nullable(), pcDays: Days, basis: z.string().min(1).max(500) });
export const RetentionTableSchema = z.strictObject(
  Object.fromEntries(RECORD_CLASSES.map((c) => [c, RetentionRuleSchema])) as Record<RecordClass, typeof RetentionRuleSchema>,
);
export type RetentionTable = Readonly<Record<RecordClass, RetentionRule>>;

const TEN_YEARS = 3_653;

export const DEFAULT_RETENTION: RetentionTable = {
  cases: {
    hqDays: TEN_YEARS,
    pcDays: 30,
    basis: "Agency records (UU 43/2009, the agency's retention schedule; assumed 10 years as for financial records, UU 8/1997 Art. 11). The PC needs a case only while the desk may reopen it: 30 days after HQ holds it.",
  },
  tickets: {
    hqDays: 366,
    pcDays: 7,
    basis: 'Queue statistics and complaint handling (UU 25/2009) over a year; the desk needs a ticket only for the same-day return rule, so a week on the PC after HQ holds it.',
  },
  audit: {
    hqDays: TEN_YEARS,
    pcDays: 90,
    basis: "Who saw what, when (UU 27/2022 Art. 35-46: breach notice within 3x24 h needs it), kept as long as the records it covers. The PC keeps 90 days after HQ holds it, and always its chain's newest entry.",
  },
  logs: {
    hqDays: 90,
    pcDays: 30,
    basis: 'Troubleshooting only; logs hold no identifiers (shared/log/redact.ts). 30 days on the PC; HQ log storage is rotated by its host at 90 days.',
  },
  printedPdfs: {
    hqDays: null,
    pcDays: 7,
    basis: 'A PDF copy of a receipt or slip is for reprinting at the desk; the record itself is at HQ. A week.',
  },
  quarantine: {
    hqDays: 366,
    pcDays: 30,
    basis: "Records HQ refused wait for the head's review; a year at HQ. On the PC, bytes cut from a damaged journal are kept 30 days for support.",
  },
  leveldbBackups: {
    hqDays: null,
    pcDays: 14,
    basis: 'Copies of a damaged local database, made before Chromium could delete it, for recovery by support: two weeks.',
  },
};

/** Which record class each replicated collection belongs to. */
export const COLLECTION_CLASS: Readonly<Record<WritableCollection, RecordClass>> = {
  cases: 'cases',
  refusals: 'cases',
  transfers: 'cases',
  tickets: 'tickets',
  audit: 'audit',
};

const DAY_MS = 86_400_000;

/** The moment before which a record of `cls` has outlived its window (`side`: where it is kept). */
export function retentionCutoff(table: RetentionTable, cls: RecordClass, side: 'pc' | 'hq', now: Date): Date | null {
  const rule = table[cls];
  const days = side === 'pc' ? rule.pcDays : rule.hqDays;
  return days === null ? null : new Date(now.getTime() - days * DAY_MS);
}
