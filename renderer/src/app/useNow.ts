import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs` (aligned to the next whole interval). */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer = 0;
    const tick = (): void => {
      const current = Date.now();
      setNow(new Date(current));
      timer = window.setTimeout(tick, intervalMs - (current % intervalMs) + 5);
    };
    timer = window.setTimeout(tick, intervalMs - (Date.now() % intervalMs) + 5);
    return () => window.clearTimeout(timer);
  }, [intervalMs]);
  return now;
}
