import { loket } from '../bridge';
import type { LocalData } from './DataProvider';

/**
 * The name of a staff member for what people read (receipts): the signed-in person's own name, else
 * the branch directory synced from HQ, else this device's accounts (head/admin only). Null when no
 * name is known here; the caller then shows the login id rather than nothing.
 */
export async function staffNameOf(
  local: Pick<LocalData, 'db'>,
  staffId: string,
  self?: { staffId: string; name: string } | null,
): Promise<string | null> {
  if (self && self.staffId === staffId) return self.name;
  try {
    const entry = await local.db.staff.findOne(staffId).exec();
    if (entry) return entry.name;
  } catch {
    // The directory is optional (a device not yet synced); the accounts below may still know.
  }
  try {
    const accounts = await loket().staff.list();
    return accounts.ok ? (accounts.value.find((s) => s.staffId === staffId)?.name ?? null) : null;
  } catch {
    return null;
  }
}
