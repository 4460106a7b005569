import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '@shared/base64';

// Node's Buffer is the reference; the renderer has no Buffer, so the module must not lean on it.
describe('base64', () => {
  it('encodes and decodes any bytes exactly as Buffer does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(Array.from(base64ToBytes(text))).toEqual(Array.from(bytes));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses what is not base64 instead of decoding garbage', () => {
    for (const bad of ['abc', 'ab=c', '=abc', 'ab!d', 'a===', 'YW!j', 'é123']) expect(() => base64ToBytes(bad), bad).toThrow();
    expect(Array.from(base64ToBytes(''))).toEqual([]);
  });
});
