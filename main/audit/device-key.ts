// Signing with the device key in main (node:crypto): ECDSA P-256 / SHA-256, IEEE P1363 signatures.
// The private key is read from the vault (main/storage/handcarry-key.ts) and used here only; the
// renderer never receives it. HQ checks with the same `verifierFor` and the public key it registered.
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { HandcarrySigningKey } from '@shared/ipc/contract';
import type { Sha256Hex } from '@shared/audit/chain';

type PublicJwk = HandcarrySigningKey['publicKey'];

export const nodeSha256Hex: Sha256Hex = (text) => Promise.resolve(createHash('sha256').update(text, 'utf8').digest('hex'));

/** A signer over UTF-8 text (base64url P1363 signature). */
export function signerFor(key: HandcarrySigningKey): (text: string) => string {
  const privateKey = createPrivateKey({ key: { ...key.privateKey }, format: 'jwk' });
  return (text) => sign('sha256', Buffer.from(text, 'utf8'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

/** A checker of `signerFor`'s signatures under `publicKey`; false on any malformed input. */
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
