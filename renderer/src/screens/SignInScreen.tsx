import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { SignIn } from '@shared/ipc/contract';
import type { IpcError } from '@shared/ipc/result';
import { ErrorAlert } from '../components/Alert';
import { PinField, TextField } from '../components/Field';
import { failureOf, parseForm, useFormSubmit } from '../components/useFormSubmit';
import { useApp } from '../app/AppContext';
import { errorMessage } from '../app/errors';
import { LockoutNotice, lockoutOf, type Lockout } from './LockoutNotice';

export function SignInScreen() {
  const { t } = useTranslation();
  const { setSession, info } = useApp();
  const pinRef = useRef<HTMLInputElement>(null);
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  // The last refusal from main, kept whole so its message follows a language switch: the alert is
  // built from it at render, not taken from useFormSubmit.
  const [error, setError] = useState<IpcError | null>(null);
  const [lockout, setLockout] = useState<Lockout | null>(null);

  const { formRef, errors, busy, onSubmit } = useFormSubmit({
    validate: () => {
      const checked = parseForm(t, SignIn, { staffId, pin });
      if (!checked.ok) setError(null);
      return checked;
    },
    call: (data) => loket().staff.signIn(data),
    onSuccess: (session) => setSession(session),
    onFailure: (failed, data) => {
      setError(failed);
      setLockout(lockoutOf(failed, data.staffId));
      setPin('');
      if (failed.code !== 'PIN_WRONG' && failed.code !== 'LOCKED_OUT') return failureOf(t, failed);
      pinRef.current?.focus();
      return 'handled';
    },
  });

  const showLockout = lockout && lockout.staffId === staffId.trim().toLowerCase();

  return (
    <div className="page page--center">
      <div className="card card--auth">
        <h1 className="card__heading">{t('signIn.title')}</h1>
        {info?.branch ? (
          <p className="auth__branch">
            <strong>{info.branch.code}</strong> · {info.branch.name}
          </p>
        ) : null}
        <p className="card__hint">{t('signIn.intro')}</p>
        <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={busy}>
          {showLockout ? (
            <LockoutNotice lockout={lockout} />
          ) : (
            <ErrorAlert>{error && error.code !== 'INVALID_PAYLOAD' ? errorMessage(t, error) : Object.keys(errors).length > 0 ? t('validation.summary') : null}</ErrorAlert>
          )}
          <TextField
            id="signin-staff-id"
            field="staffId"
            label={t('fields.staffId')}
            value={staffId}
            onChange={(e) => {
              setStaffId(e.target.value);
              setError(null);
            }}
            error={errors.staffId}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
          />
          <PinField
            ref={pinRef}
            id="signin-pin"
            field="pin"
            label={t('fields.pin')}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            error={errors.pin}
          />
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
      </div>
    </div>
  );
}
