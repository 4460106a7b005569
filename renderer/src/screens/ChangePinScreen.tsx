import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { NewPin, Pin, type Session } from '@shared/staff/schema';
import { ErrorAlert } from '../components/Alert';
import { NewPinFields, PinField } from '../components/Field';
import { failureOf, useFormSubmit } from '../components/useFormSubmit';
import { useApp } from '../app/AppContext';

/**
 * After the branch head reset a member's PIN, the member signs in with the temporary PIN and must
 * set their own before anything else (main refuses every other call until then).
 */
export function ChangePinScreen({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { setSession, signOut } = useApp();
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [pinConfirm, setPinConfirm] = useState('');

  const { formRef, errors, alert, busy, onSubmit } = useFormSubmit({
    validate: () => {
      const e: Record<string, string> = {};
      if (!Pin.safeParse(current).success) e.currentPin = t('validation.pin');
      const fresh = NewPin.safeParse(pin);
      if (!fresh.success) e.pin = Pin.safeParse(pin).success ? t('changePin.weak') : t('validation.pin');
      else if (pin === current) e.pin = t('changePin.same');
      else if (pin !== pinConfirm) e.pinConfirm = t('validation.pinMismatch');
      return Object.keys(e).length ? { ok: false, errors: e } : { ok: true, data: { pin: current, newPin: pin } };
    },
    call: (data) => loket().staff.changePin(data),
    onSuccess: (next) => setSession(next),
    onFailure: (error) => {
      if (error.code === 'PIN_WRONG') return { errors: { currentPin: t('changePin.wrong') }, alert: t('changePin.wrong') };
      return failureOf(t, error);
    },
  });

  return (
    <div className="page page--center">
      <div className="card card--auth" data-testid="change-pin-screen">
        <h1 className="card__heading">{t('changePin.title')}</h1>
        <p className="lock__who">
          <strong>{session.name}</strong> · {t(`roles.${session.role}`)}
        </p>
        <p className="card__hint">{t('changePin.intro')}</p>
        <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={busy}>
          <ErrorAlert>{alert}</ErrorAlert>
          <PinField id="change-pin-current" field="currentPin" label={t('changePin.current')} value={current} onChange={(e) => setCurrent(e.target.value)} error={errors.currentPin} autoFocus />
          <NewPinFields id="change-pin-new" pin={pin} pinConfirm={pinConfirm} onPinChange={setPin} onPinConfirmChange={setPinConfirm} errors={errors} />
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {t('changePin.submit')}
          </button>
        </form>
        <div className="lock__footer">
          <button type="button" className="button button--ghost button--block" onClick={() => void signOut()}>
            {t('lock.signOut')}
          </button>
        </div>
      </div>
    </div>
  );
}
