import { useCallback, useEffect, useRef, useState } from 'react';
import { loket } from '../../bridge';
import type { IpcError, IpcResult } from '@shared/ipc/result';
import type { AuditFlagPage, AuditFlagView } from '@shared/sync/audit-flags';

/** What the head's panel shows of HQ's audit flags for this branch. */
export interface AuditFlagsState {
  /** The pages loaded so far, newest first; null until HQ answered. */
  flags: AuditFlagView[] | null;
  /** HQ holds older flags than those shown. */
  more: boolean;
  /** The failed load, kept whole so the panel says it in the current language. */
  error: IpcError | null;
  loading: boolean;
  reload: () => void;
  /** Adds HQ's next page of older flags below those shown. */
  loadOlder: () => void;
}

/** The flags shown after an older page came: those shown, then the page's (a flag already shown is not repeated). Pure. */
export function withOlderPage(shown: readonly AuditFlagView[], older: readonly AuditFlagView[]): AuditFlagView[] {
  const ids = new Set(shown.map((f) => f.flagId));
  return [...shown, ...older.filter((f) => !ids.has(f.flagId))];
}

/**
 * HQ's audit flags for this branch (hq/audit-flags.ts), asked through main (`hq.auditFlags`: the
 * token stays in main, a head or admin session only). The newest page is loaded when `enabled`
 * becomes true (a head signed in on an enrolled PC) and again on `reload`; older pages on request.
 * Never kept in the local database: HQ holds them.
 */
export function useAuditFlags(
  enabled: boolean,
  fetchPage: (before?: number) => Promise<IpcResult<AuditFlagPage>> = (before) => loket().hq.auditFlags(before === undefined ? {} : { before }),
): AuditFlagsState {
  const [flags, setFlags] = useState<AuditFlagView[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [loading, setLoading] = useState(false);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;
  const live = useRef(true);
  // A reload starts over: an older page asked before it is dropped when it comes.
  const generation = useRef(0);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const load = useCallback((before: number | undefined) => {
    const mine = before === undefined ? ++generation.current : generation.current;
    setLoading(true);
    setError(null);
    void fetcher.current(before).then((r) => {
      if (!live.current || mine !== generation.current) return;
      setLoading(false);
      if (!r.ok) return setError(r.error);
      setFlags((shown) => (before === undefined || shown === null ? r.value.flags : withOlderPage(shown, r.value.flags)));
      setNext(r.value.next);
    });
  }, []);
  const reload = useCallback(() => load(undefined), [load]);
  const loadOlder = useCallback(() => {
    if (next !== null) load(next);
  }, [load, next]);

  useEffect(() => {
    if (enabled) reload();
  }, [enabled, reload]);

  return { flags, more: next !== null, error, loading, reload, loadOlder };
}
