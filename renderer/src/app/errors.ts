import type { TFunction } from 'i18next';
import type { IpcError } from '@shared/ipc/result';
import { formatHm, parseIso } from './time';

/** Field key (dotted request path, e.g. "branch.code") → message shown next to that field. */
export type FieldErrors = Readonly<Record<string, string>>;

/** A clear, actionable message for any bridge error, in the current language. */
export function errorMessage(t: TFunction, error: IpcError): string {
  const details = error.details;
  if (error.code === 'PIN_WRONG' && details?.attemptsLeft !== undefined) {
    return t('errorDetail.pinWrongAttempts', { count: details.attemptsLeft });
  }
  if (error.code === 'LOCKED_OUT') {
    const retryAt = parseIso(details?.retryAt);
    if (retryAt) return t('errorDetail.lockedOutUntil', { time: formatHm(retryAt) });
  }
  if (error.code === 'HQ_REJECTED') {
    const code = details?.hq?.code;
    if (code === 'ENROL_CODE_INVALID') return t('errorDetail.enrolCodeInvalid');
    if (code === 'DEVICE_EXISTS') return t('errorDetail.deviceExists');
    if (code) return t('errorDetail.hqRejected', { code });
  }
  return t(`errors.${error.code}`);
}

/** Normalises a path ("branch.code", "/branch/code", ["branch", "code"]) to the dotted form. */
export function pathKey(path: string | readonly PropertyKey[]): string {
  const parts = typeof path === 'string' ? path.split(/[./[\]]+/) : path.map(String);
  return parts.filter((p) => p.length > 0).join('.');
}

interface IssueLike {
  path: string | readonly PropertyKey[];
  code?: string;
  message: string;
}

const WEEKDAY_KEYS = new Set(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);

/**
 * The message for one schema issue, chosen by the field it concerns so it says what to do (zod's
 * own wording is technical and English). Works for client-side zod issues and for the
 * `{ path, message }` issues an INVALID_PAYLOAD carries from main.
 */
export function issueMessage(t: TFunction, issue: IssueLike): string {
  const key = pathKey(issue.path);
  const parts = key.split('.');
  const last = parts.at(-1) ?? '';
  const parent = parts.at(-2) ?? '';
  const custom = issue.code === 'custom';
  if (parent === 'dailyCapacity') return t('validation.dailyCapacity');
  switch (last) {
    case 'staffId':
      return t('validation.staffId');
    case 'name':
      return parent === 'branch' ? t('validation.branchName') : t('validation.name');
    case 'pin':
      return custom || /mudah|weak|guess/i.test(issue.message) ? t('validation.pinWeak') : t('validation.pin');
    case 'pinConfirm':
      return t('validation.pinMismatch');
    case 'role':
      return t('validation.role');
    case 'code':
      return t('validation.branchCode');
    case 'counters':
      return t('validation.counters');
    case 'deviceSlot':
      return t('validation.deviceSlot');
    case 'open':
    case 'close':
      return t('validation.time');
    case 'autoLockMinutes':
      return t('validation.autoLockMinutes');
    case 'hqUrl':
      return t('validation.url');
    default:
      if (WEEKDAY_KEYS.has(last)) return custom || /sebelum|before/i.test(issue.message) ? t('validation.openBeforeClose') : t('validation.time');
      return t('validation.generic');
  }
}

/** Field errors from a list of issues; the first issue of a field wins. */
export function fieldErrors(t: TFunction, issues: readonly IssueLike[], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = pathKey(issue.path);
    const withPrefix = prefix && !key.startsWith(`${prefix}.`) ? `${prefix}.${key}` : key;
    out[withPrefix] ??= issueMessage(t, issue);
  }
  return out;
}

/** Field errors carried by an INVALID_PAYLOAD from main (empty for every other error). */
export function serverFieldErrors(t: TFunction, error: IpcError): Record<string, string> {
  if (error.code !== 'INVALID_PAYLOAD') return {};
  return fieldErrors(t, error.details?.issues ?? []);
}

/** Moves focus to the first field that has an error, in document order. */
export function focusFirstError(form: HTMLFormElement | null, errors: FieldErrors): void {
  if (!form) return;
  const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return;
  }
  const first = Object.keys(errors)[0];
  if (first) form.querySelector<HTMLElement>(`[data-field="${CSS.escape(first)}"]`)?.focus();
}
