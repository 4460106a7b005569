import { useEffect, useSyncExternalStore } from 'react';
import { loket } from '../bridge';
import { syncStatus, type SyncSnapshot } from './status';

/** The sync status for screens (re-renders when it changes; a server-side render reads the same store). */
export function useSyncStatus(): SyncSnapshot {
  return useSyncExternalStore(syncStatus.subscribe, syncStatus.getSnapshot, syncStatus.getSnapshot);
}

const POLL_MS = 5_000;

/**
 * Keeps the HQ and branch hub link states fresh for the status bar on every screen: main's
 * `hq.changed` / `hub.changed` events (sent to signed-in pages) and a slow poll of `hq.status` and
 * `hub.status` (signed-out pages get no events).
 */
export function useHqLinkWatcher(): void {
  useEffect(() => {
    let alive = true;
    const refresh = () => {
      void loket()
        .hq.status()
        .then((r) => {
          if (alive && r.ok) syncStatus.setLink(r.value);
        });
      void loket()
        .hub.status()
        .then((r) => {
          if (alive && r.ok) syncStatus.setHub(r.value);
        });
    };
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    const offHq = loket().on('hq.changed', (link) => syncStatus.setLink(link));
    const offHub = loket().on('hub.changed', (hub) => syncStatus.setHub(hub));
    return () => {
      alive = false;
      clearInterval(timer);
      offHq();
      offHub();
    };
  }, []);
}

/** "12 menit" style age of a timestamp (ms) relative to now. */
export function ageParts(since: number, now: number): { key: 'sync.ageNow' | 'sync.ageMinutes' | 'sync.ageHours' | 'sync.ageDays'; count: number } {
  const minutes = Math.floor(Math.max(0, now - since) / 60_000);
  if (minutes < 1) return { key: 'sync.ageNow', count: 0 };
  if (minutes < 120) return { key: 'sync.ageMinutes', count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { key: 'sync.ageHours', count: hours };
  return { key: 'sync.ageDays', count: Math.floor(hours / 24) };
}
