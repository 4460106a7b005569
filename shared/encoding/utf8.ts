// UTF-8 text <-> bytes, in the renderer and in Node alike. TextEncoder and TextDecoder are in every
// runtime we target (and allowed in pure code by eslint.config.js), but shared/ compiles without the
// DOM and Node type libraries, so the little of them used here is typed here.

interface Utf8Platform {
  TextEncoder: new () => { encode(text: string): Uint8Array<ArrayBuffer> };
  TextDecoder: new (label: 'utf-8', options: { fatal: boolean }) => { decode(bytes: ArrayBuffer | Uint8Array): string };
}
const platform = globalThis as unknown as Utf8Platform;
const encoder = new platform.TextEncoder();

/** The UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD, as TextEncoder does). */
export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** The text of UTF-8 `bytes`. @throws TypeError on bytes that are not valid UTF-8. */
export function utf8TextStrict(bytes: ArrayBuffer | Uint8Array): string {
  return new platform.TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
