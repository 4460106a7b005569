import { useRef, useState, type FormEvent, type RefObject } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { IpcError, IpcResult } from '@shared/ipc/result';
import { errorMessage, fieldErrors, serverFieldErrors, type FieldErrors } from '../app/errors';
import { useFocusOnError } from './useFocusOnError';

/** The client-side check of a form: the request to send, or the message for each bad field. */
export type Validation<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * What a failed call shows: field errors and the form's alert. `'handled'` means the form's own
 * code dealt with it (signed out, refreshed, focused a field…) and the form stays as it is.
 */
export type Failure = { errors: FieldErrors; alert: string | null } | 'handled';

/** Checks `input` against a zod schema; issues become field messages (`fieldErrors`). */
export function parseForm<S extends z.ZodType>(t: TFunction, schema: S, input: unknown): Validation<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: fieldErrors(t, parsed.error.issues) };
}

/** Adds "the PINs differ" at `<prefix>pinConfirm`, unless the PIN itself already has an error. */
export function confirmPin<T>(t: TFunction, checked: Validation<T>, pin: string, pinConfirm: string, prefix = ''): Validation<T> {
  const errors = checked.ok ? {} : checked.errors;
  if (pin === pinConfirm || errors[`${prefix}pin`]) return checked;
  return { ok: false, errors: { ...errors, [`${prefix}pinConfirm`]: t('validation.pinMismatch') } };
}

/** The usual failure: INVALID_PAYLOAD issues next to their fields, and a clear message in the alert. */
export function failureOf(t: TFunction, error: IpcError): Failure {
  return { errors: serverFieldErrors(t, error), alert: errorMessage(t, error) };
}

interface FormSubmitOptions<T, V> {
  /** Runs first on each submit (never while busy). */
  validate: () => Validation<T>;
  /** The bridge call, e.g. `(data) => loket().staff.add(data)`. */
  call: (data: T) => Promise<IpcResult<V>>;
  onSuccess: (value: V, data: T) => void | Promise<void>;
  /** A form's special cases (CONFLICT, ALREADY_SET_UP, PIN_WRONG…); defaults to `failureOf`. */
  onFailure?: (error: IpcError, data: T) => Failure | Promise<Failure>;
}

export interface FormSubmit {
  formRef: RefObject<HTMLFormElement | null>;
  errors: FieldErrors;
  alert: string | null;
  busy: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
}

/**
 * A form's submit: validate → summary alert and focus on the first bad field, or call the bridge
 * → on `{ ok: false }` show the mapped failure and focus again. Put `formRef` on the `<form>`.
 */
export function useFormSubmit<T, V>({ validate, call, onSuccess, onFailure }: FormSubmitOptions<T, V>): FormSubmit {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useFocusOnError(formRef, attempt);

  function show(next: FieldErrors, message: string | null): void {
    setErrors(next);
    setAlert(message);
    setAttempt((a) => a + 1);
  }

  async function submit(): Promise<void> {
    const checked = validate();
    if (!checked.ok) {
      show(checked.errors, t('validation.summary'));
      return;
    }
    setBusy(true);
    setErrors({});
    setAlert(null);
    const result = await call(checked.data);
    setBusy(false);
    if (result.ok) {
      await onSuccess(result.value, checked.data);
      return;
    }
    const failure = onFailure ? await onFailure(result.error, checked.data) : failureOf(t, result.error);
    if (failure !== 'handled') show(failure.errors, failure.alert);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (busy) return;
    void submit();
  }

  return { formRef, errors, alert, busy, onSubmit };
}
