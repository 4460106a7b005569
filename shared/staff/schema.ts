import { z } from 'zod';
import type { Language } from '../settings';

/** The UI languages (settings' LANGUAGES; not imported as a value: settings imports this module through cases/schema). */
export const StaffLanguage = z.enum(['id', 'en'] as const satisfies readonly Language[]);

export const ROLES = ['security', 'officer', 'head', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Staff ids are lowercase handles chosen by the head, e.g. "siti.a" or "satpam01". */
export const StaffId = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'ID staf: 3–32 huruf kecil, angka, titik, garis');

export const PIN_LENGTH = 6;
export const Pin = z.string().regex(/^\d{6}$/, 'PIN harus 6 angka');

/** A PIN that is not trivially guessable: not one repeated digit, not a straight run. */
export const NewPin = Pin.refine((pin) => !isWeakPin(pin), { message: 'PIN terlalu mudah ditebak' });

export function isWeakPin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const same = digits.every((d) => d === digits[0]);
  const up = digits.every((d, i) => i === 0 || d === (digits[i - 1]! + 1) % 10);
  const down = digits.every((d, i) => i === 0 || d === (digits[i - 1]! + 9) % 10);
  return same || up || down;
}

export const StaffName = z.string().trim().min(2).max(80);

export const NewStaff = z.object({ staffId: StaffId, name: StaffName, role: Role, pin: NewPin });
export type NewStaff = z.infer<typeof NewStaff>;

/** What the renderer may see of a staff member: never the PIN hash. */
export const StaffSummary = z.object({
  staffId: StaffId,
  name: StaffName,
  role: Role,
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  /** The head reset the PIN: the member sets their own at the next sign-in. */
  mustChangePin: z.boolean().optional(),
});
export type StaffSummary = z.infer<typeof StaffSummary>;

export const Session = z.object({
  staffId: StaffId,
  name: StaffName,
  role: Role,
  locked: z.boolean(),
  signedInAt: z.string(),
  /** Until the member sets a new PIN (after a reset by the head), nothing else is allowed. */
  mustChangePin: z.boolean().optional(),
  /** The member's own language (null: none chosen, the PC's default applies). */
  language: StaffLanguage.nullable().optional(),
});
export type Session = z.infer<typeof Session>;

/** The head resets a member's PIN to a temporary one, which the member replaces at next sign-in. */
export const ResetPin = z.object({ staffId: StaffId, pin: NewPin });
export type ResetPin = z.infer<typeof ResetPin>;

/** The member replaces their PIN (after a reset): the current one, and a new one that is not weak. */
export const ChangePin = z.object({ pin: Pin, newPin: NewPin });
export type ChangePin = z.infer<typeof ChangePin>;

/** Which roles may manage staff accounts. */
export const STAFF_MANAGERS: readonly Role[] = ['head', 'admin'];
