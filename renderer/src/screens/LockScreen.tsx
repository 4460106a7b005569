import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { Pin, type Session } from '../../../shared/staff/schema';
import type { IpcError } from '../../../shared/ipc/result';
import { ErrorAlert } from '../components/Alert';
import { PinField } from '../components/Field';
import { useApp } from '../app/AppContext';
import { errorMessage } from '../app/errors';
import { LockoutNotice, lockoutOf } from './LockoutNotice';

/** Auto-lock: the same staff member's PIN unlocks; anyone else signs this session out first. */
export function LockScreen({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { setSession, signOut } = useApp();
  const pinRef = useRef<HTMLInputElement>(null);
  const [pin, setPin] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const parsed = Pin.safeParse(pin);
    if (!parsed.success) {
      setFieldError(t('validation.pin'));
      setError(null);
      pinRef.current?.focus();
      return;
    }
    setBusy(true);
    setFieldError(undefined);
    const result = await loket().staff.unlock({ pin: parsed.data });
    setBusy(false);
    if (result.ok) {
      setSession(result.value);
      return;
    }
    if (result.error.code === 'NOT_SIGNED_IN') {
      setSession(null);
      return;
    }
    setError(result.error);
    setPin('');
    pinRef.current?.focus();
  }

  const lockout = error ? lockoutOf(error, session.staffId) : null;

  return (
    <div className="page page--center">
      <div className="card card--auth card--lock" data-testid="lock-screen">
        <div className="lock-icon" aria-hidden="true" />
        <h1 className="card__heading">{t('lock.title')}</h1>
        <p className="lock__who">
          <strong>{session.name}</strong> · {t(`roles.${session.role}`)}
        </p>
        <p className="card__hint">{t('lock.intro', { name: session.name })}</p>
        <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-busy={busy}>
          {lockout ? <LockoutNotice lockout={lockout} /> : <ErrorAlert>{error ? errorMessage(t, error) : null}</ErrorAlert>}
          <PinField
            ref={pinRef}
            id="unlock-pin"
            field="pin"
            label={t('fields.pin')}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            error={fieldError}
            autoFocus
          />
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {t('lock.submit')}
          </button>
        </form>
        <div className="lock__footer">
          <p className="card__hint">{t('lock.notYou')}</p>
          <button type="button" className="button button--ghost button--block" onClick={() => void signOut()}>
            {t('lock.signOut')}
          </button>
        </div>
      </div>
    </div>
  );
}
