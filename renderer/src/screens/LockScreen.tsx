import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { Pin, type Session } from '@shared/staff/schema';
import type { IpcError } from '@shared/ipc/result';
import { ErrorAlert } from '../components/Alert';
import { PinField } from '../components/Field';
import { useFormSubmit } from '../components/useFormSubmit';
import { useApp } from '../app/AppContext';
import { errorMessage } from '../app/errors';
import { LockoutNotice, lockoutOf } from './LockoutNotice';

/** Auto-lock: the same staff member's PIN unlocks; anyone else signs this session out first. */
export function LockScreen({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { setSession, signOut } = useApp();
  const pinRef = useRef<HTMLInputElement>(null);
  const [pin, setPin] = useState('');
  // The last refusal from main; the alert (or lock-out notice) is built from it at render.
  const [error, setError] = useState<IpcError | null>(null);

  const { formRef, errors, busy, onSubmit } = useFormSubmit({
    validate: () => {
      const parsed = Pin.safeParse(pin);
      if (parsed.success) return { ok: true, data: parsed.data };
      setError(null);
      return { ok: false, errors: { pin: t('validation.pin') } };
    },
    call: (data) => loket().staff.unlock({ pin: data }),
    onSuccess: (unlocked) => setSession(unlocked),
    onFailure: (failed) => {
      if (failed.code === 'NOT_SIGNED_IN') {
        setSession(null);
        return 'handled';
      }
      setError(failed);
      setPin('');
      pinRef.current?.focus();
      return 'handled';
    },
  });

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
        <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={busy}>
          {lockout ? <LockoutNotice lockout={lockout} /> : <ErrorAlert>{error ? errorMessage(t, error) : null}</ErrorAlert>}
          <PinField
            ref={pinRef}
            id="unlock-pin"
            field="pin"
            label={t('fields.pin')}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            error={errors.pin}
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
