import { useCallback, useEffect, useRef, useState } from 'react';
import { loket } from '../../bridge';
import type { IpcError, IpcResult } from '@shared/ipc/result';
import type { AuditFlagPage, AuditFlagView } from '@shared/sync/audit-flags';

/** What the head's panel shows of HQ's audit flags for this branch. */
export interface AuditFlagsState {
  /** The newest page, newest first; null until HQ answered. */
  flags: AuditFlagView[] | null;
  /** The failed load, kept whole so the panel says it in the current language. */
  error: IpcError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * HQ's audit flags for this branch (hq/audit-flags.ts), asked through main (`hq.auditFlags`: the
 * token stays in main, a head or admin session only). Loaded when `enabled` becomes true (a head
 * signed in on an enrolled PC) and again on `reload`; never kept in the local database: HQ holds them.
 */
export function useAuditFlags(enabled: boolean, fetchPage: () => Promise<IpcResult<AuditFlagPage>> = () => loket().hq.auditFlags({})): AuditFlagsState {
  const [flags, setFlags] = useState<AuditFlagView[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [loading, setLoading] = useState(false);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const reload = useCallback(() => {
    setLoading(true);
    setError(null);
    void fetcher.current().then((r) => {
      if (!live.current) return;
      setLoading(false);
      if (r.ok) setFlags(r.value.flags);
      else setError(r.error);
    });
  }, []);

  useEffect(() => {
    if (enabled) reload();
  }, [enabled, reload]);

  return { flags, error, loading, reload };
}
