import { localTimeOf } from '@shared/dates';
import { branchZone } from '../data/branch-zone';

const pad = (n: number): string => String(n).padStart(2, '0');

/** 24-hour "HH:MM" on the branch's clock (its zone, not the PC's), e.g. "14:32"; "" for an invalid date. */
export function formatHm(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : localTimeOf(date.toISOString(), branchZone());
}

/** "M:SS" (or "H:MM:SS") for a countdown of `ms` milliseconds, never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Parses an ISO timestamp; null when it is missing or not a date. */
export function parseIso(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
