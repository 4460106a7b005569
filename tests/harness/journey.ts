// Generated data for the harness: a valid jmo-reset journey (the one in
// tests/unit/data/case-journal.test.ts), generated people and tickets. No real personal data.
import { SERVICES } from '@shared/cases/schema';
import { TICKET_STATUSES, type TicketDoc } from '../../renderer/src/data/db/schemas';
import { makeNik, officer, wib } from '../unit/machines/fixtures';

/** Base64 of 32 bytes of 7, like tests/unit/data/db-helpers.ts (real keys come from secrets.dbKey). */
export const HARNESS_KEY = btoa(String.fromCharCode(...new Array<number>(32).fill(7)));
export const BRANCH = 'UJI01';
export const JOURNEY_DAY = '2026-03-02';
/** The CaseJournal clock: inside service hours on the journey day. */
export const JOURNAL_NOW = wib(JOURNEY_DAY, '09:30');

const at = (time: string) => wib(JOURNEY_DAY, time);
const ev = (type: string, payload: object, time: string) => ({ type, at: at(time), actor: officer, ...payload });

/** Five events that take a jmo-reset case from open to done; appending the fifth closes it. */
export const RESET_JOURNEY: readonly Record<string, unknown>[] = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:15'),
  ev('contact.updated', { email: 'peserta.uji@example.org', phone: '081234567890' }, '09:17'),
  ev('reset.requested', {}, '09:18'),
  ev('reset.confirmed', {}, '09:20'),
  ev('receipt.issued', {}, '09:21'),
];
export const JOURNEY_TYPES = RESET_JOURNEY.map((e) => e.type as string);

/** A generated participant for case number `n` (birth dates 1970–1999, serials 1–9999). */
export function person(n: number): { nik: string; name: string; phone: string } {
  const year = 1970 + (n % 30);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  return { nik: makeNik(`${year}-${month}-${day}`, n % 2 ? 'female' : 'male', 1 + (n % 9999)), name: `Peserta Uji ${n}`, phone: `0812${String(n).padStart(8, '0')}` };
}

/** 20 weekdays from Monday 2 March 2026. */
export const TICKET_DAYS: string[] = (() => {
  const days: string[] = [];
  for (let d = new Date('2026-03-02T00:00:00Z'); days.length < 20; d = new Date(d.getTime() + 86_400_000)) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) days.push(d.toISOString().slice(0, 10));
  }
  return days;
})();

/** Cheap deterministic mixing so service/status are spread evenly but not in stripes. */
function mix(i: number): number {
  let x = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const SERVICE_LETTER: Record<(typeof SERVICES)[number], string> = { 'jht-claim': 'A', 'bpu-resignation': 'B', 'jmo-reset': 'C', general: 'D' };

/** Ticket `i` of `total`: spread over 20 days × 08:00–15:00 WIB, 4 services × 6 statuses. */
export function ticket(i: number, total: number): TicketDoc {
  const perDay = Math.ceil(total / TICKET_DAYS.length);
  const dayIndex = Math.floor(i / perDay);
  const day = TICKET_DAYS[Math.min(dayIndex, TICKET_DAYS.length - 1)]!;
  const within = i % perDay;
  // 08:00 WIB = 01:00Z; 7 hours of service spread evenly over the day's tickets.
  const ms = Date.parse(`${day}T01:00:00Z`) + Math.floor((within * 7 * 3_600_000) / perDay);
  const issuedAt = new Date(ms).toISOString();
  const h = mix(i);
  const service = SERVICES[h % SERVICES.length]!;
  const status = TICKET_STATUSES[(h >>> 8) % TICKET_STATUSES.length]!;
  const slot = 1 + (i % 3);
  const seq = 1 + within;
  return {
    id: `T-${day}-${String(i).padStart(6, '0')}`,
    branchCode: BRANCH,
    service,
    status,
    number: `${SERVICE_LETTER[service]}${slot}-${String(seq).padStart(4, '0')}`,
    day,
    slot,
    seq,
    nikHash: h.toString(16).padStart(8, '0').repeat(8),
    issuedAt,
    updatedAt: issuedAt,
    history: [{ status: 'waiting', at: issuedAt }],
  };
}
