import { z } from 'zod';
import { isValidYmd, toCalendarDate, type CalendarDate } from '../dates';

/**
 * NIK (Nomor Induk Kependudukan): 16 digits `PPKKCC DDMMYY SSSS` — province, regency, district,
 * birth date (women: day + 40), serial. Never log a NIK.
 */

/** Province codes in use (Kemendagri), including the 2022 Papua provinces. */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '11': 'Aceh', '12': 'Sumatera Utara', '13': 'Sumatera Barat', '14': 'Riau', '15': 'Jambi',
  '16': 'Sumatera Selatan', '17': 'Bengkulu', '18': 'Lampung', '19': 'Kepulauan Bangka Belitung',
  '21': 'Kepulauan Riau', '31': 'DKI Jakarta', '32': 'Jawa Barat', '33': 'Jawa Tengah',
  '34': 'DI Yogyakarta', '35': 'Jawa Timur', '36': 'Banten', '51': 'Bali', '52': 'Nusa Tenggara Barat',
  '53': 'Nusa Tenggara Timur', '61': 'Kalimantan Barat', '62': 'Kalimantan Tengah',
  '63': 'Kalimantan Selatan', '64': 'Kalimantan Timur', '65': 'Kalimantan Utara', '71': 'Sulawesi Utara',
  '72': 'Sulawesi Tengah', '73': 'Sulawesi Selatan', '74': 'Sulawesi Tenggara', '75': 'Gorontalo',
  '76': 'Sulawesi Barat', '81': 'Maluku', '82': 'Maluku Utara', '91': 'Papua', '92': 'Papua Barat',
  '93': 'Papua Selatan', '94': 'Papua Tengah', '95': 'Papua Pegunungan', '96': 'Papua Barat Daya',
};

export type Sex = 'male' | 'female';

export interface NikInfo {
  birthDate: CalendarDate;
  sex: Sex;
  /** `PPKKCC`: province, regency, district. */
  regionCode: string;
}

export const NIK_ERRORS = {
  NIK_FORMAT: { id: 'NIK harus 16 angka', en: 'NIK must be 16 digits' },
  NIK_PROVINCE: { id: 'Kode provinsi NIK tidak dikenal', en: 'Unknown province code in NIK' },
  NIK_REGION: { id: 'Kode kabupaten/kota atau kecamatan NIK tidak valid', en: 'Invalid regency or district code in NIK' },
  NIK_BIRTH_DATE: { id: 'Tanggal lahir dalam NIK tidak valid', en: 'Invalid birth date in NIK' },
  NIK_BIRTH_IN_FUTURE: { id: 'Tanggal lahir dalam NIK di masa depan', en: 'Birth date in NIK is in the future' },
  NIK_SERIAL: { id: 'Nomor urut NIK tidak valid', en: 'Invalid NIK serial' },
} as const;
export type NikErrorCode = keyof typeof NIK_ERRORS;

export interface NikError {
  code: NikErrorCode;
  message: { id: string; en: string };
}

export type NikResult = { ok: true; value: NikInfo } | { ok: false; error: NikError };

const fail = (code: NikErrorCode): NikResult => ({ ok: false, error: { code, message: NIK_ERRORS[code] } });

/**
 * Parses a NIK. `today` (the branch's date) resolves the two-digit year to the century that puts
 * the birth date in the past: 20YY when that date is not after today, else 19YY.
 */
export function parseNik(nik: string, today: CalendarDate): NikResult {
  if (!/^\d{16}$/.test(nik)) return fail('NIK_FORMAT');
  const province = nik.slice(0, 2);
  if (!(province in PROVINCE_CODES)) return fail('NIK_PROVINCE');
  if (nik.slice(2, 4) === '00' || nik.slice(4, 6) === '00') return fail('NIK_REGION');
  const dd = Number(nik.slice(6, 8));
  const mm = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex: Sex = dd > 40 ? 'female' : 'male';
  const day = sex === 'female' ? dd - 40 : dd;
  const recent = isValidYmd(2000 + yy, mm, day) ? toCalendarDate(2000 + yy, mm, day) : null;
  const year = recent !== null && recent <= today ? 2000 + yy : 1900 + yy;
  if (!isValidYmd(year, mm, day)) return fail('NIK_BIRTH_DATE');
  const birthDate = toCalendarDate(year, mm, day);
  if (birthDate > today) return fail('NIK_BIRTH_IN_FUTURE');
  if (nik.slice(12) === '0000') return fail('NIK_SERIAL');
  return { ok: true, value: { birthDate, sex, regionCode: nik.slice(0, 6) } };
}

/**
 * What people paste: `3171 0115 0685 0041`, `3171-0115-0685-0041`, dots. Spaces, dashes and dots
 * are dropped before the length is checked; anything else is left for `parseNik` to refuse.
 */
export function normalizeNik(input: string): string {
  return input.replace(/[\s\-\u2010-\u2015.]/g, '');
}

/** The longest text a NIK field accepts before normalising (16 digits and their separators). */
export const NIK_INPUT_MAX = 32;

/** Thrown when a case machine is started on a NIK that fails validation. */
export class InvalidNikError extends Error {
  override readonly name = 'InvalidNikError';
  readonly code: NikErrorCode;
  constructor(code: NikErrorCode) {
    super(`NIK fails validation: ${code}`); // never the NIK itself
    this.code = code;
  }
}

/**
 * The NIK rules as the case machines and HQ apply them: shape, province, region, birth date (in
 * either century, judged on `day` when known) and serial. Throws `InvalidNikError`.
 */
export function assertValidNik(nik: string, day?: CalendarDate): NikInfo {
  // Without the case's day: with the century rule the birth date is in the past in one century
  // or the other, so only shape, codes, date and serial are judged.
  const r = parseNik(nik, day ?? '9999-12-31');
  if (!r.ok) throw new InvalidNikError(r.error.code);
  return r.value;
}

/** Shape-only schema for transport (the full check needs the branch's date: `parseNik`). */
export const Nik = z.string().regex(/^\d{16}$/, NIK_ERRORS.NIK_FORMAT.id);
export type Nik = z.infer<typeof Nik>;

/** Builds a NIK from its parts: for tests and fixtures (generated numbers, never real people). */
export function composeNik(p: { regionCode: string; birthDate: CalendarDate; sex: Sex; serial: number }): string {
  const [y, m, d] = p.birthDate.split('-');
  const day = Number(d) + (p.sex === 'female' ? 40 : 0);
  return `${p.regionCode}${String(day).padStart(2, '0')}${m ?? ''}${(y ?? '').slice(2)}${String(p.serial).padStart(4, '0')}`;
}
