import type { Role } from '../staff/schema';
import type { ServiceHours } from '../branch/schema';
import { addDays, localDateOf, type CalendarDate } from '../dates';
import type { CaseFlow, RequiredDocument } from '../cases/schema';
import type { RefusalFacts, RefusalRequest } from './facts';
import { hoursOn, isSlotInServiceHours, isWithinServiceHours, nextOpening } from './hours';
import { branchCalendar, closedDayOn, isWeekend } from '../calendar/open-days';
import { formatDay, formatDayTime } from '../i18n/format';

/**
 * The policy catalog: the only reasons a case can be refused (DOMAIN.md "Refusals"). Data, so the
 * branch head and auditors can read it (`npm run machines:docs`), and so HQ can validate journals.
 */
export const REFUSAL_CODES = [
  'IDENTITY_NOT_VERIFIED',
  'WAITING_PERIOD_NOT_ELAPSED',
  'DOCUMENT_MISSING',
  'ALREADY_PAID',
  'NOT_A_PARTICIPANT',
  'OUTSIDE_SERVICE_HOURS',
  'AGE_NOT_REACHED',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export type Text = { id: string; en: string };

export const REQUIRED_DOCUMENT_TITLES: Record<RequiredDocument, Text> = {
  ektp: { id: 'e-KTP asli', en: 'original e-KTP' },
  savingsBook: { id: 'buku tabungan atas nama peserta', en: "savings book in the participant's name" },
  terminationProof: {
    id: 'bukti berhenti bekerja dari pemberi kerja (paklaring atau bukti lain)',
    en: 'proof of termination from the employer (paklaring or other proof)',
  },
  kk: { id: 'Kartu Keluarga (KK)', en: 'family card (KK)' },
  deathCertificate: { id: 'akta/surat keterangan kematian', en: 'death certificate' },
  npwp: { id: 'NPWP (jumlah yang dibayarkan di atas Rp50.000.000)', en: 'NPWP (amount paid above Rp50,000,000)' },
};

/** Names of the fact predicates in `PREDICATES`; the catalog refers to them by name. */
export type PredicateName =
  | 'identityNotVerified'
  | 'waitingPeriodNotElapsed'
  | 'documentMissing'
  | 'alreadyPaid'
  | 'notAParticipant'
  | 'outsideServiceHours'
  | 'ageNotReached';

export const PREDICATES: Record<PredicateName, (facts: RefusalFacts, request: RefusalRequest) => boolean> = {
  identityNotVerified: (f) =>
    f.identity !== null && (!f.identity.ektpPresented || !f.identity.ektpMatchesNik || f.identity.kpjMatchesNik === false),
  waitingPeriodNotElapsed: (f) => f.firstClaimDate !== null && f.firstClaimDate > localDateOf(f.at, f.zone),
  // The officer may name the missing documents; every one named must really be required and missing.
  documentMissing: (f, r) => {
    const missing = f.missingDocuments;
    if (missing === null || missing.length === 0) return false;
    return (r.documents ?? []).every((d) => (missing as readonly string[]).includes(d));
  },
  alreadyPaid: (f) => f.kpjs.length > 0 && f.kpjs.every((k) => k.paidBefore !== undefined),
  notAParticipant: (f) => f.participantFound === false,
  // Judged when the person arrived: a ticket taken in hours is served even when called after closing.
  outsideServiceHours: (f) => !isWithinServiceHours(f.serviceHours, f.visitStartedAt ?? f.at, f.zone),
  ageNotReached: (f) => f.ageReachedOn !== undefined && f.ageReachedOn > localDateOf(f.at, f.zone),
};

export interface RefusalReason {
  code: RefusalCode;
  title: Text;
  /** Where the rule comes from, so a branch head can check it. */
  legalBasis: Text;
  flows: readonly CaseFlow[];
  /** The fact predicate that must hold on the case for this refusal to be possible. */
  guard: PredicateName;
  holdsWhen: Text;
  /** The slip's next-step text; `{placeholders}` are filled from the case facts. */
  nextStep: Text;
  /** The slip must carry a guaranteed appointment (never "come back early tomorrow"). */
  appointment: 'none' | 'onOrAfterFirstClaimDate' | 'nextOpening';
}

/**
 * The first date the person can claim, for the reasons that end with one ("not yet" is never a
 * dead end): the end of the waiting period, or the 56th birthday.
 */
export function firstClaimDateOf(reason: Pick<RefusalReason, 'code'>, f: RefusalFacts): string | null {
  if (reason.code === 'AGE_NOT_REACHED') return f.ageReachedOn ?? null;
  return f.firstClaimDate;
}

/**
 * The appointment a "not yet" slip proposes: the opening time of the first day on or after `from`
 * on which the branch serves (a first date on a closed day moves to the next open day). Days are
 * judged by the published hours; `isOpenDay` is the seam for the closed-days calendar (holidays,
 * joint leave), which the caller passes when it has one.
 */
export function firstOpenSlot(hours: ServiceHours, from: CalendarDate, isOpenDay: (d: CalendarDate) => boolean = () => true): { date: CalendarDate; time: string } | null {
  for (let i = 0; i < 60; i += 1) {
    const date = addDays(from, i);
    const day = hoursOn(hours, date);
    if (day && isOpenDay(date)) return { date, time: day.open };
  }
  return null;
}

const PERMENAKER_4_2022: Text = {
  id: 'Permenaker No. 4 Tahun 2022 tentang Tata Cara dan Persyaratan Pembayaran Manfaat Jaminan Hari Tua',
  en: 'Minister of Manpower Regulation 4/2022 on the procedure and requirements for JHT benefit payment',
};

export const POLICY_CATALOG: readonly RefusalReason[] = [
  {
    code: 'IDENTITY_NOT_VERIFIED',
    title: { id: 'Identitas belum terverifikasi', en: 'Identity not verified' },
    legalBasis: {
      id: `${PERMENAKER_4_2022.id} (persyaratan e-KTP); UU No. 27 Tahun 2022 (PDP): data hanya diberikan kepada pemiliknya; hanya setelah hasil pemeriksaan identitas dicatat`,
      en: `${PERMENAKER_4_2022.en} (e-KTP requirement); Law 27/2022 (PDP): data only to its owner; only after a recorded identity check outcome`,
    },
    flows: ['jht-claim', 'bpu-resignation', 'jmo-reset'],
    guard: 'identityNotVerified',
    holdsWhen: {
      id: 'petugas mencatat hasil pemeriksaan: e-KTP tidak ditunjukkan, atau tidak cocok dengan NIK (atau KPJ tidak cocok dengan NIK)',
      en: 'the officer recorded the check: no e-KTP presented, or it does not match the NIK (or the KPJ does not match the NIK)',
    },
    nextStep: {
      id: 'Silakan datang kembali ke cabang mana pun dengan e-KTP asli yang sesuai dengan NIK Anda. Bila e-KTP hilang, bawa surat keterangan dari Disdukcapil.',
      en: 'Please come back to any branch with the original e-KTP matching your NIK. If it is lost, bring the certificate from the civil registry (Disdukcapil).',
    },
    appointment: 'none',
  },
  {
    code: 'WAITING_PERIOD_NOT_ELAPSED',
    title: { id: 'Masa tunggu 1 bulan belum lewat', en: 'Waiting period not elapsed' },
    legalBasis: {
      id: `${PERMENAKER_4_2022.id}: JHT karena mengundurkan diri atau PHK dibayarkan setelah masa tunggu 1 bulan sejak tanggal efektif`,
      en: `${PERMENAKER_4_2022.en}: JHT for resignation or dismissal is paid after a 1-month waiting period from the effective date`,
    },
    flows: ['jht-claim'],
    guard: 'waitingPeriodNotElapsed',
    holdsWhen: {
      id: 'tanggal efektif pengunduran diri/PHK + 1 bulan masih di masa depan',
      en: 'resignation/dismissal effective date + 1 month is in the future',
    },
    nextStep: {
      id: 'Saldo JHT Anda dapat diklaim mulai {firstClaimDate}. Jadwal Anda: {appointment}.',
      en: 'Your JHT balance can be claimed from {firstClaimDate}. Your appointment: {appointment}.',
    },
    appointment: 'onOrAfterFirstClaimDate',
  },
  {
    code: 'DOCUMENT_MISSING',
    title: { id: 'Dokumen belum lengkap', en: 'Document missing' },
    legalBasis: {
      id: `${PERMENAKER_4_2022.id} (persyaratan dokumen per sebab klaim; NPWP hanya bila jumlah yang dibayarkan dalam klaim ini > Rp50.000.000, klaim sebagian 10%/30% dihitung dari jumlah yang dibayarkan); pemeriksaan dicatat, tidak pernah dianggap: hanya dokumen yang dicatat tidak ditunjukkan`,
      en: `${PERMENAKER_4_2022.en} (documents per claim cause; NPWP only when the amount paid in this claim > Rp50,000,000, a 10%/30% partial claim counts the amount paid); checks are recorded, never presumed: only documents recorded as not presented`,
    },
    flows: ['jht-claim'],
    guard: 'documentMissing',
    holdsWhen: {
      id: 'petugas mencatat, dokumen demi dokumen, bahwa dokumen yang wajib untuk sebab klaim yang dipilih tidak ditunjukkan',
      en: 'the officer recorded, document by document, that a document required for the chosen cause was not presented',
    },
    nextStep: {
      id: 'Lengkapi dokumen berikut lalu datang ke cabang mana pun: {missingDocuments}.',
      en: 'Bring the following documents to any branch: {missingDocuments}.',
    },
    appointment: 'none',
  },
  {
    code: 'ALREADY_PAID',
    title: { id: 'Saldo sudah dibayarkan', en: 'Balance already paid' },
    legalBasis: {
      id: `PP No. 46 Tahun 2015 jo. PP No. 60 Tahun 2015 tentang Penyelenggaraan Program JHT; ${PERMENAKER_4_2022.id}`,
      en: `Government Regulation 46/2015 as amended by 60/2015 on the JHT programme; ${PERMENAKER_4_2022.en}`,
    },
    flows: ['jht-claim'],
    guard: 'alreadyPaid',
    holdsWhen: { id: 'saldo KPJ sudah dibayarkan sebelumnya', en: "the KPJ's balance is already paid out" },
    nextStep: {
      id: 'Saldo sudah dibayarkan: {payments}. Bila Anda tidak menerimanya, hubungi kanal pengaduan di bawah dengan nomor referensi tersebut.',
      en: 'The balance was already paid: {payments}. If you did not receive it, contact a complaint channel below with that reference.',
    },
    appointment: 'none',
  },
  {
    code: 'NOT_A_PARTICIPANT',
    title: { id: 'Tidak terdaftar sebagai peserta', en: 'Not a participant' },
    legalBasis: {
      id: 'UU No. 24 Tahun 2011 tentang BPJS; PP No. 46 Tahun 2015: manfaat hanya bagi peserta terdaftar',
      en: 'Law 24/2011 on BPJS; Government Regulation 46/2015: benefits only for registered participants',
    },
    flows: ['jht-claim', 'bpu-resignation'],
    guard: 'notAParticipant',
    holdsWhen: { id: 'tidak ada KPJ yang ditemukan untuk NIK', en: 'no KPJ found for the NIK' },
    nextStep: {
      id: 'Tidak ada kepesertaan yang ditemukan untuk NIK Anda. Tanyakan kepada pemberi kerja nomor KPJ Anda, atau periksa di aplikasi JMO / call center 175, lalu datang kembali dengan kartu KPJ.',
      en: 'No membership was found for your NIK. Ask your employer for your KPJ number, or check in the JMO app / call center 175, then come back with the KPJ card.',
    },
    appointment: 'none',
  },
  {
    code: 'OUTSIDE_SERVICE_HOURS',
    title: { id: 'Di luar jam layanan', en: 'Outside service hours' },
    legalBasis: {
      id: 'UU No. 25 Tahun 2009 tentang Pelayanan Publik: standar pelayanan (jam layanan) yang dipublikasikan cabang; jam layanan dinilai saat peserta datang: nomor antrean yang diambil dalam jam layanan dilayani hari itu walau dipanggil setelah jam tutup',
      en: "Law 25/2009 on Public Services: the branch's published service standard (service hours); hours are judged when the person arrived: a ticket taken within hours is served that day even if called after closing",
    },
    flows: ['jht-claim', 'bpu-resignation', 'jmo-reset'],
    guard: 'outsideServiceHours',
    holdsWhen: {
      id: 'kunjungan dimulai (nomor antrean diambil) saat cabang tutup menurut jam layanan yang dipublikasikan',
      en: 'the visit began (ticket taken) while the branch was closed per its published hours',
    },
    nextStep: {
      id: 'Cabang buka kembali {nextOpening}. Jadwal Anda: {appointment}.',
      en: 'The branch opens again {nextOpening}. Your appointment: {appointment}.',
    },
    appointment: 'nextOpening',
  },
  {
    code: 'AGE_NOT_REACHED',
    title: { id: 'Usia 56 tahun belum tercapai', en: 'Age 56 not reached yet' },
    legalBasis: {
      id: `${PERMENAKER_4_2022.id}: JHT karena mencapai usia pensiun dibayarkan saat peserta mencapai usia 56 tahun; tanggal lahir dari NIK`,
      en: `${PERMENAKER_4_2022.en}: JHT for reaching retirement age is paid when the participant reaches age 56; birth date from the NIK`,
    },
    flows: ['jht-claim'],
    guard: 'ageNotReached',
    holdsWhen: {
      id: 'sebab klaim usia 56 tahun dan peserta belum berusia 56 tahun pada tanggal kunjungan',
      en: 'the claim cause is age 56 and the person is not 56 yet on the visit date',
    },
    nextStep: {
      id: 'Anda berusia 56 tahun pada {firstClaimDate}; saldo JHT Anda dapat diklaim mulai tanggal itu. Jadwal Anda: {appointment}.',
      en: 'You turn 56 on {firstClaimDate}; your JHT balance can be claimed from that date. Your appointment: {appointment}.',
    },
    appointment: 'onOrAfterFirstClaimDate',
  },
];

/** Roles that may refuse a case (security staff never can). */
export const REFUSING_ROLES: readonly Role[] = ['officer', 'head'];

export function reasonFor(code: string): RefusalReason | undefined {
  return POLICY_CATALOG.find((r) => r.code === code);
}

export const REFUSAL_REJECTIONS = {
  UNKNOWN_CODE: { id: 'Bukan alasan penolakan yang sah', en: 'Not a valid refusal reason' },
  NOT_FOR_FLOW: { id: 'Alasan ini tidak berlaku untuk layanan ini', en: 'This reason does not apply to this service' },
  ROLE_NOT_ALLOWED: { id: 'Peran ini tidak boleh menolak layanan', en: 'This role may not refuse a service' },
  GUARD_NOT_HELD: { id: 'Fakta kasus tidak memenuhi alasan ini', en: 'The case facts do not meet this reason' },
  APPOINTMENT_REQUIRED: { id: 'Alasan ini wajib disertai jadwal yang sah', en: 'This reason needs a valid appointment' },
  APPOINTMENT_ON_CLOSED_DAY: {
    id: 'Tanggal jadwal jatuh pada hari libur nasional, cuti bersama, hari tutup cabang atau akhir pekan: pilih hari kerja',
    en: 'The appointment falls on a national holiday, joint leave day, branch closure or weekend: choose a working day',
  },
} as const;
export type RefusalRejection = keyof typeof REFUSAL_REJECTIONS;

export type RefusalCheck = { ok: true; reason: RefusalReason } | { ok: false; why: RefusalRejection };

function firstClaimOrToday(reason: RefusalReason, f: RefusalFacts): string {
  return firstClaimDateOf(reason, f) ?? localDateOf(f.at, f.zone);
}

/** The whole rule for one refusal attempt: catalog code, flow, role, guard, appointment. */
export function checkRefusal(facts: RefusalFacts, request: RefusalRequest, role: Role): RefusalCheck {
  const reason = reasonFor(request.code);
  if (!reason) return { ok: false, why: 'UNKNOWN_CODE' };
  if (!REFUSING_ROLES.includes(role)) return { ok: false, why: 'ROLE_NOT_ALLOWED' };
  if (!reason.flows.includes(facts.flow)) return { ok: false, why: 'NOT_FOR_FLOW' };
  if (!PREDICATES[reason.guard](facts, request)) return { ok: false, why: 'GUARD_NOT_HELD' };
  const appt = request.appointment;
  if (reason.appointment !== 'none') {
    if (!appt || !isSlotInServiceHours(facts.serviceHours, appt.date, appt.time)) return { ok: false, why: 'APPOINTMENT_REQUIRED' };
    // Never on a closed day (issue 16): the national calendar and the branch's local closures (its
    // case rules, which HQ holds and replays with as well).
    const calendar = branchCalendar(facts.localClosures);
    if (isWeekend(appt.date) || closedDayOn(appt.date, calendar)) return { ok: false, why: 'APPOINTMENT_ON_CLOSED_DAY' };
    const earliest =
      reason.appointment === 'onOrAfterFirstClaimDate' ? firstClaimOrToday(reason, facts) : nextOpening(facts.serviceHours, facts.at, facts.zone, calendar)?.date;
    if (earliest === undefined || appt.date < earliest) return { ok: false, why: 'APPOINTMENT_REQUIRED' };
  }
  return { ok: true, reason };
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`);
}

/** The slip's next-step text for a refusal that passed `checkRefusal`. */
export function slipNextStep(reason: RefusalReason, facts: RefusalFacts, request: RefusalRequest): Text {
  const opening = nextOpening(facts.serviceHours, facts.at, facts.zone, branchCalendar(facts.localClosures));
  const missing = facts.missingDocuments ?? [];
  const values = (lang: 'id' | 'en'): Record<string, string> => ({
    // Dates in the person's language: "Senin, 28 Desember 2026, 08.00" (shared/i18n/format).
    firstClaimDate: formatDay(firstClaimDateOf(reason, facts) ?? '', lang),
    appointment: request.appointment ? formatDayTime(request.appointment.date, request.appointment.time, lang) : '',
    nextOpening: opening ? formatDayTime(opening.date, opening.time, lang) : '',
    missingDocuments: missing.map((d) => REQUIRED_DOCUMENT_TITLES[d][lang]).join('; '),
    payments: facts.kpjs.map((k) => `KPJ ${k.kpj}: ${formatDay(k.paidBefore?.paidOn ?? '', lang)} ref ${k.paidBefore?.reference ?? ''}`).join('; '),
  });
  return { id: fill(reason.nextStep.id, values('id')), en: fill(reason.nextStep.en, values('en')) };
}
