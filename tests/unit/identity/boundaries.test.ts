// Every boundary of the NIK and KPJ rules, pinned one by one (mutation testing, issue 16): the
// province codes in use, the regency/district 00 codes, women's day + 40, months 1–12, 29 February,
// the century rule, the serial, the transport schemas, and what the case machines and HQ apply.
// The NIKs here are generated from their parts, never real people's.
import { describe, expect, it } from 'vitest';
import { InvalidNikError, Nik, PROVINCE_CODES, assertValidNik, normalizeNik, parseNik, type NikErrorCode } from '@shared/identity/nik';
import { KPJ_ERRORS, Kpj, parseKpj } from '@shared/identity/kpj';

const TODAY = '2026-03-02';
/** A NIK from its fields: `PP` `KK` `CC` `DD` `MM` `YY` `SSSS`. */
const nik = (p: { pp?: string; kk?: string; cc?: string; dd?: string; mm?: string; yy?: string; serial?: string }) =>
  `${p.pp ?? '31'}${p.kk ?? '71'}${p.cc ?? '01'}${p.dd ?? '10'}${p.mm ?? '05'}${p.yy ?? '69'}${p.serial ?? '0001'}`;
const codeOf = (s: string, today = TODAY) => {
  const r = parseNik(s, today);
  return r.ok ? 'ok' : r.error.code;
};

describe('NIK province codes', () => {
  // Kemendagri's codes, written out here independently of PROVINCE_CODES: Sumatra 11–19 and 21,
  // Java 31–36, Bali and Nusa Tenggara 51–53, Kalimantan 61–65, Sulawesi 71–76, Maluku 81–82,
  // Papua 91–96 (the 2022 provinces included).
  const inUse = ['11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '31', '32', '33', '34', '35', '36', '51', '52', '53', '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76', '81', '82', '91', '92', '93', '94', '95', '96'];

  it('accepts exactly the 38 province codes in use, and refuses every other code from 00 to 99', () => {
    for (let n = 0; n <= 99; n++) {
      const pp = String(n).padStart(2, '0');
      expect(codeOf(nik({ pp })), `province ${pp}`).toBe(inUse.includes(pp) ? 'ok' : 'NIK_PROVINCE');
    }
    expect(Object.keys(PROVINCE_CODES).sort()).toEqual(inUse);
  });

  it('names every province (a readable name for each code)', () => {
    for (const code of inUse) expect(PROVINCE_CODES[code]?.trim().length, `province ${code}`).toBeGreaterThan(2);
    expect(PROVINCE_CODES['31']).toBe('DKI Jakarta');
    expect(PROVINCE_CODES['96']).toBe('Papua Barat Daya');
  });
});

describe('NIK regency and district', () => {
  it.each([
    { kk: '00', cc: '01', code: 'NIK_REGION' },
    { kk: '01', cc: '00', code: 'NIK_REGION' },
    { kk: '00', cc: '00', code: 'NIK_REGION' },
    { kk: '01', cc: '01', code: 'ok' },
    { kk: '99', cc: '99', code: 'ok' },
  ])('regency $kk, district $cc → $code', ({ kk, cc, code }) => {
    expect(codeOf(nik({ kk, cc }))).toBe(code);
  });

  it('returns the region as PPKKCC', () => {
    const r = parseNik(nik({ pp: '96', kk: '02', cc: '13' }), TODAY);
    expect(r.ok && r.value.regionCode).toBe('960213');
  });
});

describe('NIK birth day: women add 40', () => {
  it.each([
    { dd: '00', expected: 'NIK_BIRTH_DATE' },
    { dd: '01', expected: '1969-05-01 male' },
    { dd: '31', expected: '1969-05-31 male' },
    { dd: '32', expected: 'NIK_BIRTH_DATE' },
    { dd: '39', expected: 'NIK_BIRTH_DATE' },
    { dd: '40', expected: 'NIK_BIRTH_DATE' },
    { dd: '41', expected: '1969-05-01 female' },
    { dd: '71', expected: '1969-05-31 female' },
    { dd: '72', expected: 'NIK_BIRTH_DATE' },
    { dd: '99', expected: 'NIK_BIRTH_DATE' },
  ])('day field $dd → $expected', ({ dd, expected }) => {
    const r = parseNik(nik({ dd, mm: '05', yy: '69' }), TODAY);
    expect(r.ok ? `${r.value.birthDate} ${r.value.sex}` : r.error.code).toBe(expected);
  });

  it('judges the day against the month: 30 April yes, 31 April no, for men and women', () => {
    expect(codeOf(nik({ dd: '30', mm: '04' }))).toBe('ok');
    expect(codeOf(nik({ dd: '31', mm: '04' }))).toBe('NIK_BIRTH_DATE');
    expect(codeOf(nik({ dd: '70', mm: '04' }))).toBe('ok');
    expect(codeOf(nik({ dd: '71', mm: '04' }))).toBe('NIK_BIRTH_DATE');
  });
});

describe('NIK birth month 1–12', () => {
  it.each([
    { mm: '00', code: 'NIK_BIRTH_DATE' },
    { mm: '01', code: 'ok' },
    { mm: '12', code: 'ok' },
    { mm: '13', code: 'NIK_BIRTH_DATE' },
    { mm: '99', code: 'NIK_BIRTH_DATE' },
  ])('month $mm → $code', ({ mm, code }) => {
    expect(codeOf(nik({ mm }))).toBe(code);
  });
});

describe('NIK 29 February and the century rule', () => {
  it.each([
    { yy: '00', today: TODAY, expected: '2000-02-29', label: '2000 is a leap year (divisible by 400)' },
    { yy: '24', today: TODAY, expected: '2024-02-29', label: '2024 is a leap year' },
    { yy: '25', today: TODAY, expected: 'NIK_BIRTH_DATE', label: '2025 and 1925 are not' },
    { yy: '96', today: TODAY, expected: '1996-02-29', label: '2096 is after today, 1996 is a leap year' },
    { yy: '00', today: '1999-12-31', expected: 'NIK_BIRTH_DATE', label: 'before 2000 the year 00 is 1900, not a leap year' },
    { yy: '24', today: '2024-02-28', expected: '1924-02-29', label: 'the day before 29 Feb 2024: 1924' },
    { yy: '24', today: '2024-02-29', expected: '2024-02-29', label: 'on 29 Feb 2024 itself: 2024' },
  ])('29 Feb $yy on $today → $expected ($label)', ({ yy, today, expected }) => {
    const r = parseNik(nik({ dd: '29', mm: '02', yy }), today);
    expect(r.ok ? r.value.birthDate : r.error.code).toBe(expected);
  });

  it.each([
    { date: ['03', '03', '26'], expected: '1926-03-03', label: 'tomorrow in 2026, so 1926' },
    { date: ['02', '03', '26'], expected: '2026-03-02', label: 'today, so 2026' },
    { date: ['01', '01', '00'], expected: '2000-01-01', label: 'year 00 in the past: 2000' },
    { date: ['31', '12', '99'], expected: '1999-12-31', label: 'year 99: 2099 is ahead, so 1999' },
    { date: ['01', '01', '27'], expected: '1927-01-01', label: 'a year ahead: 1927' },
  ])('$date → $expected ($label)', ({ date: [dd, mm, yy], expected }) => {
    const r = parseNik(nik({ dd, mm, yy }), TODAY);
    expect(r.ok ? r.value.birthDate : r.error.code).toBe(expected);
  });

  it('refuses a birth date after the given day in both centuries', () => {
    // Only a day before 19YY can do it: 1 January 1950 for someone "born" on 10 May (19)69.
    expect(codeOf(nik({ dd: '10', mm: '05', yy: '69' }), '1950-01-01')).toBe('NIK_BIRTH_IN_FUTURE');
    expect(codeOf(nik({ dd: '10', mm: '05', yy: '69' }), '1969-05-09')).toBe('NIK_BIRTH_IN_FUTURE');
    expect(codeOf(nik({ dd: '10', mm: '05', yy: '69' }), '1969-05-10')).toBe('ok');
  });
});

describe('NIK serial and shape', () => {
  it.each([
    { serial: '0000', code: 'NIK_SERIAL' },
    { serial: '0001', code: 'ok' },
    { serial: '9999', code: 'ok' },
  ])('serial $serial → $code', ({ serial, code }) => {
    expect(codeOf(nik({ serial }))).toBe(code);
  });

  it('gives each refusal its code and its readable message in both languages', () => {
    const r = parseNik(nik({ pp: '99' }), TODAY);
    expect(r).toEqual({ ok: false, error: { code: 'NIK_PROVINCE', message: { id: 'Kode provinsi NIK tidak dikenal', en: 'Unknown province code in NIK' } } });
    const future = parseNik(nik({}), '1950-01-01');
    expect(future).toEqual({ ok: false, error: { code: 'NIK_BIRTH_IN_FUTURE', message: { id: 'Tanggal lahir dalam NIK di masa depan', en: 'Birth date in NIK is in the future' } } });
  });

  it('the transport schema takes 16 digits and nothing else', () => {
    const valid = nik({});
    expect(Nik.safeParse(valid).success).toBe(true);
    for (const bad of ['', valid.slice(1), `${valid}1`, `x${valid}`, `${valid}x`, `${valid.slice(0, 15)}x`, 'xxxxxxxxxxxxxxxx', ' 3171011005690001']) {
      expect(Nik.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('normalizeNik: what people paste', () => {
  it.each([
    { input: '3171 0110 0569 0001', label: 'spaces' },
    { input: '3171-0110-0569-0001', label: 'dashes' },
    { input: '3171\u20100110\u20130569\u20150001', label: 'typographic dashes (U+2010–U+2015)' },
    { input: '317101.100569.0001', label: 'dots' },
    { input: '\t3171011005690001\n', label: 'tab and newline' },
  ])('drops $label', ({ input }) => {
    expect(normalizeNik(input)).toBe('3171011005690001');
  });

  it('leaves everything else for parseNik to refuse', () => {
    expect(normalizeNik('31a71_0110/0569+0001')).toBe('31a71_0110/0569+0001');
    expect(normalizeNik('3171011005690001')).toBe('3171011005690001');
    expect(normalizeNik('')).toBe('');
  });
});

describe('assertValidNik: the rule the case machines and HQ apply', () => {
  it('returns the parsed NIK, with the century judged on the case day', () => {
    expect(assertValidNik(nik({ dd: '41', mm: '04', yy: '26' }), TODAY)).toEqual({ birthDate: '1926-04-01', sex: 'female', regionCode: '317101' });
    expect(assertValidNik(nik({ dd: '01', mm: '03', yy: '26' }), TODAY)).toEqual({ birthDate: '2026-03-01', sex: 'male', regionCode: '317101' });
  });

  it('without a case day judges shape, codes, date and serial only (never "in the future")', () => {
    expect(assertValidNik(nik({ dd: '01', mm: '04', yy: '26' }))).toEqual({ birthDate: '2026-04-01', sex: 'male', regionCode: '317101' });
    expect(assertValidNik(nik({ dd: '31', mm: '12', yy: '99' })).birthDate).toBe('2099-12-31');
  });

  it.each<{ input: string; code: NikErrorCode }>([
    { input: '317101100569001', code: 'NIK_FORMAT' },
    { input: nik({ pp: '20' }), code: 'NIK_PROVINCE' },
    { input: nik({ cc: '00' }), code: 'NIK_REGION' },
    { input: nik({ mm: '13' }), code: 'NIK_BIRTH_DATE' },
    { input: nik({ serial: '0000' }), code: 'NIK_SERIAL' },
  ])('throws InvalidNikError $code, without the NIK in the message', ({ input, code }) => {
    let thrown: unknown;
    try {
      assertValidNik(input, TODAY);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidNikError);
    const err = thrown as InvalidNikError;
    expect(err.name).toBe('InvalidNikError');
    expect(err.code).toBe(code);
    expect(err.message).toBe(`NIK fails validation: ${code}`);
    expect(err.message).not.toContain(input);
  });

  it('throws NIK_BIRTH_IN_FUTURE when the case day is before the birth date in both centuries', () => {
    expect(() => assertValidNik(nik({}), '1950-01-01')).toThrow(new InvalidNikError('NIK_BIRTH_IN_FUTURE'));
  });
});

describe('KPJ: 11 digits', () => {
  it.each([
    { input: '12000000001', result: '12000000001' },
    { input: '120-0000-0001', result: '12000000001' },
    { input: ' 120 0000 0001\t', result: '12000000001' },
    { input: '1200000000', result: 'KPJ_FORMAT' },
    { input: '120000000011', result: 'KPJ_FORMAT' },
    { input: 'x12000000001', result: 'KPJ_FORMAT' },
    { input: '12000000001x', result: 'KPJ_FORMAT' },
    { input: '', result: 'KPJ_FORMAT' },
  ])('$input → $result', ({ input, result }) => {
    const r = parseKpj(input);
    expect(r.ok ? r.value : r.error.code).toBe(result);
  });

  it('refuses with its code and readable message', () => {
    expect(parseKpj('123')).toEqual({ ok: false, error: { code: 'KPJ_FORMAT', message: { id: 'Nomor KPJ harus 11 angka', en: 'KPJ number must be 11 digits' } } });
    expect(KPJ_ERRORS.KPJ_FORMAT.en).toBe('KPJ number must be 11 digits');
  });

  it('the transport schema takes 11 digits and nothing else', () => {
    expect(Kpj.safeParse('12000000001').success).toBe(true);
    for (const bad of ['', '1', '1200000000', '120000000011', 'x12000000001', '12000000001x', 'xxxxxxxxxxx', '120 0000 0001']) {
      expect(Kpj.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
