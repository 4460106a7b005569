import path from 'node:path';
import { z } from 'zod';
import { IpcFailure } from '../shared/ipc/result';
import { Language } from '../shared/settings';
import { Role, StaffId, StaffName, type NewStaff, type StaffSummary } from '../shared/staff/schema';
import { hashPin, verifyPin } from './pin';
import { JsonFile } from './store';

/** Wrong PINs in a row before an account locks; each further wrong PIN doubles the lock. */
export const MAX_PIN_ATTEMPTS = 5;
export const BASE_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 15 * 60_000;

const StaffRecord = z.object({
  staffId: StaffId,
  name: StaffName,
  role: Role,
  pinHash: z.string(),
  active: z.boolean(),
  failedAttempts: z.number().int().min(0),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  /** Set by a PIN reset (who, when); the member must then set their own PIN. Optional: older files lack them. */
  mustChangePin: z.boolean().optional(),
  pinResetAt: z.string().optional(),
  pinResetBy: z.string().optional(),
  /** The member's own UI language; absent: the PC's default. */
  language: Language.optional(),
});
type StaffRecord = z.infer<typeof StaffRecord>;

const StaffFile = z.object({ version: z.literal(1), staff: z.array(StaffRecord) });

function summary(r: StaffRecord): StaffSummary {
  return { staffId: r.staffId, name: r.name, role: r.role, active: r.active, lockedUntil: r.lockedUntil, createdAt: r.createdAt, mustChangePin: r.mustChangePin === true };
}

/** Staff accounts on this device: PIN hashes (scrypt), lockout with back-off, activation. */
export class StaffAccounts {
  private readonly file: JsonFile<typeof StaffFile>;

  constructor(
    dir: string,
    private readonly now: () => Date,
  ) {
    this.file = new JsonFile(path.join(dir, 'staff.json'), StaffFile);
  }

  private load(): StaffRecord[] {
    return this.file.read()?.staff ?? [];
  }

  private save(staff: StaffRecord[]): void {
    this.file.write({ version: 1, staff });
  }

  list(): StaffSummary[] {
    return this.load().map(summary);
  }

  async add(input: NewStaff, createdBy: string | null): Promise<StaffSummary> {
    const staff = this.load();
    if (staff.some((s) => s.staffId === input.staffId)) {
      throw new IpcFailure('CONFLICT', `Staff id ${input.staffId} is already taken.`, {
        issues: [{ path: 'staffId', message: 'ID staf sudah dipakai' }],
      });
    }
    const record: StaffRecord = {
      staffId: input.staffId,
      name: input.name,
      role: input.role,
      pinHash: await hashPin(input.pin),
      active: true,
      failedAttempts: 0,
      lockedUntil: null,
      createdAt: this.now().toISOString(),
      createdBy,
    };
    // Re-read after the slow hash so a concurrent add is not lost.
    const latest = this.load();
    if (latest.some((s) => s.staffId === input.staffId)) throw new IpcFailure('CONFLICT', `Staff id ${input.staffId} is already taken.`);
    this.save([...latest, record]);
    return summary(record);
  }

  setActive(staffId: string, active: boolean, by: string): StaffSummary {
    const staff = this.load();
    const target = staff.find((s) => s.staffId === staffId);
    if (!target) throw new IpcFailure('NOT_FOUND', `No staff ${staffId}.`);
    if (!active && staffId === by) throw new IpcFailure('CONFLICT', 'You cannot deactivate your own account.');
    if (!active && target.role === 'head' && staff.filter((s) => s.role === 'head' && s.active).length <= 1) {
      throw new IpcFailure('CONFLICT', 'The branch needs at least one active head.');
    }
    target.active = active;
    if (active) {
      target.failedAttempts = 0;
      target.lockedUntil = null;
    }
    this.save(staff);
    return summary(target);
  }

  /**
   * The head gives a member a temporary PIN (a forgotten PIN, or after a lockout): the lockout
   * ends, and the member must set their own PIN at the next sign-in. Not for one's own account.
   */
  async resetPin(staffId: string, pin: string, by: string): Promise<StaffSummary> {
    if (staffId === by) throw new IpcFailure('CONFLICT', 'You cannot reset your own PIN here.');
    if (!this.load().some((s) => s.staffId === staffId)) throw new IpcFailure('NOT_FOUND', `No staff ${staffId}.`);
    const pinHash = await hashPin(pin);
    // Re-read after the slow hash so a concurrent change is not lost.
    const staff = this.load();
    const target = staff.find((s) => s.staffId === staffId);
    if (!target) throw new IpcFailure('NOT_FOUND', `No staff ${staffId}.`);
    Object.assign(target, { pinHash, failedAttempts: 0, lockedUntil: null, mustChangePin: true, pinResetAt: this.now().toISOString(), pinResetBy: by });
    this.save(staff);
    return summary(target);
  }

  /** The member replaces their PIN (checked like a sign-in); the new one must differ. */
  async changePin(staffId: string, pin: string, newPin: string): Promise<StaffSummary> {
    await this.verify(staffId, pin);
    if (newPin === pin) throw new IpcFailure('CONFLICT', 'Choose a PIN different from the current one.', { issues: [{ path: 'newPin', message: 'PIN baru harus berbeda' }] });
    const pinHash = await hashPin(newPin);
    const staff = this.load();
    const target = staff.find((s) => s.staffId === staffId);
    if (!target) throw new IpcFailure('NOT_FOUND', `No staff ${staffId}.`);
    target.pinHash = pinHash;
    target.mustChangePin = false;
    this.save(staff);
    return summary(target);
  }

  /** The member's language (null: none chosen). */
  languageOf(staffId: string): Language | null {
    return this.load().find((s) => s.staffId === staffId)?.language ?? null;
  }

  setLanguage(staffId: string, language: Language): void {
    const staff = this.load();
    const target = staff.find((s) => s.staffId === staffId);
    if (!target) throw new IpcFailure('NOT_FOUND', `No staff ${staffId}.`);
    target.language = language;
    this.save(staff);
  }

  /** Checks a PIN, counting failures; returns the account on success, throws a typed failure otherwise. */
  async verify(staffId: string, pin: string): Promise<StaffSummary> {
    const record = this.load().find((s) => s.staffId === staffId);
    if (!record) throw new IpcFailure('PIN_WRONG', 'Unknown staff id or wrong PIN.');
    if (!record.active) throw new IpcFailure('FORBIDDEN_ROLE', 'This account is deactivated.');
    const now = this.now();
    if (record.lockedUntil && new Date(record.lockedUntil) > now) {
      throw new IpcFailure('LOCKED_OUT', 'Too many wrong PINs.', { retryAt: record.lockedUntil });
    }
    const good = await verifyPin(pin, record.pinHash);
    // Re-read: another window may have changed the counter while we hashed.
    const staff = this.load();
    const current = staff.find((s) => s.staffId === staffId);
    if (!current) throw new IpcFailure('PIN_WRONG', 'Unknown staff id or wrong PIN.');
    if (good) {
      current.failedAttempts = 0;
      current.lockedUntil = null;
      this.save(staff);
      return summary(current);
    }
    current.failedAttempts += 1;
    const over = current.failedAttempts - MAX_PIN_ATTEMPTS;
    if (over >= 0) {
      const lockMs = Math.min(BASE_LOCK_MS * 2 ** over, MAX_LOCK_MS);
      current.lockedUntil = new Date(now.getTime() + lockMs).toISOString();
      this.save(staff);
      throw new IpcFailure('LOCKED_OUT', 'Too many wrong PINs.', { retryAt: current.lockedUntil });
    }
    this.save(staff);
    throw new IpcFailure('PIN_WRONG', 'Wrong PIN.', { attemptsLeft: MAX_PIN_ATTEMPTS - current.failedAttempts });
  }
}
