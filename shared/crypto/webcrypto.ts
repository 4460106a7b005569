// The WebCrypto that pure code uses, passed in by its caller (shared/ has no platform globals):
// the renderer passes `globalThis.crypto`, Node code (HQ, scripts) `webcrypto` from node:crypto.
// shared/ compiles without the DOM and Node type libraries, so the subset used is declared here;
// both platforms' objects fit it as they are. `K` is the platform's own CryptoKey type (opaque here),
// so a caller gets back the keys its platform knows.

export type Bytes = Uint8Array<ArrayBuffer>;

/** The JWK members used by our keys; structurally a subset of the DOM's and Node's JsonWebKey. */
export interface Jwk {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  alg?: string;
  use?: string;
  ext?: boolean;
  key_ops?: string[];
}

export interface WebCryptoKeyPair<K> {
  privateKey: K;
  publicKey: K;
}

type EcdsaP256 = { name: 'ECDSA'; namedCurve: 'P-256' };
type KeyUsage = 'sign' | 'verify' | 'deriveKey' | 'encrypt' | 'decrypt';

/** The SubtleCrypto methods (and algorithms) the hand-carry file and its keys use. */
export interface SubtleCryptoOf<K> {
  generateKey(algorithm: EcdsaP256, extractable: boolean, usages: KeyUsage[]): Promise<WebCryptoKeyPair<K>>;
  exportKey(format: 'jwk', key: K): Promise<Jwk>;
  importKey(format: 'jwk', keyData: Jwk, algorithm: EcdsaP256, extractable: boolean, usages: KeyUsage[]): Promise<K>;
  importKey(format: 'raw', keyData: Bytes, algorithm: 'PBKDF2', extractable: boolean, usages: KeyUsage[]): Promise<K>;
  deriveKey(
    algorithm: { name: 'PBKDF2'; hash: 'SHA-256'; salt: Bytes; iterations: number },
    baseKey: K,
    derivedKeyType: { name: 'AES-GCM'; length: 256 },
    extractable: boolean,
    usages: KeyUsage[],
  ): Promise<K>;
  encrypt(algorithm: { name: 'AES-GCM'; iv: Bytes; additionalData: Bytes; tagLength: 128 }, key: K, data: Bytes): Promise<ArrayBuffer>;
  decrypt(algorithm: { name: 'AES-GCM'; iv: Bytes; additionalData: Bytes; tagLength: 128 }, key: K, data: Bytes): Promise<ArrayBuffer>;
  sign(algorithm: { name: 'ECDSA'; hash: 'SHA-256' }, key: K, data: Bytes): Promise<ArrayBuffer>;
  verify(algorithm: { name: 'ECDSA'; hash: 'SHA-256' }, key: K, signature: Bytes, data: Bytes): Promise<boolean>;
  digest(algorithm: 'SHA-256', data: Bytes): Promise<ArrayBuffer>;
}

/** A WebCrypto implementation: `globalThis.crypto` (Chromium, Node) or `webcrypto` from node:crypto. */
export interface WebCrypto<K> {
  readonly subtle: SubtleCryptoOf<K>;
  getRandomValues(array: Bytes): Bytes;
}
