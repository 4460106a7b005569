import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { SignIn } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/result';
import { ErrorAlert } from '../components/Alert';
import { PinField, TextField } from '../components/Field';
import { useFocusOnError } from '../components/useFocusOnError';
import { useApp } from '../app/AppContext';
import { errorMessage, fieldErrors, serverFieldErrors } from '../app/errors';
import { LockoutNotice, lockoutOf, type Lockout } from './LockoutNotice';

export function SignInScreen() {
  const { t } = useTranslation();
  const { setSession, info } = useApp();
  const formRef = useRef<HTMLFormElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<IpcError | null>(null);
  const [lockout, setLockout] = useState<Lockout | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useFocusOnError(formRef, attempt);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const parsed = SignIn.safeParse({ staffId, pin });
    if (!parsed.success) {
      setErrors(fieldErrors(t, parsed.error.issues));
      setError(null);
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    setErrors({});
    const result = await loket().staff.signIn(parsed.data);
    setBusy(false);
    if (result.ok) {
      setSession(result.value);
      return;
    }
    setError(result.error);
    setErrors(serverFieldErrors(t, result.error));
    setLockout(lockoutOf(result.error, parsed.data.staffId));
    setPin('');
    if (result.error.code === 'PIN_WRONG' || result.error.code === 'LOCKED_OUT') pinRef.current?.focus();
    else setAttempt((a) => a + 1);
  }

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
        <form ref={formRef} className="form" noValidate onSubmit={(e) => void submit(e)} aria-busy={busy}>
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
