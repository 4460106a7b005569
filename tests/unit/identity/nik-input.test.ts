import { describe, expect, it } from 'vitest';
import { composeNik, NIK_INPUT_MAX, parseNik } from '@shared/identity/nik';
import { nikFromInput } from '../../../renderer/src/screens/door/NikField';

// Issue 16 (11): a NIK pasted as people write it is accepted; normalised before any length limit.
const NIK = composeNik({ regionCode: '317101', birthDate: '1990-02-17', sex: 'male', serial: 57 });
const grouped = (sep: string) => NIK.replace(/(\d{4})(?=\d)/g, `$1${sep}`);

describe('the door NIK field keeps what was pasted, normalised', () => {
  it.each([
    ['dashes', grouped('-')],
    ['spaces', grouped(' ')],
    ['dots', grouped('.')],
    ['an en dash and spaces', grouped(' – ')],
  ])('with %s: the 16 digits, a valid NIK', (_label, pasted) => {
    expect(pasted.length).toBeGreaterThan(16);
    expect(pasted.length).toBeLessThanOrEqual(NIK_INPUT_MAX);
    expect(nikFromInput(pasted)).toBe(NIK);
    expect(parseNik(nikFromInput(pasted), '2026-11-30').ok).toBe(true);
  });

  it('never cuts a 17th digit silently: it stays, and the NIK is reported as invalid', () => {
    expect(nikFromInput(`${NIK}7`)).toBe(`${NIK}7`);
    expect(parseNik(nikFromInput(`${NIK}7`), '2026-11-30').ok).toBe(false);
  });

  it('drops letters as they are typed', () => {
    expect(nikFromInput(`a${NIK.slice(0, 4)}b`)).toBe(NIK.slice(0, 4));
  });
});
