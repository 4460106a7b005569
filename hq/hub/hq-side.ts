import { z } from 'zod';
import { StaffId } from '@shared/staff/schema';
import { HandcarryPublicJwk } from '@shared/ipc/contract';
import type { Sql } from '../db';
import { HqError } from '../errors';
import type { Device } from '../store';
import type { HubAnnounce } from '@shared/sync/protocol';

// HQ's side of the branch hub: which device is a branch's hub, what it may read (the branch's
// device list), and for whom it may relay (devices of its own branch, not revoked).

/** The header a relay names the author of its records in: the PC that pushed them to the hub. */
export const ORIGIN_DEVICE_HEADER = 'x-loket-origin-device';

type PublicJwk = z.infer<typeof HandcarryPublicJwk>;

/** One device as the hub needs it to authenticate the branch's PCs. */
export interface HubDevice {
  deviceId: string;
  name: string;
  /** SHA-256 hex of the device's token (HQ never holds the token itself). */
  tokenHash: string;
  enrolledAt: string;
  revokedAt: string | null;
  /** The device key HQ registered (null: none yet): the hub checks relayed audit entries with it (device-audit.ts). */
  publicKey?: PublicJwk | null;
}

export interface HubDeviceList {
  branchCode: string;
  devices: HubDevice[];
  /**
   * When HQ read the list, on HQ's clock (the clock of a roster's `issuedAt`): a hub restarted with
   * a roster signed before that keeps what it learnt (hq/hub/roster.ts). Absent from an older HQ.
   */
  issuedAt?: string;
}

export const HubDeviceListSchema = z.strictObject({
  branchCode: z.string(),
  devices: z
    .array(
      z.strictObject({
        deviceId: z.uuid(),
        name: z.string().max(80),
        tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
        enrolledAt: z.iso.datetime({ offset: true }),
        revokedAt: z.iso.datetime({ offset: true }).nullable(),
        publicKey: HandcarryPublicJwk.nullable().optional(),
      }),
    )
    .max(10_000),
  issuedAt: z.iso.datetime({ offset: true }).optional(),
});

/** Refuses any device but the one the head made its branch's hub. */
export async function requireBranchHub(db: Sql, device: Device): Promise<void> {
  const { rows } = await db.query<{ hub: string | null }>('SELECT hub_device_id::text AS hub FROM branches WHERE code = $1', [device.branchCode]);
  if (rows[0]?.hub !== device.deviceId) throw new HqError(403, 'NOT_BRANCH_HUB', "This device is not its branch's hub");
}

export async function hubDeviceList(db: Sql, branchCode: string): Promise<HubDeviceList> {
  const { rows } = await db.query<{ device_id: string; name: string; token_hash: string; enrolled_at: Date | string; revoked_at: Date | string | null; public_key: PublicJwk | null }>(
    'SELECT device_id::text AS device_id, name, token_hash, enrolled_at, revoked_at, public_key FROM devices WHERE branch_code = $1 ORDER BY enrolled_at, device_id',
    [branchCode],
  );
  const iso = (d: Date | string) => new Date(d).toISOString();
  return {
    branchCode,
    devices: rows.map((r) => ({
      deviceId: r.device_id,
      name: r.name,
      tokenHash: r.token_hash,
      enrolledAt: iso(r.enrolled_at),
      revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
      publicKey: r.public_key,
    })),
  };
}

/**
 * The author of a relay: a device of the hub's own branch, not revoked. Another branch's device is
 * FORBIDDEN_BRANCH; an unknown or revoked one ORIGIN_DEVICE_REFUSED.
 */
export async function originDevice(db: Sql, hub: Device, header: string | string[] | undefined): Promise<Device> {
  const id = z.uuid().safeParse(header);
  if (!id.success) throw new HqError(400, 'INVALID_PAYLOAD', `Header ${ORIGIN_DEVICE_HEADER}: the id of the device that wrote the records`);
  const { rows } = await db.query<{ branch_code: string; name: string; revoked: boolean }>(
    'SELECT branch_code, name, revoked_at IS NOT NULL AS revoked FROM devices WHERE device_id = $1',
    [id.data],
  );
  const row = rows[0];
  if (row && row.branch_code !== hub.branchCode) throw new HqError(403, 'FORBIDDEN_BRANCH', 'A hub relays only for devices of its own branch');
  if (!row || row.revoked) throw new HqError(403, 'ORIGIN_DEVICE_REFUSED', 'The device named as author is unknown or revoked');
  return { deviceId: id.data, branchCode: row.branch_code, name: row.name };
}

/** `PUT /v1/hub/role`: the head who made this PC the hub (for HQ's log). */
export const HubRoleClaim = z.strictObject({ staffId: StaffId });

/**
 * Makes `deviceId`, an enrolled and not revoked device of the branch, its hub (`hq:admin set-hub`,
 * and a PC's own claim below). False: no such device. The previous hub's address and certificate
 * are cleared: the new hub announces its own, and the old one is refused from then on.
 */
export async function assignBranchHub(db: Sql, branchCode: string, deviceId: string): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE branches SET hub_device_id = $2,
        -- a new hub announces its own address and certificate; the old ones no longer hold
        hub_fingerprint = CASE WHEN hub_device_id = $2 THEN hub_fingerprint END,
        hub_addresses = CASE WHEN hub_device_id = $2 THEN hub_addresses END
      WHERE code = $1
        AND EXISTS (SELECT 1 FROM devices WHERE device_id = $2 AND branch_code = $1 AND revoked_at IS NULL) RETURNING code`,
    [branchCode, deviceId],
  );
  return rows.length > 0;
}

/**
 * A PC claims its own branch's hub role (the head's one step in Settings; moving the role is the
 * same claim from another PC): the same change as `hq:admin set-hub`.
 */
export async function claimHubRole(db: Sql, device: Device): Promise<void> {
  // Revoked between authentication and here: as if the token were unknown.
  if (!(await assignBranchHub(db, device.branchCode, device.deviceId))) throw new HqError(401, 'UNAUTHENTICATED', 'Unknown or revoked device token');
}

/**
 * The hub's announcement (where it listens, its certificate), kept for its branch's PCs. True when
 * it changed what HQ held: only then are the branch's PCs told (the hub announces every round).
 */
export async function announceHub(db: Sql, device: Device, body: HubAnnounce): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE branches SET hub_fingerprint = $2, hub_addresses = $3::jsonb
      WHERE code = $1 AND hub_device_id = $4
        AND (hub_fingerprint IS DISTINCT FROM $2 OR hub_addresses IS DISTINCT FROM $3::jsonb) RETURNING code`,
    [device.branchCode, body.fingerprint, JSON.stringify(body.addresses), device.deviceId],
  );
  return rows.length > 0;
}
