// The NIK is stored only encrypted; lookups go through a keyed hash (HMAC-SHA-256), so the index
// reveals nothing without the key. The HMAC key is derived from the database key (HKDF), so one
// secret from `secrets.dbKey` protects both.
// TODO(sync issue): a branch-wide key from HQ enrolment, so hashes match across the branch's PCs.

const INFO = new TextEncoder().encode('loket/nik-hash/v1');

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export type NikHasher = (nik: string) => Promise<string>;

export async function createNikHasher(dbKey: string): Promise<NikHasher> {
  const subtle = globalThis.crypto.subtle;
  const master = await subtle.importKey('raw', base64ToBytes(dbKey), 'HKDF', false, ['deriveKey']);
  const hmacKey = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: INFO },
    master,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
  return async (nik: string) => {
    const mac = new Uint8Array(await subtle.sign('HMAC', hmacKey, new TextEncoder().encode(nik)));
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
  };
}
