// Main signs the renderer's audit entries with the device key (issue 17, audit-id squatting; issue 18
// pt 7). The key never leaves main: the renderer sends the whole new entry over `audit.sign` and gets
// back the signature of its hash (shared/audit/chain.ts `auditSignedText`). HQ and the branch hub take
// an entry another PC relays only with its author's signature, so main signs only what this device
// may write: for a signed-in session, an entry of this device's chain whose actor is that session's
// staff, hashing to itself, and never behind an entry it already signed or main's own chain anchored
// (so a restart of main does not reopen older positions); a retry of the same seq is fine: the
// renderer appends again after a conflict with another window.
import { AuditEntrySchema, auditSignedText, computeEntryHash, type AuditEntry } from '@shared/audit/chain';
import type { HandcarrySigningKey } from '@shared/ipc/contract';
import { IpcFailure } from '@shared/ipc/result';
import type { Session } from '@shared/staff/schema';
import { nodeSha256Hex, signerFor } from './device-key';

export class AuditEntrySigner {
  /** The last seq signed, or anchored in main's chain before this run (null: not read yet). */
  private lastSeq: number | null = null;
  private signer: { x: string; sign: (text: string) => string } | null = null;

  constructor(
    private readonly o: {
      deviceId: () => string;
      key: () => HandcarrySigningKey;
      /** The renderer chain's seq main's own chain anchored last (main/audit/device-log.ts); 0: none. */
      anchoredSeq?: () => number;
    },
  ) {}

  /** The signature of `entry`'s hash, or IpcFailure saying why main will not sign it. */
  async sign(raw: Omit<AuditEntry, 'signature'>, session: Session | null): Promise<string> {
    if (!session) throw new IpcFailure('NOT_SIGNED_IN', 'Sign in first: audit entries are signed only for a signed-in session.');
    const parsed = AuditEntrySchema.omit({ signature: true }).safeParse(raw);
    if (!parsed.success) throw new IpcFailure('INVALID_PAYLOAD', 'Not an audit entry.');
    const entry = parsed.data;
    if (entry.deviceId !== this.o.deviceId()) throw new IpcFailure('FORBIDDEN_SENDER', "Main signs only this device's own audit chain.");
    if (entry.actor.staffId !== session.staffId || entry.actor.role !== session.role) {
      throw new IpcFailure('FORBIDDEN_SENDER', 'The entry names another actor than the signed-in staff.');
    }
    if ((await computeEntryHash(nodeSha256Hex, entry)) !== entry.hash) throw new IpcFailure('INVALID_PAYLOAD', 'The entry does not hash to its hash.');
    this.lastSeq ??= this.o.anchoredSeq?.() ?? 0;
    if (entry.seq < this.lastSeq) throw new IpcFailure('CONFLICT', `Seq ${entry.seq} is behind the last entry signed or anchored (${this.lastSeq}).`);
    this.lastSeq = entry.seq;
    return this.signerOf(this.o.key())(auditSignedText(entry.hash));
  }

  /** The private key object is made once per key (it is the same key for the device's life). */
  private signerOf(key: HandcarrySigningKey): (text: string) => string {
    if (this.signer?.x !== key.publicKey.x) this.signer = { x: key.publicKey.x, sign: signerFor(key) };
    return this.signer.sign;
  }
}
