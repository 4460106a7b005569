import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'mousedown', 'mousemove', 'touchstart', 'wheel'] as const;

/**
 * Calls `onIdle` once after `minutes` without keyboard, mouse or touch activity while `enabled`.
 * Activity only stamps a time; a 1 s check compares it, so a busy mouse costs nothing and a PC
 * waking from sleep locks at once.
 */
export function useIdleLock(enabled: boolean, minutes: number, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!enabled) return;
    const limitMs = Math.max(1, minutes) * 60_000;
    let last = Date.now();
    let fired = false;
    const touch = (): void => {
      last = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touch, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      if (!fired && Date.now() - last >= limitMs) {
        fired = true;
        onIdleRef.current();
      }
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true });
    };
  }, [enabled, minutes]);
}
