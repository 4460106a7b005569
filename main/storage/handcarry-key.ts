// The device's hand-carry signing key (ECDSA P-256, docs/handcarry-format.md): made once per device
// and kept in the secret vault (safeStorage in Electron), never in the renderer's storage. The
// renderer gets it only through `handcarry.signingKey` (head/admin, unlocked), imports the private
// part as a non-extractable WebCrypto key for one export and drops it: the same trust boundary as
// `secrets.dbKey`. Its public part (and thumbprint) is what HQ puts on the branch's trust list.
import { generateKeyPairSync } from 'node:crypto';
import { HandcarrySigningKey } from '../../shared/ipc/contract';
import type { SecretVault } from '../secrets';

function newKeyJson(): string {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const priv = privateKey.export({ format: 'jwk' });
  const pub = publicKey.export({ format: 'jwk' });
  return JSON.stringify({
    privateKey: { kty: priv.kty, crv: priv.crv, x: priv.x, y: priv.y, d: priv.d },
    publicKey: { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y },
  });
}

/** The device's signing key pair as JWKs, created on first use. Throws if the kept copy is not a valid key. */
export function handcarrySigningKey(vault: SecretVault): HandcarrySigningKey {
  const kept = HandcarrySigningKey.safeParse(JSON.parse(vault.secret('handcarry-signing-key', newKeyJson)));
  if (!kept.success) throw new Error('the kept hand-carry signing key is not a valid P-256 key pair');
  if (kept.data.privateKey.x !== kept.data.publicKey.x || kept.data.privateKey.y !== kept.data.publicKey.y) {
    throw new Error('the kept hand-carry signing key pair does not match');
  }
  return kept.data;
}
