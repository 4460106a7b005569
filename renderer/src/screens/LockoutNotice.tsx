import { useTranslation } from 'react-i18next';
import type { IpcError } from '@shared/ipc/result';
import { formatCountdown, formatHm, parseIso } from '../app/time';
import { useNow } from '../app/useNow';
import { errorMessage } from '../app/errors';

export interface Lockout {
  staffId: string;
  retryAt: Date;
  error: IpcError;
}

export function lockoutOf(error: IpcError, staffId: string): Lockout | null {
  if (error.code !== 'LOCKED_OUT') return null;
  const retryAt = parseIso(error.details?.retryAt);
  return retryAt ? { staffId, retryAt, error } : null;
}

/**
 * "Too many wrong PINs, try again at 14:32" with a live countdown. The form stays usable: the
 * lock-out is per staff member, so a colleague can still sign in on this PC.
 */
export function LockoutNotice({ lockout }: { lockout: Lockout }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const remaining = lockout.retryAt.getTime() - now.getTime();
  return (
    <div role="alert" className="alert alert--error" data-testid="lockout">
      <p>{errorMessage(t, lockout.error) || t('errorDetail.lockedOutUntil', { time: formatHm(lockout.retryAt) })}</p>
      <p className="alert__detail" aria-live="off">
        {remaining > 0 ? t('errorDetail.lockedOutCountdown', { remaining: formatCountdown(remaining) }) : t('errorDetail.lockedOutOver')}
      </p>
    </div>
  );
}
