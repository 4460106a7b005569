// Base64 for WebCrypto bytes, in the renderer and in Node alike (no Buffer in the renderer).
// Field encryption encodes every encrypted field of every write, so this is on the hot path:
// the platform's Uint8Array.toBase64/fromBase64 where it has them (Chromium 140+), else a table
// encoder (btoa over String.fromCharCode was a fifth of a 10,000-case pull's CPU time). The table
// encoder writes the characters' codes into bytes and decodes them once: building the text by
// concatenation left ~1,700 short-lived strings per sealed case, and their garbage made it most of
// the field encryption's CPU time in Node (issue 19 pt 4).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const EQ = '='.charCodeAt(0);
// Typed here as in ./encoding/utf8.ts: shared/ compiles without the DOM and Node type libraries.
const ascii = new (globalThis as unknown as { TextDecoder: new () => { decode(bytes: Uint8Array): string } }).TextDecoder();
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

interface NativeBase64 {
  toBase64?: () => string;
}
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string, o: { lastChunkHandling: 'strict' }) => Uint8Array<ArrayBuffer> }).fromBase64;

export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as unknown as NativeBase64).toBase64;
  if (native) return native.call(bytes);
  const whole = bytes.length - (bytes.length % 3);
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  for (let i = 0; i < whole; i += 3, o += 4) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o] = CODES[n >> 18]!;
    out[o + 1] = CODES[(n >> 12) & 63]!;
    out[o + 2] = CODES[(n >> 6) & 63]!;
    out[o + 3] = CODES[n & 63]!;
  }
  if (bytes.length > whole) {
    const n = (bytes[whole]! << 16) | ((bytes[whole + 1] ?? 0) << 8);
    out[o] = CODES[n >> 18]!;
    out[o + 1] = CODES[(n >> 12) & 63]!;
    out[o + 2] = bytes.length - whole === 2 ? CODES[(n >> 6) & 63]! : EQ;
    out[o + 3] = EQ;
  }
  return ascii.decode(out);
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
