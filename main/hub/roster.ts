import { createPublicKey, verify } from 'node:crypto';
import path from 'node:path';
import { RosterPayload, SignedRoster } from '@shared/sync/roster';
import type { HqCredentials } from '../hq/credentials';
import { JsonFile } from '../store';

// This PC's copy of its branch's roster signed by HQ (issue 17 pt 3), kept in
// `<userData>/hub-roster.json`: the latest one HQ gave while online. When this PC is made the hub
// while HQ is unreachable, its hub admits the PCs listed here (the hub checks HQ's signature again:
// hq/hub/roster.ts). The first HQ key seen is kept: a roster signed with another key is refused.

/** The payload of a roster whose signature holds under its key, else null. */
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

export type KeepOutcome = 'kept' | 'unchanged' | 'older' | 'bad-signature' | 'other-branch' | 'other-key';

export class RosterStore {
  private readonly file: JsonFile<typeof SignedRoster>;

  constructor(userDataDir: string) {
    this.file = new JsonFile(path.join(userDataDir, 'hub-roster.json'), SignedRoster);
  }

  /** The kept roster; null when none (or the file was damaged: it is kept aside and fetched again). */
  read(): SignedRoster | null {
    try {
      return this.file.read();
    } catch {
      return null;
    }
  }

  /** Keeps `signed` when HQ's signature holds, it is this branch's, under the key kept before, and not older. */
  keep(signed: SignedRoster, branchCode: string): KeepOutcome {
    const payload = verifiedRoster(signed);
    if (!payload) return 'bad-signature';
    if (payload.branch.code !== branchCode) return 'other-branch';
    const held = this.read();
    if (held && held.publicKey !== signed.publicKey) return 'other-key';
    const heldAt = held ? verifiedRoster(held)?.issuedAt : undefined;
    if (heldAt && Date.parse(heldAt) > Date.parse(payload.issuedAt)) return 'older';
    if (held?.payload === signed.payload) return 'unchanged';
    this.file.write(signed);
    return 'kept';
  }
}

/** HQ's `GET /v1/hub/roster` for this PC's branch; throws when HQ cannot be reached or answers otherwise. */
export async function fetchRoster(creds: HqCredentials, fetchImpl: typeof fetch = fetch, timeoutMs = 10_000): Promise<SignedRoster> {
  const res = await fetchImpl(`${creds.url}/v1/hub/roster`, {
    headers: { authorization: `Bearer ${creds.token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  if (res.status !== 200) throw new Error(`HQ answered the roster request with HTTP ${res.status}`);
  return SignedRoster.parse(await res.json());
}
