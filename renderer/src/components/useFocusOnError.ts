import { useEffect, type RefObject } from 'react';

/** After a failed submit (`attempt` changes), focuses the first invalid field of the form. */
export function useFocusOnError(form: RefObject<HTMLFormElement | null>, attempt: number): void {
  useEffect(() => {
    if (attempt === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, attempt]);
}
