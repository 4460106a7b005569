import path from 'node:path';
import { z } from 'zod';
import { IpcFailure } from '@shared/ipc/result';
import { Language } from '@shared/settings';
import { Role, StaffId, StaffName, type NewStaff, type StaffSummary } from '@shared/staff/schema';
import type { StateSeal } from './integrity';
import type { PinHasher } from './pin';
import { JsonFile } from './store';

/** Wrong PINs in a row before an account locks; each further wrong PIN doubles the lock. */
export const MAX_PIN_ATTEMPTS = 5;
export const BASE_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 15 * 60_000;
/** Main ends a session this long after sign-in, however busy (a working day and some). */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** Main locks a session idle for the PC's auto-lock time plus this (the renderer's own lock comes first). */
export const SESSION_IDLE_GRACE_MS = 60_000;

/** The one answer to a failed sign-in: unknown, deactivated, locked or wrong PIN look the same (issue 18). */
export const SIGN_IN_FAILED = () => new IpcFailure('PIN_WRONG', 'Wrong staff ID or PIN, or this account cannot sign in now.');

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

/** staff.json, sealed (main/integrity.ts): also read once by the sealing of an older install. */
export function staffFile(dir: string, seal: StateSeal): JsonFile<typeof StaffFile> {
  return new JsonFile(path.join(dir, 'staff.json'), StaffFile, 0o600, seal);
}

function summary(r: StaffRecord): StaffSummary {
  return { staffId: r.staffId, name: r.name, role: r.role, active: r.active, lockedUntil: r.lockedUntil, createdAt: r.createdAt, mustChangePin: r.mustChangePin === true };
}

/**
 * Staff accounts on this device: PIN hashes (peppered scrypt, main/pin.ts), lockout with back-off,
 * activation. PIN checks of one account run one at a time, each counted before its hash, so
 * attempts sent together cannot all be checked against the same counter.
 */
export class StaffAccounts {
  private readonly file: JsonFile<typeof StaffFile>;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    dir: string,
    private readonly now: () => Date,
    seal: StateSeal,
    private readonly pins: PinHasher,
  ) {
    this.file = staffFile(dir, seal);
  }

  /** Runs `fn` after every earlier PIN check of the same account has finished. */
  private serial<T>(staffId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(staffId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.queues.set(staffId, settled);
    void settled.then(() => {
      if (this.queues.get(staffId) === settled) this.queues.delete(staffId);
    });
    return next;
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
      pinHash: await this.pins.hash(input.pin),
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
    const pinHash = await this.pins.hash(pin);
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
    const pinHash = await this.pins.hash(newPin);
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

  /**
   * A sign-in: like `verify`, but every failure is the same one (unknown, deactivated, locked,
   * wrong PIN), so the answer does not tell which staff ids exist or are locked.
   */
  async signIn(staffId: string, pin: string): Promise<StaffSummary> {
    try {
      return await this.verify(staffId, pin);
    } catch (e) {
      if (e instanceof IpcFailure && ['PIN_WRONG', 'LOCKED_OUT', 'FORBIDDEN_ROLE'].includes(e.code)) throw SIGN_IN_FAILED();
      throw e;
    }
  }

  /** Checks a PIN, counting failures; returns the account on success, throws a typed failure otherwise. */
  verify(staffId: string, pin: string): Promise<StaffSummary> {
    return this.serial(staffId, () => this.check(staffId, pin));
  }

  private async check(staffId: string, pin: string): Promise<StaffSummary> {
    const staff = this.load();
    const record = staff.find((s) => s.staffId === staffId);
    const now = this.now();
    const locked = record?.lockedUntil && new Date(record.lockedUntil) > now;
    if (!record || !record.active || locked) {
      // The same hashing time as a real check, so timing does not tell these apart either.
      await this.pins.dummy(pin);
      if (!record) throw new IpcFailure('PIN_WRONG', 'Unknown staff id or wrong PIN.');
      if (!record.active) throw new IpcFailure('FORBIDDEN_ROLE', 'This account is deactivated.');
      throw new IpcFailure('LOCKED_OUT', 'Too many wrong PINs.', { retryAt: record.lockedUntil ?? undefined });
    }
    // Counted before hashing: an attempt cut short (a crash, a killed app) still counts.
    record.failedAttempts += 1;
    this.save(staff);
    const { good, rehash } = await this.pins.verify(pin, record.pinHash);
    // An old kind of hash or a lower cost: replaced now that the PIN is known (issue 18).
    const newHash = rehash ? await this.pins.hash(pin) : null;
    // Re-read: the head may have changed the account (a reset, a deactivation) while we hashed.
    const latest = this.load();
    const current = latest.find((s) => s.staffId === staffId);
    if (!current) throw new IpcFailure('PIN_WRONG', 'Unknown staff id or wrong PIN.');
    if (!current.active) throw new IpcFailure('FORBIDDEN_ROLE', 'This account is deactivated.');
    if (good && current.pinHash === record.pinHash) {
      current.failedAttempts = 0;
      current.lockedUntil = null;
      if (newHash) current.pinHash = newHash;
      this.save(latest);
      return summary(current);
    }
    const over = current.failedAttempts - MAX_PIN_ATTEMPTS;
    if (over >= 0) {
      const lockMs = Math.min(BASE_LOCK_MS * 2 ** over, MAX_LOCK_MS);
      current.lockedUntil = new Date(now.getTime() + lockMs).toISOString();
      this.save(latest);
      throw new IpcFailure('LOCKED_OUT', 'Too many wrong PINs.', { retryAt: current.lockedUntil });
    }
    throw new IpcFailure('PIN_WRONG', 'Wrong PIN.', { attemptsLeft: MAX_PIN_ATTEMPTS - current.failedAttempts });
  }
}
