// Base64 for WebCrypto bytes, in the renderer and in Node alike (no Buffer in the renderer).
// Field encryption encodes every encrypted field of every write, so this is on the hot path:
// the platform's Uint8Array.toBase64/fromBase64 where it has them (Chromium 140+), else a table
// encoder (btoa over String.fromCharCode was a fifth of a 10,000-case pull's CPU time).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Every 12-bit value as its two base64 characters. */
const PAIRS: string[] = Array.from({ length: 4096 }, (_, n) => ALPHABET[n >> 6]! + ALPHABET[n & 63]!);
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

interface NativeBase64 {
  toBase64?: () => string;
}
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string, o: { lastChunkHandling: 'strict' }) => Uint8Array<ArrayBuffer> }).fromBase64;

export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as NativeBase64).toBase64;
  if (native) return native.call(bytes);
  let out = '';
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += PAIRS[n >> 12]! + PAIRS[n & 0xfff]!;
  }
  if (bytes.length - whole === 1) {
    const n = bytes[whole]! << 16;
    out += PAIRS[n >> 12]! + '==';
  } else if (bytes.length - whole === 2) {
    const n = (bytes[whole]! << 16) | (bytes[whole + 1]! << 8);
    out += PAIRS[n >> 12]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Throws on anything but padded base64 (the platform's decoder may skip ASCII whitespace). */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  if (nativeFromBase64) return nativeFromBase64(b64, { lastChunkHandling: 'strict' });
  const bad = () => new SyntaxError('not base64');
  if (b64.length % 4 !== 0) throw bad();
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((b64.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < b64.length; i += 4) {
    const c0 = VALUE[b64.charCodeAt(i)] ?? -1;
    const c1 = VALUE[b64.charCodeAt(i + 1)] ?? -1;
    const last = i + 4 === b64.length;
    const c2 = last && pad === 2 ? 0 : (VALUE[b64.charCodeAt(i + 2)] ?? -1);
    const c3 = last && pad >= 1 ? 0 : (VALUE[b64.charCodeAt(i + 3)] ?? -1);
    if ((c0 | c1 | c2 | c3) < 0) throw bad();
    const n = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}
