import type { Role } from './schema';

// Issue 18 pt 6 (least privilege): who may read case data (people's records: NIK, name, journal)
// and which collections hold it. Main hands the case key only to these roles and refuses their
// collections to the others; a door (security) session never opens them.

/** Roles that work cases: officers at the counter, the head and the branch admin (review, transfers). */
export const CASE_DATA_ROLES: readonly Role[] = ['officer', 'head', 'admin'];

/** Collections whose documents carry a person's data; sealed under the case key. */
export const CASE_DATA_COLLECTIONS: readonly string[] = ['cases'];

export const readsCaseData = (role: Role): boolean => CASE_DATA_ROLES.includes(role);
export const holdsCaseData = (collection: string): boolean => CASE_DATA_COLLECTIONS.includes(collection);
