// The refusal catalog (shared/policy/catalog.ts) at every boundary (issue 16, "How it is shown":
// mutation testing): each guard just holds and just fails, the order of checkRefusal's checks, the
// appointment a "not yet" or "closed" refusal must carry, and the slip's next-step text.
// DOMAIN.md "Refusals".
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS, type ServiceHours } from '@shared/branch/schema';
import { CASE_FLOWS, REQUIRED_DOCUMENTS, type CaseFlow } from '@shared/cases/schema';
import { addDays } from '@shared/dates';
import {
  checkRefusal,
  firstClaimDateOf,
  firstOpenSlot,
  POLICY_CATALOG,
  PREDICATES,
  REFUSAL_REJECTIONS,
  REFUSING_ROLES,
  REQUIRED_DOCUMENT_TITLES,
  reasonFor,
  slipNextStep,
  type RefusalReason,
} from '@shared/policy/catalog';
import type { RefusalFacts, RefusalRequest } from '@shared/policy/facts';

const MONDAY = '2026-03-02';
const wib = (date: string, time: string) => `${date}T${time}:00+07:00`;
const facts = (over: Partial<RefusalFacts> = {}): RefusalFacts => ({
  flow: 'jht-claim',
  at: wib(MONDAY, '10:00'),
  serviceHours: DEFAULT_SERVICE_HOURS,
  identity: { ektpPresented: true, ektpMatchesNik: true },
  participantFound: true,
  firstClaimDate: null,
  missingDocuments: [],
  kpjs: [{ kpj: '12000000001' }],
  ...over,
});
const PAID = { paidOn: '2024-01-02', reference: 'PAY-77' };
const holds = (guard: keyof typeof PREDICATES, f: RefusalFacts, r: Partial<RefusalRequest> = {}) => PREDICATES[guard](f, { code: 'X', ...r });
const readable = (t: { id: string; en: string }) => {
  expect(t.id.trim().length).toBeGreaterThan(3);
  expect(t.en.trim().length).toBeGreaterThan(3);
};

describe('each guard at its edge', () => {
  it('identity: only a recorded check that failed (no e-KTP, e-KTP or KPJ not matching the NIK)', () => {
    expect(holds('identityNotVerified', facts({ identity: null }))).toBe(false);
    expect(holds('identityNotVerified', facts({ identity: { ektpPresented: true, ektpMatchesNik: true } }))).toBe(false);
    expect(holds('identityNotVerified', facts({ identity: { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true } }))).toBe(false);
    expect(holds('identityNotVerified', facts({ identity: { ektpPresented: false, ektpMatchesNik: true } }))).toBe(true);
    expect(holds('identityNotVerified', facts({ identity: { ektpPresented: true, ektpMatchesNik: false } }))).toBe(true);
    expect(holds('identityNotVerified', facts({ identity: { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false } }))).toBe(true);
  });

  it('waiting period: not elapsed while the first claim date is after the branch\'s today', () => {
    expect(holds('waitingPeriodNotElapsed', facts({ firstClaimDate: null }))).toBe(false);
    expect(holds('waitingPeriodNotElapsed', facts({ firstClaimDate: '2026-03-01' }))).toBe(false);
    expect(holds('waitingPeriodNotElapsed', facts({ firstClaimDate: MONDAY }))).toBe(false);
    expect(holds('waitingPeriodNotElapsed', facts({ firstClaimDate: '2026-03-03' }))).toBe(true);
    // 23:30 WIB on Monday is already Tuesday in WIT: the first claim date has come there.
    const late = wib(MONDAY, '23:30');
    expect(holds('waitingPeriodNotElapsed', facts({ at: late, firstClaimDate: '2026-03-03' }))).toBe(true);
    expect(holds('waitingPeriodNotElapsed', facts({ at: late, zone: 'WIT', firstClaimDate: '2026-03-03' }))).toBe(false);
  });

  it('age 56: not reached while the 56th birthday is after the branch\'s today', () => {
    expect(holds('ageNotReached', facts())).toBe(false);
    expect(holds('ageNotReached', facts({ ageReachedOn: '2026-03-01' }))).toBe(false);
    expect(holds('ageNotReached', facts({ ageReachedOn: MONDAY }))).toBe(false);
    expect(holds('ageNotReached', facts({ ageReachedOn: '2026-03-03' }))).toBe(true);
    const late = wib(MONDAY, '23:30');
    expect(holds('ageNotReached', facts({ at: late, ageReachedOn: '2026-03-03' }))).toBe(true);
    expect(holds('ageNotReached', facts({ at: late, zone: 'WIT', ageReachedOn: '2026-03-03' }))).toBe(false);
  });

  it('document missing: only after the documents step, only with something recorded missing, and only naming what is missing', () => {
    expect(holds('documentMissing', facts({ missingDocuments: null }))).toBe(false);
    // Nothing recorded as not presented: an empty list is no reason, whatever the officer names.
    expect(holds('documentMissing', facts({ missingDocuments: [] }))).toBe(false);
    expect(holds('documentMissing', facts({ missingDocuments: [] }), { documents: [] })).toBe(false);
    expect(holds('documentMissing', facts({ missingDocuments: [] }), { documents: ['npwp'] })).toBe(false);
    expect(holds('documentMissing', facts({ missingDocuments: ['savingsBook'] }))).toBe(true);
    expect(holds('documentMissing', facts({ missingDocuments: ['savingsBook'] }), { documents: [] })).toBe(true);
    expect(holds('documentMissing', facts({ missingDocuments: ['savingsBook', 'npwp'] }), { documents: ['npwp', 'savingsBook'] })).toBe(true);
    expect(holds('documentMissing', facts({ missingDocuments: ['savingsBook'] }), { documents: ['savingsBook', 'npwp'] })).toBe(false);
    expect(holds('documentMissing', facts({ missingDocuments: ['savingsBook'] }), { documents: ['paklaring'] })).toBe(false);
  });

  it('already paid: only when every KPJ of the claim was paid out before; a claim with one open KPJ is served', () => {
    expect(holds('alreadyPaid', facts({ kpjs: [] }))).toBe(false);
    expect(holds('alreadyPaid', facts({ kpjs: [{ kpj: '12000000001', paidBefore: PAID }] }))).toBe(true);
    expect(holds('alreadyPaid', facts({ kpjs: [{ kpj: '12000000001', paidBefore: PAID }, { kpj: '12000000002', paidBefore: PAID }] }))).toBe(true);
    expect(holds('alreadyPaid', facts({ kpjs: [{ kpj: '12000000001', paidBefore: PAID }, { kpj: '12000000002' }] }))).toBe(false);
    expect(holds('alreadyPaid', facts({ kpjs: [{ kpj: '12000000001' }, { kpj: '12000000002', paidBefore: PAID }] }))).toBe(false);
  });

  it('not a participant: only when the search ran and found nothing', () => {
    expect(holds('notAParticipant', facts({ participantFound: false }))).toBe(true);
    expect(holds('notAParticipant', facts({ participantFound: true }))).toBe(false);
    expect(holds('notAParticipant', facts({ participantFound: null }))).toBe(false);
  });

  it('outside service hours: judged when the visit began, not when the person is called', () => {
    const calledAfterClosing = wib(MONDAY, '15:30');
    expect(holds('outsideServiceHours', facts({ at: calledAfterClosing }))).toBe(true);
    expect(holds('outsideServiceHours', facts({ at: calledAfterClosing, visitStartedAt: wib(MONDAY, '14:59') }))).toBe(false);
    expect(holds('outsideServiceHours', facts({ at: calledAfterClosing, visitStartedAt: wib(MONDAY, '15:00') }))).toBe(true);
    expect(holds('outsideServiceHours', facts({ at: wib(MONDAY, '07:59') }))).toBe(true);
    expect(holds('outsideServiceHours', facts({ at: wib(MONDAY, '08:00') }))).toBe(false);
    // 07:30 WIB is 09:30 in WIT: open there.
    expect(holds('outsideServiceHours', facts({ at: wib(MONDAY, '07:30'), zone: 'WIT' }))).toBe(false);
  });
});

describe('the catalog: reasons, flows, guards, appointments and their basis', () => {
  const expected: Record<string, { flows: CaseFlow[]; guard: string; appointment: RefusalReason['appointment']; basis: [string, string] }> = {
    IDENTITY_NOT_VERIFIED: { flows: ['jht-claim', 'bpu-resignation', 'jmo-reset'], guard: 'identityNotVerified', appointment: 'none', basis: ['UU No. 27 Tahun 2022 (PDP)', 'Law 27/2022 (PDP)'] },
    WAITING_PERIOD_NOT_ELAPSED: { flows: ['jht-claim'], guard: 'waitingPeriodNotElapsed', appointment: 'onOrAfterFirstClaimDate', basis: ['masa tunggu 1 bulan', '1-month waiting period'] },
    DOCUMENT_MISSING: { flows: ['jht-claim'], guard: 'documentMissing', appointment: 'none', basis: ['Rp50.000.000', 'Rp50,000,000'] },
    ALREADY_PAID: { flows: ['jht-claim'], guard: 'alreadyPaid', appointment: 'none', basis: ['PP No. 46 Tahun 2015 jo. PP No. 60 Tahun 2015', 'Government Regulation 46/2015 as amended by 60/2015'] },
    NOT_A_PARTICIPANT: { flows: ['jht-claim', 'bpu-resignation'], guard: 'notAParticipant', appointment: 'none', basis: ['UU No. 24 Tahun 2011', 'Law 24/2011'] },
    OUTSIDE_SERVICE_HOURS: { flows: ['jht-claim', 'bpu-resignation', 'jmo-reset'], guard: 'outsideServiceHours', appointment: 'nextOpening', basis: ['UU No. 25 Tahun 2009', 'Law 25/2009'] },
    AGE_NOT_REACHED: { flows: ['jht-claim'], guard: 'ageNotReached', appointment: 'onOrAfterFirstClaimDate', basis: ['usia 56 tahun', 'age 56'] },
  };

  it.each(POLICY_CATALOG.map((r) => [r.code, r] as const))('%s applies to its flows, with its guard, appointment and basis', (code, r) => {
    const e = expected[code]!;
    expect(r.flows).toEqual(e.flows);
    expect(r.guard).toBe(e.guard);
    expect(r.appointment).toBe(e.appointment);
    expect(r.legalBasis.id).toContain(e.basis[0]);
    expect(r.legalBasis.en).toContain(e.basis[1]);
    for (const t of [r.title, r.legalBasis, r.holdsWhen, r.nextStep]) readable(t);
    expect(reasonFor(code)).toBe(r);
  });

  it('the JHT reasons cite Permenaker 4/2022 by its full title', () => {
    for (const code of ['IDENTITY_NOT_VERIFIED', 'WAITING_PERIOD_NOT_ELAPSED', 'DOCUMENT_MISSING', 'ALREADY_PAID', 'AGE_NOT_REACHED']) {
      expect(reasonFor(code)!.legalBasis.id).toContain('Permenaker No. 4 Tahun 2022 tentang Tata Cara dan Persyaratan Pembayaran Manfaat Jaminan Hari Tua');
      expect(reasonFor(code)!.legalBasis.en).toContain('Minister of Manpower Regulation 4/2022 on the procedure and requirements for JHT benefit payment');
    }
  });

  it('every requirement a slip may name has its title in both languages', () => {
    expect(Object.keys(REQUIRED_DOCUMENT_TITLES)).toEqual([...REQUIRED_DOCUMENTS]);
    for (const d of REQUIRED_DOCUMENTS) readable(REQUIRED_DOCUMENT_TITLES[d]);
    expect(REQUIRED_DOCUMENT_TITLES.terminationProof.id).toContain('paklaring atau bukti lain');
    expect(REQUIRED_DOCUMENT_TITLES.npwp.id).toContain('di atas Rp50.000.000');
  });

  it('officers and the head may refuse; security staff never', () => {
    expect(REFUSING_ROLES).toEqual(['officer', 'head']);
  });

  it('every rejection of a refusal attempt is explained in both languages', () => {
    expect(Object.keys(REFUSAL_REJECTIONS)).toEqual(['UNKNOWN_CODE', 'NOT_FOR_FLOW', 'ROLE_NOT_ALLOWED', 'GUARD_NOT_HELD', 'APPOINTMENT_REQUIRED', 'APPOINTMENT_ON_CLOSED_DAY']);
    for (const t of Object.values(REFUSAL_REJECTIONS)) readable(t);
  });

  it('an unknown code has no reason', () => {
    expect(reasonFor('QUOTA_FULL')).toBeUndefined();
    expect(reasonFor('')).toBeUndefined();
  });
});

describe('the first claim date a "not yet" refusal names', () => {
  it('is the 56th birthday for age 56 and the end of the waiting period otherwise', () => {
    const f = facts({ firstClaimDate: '2026-04-15', ageReachedOn: '2026-05-20' });
    expect(firstClaimDateOf({ code: 'AGE_NOT_REACHED' }, f)).toBe('2026-05-20');
    expect(firstClaimDateOf({ code: 'WAITING_PERIOD_NOT_ELAPSED' }, f)).toBe('2026-04-15');
    expect(firstClaimDateOf({ code: 'AGE_NOT_REACHED' }, facts({ firstClaimDate: '2026-04-15' }))).toBeNull();
    expect(firstClaimDateOf({ code: 'WAITING_PERIOD_NOT_ELAPSED' }, facts({ ageReachedOn: '2026-05-20' }))).toBeNull();
  });
});

describe('the first open slot on or after a date', () => {
  it('is that day\'s opening when the branch serves then, else the next day it does', () => {
    expect(firstOpenSlot(DEFAULT_SERVICE_HOURS, MONDAY)).toEqual({ date: MONDAY, time: '08:00' });
    expect(firstOpenSlot(DEFAULT_SERVICE_HOURS, '2026-03-07')).toEqual({ date: '2026-03-09', time: '08:00' });
  });

  it('skips the days the calendar closes', () => {
    expect(firstOpenSlot(DEFAULT_SERVICE_HOURS, MONDAY, (d) => d !== MONDAY)).toEqual({ date: '2026-03-03', time: '08:00' });
  });

  it('searches 60 days and no further', () => {
    const from = '2026-06-01';
    const everyDay = Object.fromEntries(Object.keys(DEFAULT_SERVICE_HOURS).map((d) => [d, { open: '09:00', close: '12:00' }])) as ServiceHours;
    const closedUntil = (n: number) => (d: string) => d >= addDays(from, n);
    expect(firstOpenSlot(everyDay, from, closedUntil(59))).toEqual({ date: addDays(from, 59), time: '09:00' });
    expect(firstOpenSlot(everyDay, from, closedUntil(60))).toBeNull();
    const never = Object.fromEntries(Object.keys(DEFAULT_SERVICE_HOURS).map((d) => [d, null])) as ServiceHours;
    expect(firstOpenSlot(never, from)).toBeNull();
  });
});

describe('checkRefusal: code, role, flow, guard, then the appointment', () => {
  const noEktp = facts({ identity: { ektpPresented: false, ektpMatchesNik: false } });

  it('an unknown code is refused before anything else, even for a role that may not refuse', () => {
    expect(checkRefusal(noEktp, { code: 'QUOTA_FULL' }, 'security')).toEqual({ ok: false, why: 'UNKNOWN_CODE' });
  });

  it('the role is checked before the flow and the guard', () => {
    expect(checkRefusal({ ...noEktp, flow: 'jmo-reset' }, { code: 'DOCUMENT_MISSING' }, 'security')).toEqual({ ok: false, why: 'ROLE_NOT_ALLOWED' });
    expect(checkRefusal(facts(), { code: 'IDENTITY_NOT_VERIFIED' }, 'security')).toEqual({ ok: false, why: 'ROLE_NOT_ALLOWED' });
  });

  it.each(CASE_FLOWS.flatMap((flow) => POLICY_CATALOG.map((r) => [r.code, flow, r.flows.includes(flow)] as const)))(
    '%s in %s: applies %s',
    (code, flow, applies) => {
      // Facts where every guard fails: a reason that applies says so; one that does not says NOT_FOR_FLOW.
      const f = facts({ flow, visitStartedAt: wib(MONDAY, '09:00') });
      expect(checkRefusal(f, { code }, 'head')).toEqual({ ok: false, why: applies ? 'GUARD_NOT_HELD' : 'NOT_FOR_FLOW' });
    },
  );

  it('a reason without appointment passes once its guard holds', () => {
    expect(checkRefusal(noEktp, { code: 'IDENTITY_NOT_VERIFIED' }, 'head')).toEqual({ ok: true, reason: reasonFor('IDENTITY_NOT_VERIFIED') });
    expect(checkRefusal(facts({ participantFound: false, flow: 'bpu-resignation' }), { code: 'NOT_A_PARTICIPANT' }, 'officer').ok).toBe(true);
  });

  describe('waiting period: an appointment on or after the first claim date, in hours, on a working day', () => {
    const f = facts({ firstClaimDate: '2026-04-06' }); // a Monday
    const ask = (date?: string, time = '08:00') => checkRefusal(f, { code: 'WAITING_PERIOD_NOT_ELAPSED', ...(date ? { appointment: { date, time } } : {}) }, 'officer');
    it.each([
      { date: undefined, time: '08:00', why: 'APPOINTMENT_REQUIRED' },
      { date: '2026-04-02', time: '08:00', why: 'APPOINTMENT_REQUIRED' },
      { date: '2026-04-06', time: '07:59', why: 'APPOINTMENT_REQUIRED' },
      { date: '2026-04-06', time: '15:00', why: 'APPOINTMENT_REQUIRED' },
      { date: '2026-04-06', time: '08:00', why: null },
      { date: '2026-04-06', time: '14:59', why: null },
      { date: '2026-04-07', time: '10:00', why: null },
      { date: '2026-04-11', time: '10:00', why: 'APPOINTMENT_REQUIRED' },
    ])('appointment $date $time → $why', ({ date, time, why }) => {
      expect(ask(date, time)).toEqual(why ? { ok: false, why } : { ok: true, reason: reasonFor('WAITING_PERIOD_NOT_ELAPSED') });
    });
  });

  it('never on a closed day: a national holiday or a weekend the branch happens to open', () => {
    const saturdays: ServiceHours = { ...DEFAULT_SERVICE_HOURS, sat: { open: '08:00', close: '12:00' } };
    const f = facts({ firstClaimDate: '2026-03-05', serviceHours: saturdays });
    const ask = (date: string) => checkRefusal(f, { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date, time: '09:00' } }, 'officer');
    expect(ask('2026-03-07')).toEqual({ ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' });
    // Nyepi (19 March 2026) and the Idul Fitri joint leave (24 March).
    expect(ask('2026-03-19')).toEqual({ ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' });
    expect(ask('2026-03-24')).toEqual({ ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' });
    expect(ask('2026-03-25').ok).toBe(true);
    expect(ask('2026-03-05').ok).toBe(true);
    // Before the first claim date: that is checked after the closed day.
    expect(ask('2026-03-04')).toEqual({ ok: false, why: 'APPOINTMENT_REQUIRED' });
  });

  it('never on one of the branch\'s local closures, which also move the next opening', () => {
    const f = facts({ firstClaimDate: '2026-03-05', localClosures: ['2026-03-05', '2026-03-06'] });
    const ask = (date: string) => checkRefusal(f, { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date, time: '09:00' } }, 'officer');
    expect(ask('2026-03-05')).toEqual({ ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' });
    expect(ask('2026-03-09').ok).toBe(true);
    expect(checkRefusal(facts({ firstClaimDate: '2026-03-05' }), { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date: '2026-03-05', time: '09:00' } }, 'officer').ok).toBe(true);
    // Closed on Tuesday 3 March: after Monday's closing the next opening is Wednesday.
    const late = facts({ at: wib(MONDAY, '16:00'), localClosures: ['2026-03-03'] });
    const after = (date: string) => checkRefusal(late, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date, time: '08:00' } }, 'officer');
    expect(after('2026-03-03')).toEqual({ ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' });
    expect(after('2026-03-04').ok).toBe(true);
  });

  it('a branch closed for the whole month ahead has no next opening to book: no outside-hours slip can be given', () => {
    const closures = Array.from({ length: 45 }, (_, i) => addDays('2026-06-02', i)).filter((d) => d !== '2026-07-14');
    const f = facts({ at: wib('2026-06-01', '16:00'), localClosures: closures });
    expect(checkRefusal(f, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-07-14', time: '08:00' } }, 'officer')).toEqual({ ok: false, why: 'APPOINTMENT_REQUIRED' });
  });

  it('age 56: an appointment on or after the 56th birthday', () => {
    const f = facts({ ageReachedOn: '2026-03-10' });
    const ask = (date: string) => checkRefusal(f, { code: 'AGE_NOT_REACHED', appointment: { date, time: '09:00' } }, 'officer');
    expect(ask('2026-03-09')).toEqual({ ok: false, why: 'APPOINTMENT_REQUIRED' });
    expect(ask('2026-03-10').ok).toBe(true);
  });

  it('outside service hours: an appointment from the next opening (skipping national closed days) on', () => {
    const f = facts({ at: wib('2026-03-17', '16:00') });
    const ask = (date: string, time = '08:00') => checkRefusal(f, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date, time } }, 'officer');
    expect(ask('2026-03-17', '14:00')).toEqual({ ok: false, why: 'APPOINTMENT_REQUIRED' });
    expect(ask('2026-03-25')).toEqual({ ok: true, reason: reasonFor('OUTSIDE_SERVICE_HOURS') });
    expect(ask('2026-03-26')).toEqual({ ok: true, reason: reasonFor('OUTSIDE_SERVICE_HOURS') });
    // Before opening on Monday: the next opening is that same morning.
    const early = facts({ at: wib(MONDAY, '07:00') });
    expect(checkRefusal(early, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: MONDAY, time: '08:00' } }, 'officer').ok).toBe(true);
    expect(checkRefusal(early, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-02-27', time: '08:00' } }, 'officer')).toEqual({ ok: false, why: 'APPOINTMENT_REQUIRED' });
  });

  it('the next opening is judged on the branch\'s clock', () => {
    // Monday 07:30 WIB is 09:30 WIT: that morning's opening has passed at a WIT branch.
    const f = facts({ at: wib(MONDAY, '07:30'), visitStartedAt: wib(MONDAY, '07:30'), zone: 'WIT' });
    const ask = (date: string) => checkRefusal(f, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date, time: '08:00' } }, 'officer');
    expect(ask(MONDAY)).toEqual({ ok: false, why: 'GUARD_NOT_HELD' });
    const g = facts({ at: wib(MONDAY, '05:30'), zone: 'WIT' });
    expect(checkRefusal(g, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: MONDAY, time: '08:00' } }, 'officer').ok).toBe(true);
    const h = facts({ at: wib(MONDAY, '16:30'), zone: 'WITA' });
    expect(checkRefusal(h, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: MONDAY, time: '14:00' } }, 'officer')).toEqual({ ok: false, why: 'APPOINTMENT_REQUIRED' });
    expect(checkRefusal(h, { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '08:00' } }, 'officer').ok).toBe(true);
  });
});

describe('the slip\'s next step', () => {
  const passed = (f: RefusalFacts, request: RefusalRequest) => {
    const r = checkRefusal(f, request, 'officer');
    if (!r.ok) throw new Error(`refused: ${r.why}`);
    return slipNextStep(r.reason, f, request);
  };

  it('waiting period: the first claim date and the appointment in the person\'s language', () => {
    const request = { code: 'WAITING_PERIOD_NOT_ELAPSED', appointment: { date: '2026-04-07', time: '09:30' } };
    expect(passed(facts({ firstClaimDate: '2026-04-06' }), request)).toEqual({
      id: 'Saldo JHT Anda dapat diklaim mulai Senin, 6 April 2026. Jadwal Anda: Selasa, 7 April 2026, 09.30.',
      en: 'Your JHT balance can be claimed from Monday 6 April 2026. Your appointment: Tuesday 7 April 2026, 09:30.',
    });
  });

  it('age 56: the 56th birthday', () => {
    const request = { code: 'AGE_NOT_REACHED', appointment: { date: '2026-03-10', time: '08:00' } };
    const slip = passed(facts({ ageReachedOn: '2026-03-10', firstClaimDate: '2026-04-06' }), request);
    expect(slip.id).toBe('Anda berusia 56 tahun pada Selasa, 10 Maret 2026; saldo JHT Anda dapat diklaim mulai tanggal itu. Jadwal Anda: Selasa, 10 Maret 2026, 08.00.');
  });

  it('outside service hours: when the branch opens again', () => {
    const request = { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-09', time: '10:00' } };
    expect(passed(facts({ at: wib('2026-03-06', '16:00') }), request)).toEqual({
      id: 'Cabang buka kembali Senin, 9 Maret 2026, 08.00. Jadwal Anda: Senin, 9 Maret 2026, 10.00.',
      en: 'The branch opens again Monday 9 March 2026, 08:00. Your appointment: Monday 9 March 2026, 10:00.',
    });
  });

  it('document missing: every document recorded as missing, in order', () => {
    const slip = passed(facts({ missingDocuments: ['savingsBook', 'npwp'] }), { code: 'DOCUMENT_MISSING' });
    expect(slip.id).toBe(`Lengkapi dokumen berikut lalu datang ke cabang mana pun: ${REQUIRED_DOCUMENT_TITLES.savingsBook.id}; ${REQUIRED_DOCUMENT_TITLES.npwp.id}.`);
    expect(slip.en).toBe(`Bring the following documents to any branch: ${REQUIRED_DOCUMENT_TITLES.savingsBook.en}; ${REQUIRED_DOCUMENT_TITLES.npwp.en}.`);
  });

  it('already paid: each KPJ with the day it was paid and its reference', () => {
    const f = facts({ kpjs: [{ kpj: '12000000001', paidBefore: PAID }, { kpj: '12000000002', paidBefore: { paidOn: '2025-06-30', reference: 'PAY-88' } }] });
    expect(passed(f, { code: 'ALREADY_PAID' }).id).toBe(
      'Saldo sudah dibayarkan: KPJ 12000000001: Selasa, 2 Januari 2024 ref PAY-77; KPJ 12000000002: Senin, 30 Juni 2025 ref PAY-88. Bila Anda tidak menerimanya, hubungi kanal pengaduan di bawah dengan nomor referensi tersebut.',
    );
  });

  it('what the facts do not give is left empty, and a placeholder nothing fills stays visible', () => {
    const reason: RefusalReason = {
      ...reasonFor('WAITING_PERIOD_NOT_ELAPSED')!,
      nextStep: { id: '[{firstClaimDate}|{appointment}|{missingDocuments}|{payments}|{unknown}]', en: '[{nextOpening}]' },
    };
    const f = facts({ missingDocuments: null, kpjs: [{ kpj: '12000000001' }], serviceHours: { ...DEFAULT_SERVICE_HOURS, mon: null, tue: null, wed: null, thu: null, fri: null } });
    expect(slipNextStep(reason, f, { code: 'WAITING_PERIOD_NOT_ELAPSED' })).toEqual({ id: '[|||KPJ 12000000001:  ref |{unknown}]', en: '[]' });
  });
});
