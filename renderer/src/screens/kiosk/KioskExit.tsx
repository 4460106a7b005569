import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../app/AppContext';
import type { FieldErrors } from '../../app/errors';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { PinField, TextField } from '../../components/Field';
import { failureOf, parseForm, useFormSubmit } from '../../components/useFormSubmit';
import { exitKiosk } from '../../data/use-main-setting';
import { SignIn } from '@shared/ipc/contract';

/**
 * The head's way out of kiosk mode (issue 21 pt 3), on every page of a kiosk PC (the door, the
 * sign-in screen): a discreet button opens a small form for a head's staff id and PIN. Main checks
 * it as a sign-in (same lockout, same generic failure) and the window leaves kiosk mode; whoever is
 * signed in at the door stays signed in. Shown only while app.info says this PC is a kiosk.
 */
export function KioskExit() {
  const { t } = useTranslation();
  const { info, refreshInfo } = useApp();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');

  const { formRef, errors, alert, busy, onSubmit } = useFormSubmit({
    validate: () => parseForm(t, SignIn, { staffId, pin }),
    call: (data) => exitKiosk(data),
    onSuccess: async () => {
      setOpen(false);
      setDone(true);
      setStaffId('');
      setPin('');
      await refreshInfo();
    },
    onFailure: (failed) => {
      setPin('');
      return failureOf(t, failed);
    },
  });

  if (!info?.kiosk && !done) return null;
  return (
    <KioskExitView
      open={open}
      done={done}
      staffId={staffId}
      pin={pin}
      errors={errors}
      alert={alert}
      busy={busy}
      formRef={formRef}
      onOpen={() => {
        setDone(false);
        setOpen(true);
      }}
      onCancel={() => {
        setOpen(false);
        setPin('');
      }}
      onDismiss={() => setDone(false)}
      onStaffId={setStaffId}
      onPin={setPin}
      onSubmit={onSubmit}
    />
  );
}

export interface KioskExitViewProps {
  open: boolean;
  /** Kiosk mode just ended: said once, until dismissed. */
  done: boolean;
  staffId: string;
  pin: string;
  errors: FieldErrors;
  alert: string | null;
  busy: boolean;
  formRef?: RefObject<HTMLFormElement | null>;
  onOpen: () => void;
  onCancel: () => void;
  onDismiss: () => void;
  onStaffId: (value: string) => void;
  onPin: (value: string) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
}

export function KioskExitView(p: KioskExitViewProps) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (p.open) heading.current?.focus();
  }, [p.open]);
  // Escape closes the dialog wherever the focus is (after a refusal it may have left the form).
  const { open, onCancel } = p;
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, onCancel]);

  if (p.done) {
    return (
      <div className="kiosk-exit kiosk-exit--done">
        <SuccessNotice>{t('kioskExit.done')}</SuccessNotice>
        <button type="button" className="button button--ghost" onClick={p.onDismiss}>
          {t('kioskExit.dismiss')}
        </button>
      </div>
    );
  }
  if (!p.open) {
    return (
      <button type="button" className="kiosk-exit__open" data-testid="kiosk-exit-open" onClick={p.onOpen}>
        {t('kioskExit.open')}
      </button>
    );
  }
  return (
    <div className="kiosk-exit__backdrop">
      <section
        className="card kiosk-exit"
        role="dialog"
        aria-modal="true"
        aria-labelledby="kiosk-exit-title"
        aria-describedby="kiosk-exit-intro"
      >
        <h2 id="kiosk-exit-title" className="card__heading" tabIndex={-1} ref={heading}>
          {t('kioskExit.title')}
        </h2>
        <p id="kiosk-exit-intro" className="card__hint">
          {t('kioskExit.intro')}
        </p>
        <form ref={p.formRef} className="form" noValidate onSubmit={p.onSubmit} aria-busy={p.busy}>
          <ErrorAlert>{p.alert}</ErrorAlert>
          <TextField
            id="kiosk-exit-staff-id"
            field="staffId"
            label={t('fields.staffId')}
            value={p.staffId}
            onChange={(e) => p.onStaffId(e.target.value)}
            error={p.errors.staffId}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
          />
          <PinField id="kiosk-exit-pin" field="pin" label={t('fields.pin')} value={p.pin} onChange={(e) => p.onPin(e.target.value)} error={p.errors.pin} />
          <p className="form__actions">
            <button type="submit" className="button button--primary" disabled={p.busy}>
              {t('kioskExit.submit')}
            </button>
            <button type="button" className="button button--ghost" onClick={p.onCancel}>
              {t('kioskExit.cancel')}
            </button>
          </p>
        </form>
      </section>
    </div>
  );
}
