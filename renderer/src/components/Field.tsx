import type { ComponentPropsWithRef, ReactNode, SelectHTMLAttributes } from 'react';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  children: (describedBy: string | undefined) => ReactNode;
}

/** Label, control, hint and the field's own error message, wired for assistive tech. */
function FieldShell({ id, label, error, hint, className, children }: FieldShellProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children(describedBy)}
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

export function TextField({ id, label, error, hint, field, className, ...input }: InputProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={className}>
      {(describedBy) => (
        <input
          id={id}
          name={field ?? id}
          data-field={field}
          className="input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...input}
        />
      )}
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

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  id: string;
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  field?: string;
};

export function SelectField({ id, label, error, hint, field, children, ...select }: SelectProps) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      {(describedBy) => (
        <select
          id={id}
          name={field ?? id}
          data-field={field}
          className="input select"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...select}
        >
          {children}
        </select>
      )}
    </FieldShell>
  );
}
