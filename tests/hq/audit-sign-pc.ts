import path from 'node:path';
import { appendEntry, auditSignedText, type AuditEntry } from '@shared/audit/chain';
import type { HandcarrySigningKey } from '@shared/ipc/contract';
import { AuditEntrySigner } from '../../main/audit/entry-signer';
import { DeviceAuditLog } from '../../main/audit/device-log';
import { nodeSha256Hex, signerFor } from '../../main/audit/device-key';
import { fileVault } from '../../main/secrets';
import { handcarrySigningKey } from '../../main/storage/handcarry-key';
import { memoryLog, tempDir } from '../unit/main/helpers';
import type { TestDevice } from './helpers';

// A PC as far as its audit entries go (issue 17, audit-id squatting): its device key in main's
// vault, its renderer entries signed by main (main/audit/entry-signer.ts, as `audit.sign` does), and
// its key registered where HQ registers it, with the first upload of main's chain.

export type AuditDoc = Record<string, unknown> & AuditEntry & { id: string };

export const auditDocId = (e: AuditEntry) => `${e.deviceId}:${String(e.seq).padStart(10, '0')}`;

export interface SigningPc {
  device: TestDevice;
  key: HandcarrySigningKey;
  actor: { staffId: string; role: 'officer' };
  /** The next renderer entry after `prev`, signed by main (`signed: false`: as an older PC writes it). */
  entry(prev: AuditEntry | null, o?: { signed?: boolean }): Promise<AuditDoc>;
  /** Main's chain uploaded to `send` (HQ's POST /v1/audit/device): registers the device key. */
  register(send: (body: { publicKey: unknown; entries: unknown[] }) => Promise<unknown>): Promise<number>;
}

export function signingPc(device: TestDevice): SigningPc {
  const vault = fileVault(tempDir(), memoryLog());
  const key = handcarrySigningKey(vault);
  const actor = { staffId: `staf2.${device.branchCode.toLowerCase()}`, role: 'officer' as const };
  const signer = new AuditEntrySigner({ deviceId: () => device.deviceId, key: () => key });
  const session = { ...actor, name: 'Petugas 2', locked: false, signedInAt: '2026-03-02T02:00:00.000Z', mustChangePin: false, language: 'id' as const };
  let clock = Date.parse('2026-03-02T02:00:00Z');
  const log = new DeviceAuditLog({ dir: path.join(tempDir(), 'audit'), deviceId: device.deviceId, key: () => key, now: () => new Date((clock += 1000)) });
  return {
    device,
    key,
    actor,
    async entry(prev, o = {}) {
      const e = await appendEntry(nodeSha256Hex, prev, {
        deviceId: device.deviceId,
        at: '2026-03-02T09:10:00+07:00',
        actor,
        action: 'case.event',
        subject: { kind: 'case', id: 'CASE-S-1' },
        details: { type: 'identity.checked', journalLength: 1 },
      });
      const signed = o.signed === false ? e : { ...e, signature: await signer.sign(e, session) };
      return { id: auditDocId(e), ...signed };
    },
    async register(send) {
      await log.record('staff.signIn', { staffId: `staf1.${device.branchCode.toLowerCase()}`, role: 'head' });
      return log.upload((body) => send(body) as never);
    },
  };
}

/** `entry` re-signed with another device's key (what a squatter can make: a valid signature, by the wrong device). */
export function signedBy(key: HandcarrySigningKey, entry: AuditDoc): AuditDoc {
  return { ...entry, signature: signerFor(key)(auditSignedText(entry.hash)) };
}
