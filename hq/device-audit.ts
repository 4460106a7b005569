// HQ's side of main's signed audit chain (issue 18, point 7): POST /v1/audit/device.
//
// A PC uploads its main chain (shared/audit/device-chain.ts) with its public key. HQ registers the
// key on the first upload after enrolment and never replaces it; each entry must continue the
// chain HQ holds for that device (seq, prevHash), hash to itself and be signed by that key, or it
// is refused with the first broken seq and nothing after it is stored. An intact entry whose actor
// is not staff of the device's branch is stored and flagged (audit_flags) for review: refusing it
// would stop the chain for good. The renderer's chain gets the same actor check (validate.ts).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';
import { sameJson } from '@shared/canonical-json';
import { HandcarryPublicJwk } from '@shared/ipc/contract';
import { MAX_DEVICE_AUDIT_BATCH, verifyDeviceChain, type DeviceAuditEntry, type DeviceChainBreak } from '@shared/audit/device-chain';
import type { Sql } from './db';
import { HqError } from './errors';
import { openDeviceAudit, sealDeviceAudit } from './person-crypto';
import type { Device } from './store';
import { auditSignedText, computeEntryHash, type AuditEntry, type Sha256Hex } from '@shared/audit/chain';

const nodeSha256Hex: Sha256Hex = (text) => Promise.resolve(createHash('sha256').update(text, 'utf8').digest('hex'));

export const DeviceAuditUpload = z.strictObject({
  publicKey: HandcarryPublicJwk,
  entries: z.array(z.unknown()).min(1).max(MAX_DEVICE_AUDIT_BATCH),
});
export type DeviceAuditUpload = z.infer<typeof DeviceAuditUpload>;
type PublicJwk = z.infer<typeof HandcarryPublicJwk>;

/** Checks an ECDSA P-256 / SHA-256 signature (IEEE P1363, base64url) of UTF-8 text under `publicKey`. */
export function verifierFor(publicKey: PublicJwk): (text: string, signature: string) => boolean {
  const key = createPublicKey({ key: { ...publicKey }, format: 'jwk' });
  return (text, signature) => {
    try {
      return verify('sha256', Buffer.from(text, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    } catch {
      return false;
    }
  };
}

const BREAK: Record<DeviceChainBreak, string> = {
  malformed: 'the entry does not have the shape of a main audit entry',
  'device-mismatch': 'entry of another device',
  'seq-gap': 'seq does not continue the chain',
  'prev-mismatch': 'prevHash is not the hash of the previous entry',
  'hash-mismatch': 'hash does not match the entry (edited?)',
  'bad-signature': "not signed by this device's registered key",
  'no-actor': 'an action that needs a signed-in actor has none',
};

export interface DeviceAuditHead {
  seq: number;
  hash: string;
}

/** Stores what continues the device's chain; answers the head HQ now holds. */
export async function receiveDeviceAudit(db: Sql, device: Device, upload: DeviceAuditUpload, now: Date): Promise<DeviceAuditHead> {
  const result = await db.transaction(async (tx): Promise<{ head: DeviceAuditHead; refused: HqError | null }> => {
    // One upload per device at a time: the row lock orders them.
    const { rows: keys } = await tx.query<{ public_key: PublicJwk | null }>('SELECT public_key FROM devices WHERE device_id = $1 FOR UPDATE', [device.deviceId]);
    const registered = keys[0]?.public_key ?? null;
    if (registered === null) {
      await tx.query('UPDATE devices SET public_key = $2::jsonb WHERE device_id = $1', [device.deviceId, JSON.stringify(upload.publicKey)]);
    } else if (!sameJson(registered, upload.publicKey)) {
      throw new HqError(409, 'DEVICE_KEY_MISMATCH', 'This device presents another key than the one HQ registered for it');
    }
    const publicKey = registered ?? upload.publicKey;

    const { rows: heads } = await tx.query<{ data: DeviceAuditEntry }>('SELECT data FROM device_audit WHERE device_id = $1 ORDER BY seq DESC LIMIT 1', [device.deviceId]);
    let head: DeviceAuditHead = heads[0] ? { seq: heads[0].data.seq, hash: heads[0].data.hash } : { seq: 0, hash: '' };

    // A retry after a lost answer re-sends entries HQ holds: they must be the same, then are skipped.
    const fresh: unknown[] = [];
    for (const raw of upload.entries) {
      const seq = (raw as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number' && seq <= head.seq) {
        const { rows } = await tx.query<{ data: Record<string, unknown>; branch_code: string }>('SELECT data, branch_code FROM device_audit WHERE device_id = $1 AND seq = $2', [device.deviceId, seq]);
        // Its details are sealed at HQ (hq/person-crypto.ts): compared opened, as the PC sent it.
        if (!rows[0] || !sameJson(openDeviceAudit(tx, rows[0].branch_code, rows[0].data), raw)) {
          throw new HqError(422, 'AUDIT_REFUSED', `seq ${seq} is already held by HQ with other content: a fork`, { brokenAt: seq, reason: 'fork', headSeq: head.seq });
        }
      } else {
        fresh.push(raw);
      }
    }

    const verdict = await verifyDeviceChain(nodeSha256Hex, verifierFor(publicKey), fresh, {
      deviceId: device.deviceId,
      after: head.seq > 0 ? head : null,
    });
    const good = (verdict.ok ? fresh : fresh.slice(0, verdict.brokenAt - head.seq - 1)) as DeviceAuditEntry[];
    for (const entry of good) {
      await tx.query('INSERT INTO device_audit (device_id, seq, branch_code, data, received_at) VALUES ($1, $2, $3, $4::jsonb, $5)', [
        device.deviceId,
        entry.seq,
        device.branchCode,
        JSON.stringify(sealDeviceAudit(tx, device.branchCode, entry)), // details sealed; seq, hash, signature in clear
        now.toISOString(),
      ]);
      if (entry.actor) await flagUnlessStaff(tx, device, 'main', entry.seq, entry.actor, now);
      head = { seq: entry.seq, hash: entry.hash };
    }
    if (verdict.ok) return { head, refused: null };
    // The intact prefix is committed; the device is told where its chain broke.
    const refused = new HqError(422, 'AUDIT_REFUSED', `main audit: ${BREAK[verdict.reason]} at seq ${verdict.brokenAt}`, {
      brokenAt: verdict.brokenAt,
      reason: verdict.reason,
      headSeq: head.seq,
    });
    return { head, refused };
  });
  if (result.refused) throw result.refused;
  return result.head;
}

/**
 * Flags (once) an entry whose actor is not an active member of the device's branch as HQ's staff
 * directory knows it, or whose role there is another one.
 */
export async function flagUnlessStaff(
  tx: Sql,
  device: Device,
  chain: 'renderer' | 'main',
  seq: number,
  actor: { staffId: string; role: string },
  now: Date,
): Promise<void> {
  const { rows } = await tx.query<{ role: string; active: boolean | null }>(
    `SELECT data ->> 'role' AS role, (data ->> 'active')::boolean AS active FROM documents
      WHERE collection = 'staff' AND branch_code = $1 AND id = $2 AND NOT deleted`,
    [device.branchCode, `${device.branchCode}:${actor.staffId}`],
  );
  const staff = rows[0];
  const reason = !staff
    ? `actor ${actor.staffId} is not staff of branch ${device.branchCode}`
    : staff.active === false
      ? `actor ${actor.staffId} is deactivated in branch ${device.branchCode}`
      : staff.role !== actor.role
        ? `actor ${actor.staffId} acts as ${actor.role} but is ${staff.role} in branch ${device.branchCode}`
        : null;
  if (reason === null) return;
  await tx.query(
    `INSERT INTO audit_flags (branch_code, device_id, chain, seq, reason, flagged_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (device_id, chain, seq, reason) DO NOTHING`,
    [device.branchCode, device.deviceId, chain, seq, reason, now.toISOString()],
  );
}

export interface AuditFlag {
  deviceId: string;
  chain: 'renderer' | 'main';
  seq: number;
  reason: string;
  flaggedAt: string;
}

/** A branch's flagged audit entries, oldest first. */
export async function auditFlags(db: Sql, branchCode: string): Promise<AuditFlag[]> {
  const { rows } = await db.query<{ device_id: string; chain: 'renderer' | 'main'; seq: string; reason: string; flagged_at: Date }>(
    'SELECT device_id, chain, seq::text AS seq, reason, flagged_at FROM audit_flags WHERE branch_code = $1 ORDER BY flag_id',
    [branchCode],
  );
  return rows.map((r) => ({ deviceId: r.device_id, chain: r.chain, seq: Number(r.seq), reason: r.reason, flaggedAt: new Date(r.flagged_at).toISOString() }));
}

/** The registered public keys of a branch's devices (not revoked): the trust list for its hand-carry files. */
export async function branchDeviceKeys(db: Sql, branchCode: string): Promise<{ deviceId: string; publicKey: PublicJwk }[]> {
  const { rows } = await db.query<{ device_id: string; public_key: PublicJwk }>(
    'SELECT device_id, public_key FROM devices WHERE branch_code = $1 AND revoked_at IS NULL AND public_key IS NOT NULL ORDER BY device_id',
    [branchCode],
  );
  return rows.map((r) => ({ deviceId: r.device_id, publicKey: r.public_key }));
}

/** A branch's revoked devices with a registered key: why a hand-carry file signed by one is refused. */
export async function revokedBranchDeviceKeys(db: Sql, branchCode: string): Promise<{ deviceId: string; publicKey: PublicJwk; revokedAt: string }[]> {
  const { rows } = await db.query<{ device_id: string; public_key: PublicJwk; revoked_at: Date | string }>(
    'SELECT device_id, public_key, revoked_at FROM devices WHERE branch_code = $1 AND revoked_at IS NOT NULL AND public_key IS NOT NULL ORDER BY device_id',
    [branchCode],
  );
  return rows.map((r) => ({ deviceId: r.device_id, publicKey: r.public_key, revokedAt: new Date(r.revoked_at).toISOString() }));
}

/**
 * Who wrote a renderer audit entry (issue 17, audit-id squatting; issue 18 pt 7), at HQ and at a
 * branch hub alike (both hold the device keys in `devices.public_key`; a hub learns them from HQ).
 * A signed entry must hash to itself and be signed by its device's registered key. An entry a PC
 * relays from another PC's chain (`relayed`: pushed marked as pulled) is taken only signed by that
 * device: nothing else shows the relaying PC did not make it up and take that device's ids. An
 * unsigned entry (older PCs, or main would not sign) only from its own device. Null: taken; else the reason.
 */
export async function auditAuthorshipProblem(db: Sql, entry: AuditEntry, relayed: boolean): Promise<string | null> {
  if (entry.signature === undefined) {
    return relayed ? `audit: an entry of device ${entry.deviceId}'s chain relayed by another device must be signed by ${entry.deviceId}; this one is not` : null;
  }
  const { rows } = await db.query<{ public_key: PublicJwk | null }>('SELECT public_key FROM devices WHERE device_id::text = $1', [entry.deviceId]);
  const key = rows[0]?.public_key ?? null;
  if (key === null) {
    // Its own device's entry is taken as an unsigned one would be; a relayed one cannot be checked.
    return relayed ? `audit: no public key of device ${entry.deviceId} is registered here, so its signature cannot be checked` : null;
  }
  if ((await computeEntryHash(nodeSha256Hex, entry)) !== entry.hash) return 'audit: hash does not match the entry (edited?)';
  if (!verifierFor(key)(auditSignedText(entry.hash), entry.signature)) {
    return `audit: signature is not by device ${entry.deviceId}'s registered key (forged or edited)`;
  }
  return null;
}
