import type { Actor, KpjRecord } from '@shared/cases/schema';
import { DEFAULT_CASE_CONFIG, DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { composeNik, type Sex } from '@shared/identity/nik';
import { REFUSAL_CODES } from '@shared/policy/catalog';
import type { RefusalRecord } from '@shared/cases/records';

/** Generated identities only: a made-up district in Jakarta, serials from 0001. */
export function makeNik(birthDate: string, sex: Sex = 'male', serial = 1): string {
  return composeNik({ regionCode: '317101', birthDate, sex, serial });
}

export const officer: Actor = { staffId: 'officer01', role: 'officer', deviceId: 'dev-counter-1' };
export const head: Actor = { staffId: 'head01', role: 'head', deviceId: 'dev-office-1' };
export const security: Actor = { staffId: 'satpam01', role: 'security', deviceId: 'dev-door-1' };
export const admin: Actor = { staffId: 'admin01', role: 'admin', deviceId: 'dev-office-1' };

/** Branch-local time (WIB) as an event timestamp. */
export const wib = (date: string, time = '10:00'): string => `${date}T${time}:00+07:00`;

/** The walks happen on Monday 2 March 2026, 10:00 WIB, inside the default service hours. */
export const WALK_DAY = '2026-03-02';
export const AT = wib(WALK_DAY);

export const ev = <T extends string, P extends object>(type: T, payload: P, actor: Actor = officer, at = AT) => ({ type, at, actor, ...payload });

export const K1: KpjRecord = { kpj: '12000000001', balance: 30_000_000, registeredOn: '2012-01-10' };
export const K2: KpjRecord = { kpj: '12000000002', balance: 25_000_000, registeredOn: '2018-06-01', employerArrears: true };
export const K3: KpjRecord = { kpj: '12000000003', balance: 1_000_000, registeredOn: '2023-02-01' };

/** Refusal events for every catalog code, with the appointment the code asks for. */
export function refusalEvents(actor: Actor = officer, at = AT) {
  return REFUSAL_CODES.map((code) =>
    ev(
      'refusal.requested',
      {
        code,
        // The first claim date (20 Mar 2026) is joint leave for Idul Fitri (closed to 24 Mar): the next open day.
        ...(code === 'WAITING_PERIOD_NOT_ELAPSED' ? { appointment: { date: '2026-03-25', time: '09:00' } } : {}),
        ...(code === 'OUTSIDE_SERVICE_HOURS' ? { appointment: { date: '2026-03-03', time: '09:00' } } : {}),
      },
      actor,
      at,
    ),
  );
}

export const transferEvents = (actor: Actor = officer) => [
  ev('transfer.requested', { targetBranch: 'SBY01', reason: 'PERSON_REQUESTED', slaDeadline: wib('2026-03-03', '15:00') }, actor),
];

export const caseInput = { caseId: 'CASE-0001', config: DEFAULT_CASE_CONFIG };
export const queueConfig = DEFAULT_QUEUE_CONFIG;

/** A claimant born 10 May 1969: 56 before the walk day. */
export const NIK_56 = makeNik('1969-05-10');
/** A woman born 31 January 1990 (day 71 in the NIK). */
export const NIK_W31 = makeNik('1990-01-31', 'female', 7);

export const sampleRefusal: RefusalRecord = {
  code: 'DOCUMENT_MISSING',
  at: AT,
  actor: officer,
  facts: {
    flow: 'jht-claim',
    at: AT,
    serviceHours: DEFAULT_CASE_CONFIG.serviceHours,
    identity: { ektpPresented: true, ektpMatchesNik: true },
    participantFound: true,
    firstClaimDate: null,
    missingDocuments: ['savingsBook'],
    kpjs: [{ kpj: K1.kpj }],
  },
};
