import { z } from 'zod';
import { BranchZone, DEFAULT_BRANCH_ZONE } from '../dates';

/** Branch codes are short uppercase identifiers, e.g. "JKT01". */
export const BranchCode = z.string().regex(/^[A-Z0-9]{3,8}$/, 'Kode cabang: 3–8 huruf besar atau angka');

/**
 * A typed time as the schema stores it: Indonesians write "08.00" (and "8.00"), the schema keeps
 * "08:00". Anything that is not H[H].MM or H[H]:MM is returned trimmed, for the schema to refuse.
 */
export function normaliseTime(typed: string): string {
  const s = typed.trim();
  const m = /^(\d{1,2})[.:](\d{2})$/.exec(s);
  return m ? `${(m[1] ?? '').padStart(2, '0')}:${m[2] ?? ''}` : s;
}

const HourMinute = z.preprocess(
  (v) => (typeof v === 'string' ? normaliseTime(v) : v),
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Format jam HH:MM (08:00 atau 08.00)'),
);

/** Published service hours of one weekday; null = closed that day. */
export const DayHours = z
  .object({ open: HourMinute, close: HourMinute })
  .refine((d) => d.open < d.close, { message: 'Jam buka harus sebelum jam tutup' })
  .nullable();

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const ServiceHours = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours])) as Record<(typeof WEEKDAYS)[number], typeof DayHours>,
);
export type ServiceHours = z.infer<typeof ServiceHours>;

export const BranchProfile = z.object({
  code: BranchCode,
  name: z.string().trim().min(3).max(80),
  serviceHours: ServiceHours,
  counters: z.number().int().min(1).max(50),
  /** The branch's time zone (WIB/WITA/WIT); absent in profiles saved before zones = WIB. */
  zone: BranchZone.optional(),
});
export type BranchProfile = z.infer<typeof BranchProfile>;

/** The zone of a branch profile: absent (older profiles, or none yet) = WIB. */
export function branchZoneOf(profile: Pick<BranchProfile, 'zone'> | null | undefined): BranchZone {
  return profile?.zone ?? DEFAULT_BRANCH_ZONE;
}

/** Default published hours: Mon–Fri 08:00–15:00, closed on weekends (config per branch). */
export const DEFAULT_SERVICE_HOURS: ServiceHours = {
  sun: null,
  mon: { open: '08:00', close: '15:00' },
  tue: { open: '08:00', close: '15:00' },
  wed: { open: '08:00', close: '15:00' },
  thu: { open: '08:00', close: '15:00' },
  fri: { open: '08:00', close: '15:00' },
  sat: null,
};
