import { DEFAULT_BRANCH_ZONE, type BranchZone } from '@shared/dates';

// The branch's time zone as this renderer knows it (from `app.info`, i.e. the branch profile; WIB
// until known or when unset). Set by AppContext whenever it reads the app info, before rendering,
// so the branch day, printouts and the head's reports follow the branch, not the PC's own zone.
let current: BranchZone = DEFAULT_BRANCH_ZONE;

export function setBranchZone(zone: BranchZone | null | undefined): void {
  current = zone ?? DEFAULT_BRANCH_ZONE;
}

export function branchZone(): BranchZone {
  return current;
}
