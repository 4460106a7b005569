import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt N=2^17, r=8, p=1 (128 MiB, ~0.3 s here): a stolen staff file costs ~3 days of one core
// per account over the 10^6 PIN space even with the pepper, which is not in that file anyway.
export const PIN_SCRYPT_N = 1 << 17;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 256 * 1024 * 1024;

/** How PINs are hashed on this PC: the pepper (a vault key, never in staff.json) and the scrypt cost. */
export interface PinHasher {
  hash(pin: string): Promise<string>;
  /** `rehash`: the PIN was right but its hash is of an older kind or a lower cost. */
  verify(pin: string, stored: string): Promise<{ good: boolean; rehash: boolean }>;
  /** Costs what a real check costs, for ids that have no hash (unknown, deactivated, locked). */
  dummy(pin: string): Promise<void>;
}

// One scrypt at a time: bounds memory (128 MiB each) and makes a flood of attempts queue, not fan out.
let queue: Promise<unknown> = Promise.resolve();
function derive(password: Buffer | string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const run = () =>
    new Promise<Buffer>((resolve, reject) =>
      scrypt(password, salt, KEY_LEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
    );
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Hashes are `scrypt2$N$r$p$salt$hash` (base64) of HMAC-SHA256(pepper, PIN); `scrypt$…` hashes of
 * the bare PIN (before issue 18) still verify once, and are then replaced.
 * `testOnlyN` lowers the cost for unit tests only; production never passes it.
 */
export function pinHasher(pepper: () => Buffer, testOnlyN?: number): PinHasher {
  const n = testOnlyN ?? PIN_SCRYPT_N;
  const peppered = (pin: string) => createHmac('sha256', pepper()).update(pin, 'utf8').digest();
  const dummySalt = randomBytes(16);
  return {
    async hash(pin) {
      const salt = randomBytes(16);
      const key = await derive(peppered(pin), salt, n, R, P);
      return ['scrypt2', n, R, P, salt.toString('base64'), key.toString('base64')].join('$');
    },
    async verify(pin, stored) {
      const [kind, sn, sr, sp, salt, hash] = stored.split('$');
      if ((kind !== 'scrypt' && kind !== 'scrypt2') || !sn || !sr || !sp || !salt || !hash) {
        await this.dummy(pin);
        return { good: false, rehash: false };
      }
      const expected = Buffer.from(hash, 'base64');
      const key = await derive(kind === 'scrypt2' ? peppered(pin) : pin, Buffer.from(salt, 'base64'), Number(sn), Number(sr), Number(sp));
      const good = key.length === expected.length && timingSafeEqual(key, expected);
      return { good, rehash: good && (kind !== 'scrypt2' || Number(sn) < n) };
    },
    async dummy(pin) {
      await derive(peppered(pin), dummySalt, n, R, P);
    },
  };
}
