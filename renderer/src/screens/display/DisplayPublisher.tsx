import i18next from 'i18next';
import { useEffect } from 'react';
import { localDateOf } from '@shared/dates';
import { DisplaySnapshot } from '@shared/ipc/contract';
import { loket } from '../../bridge';
import { useNow } from '../../app/useNow';
import { useData } from '../../data/DataProvider';
import { buildDisplaySnapshot, sameDisplay, type DisplayTicket } from './snapshot';
import { watchTodaysTicketsOf } from '../../data/hooks/display';
import { branchZone } from '../../data/branch-zone';

/** At most one publish per second while the queue moves; and a refresh now and then for the average. */
const THROTTLE_MS = 1000;
const HEARTBEAT_MS = 60_000;

/**
 * Publishes this PC's view of today's queue to the waiting-room display (through main:
 * `display.publish` → `display.changed`). Renders nothing; mount it inside the DataProvider.
 * Only numbers, counters, services and times leave the database.
 */
export function DisplayPublisher() {
  const data = useData();
  // Re-subscribe when the branch's day changes (the display starts empty each morning).
  const today = localDateOf(useNow(60_000).toISOString(), branchZone());

  useEffect(() => {
    if (data.phase !== 'ready') return;
    // The service pledge (maklumat): branch settings have no field for it yet, so the standard text.
    const pledge = i18next.getFixedT('id')('display.defaultPledge');
    let latest: DisplayTicket[] = [];
    let sent: DisplaySnapshot | null = null;
    let timer: number | null = null;
    let lastAt = 0;
    let stopped = false;

    const publish = (force: boolean) => {
      timer = null;
      lastAt = Date.now();
      const parsed = DisplaySnapshot.safeParse(buildDisplaySnapshot(latest, today, pledge, new Date()));
      // A malformed number (never written by us) must not stop the display: skip this round.
      if (!parsed.success || stopped) return;
      if (!force && sameDisplay(sent, parsed.data)) return;
      sent = parsed.data;
      void loket().display.publish(parsed.data);
    };
    const schedule = () => {
      if (timer !== null) return;
      timer = window.setTimeout(() => publish(false), Math.max(0, lastAt + THROTTLE_MS - Date.now()));
    };

    const stop = watchTodaysTicketsOf(data, today, (tickets) => {
      latest = tickets;
      schedule();
    });
    const heartbeat = window.setInterval(() => publish(true), HEARTBEAT_MS);
    return () => {
      stopped = true;
      stop();
      window.clearInterval(heartbeat);
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [data, today]);

  return null;
}
