import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { Logger } from 'pino';
import { RosterPayload, SignedRoster } from '@shared/sync/roster';
import type { Sql } from '../db';
import { HqError } from '../errors';
import { hubDeviceList } from './hq-side';

// The branch's roster signed by HQ (issue 17 pt 3), and a hub taking it in without HQ. HQ signs
// with its Ed25519 key (made on first use, kept in hq_signing_keys); every PC keeps the latest
// roster it got while online (main/hub/roster.ts); a hub started while HQ is unreachable is given
// its own PC's copy and admits exactly the devices it lists, revocations honoured, after checking
// the signature, the branch, and that it is not older than the roster it already holds.

const PURPOSE = 'roster';

async function signingKey(db: Sql): Promise<{ privateKey: string; publicKey: string }> {
  const found = await db.query<{ private_key: string; public_key: string }>('SELECT private_key, public_key FROM hq_signing_keys WHERE purpose = $1', [PURPOSE]);
  if (found.rows[0]) return { privateKey: found.rows[0].private_key, publicKey: found.rows[0].public_key };
  const pair = generateKeyPairSync('ed25519');
  const privateKey = pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  // Two HQ processes making it at once: the first one's key stands.
  await db.query('INSERT INTO hq_signing_keys (purpose, private_key, public_key) VALUES ($1, $2, $3) ON CONFLICT (purpose) DO NOTHING', [PURPOSE, privateKey, publicKey]);
  return signingKey(db);
}

/** `GET /v1/hub/roster` at HQ: the device's branch (profile, devices, revocations), signed. */
export async function signedRoster(db: Sql, branchCode: string, now: Date): Promise<SignedRoster> {
  const { rows } = await db.query<{ code: string; name: string; config: { serviceHours?: unknown; counters?: number } }>('SELECT code, name, config FROM branches WHERE code = $1', [branchCode]);
  const b = rows[0];
  if (!b) throw new HqError(404, 'NOT_FOUND', 'Branch not found');
  const payload: RosterPayload = {
    branch: { code: b.code, name: b.name, serviceHours: b.config.serviceHours ?? null, counters: b.config.counters ?? 0 },
    devices: (await hubDeviceList(db, branchCode)).devices,
    issuedAt: now.toISOString(),
  };
  const text = JSON.stringify(payload);
  const key = await signingKey(db);
  const signature = sign(null, Buffer.from(text, 'utf8'), createPrivateKey({ key: Buffer.from(key.privateKey, 'base64'), format: 'der', type: 'pkcs8' }));
  return { payload: text, signature: signature.toString('base64'), publicKey: key.publicKey };
}

/** The roster's payload when HQ's signature holds, else null. */
export function verifiedRoster(signed: SignedRoster): RosterPayload | null {
  try {
    const key = createPublicKey({ key: Buffer.from(signed.publicKey, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return null;
    if (!verify(null, Buffer.from(signed.payload, 'utf8'), key, Buffer.from(signed.signature, 'base64'))) return null;
    const payload = RosterPayload.safeParse(JSON.parse(signed.payload));
    return payload.success ? payload.data : null;
  } catch {
    return null;
  }
}

/**
 * `roster:issuedAt`: how new, on HQ's clock, the hub's device list is: the last roster taken in or
 * the last device list HQ sent the hub directly (hq/hub/upstream.ts), whichever is newer. A roster
 * older than that would refuse PCs enrolled since and re-admit PCs revoked since.
 */
export async function noteDevicesAsOf(tx: Sql, issuedAt: string): Promise<void> {
  await tx.query(
    `INSERT INTO hub_state (key, value) VALUES ('roster:issuedAt', $1::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = CASE
       WHEN (hub_state.value #>> '{}')::timestamptz >= (EXCLUDED.value #>> '{}')::timestamptz THEN hub_state.value
       ELSE EXCLUDED.value END`,
    [JSON.stringify(issuedAt)],
  );
}

export type RosterOutcome = 'applied' | 'older' | 'bad-signature' | 'other-branch' | 'other-key' | 'malformed';

/**
 * Takes a roster in at the hub: the branch's profile and devices (a device the roster does not
 * list, or lists as revoked, is refused). Only a roster signed by HQ, of the hub's branch, signed
 * with the key of the rosters taken before and not older than the last one is applied.
 */
export async function applyRoster(db: Sql, branchCode: string, raw: unknown, log: Logger): Promise<RosterOutcome> {
  const outcome = await db.transaction(async (tx): Promise<RosterOutcome> => {
    const signed = SignedRoster.safeParse(raw);
    if (!signed.success) return 'malformed';
    const roster = verifiedRoster(signed.data);
    if (!roster) return 'bad-signature';
    if (roster.branch.code !== branchCode) return 'other-branch';
    const state = await tx.query<{ key: string; value: unknown }>(`SELECT key, value FROM hub_state WHERE key IN ('roster:key', 'roster:issuedAt')`);
    const held = new Map(state.rows.map((r) => [r.key, r.value]));
    if (held.has('roster:key') && held.get('roster:key') !== signed.data.publicKey) return 'other-key';
    const last = held.get('roster:issuedAt');
    if (typeof last === 'string' && Date.parse(last) > Date.parse(roster.issuedAt)) return 'older';
    const b = roster.branch;
    await tx.query(
      `INSERT INTO branches (code, name, config, created_at) VALUES ($1, $2, $3::jsonb, now())
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, config = EXCLUDED.config`,
      [b.code, b.name, JSON.stringify({ serviceHours: b.serviceHours, counters: b.counters })],
    );
    await tx.query(
      `INSERT INTO devices (device_id, branch_code, name, token_hash, enrolled_at, revoked_at, public_key)
       SELECT d."deviceId", $2, d.name, d."tokenHash", d."enrolledAt", d."revokedAt", d."publicKey"
         FROM jsonb_to_recordset($1::jsonb) AS d("deviceId" uuid, name text, "tokenHash" text, "enrolledAt" timestamptz, "revokedAt" timestamptz, "publicKey" jsonb)
       ON CONFLICT (device_id) DO UPDATE SET name = EXCLUDED.name, token_hash = EXCLUDED.token_hash,
         revoked_at = COALESCE(devices.revoked_at, EXCLUDED.revoked_at), -- HQ never takes a revocation back
         public_key = COALESCE(EXCLUDED.public_key, devices.public_key)`, // nor replaces a device key (an older HQ sends none)
      [JSON.stringify(roster.devices), branchCode],
    );
    // A device the roster does not list is refused too.
    await tx.query('UPDATE devices SET revoked_at = COALESCE(revoked_at, now()) WHERE NOT (device_id = ANY($1::uuid[]))', [roster.devices.map((d) => d.deviceId)]);
    await tx.query(`INSERT INTO hub_state (key, value) VALUES ('roster:key', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [
      JSON.stringify(signed.data.publicKey),
    ]);
    await noteDevicesAsOf(tx, roster.issuedAt);
    return 'applied';
  });
  if (outcome === 'applied') log.info({ branchCode }, 'hub: branch roster signed by HQ taken in');
  else log.warn({ branchCode, outcome }, 'hub: branch roster not taken in');
  return outcome;
}
