// Who may point this PC at an HQ (issue 18 pt 5). Enrolling decides where every record of the PC
// goes; moving an enrolled PC to another HQ is the branch head's decision alone (and audited by the
// caller). Renewing the link to the same HQ stays open to head and admin (the channel's access).
import { IpcFailure } from '@shared/ipc/result';
import type { Role } from '@shared/staff/schema';

/** The HQ an address names: origin and path, without query, fragment or trailing slashes. */
function hqOf(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/**
 * Throws FORBIDDEN_ROLE when a non-head tries to move an enrolled PC to another HQ. Returns the host
 * of the HQ being left (for the audit entry), or null when this is a first enrolment or a renewal.
 */
export function checkEnrolment(current: { enrolled: boolean; url: string | null }, url: string, role: Role | null): { previousHq: string | null } {
  if (!current.enrolled || current.url === null || hqOf(current.url) === hqOf(url)) return { previousHq: null };
  if (role !== 'head') {
    throw new IpcFailure('FORBIDDEN_ROLE', 'Only the branch head may move this PC to another HQ.');
  }
  return { previousHq: new URL(current.url).host };
}
