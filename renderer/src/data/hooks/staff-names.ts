import { useEffect, useState } from 'react';
import { loket } from '../../bridge';
import type { LocalData } from '../DataProvider';

/**
 * Staff names for the head's lists: the accounts on this device (main's `staff.list`, head/admin
 * only) over the branch directory synced from HQ (officers who work on other PCs).
 */
export function useStaffNames(local: LocalData | null): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!local) return;
    let alive = true;
    void (async () => {
      const out = new Map<string, string>();
      try {
        for (const s of await local.db.staff.find().exec()) out.set(s.staffId, s.name);
      } catch {
        // The directory is optional: ids are shown instead of names.
      }
      const accounts = await loket().staff.list();
      if (accounts.ok) for (const s of accounts.value) out.set(s.staffId, s.name);
      if (alive) setNames(out);
    })();
    return () => {
      alive = false;
    };
  }, [local]);
  return names;
}
