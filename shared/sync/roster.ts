import { z } from 'zod';
import { HandcarryPublicJwk } from '../ipc/contract';

// The branch's roster (issue 17 pt 3): what a hub needs to admit the branch's PCs (the branch's
// profile, its devices with their token hashes, revocations included), signed by HQ. Every PC of
// the branch keeps the latest one it got from HQ, so a hub started while HQ is unreachable admits
// exactly the PCs HQ listed, and no other, after checking HQ's signature.

export const RosterDevice = z.strictObject({
  deviceId: z.uuid(),
  name: z.string().max(80),
  /** SHA-256 hex of the device's token (HQ never holds the token itself). */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  enrolledAt: z.iso.datetime({ offset: true }),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
  /**
   * The device key HQ registered (ECDSA P-256 public JWK; null: none yet): the hub checks with it that
   * an audit entry another PC relays was signed by its author. Absent from an older HQ.
   */
  publicKey: HandcarryPublicJwk.nullable().optional(),
});

export const RosterPayload = z.strictObject({
  branch: z.strictObject({ code: z.string().min(1).max(8), name: z.string().max(200), serviceHours: z.unknown(), counters: z.number().int().min(0).max(200) }),
  devices: z.array(RosterDevice).max(10_000),
  /** When HQ signed it: a hub never goes back to an older roster. */
  issuedAt: z.iso.datetime({ offset: true }),
});
export type RosterPayload = z.infer<typeof RosterPayload>;

/**
 * `GET /v1/hub/roster`: the payload as the exact JSON text HQ signed (no re-serialising before the
 * check), HQ's Ed25519 signature of its UTF-8 bytes (base64) and HQ's public key (SPKI DER, base64).
 */
export const SignedRoster = z.strictObject({
  payload: z.string().min(2).max(4_000_000),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(200),
  publicKey: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(200),
});
export type SignedRoster = z.infer<typeof SignedRoster>;
