import { useEffect, useMemo, useState } from 'react';
import type { Observable } from 'rxjs';

/** The latest value of an observable (an RxDB query's `$`), null until the first emission. */
export function useLive<T>(make: () => Observable<T>, deps: readonly unknown[]): T | null {
  const [value, setValue] = useState<T | null>(null);
  // `make` is rebuilt every render; the query only changes with `deps`.
  const observable = useMemo(make, deps);
  useEffect(() => {
    const sub = observable.subscribe((v) => setValue(() => v));
    return () => sub.unsubscribe();
  }, [observable]);
  return value;
}
