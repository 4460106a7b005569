import type { ReactNode } from 'react';

interface Props {
  /** True when there is nothing to list: the message stands in for the table. */
  empty: boolean;
  message: ReactNode;
  /** The message's class: `card__hint`, or `card__padded card__hint` in a card without padding. */
  className?: string;
  /** The message is announced (role="status"), e.g. after a search or a load. */
  status?: boolean;
  testId?: string;
  /** The table (and anything that goes with it inside its scrolling wrapper). */
  children: ReactNode;
}

/** A list's table, or the one line saying there is nothing in it: one pattern for every screen. */
export function TableOrEmpty({ empty, message, className = 'card__hint', status, testId, children }: Props) {
  if (empty) {
    return (
      <p className={className} role={status ? 'status' : undefined} data-testid={testId}>
        {message}
      </p>
    );
  }
  return <div className="table-wrap">{children}</div>;
}
