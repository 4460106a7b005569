// The device's hand-carry signing key (ECDSA P-256, docs/handcarry-format.md): made once per device
// and kept in the secret vault (safeStorage in Electron), never in the renderer's storage. The
// renderer gets it only through `handcarry.signingKey` (head/admin, unlocked), imports the private
// part as a non-extractable WebCrypto key for one export and drops it: the same trust boundary as
// `secrets.dbKey`. Its public part (and thumbprint) is what HQ puts on the branch's trust list.
import { createPrivateKey, createSign, generateKeyPairSync, type Sign } from 'node:crypto';
import { HandcarrySigningKey } from '@shared/ipc/contract';
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

/**
 * Signing a hand-carry file in main (issue 18 pt 7): the renderer sends the text the signature
 * covers in parts (the browser-mode bridge takes 64 KB per call) and gets back the signature, so the
 * private key never leaves main. One export at a time per window; a new export id drops the old one.
 */
export class HandcarrySigner {
  private readonly open = new Map<string, { exportId: string; sign: Sign; bytes: number }>();

  constructor(private readonly vault: SecretVault) {}

  /** The public key that goes into the file's header (and that HQ registered). */
  publicKey(): HandcarrySigningKey['publicKey'] {
    return handcarrySigningKey(this.vault).publicKey;
  }

  /** Adds a part; on the last one answers the signature (standard base64, IEEE P1363 like WebCrypto's). */
  part(clientId: string, input: { exportId: string; part: string; last: boolean }): { signature: string | null; bytes: number } {
    let run = this.open.get(clientId);
    if (!run || run.exportId !== input.exportId) {
      run = { exportId: input.exportId, sign: createSign('sha256'), bytes: 0 };
      this.open.set(clientId, run);
    }
    const chunk = Buffer.from(input.part, 'utf8');
    run.bytes += chunk.length;
    if (run.bytes > MAX_SIGNED_BYTES) {
      this.open.delete(clientId);
      throw new RangeError('hand-carry file too large to sign');
    }
    run.sign.update(chunk);
    if (!input.last) return { signature: null, bytes: run.bytes };
    this.open.delete(clientId);
    const key = handcarrySigningKey(this.vault);
    const privateKey = createPrivateKey({ key: { ...key.privateKey }, format: 'jwk' });
    return { signature: run.sign.sign({ key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'), bytes: run.bytes };
  }

  forget(clientId: string): void {
    this.open.delete(clientId);
  }
}

/** 1 GiB: far beyond a real file (days of a branch's records), bounded all the same. */
const MAX_SIGNED_BYTES = 1024 * 1024 * 1024;
