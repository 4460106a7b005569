import { createHash, randomBytes, randomInt } from 'node:crypto';
import { ENROL_CODE_ALPHABET } from '@shared/sync/protocol';

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Device tokens: 256 random bits; the `lkt_` prefix lets log scrubbing and secret scanners spot them. */
export function newDeviceToken(): string {
  return `lkt_${randomBytes(32).toString('base64url')}`;
}

/** 12 Crockford base32 characters (60 bits), typed by a person once, valid 24 h. */
export function newEnrolCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += ENROL_CODE_ALPHABET[randomInt(ENROL_CODE_ALPHABET.length)];
  return code;
}

export function formatEnrolCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

/** A branch-wide secret (the NIK hash key): 256 random bits, base64. */
export function newBranchKey(): string {
  return randomBytes(32).toString('base64');
}
