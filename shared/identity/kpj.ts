import { z } from 'zod';

/** KPJ (Kartu Peserta Jamsostek) membership number: 11 digits. One NIK may hold several. */
export const KPJ_ERRORS = {
  KPJ_FORMAT: { id: 'Nomor KPJ harus 11 angka', en: 'KPJ number must be 11 digits' },
} as const;

export type KpjResult = { ok: true; value: string } | { ok: false; error: { code: 'KPJ_FORMAT'; message: { id: string; en: string } } };

export function parseKpj(input: string): KpjResult {
  // Cards print the number in groups; staff may type the spaces.
  const kpj = input.replace(/[\s-]/g, '');
  if (!/^\d{11}$/.test(kpj)) return { ok: false, error: { code: 'KPJ_FORMAT', message: KPJ_ERRORS.KPJ_FORMAT } };
  return { ok: true, value: kpj };
}

export const Kpj = z.string().regex(/^\d{11}$/, KPJ_ERRORS.KPJ_FORMAT.id);
export type Kpj = z.infer<typeof Kpj>;
