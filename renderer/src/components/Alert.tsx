import type { ReactNode } from 'react';

/** The one error region of a screen (`role="alert"`): announced as soon as it appears. */
export function ErrorAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div role="alert" className="alert alert--error">
      {children}
    </div>
  );
}

/** A success message (`role="status"`), announced politely. */
export function SuccessNotice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className={children ? 'alert alert--success' : 'visually-hidden'}>
      {children}
    </div>
  );
}
