import type { TFunction } from 'i18next';
import type { SlotProblem } from '@shared/calendar';
import type { DoorProblem } from '../../data/door-visit';
import { formatDate } from './format';

/** Why the later date the person asked for cannot be given, in words (closed day by name, too early, full). */
export function laterDateProblem(t: TFunction, lang: string, date: string, problem: SlotProblem): string {
  const day = formatDate(date, lang);
  switch (problem.why) {
    case 'CLOSED_DAY':
      return problem.closedDay ? t('door.issue.laterClosedNamed', { date: day, name: problem.closedDay.name }) : t('door.issue.laterClosed', { date: day });
    case 'TOO_EARLY':
      return t('door.issue.laterTooEarly', { date: formatDate(problem.earliest, lang) });
    case 'DAY_FULL':
      return t('door.issue.laterFull', { date: day });
    default:
      return t('door.errors.noSlot');
  }
}

/** What the door says when a need or a scanned slip could not be served (capacityReached is handled by restarting the visit). */
export function doorProblemText(t: TFunction, lang: string, p: DoorProblem): string {
  switch (p.why) {
    case 'notOffered':
      return t('door.errors.notOffered');
    case 'noSlot':
      return t('door.errors.noSlot');
    case 'laterDate':
      return laterDateProblem(t, lang, p.date, p.problem);
    case 'sameDayTicket':
      return t('door.errors.sameDayTicket', { number: p.number });
    case 'appointmentToday':
      return t('door.errors.appointmentToday', { number: p.number, time: p.time });
    case 'checkIn':
      return t('door.errors.checkIn', { message: p.message });
    case 'capacityReached':
      return t('door.issue.justFull');
    case 'save':
      return t('door.errors.save', { message: p.message });
    case 'slipUnknown':
      return t('door.scan.unknown');
    case 'slipNotToday':
      return t('door.scan.notToday', { date: formatDate(p.date, lang) });
    case 'slipDone':
      return t('door.scan.done', { number: p.number });
  }
}
