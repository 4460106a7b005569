import type { ComponentPropsWithRef, ReactNode, SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { storableText } from '@shared/records/limits';
import type { FieldErrors } from '../app/errors';

/** The attributes that tie a control to its field: name, request path, validity and descriptions. */
interface ControlProps {
  id: string;
  name: string;
  'data-field': string | undefined;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FieldShellProps {
  id: string;
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  field?: string | undefined;
  className?: string | undefined;
  children: (control: ControlProps) => ReactNode;
}

/** Label, control, hint and the field's own error message, wired for assistive tech. */
function FieldShell({ id, label, error, hint, field, className, children }: FieldShellProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const control: ControlProps = {
    id,
    name: field ?? id,
    'data-field': field,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children(control)}
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error" data-testid={`field-error-${id}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type InputProps = Omit<ComponentPropsWithRef<'input'>, 'id'> & {
  id: string;
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  field?: string;
  className?: string;
};

/**
 * Typed or pasted text made storable before anyone reads it: a character cut in half (a lone
 * UTF-16 surrogate, e.g. from a truncated paste) becomes U+FFFD and U+0000 goes. HQ refuses
 * records with such text (shared/records/limits.ts), so it is fixed where it is typed.
 */
export function storableTyping<E extends { target: { value: string } }>(handler: ((e: E) => void) | undefined): ((e: E) => void) | undefined {
  if (!handler) return undefined;
  return (e) => {
    const clean = storableText(e.target.value);
    if (clean !== e.target.value) e.target.value = clean;
    handler(e);
  };
}

export function TextField({ id, label, error, hint, field, className, onChange, ...input }: InputProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} field={field} className={className}>
      {(control) => <input {...control} className="input" {...input} onChange={storableTyping(onChange)} />}
    </FieldShell>
  );
}

/** A 6-digit PIN: masked, numeric keypad on touch screens, never remembered by the browser. */
export function PinField(props: Omit<InputProps, 'type' | 'inputMode' | 'autoComplete'>) {
  return (
    <TextField
      type="password"
      inputMode="numeric"
      autoComplete="off"
      maxLength={6}
      spellCheck={false}
      className="field--pin"
      {...props}
    />
  );
}

interface NewPinFieldsProps {
  /** Element id of the PIN; the repeat gets `<id>-confirm`. */
  id: string;
  /** Request path before "pin" / "pinConfirm", e.g. "head." (as in `confirmPin`). */
  prefix?: string;
  pin: string;
  pinConfirm: string;
  onPinChange: (pin: string) => void;
  onPinConfirmChange: (pinConfirm: string) => void;
  errors: FieldErrors;
}

/** Choosing a new PIN: the PIN with its hint, then the same PIN again. */
export function NewPinFields({ id, prefix = '', pin, pinConfirm, onPinChange, onPinConfirmChange, errors }: NewPinFieldsProps) {
  const { t } = useTranslation();
  return (
    <>
      <PinField
        id={id}
        field={`${prefix}pin`}
        label={t('fields.pin')}
        hint={t('fields.pinHint')}
        value={pin}
        onChange={(e) => onPinChange(e.target.value)}
        error={errors[`${prefix}pin`]}
      />
      <PinField
        id={`${id}-confirm`}
        field={`${prefix}pinConfirm`}
        label={t('fields.pinConfirm')}
        value={pinConfirm}
        onChange={(e) => onPinConfirmChange(e.target.value)}
        error={errors[`${prefix}pinConfirm`]}
      />
    </>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  id: string;
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  field?: string;
};

export function SelectField({ id, label, error, hint, field, children, ...select }: SelectProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} field={field}>
      {(control) => (
        <select {...control} className="input select" {...select}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}
