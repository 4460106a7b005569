import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/dates';
import { PROVINCE_CODES, composeNik, parseNik, type NikErrorCode } from '@shared/identity/nik';
import { parseKpj } from '@shared/identity/kpj';

const TODAY = '2026-03-02';

describe('NIK', () => {
  it.each([
    { nik: '3171011005690001', birthDate: '1969-05-10', sex: 'male', region: '317101' },
    { nik: '3171017101900007', birthDate: '1990-01-31', sex: 'female', region: '317101', label: 'woman born on the 31st (day 71)' },
    { nik: '3273024102000123', birthDate: '2000-02-01', sex: 'female', region: '327302' },
    { nik: '3273026902000123', birthDate: '2000-02-29', sex: 'female', region: '327302', label: '29 Feb 2000 (leap: divisible by 400)' },
    { nik: '9401010101050001', birthDate: '2005-01-01', sex: 'male', region: '940101', label: 'Papua Tengah (2022 province)' },
    // The two-digit year resolves to the century that puts the birth date in the past (DOMAIN.md).
    { nik: '3171010104260001', birthDate: '1926-04-01', sex: 'male', region: '317101', label: '1 April 26: next month in 2026, so 1926' },
    { nik: '3171010103260001', birthDate: '2026-03-01', sex: 'male', region: '317101', label: '1 March 26: yesterday, so 2026' },
    { nik: '3171010203260001', birthDate: '2026-03-02', sex: 'male', region: '317101', label: '2 March 26: today, so 2026' },
  ])('parses $nik → $birthDate $sex', ({ nik, birthDate, sex, region }) => {
    expect(parseNik(nik, TODAY)).toEqual({ ok: true, value: { birthDate, sex, regionCode: region } });
  });

  it.each<{ nik: string; code: NikErrorCode; label: string }>([
    { nik: '317101100569001', code: 'NIK_FORMAT', label: '15 digits' },
    { nik: '31710110056900011', code: 'NIK_FORMAT', label: '17 digits' },
    { nik: '31710110056900a1', code: 'NIK_FORMAT', label: 'a letter' },
    { nik: '9971011005690001', code: 'NIK_PROVINCE', label: 'province 99' },
    { nik: '2071011005690001', code: 'NIK_PROVINCE', label: 'province 20' },
    { nik: '3100011005690001', code: 'NIK_REGION', label: 'regency 00' },
    { nik: '3171001005690001', code: 'NIK_REGION', label: 'district 00' },
    { nik: '3171013205690001', code: 'NIK_BIRTH_DATE', label: 'day 32 (neither a man nor a woman)' },
    { nik: '3171017205690001', code: 'NIK_BIRTH_DATE', label: 'day 72 (woman, 32nd)' },
    { nik: '3171010005690001', code: 'NIK_BIRTH_DATE', label: 'day 00' },
    { nik: '3171014005690001', code: 'NIK_BIRTH_DATE', label: 'day 40 (woman, 0th)' },
    { nik: '3171013104690001', code: 'NIK_BIRTH_DATE', label: '31 April' },
    { nik: '3171012902010001', code: 'NIK_BIRTH_DATE', label: '29 Feb 2001' },
    { nik: '3171011013690001', code: 'NIK_BIRTH_DATE', label: 'month 13' },
    { nik: '3171011005690000', code: 'NIK_SERIAL', label: 'serial 0000' },
  ])('rejects $label with $code', ({ nik, code }) => {
    const r = parseNik(nik, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.id.length).toBeGreaterThan(0);
      expect(r.error.message.en.length).toBeGreaterThan(0);
    }
  });

  const provinces = Object.keys(PROVINCE_CODES);
  const arbNikParts = fc.record({
    province: fc.constantFrom(...provinces),
    regency: fc.integer({ min: 1, max: 99 }),
    district: fc.integer({ min: 1, max: 99 }),
    // 99 years back from today: the two-digit year is unambiguous in that window.
    daysBack: fc.integer({ min: 0, max: 99 * 365 - 30 }),
    sex: fc.constantFrom('male' as const, 'female' as const),
    serial: fc.integer({ min: 1, max: 9999 }),
  });

  it('round-trips every generated NIK (property)', () => {
    fc.assert(
      fc.property(arbNikParts, (p) => {
        const regionCode = `${p.province}${String(p.regency).padStart(2, '0')}${String(p.district).padStart(2, '0')}`;
        const birthDate = addDays(TODAY, -p.daysBack);
        const nik = composeNik({ regionCode, birthDate, sex: p.sex, serial: p.serial });
        expect(nik).toMatch(/^\d{16}$/);
        expect(parseNik(nik, TODAY)).toEqual({ ok: true, value: { birthDate, sex: p.sex, regionCode } });
      }),
    );
  });

  it('never throws and is consistent on any 16-character input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ minLength: 16, maxLength: 16 }), fc.stringMatching(/^\d{16}$/)), (s) => {
        const r = parseNik(s, TODAY);
        if (r.ok) {
          expect(s).toMatch(/^\d{16}$/);
          const dd = Number(s.slice(6, 8));
          expect(r.value.sex).toBe(dd > 40 ? 'female' : 'male');
          expect(Number(r.value.birthDate.slice(8))).toBe(dd > 40 ? dd - 40 : dd);
          expect(r.value.birthDate <= TODAY).toBe(true);
        } else {
          expect(r.error.code).toMatch(/^NIK_/);
        }
      }),
    );
  });
});

describe('KPJ', () => {
  it.each([
    { input: '12000000001', ok: true },
    { input: '120 0000 0001', ok: true },
    { input: '1200000000', ok: false },
    { input: '120000000011', ok: false },
    { input: '1200000000A', ok: false },
  ])('$input → $ok', ({ input, ok }) => {
    expect(parseKpj(input).ok).toBe(ok);
  });

  it('accepts exactly the 11-digit numbers (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 14 }), (s) => {
        expect(parseKpj(s).ok).toBe(/^\d{11}$/.test(s.replace(/[\s-]/g, '')));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (s) => {
        expect(parseKpj(s)).toEqual({ ok: true, value: s });
      }),
    );
  });
});
