import type { Text } from './catalog';

/** Answers security staff may give at the door: read from here, never improvised. */
export const INFO_TOPICS = {
  jhtDocuments: {
    question: { id: 'Dokumen klaim JHT', en: 'JHT claim documents' },
    answer: {
      id: 'e-KTP, kartu atau nomor KPJ, buku tabungan atas nama peserta; untuk berhenti kerja: bukti dari pemberi kerja (paklaring atau bukti lain); NPWP hanya bila saldo di atas Rp50.000.000. Tunggakan iuran pemberi kerja tidak menghalangi klaim.',
      en: "e-KTP, KPJ card or number, a savings book in the participant's name; after leaving a job: proof from the employer (paklaring or other proof); NPWP only when the balance is above Rp50,000,000. Employer arrears do not block the claim.",
    },
  },
  waitingPeriod: {
    question: { id: 'Kapan JHT bisa diklaim setelah berhenti kerja?', en: 'When can JHT be claimed after leaving a job?' },
    answer: {
      id: 'Mengundurkan diri atau PHK: 1 bulan setelah tanggal efektif. Usia 56 tahun: sejak ulang tahun ke-56.',
      en: 'Resignation or dismissal: 1 month after the effective date. Age 56: from the 56th birthday.',
    },
  },
  anyBranch: {
    question: { id: 'Harus di cabang asal?', en: 'Must it be my home branch?' },
    answer: {
      id: 'Tidak. Klaim JHT, berhenti BPU, dan reset JMO dilayani di cabang mana pun.',
      en: 'No. JHT claims, BPU resignations and JMO resets are served at any branch.',
    },
  },
  jmoReset: {
    question: { id: 'Reset akun JMO', en: 'JMO account reset' },
    answer: {
      id: 'Bawa e-KTP dan nomor KPJ. Dilayani sepanjang jam layanan cabang, tanpa jam khusus.',
      en: 'Bring your e-KTP and KPJ number. Served during all branch service hours, no special window.',
    },
  },
  bpuStop: {
    question: { id: 'Berhenti sebagai peserta BPU', en: 'Stopping BPU membership' },
    answer: {
      id: 'Berhenti berlaku pada hari Anda mengajukan; tagihan (autodebet/aplikasi pembayaran) dihentikan dan Anda mendapat bukti.',
      en: 'The stop takes effect on the day you ask; billing (auto-debit/payment app) is stopped and you get proof.',
    },
  },
  fees: {
    question: { id: 'Apakah ada biaya?', en: 'Is there a fee?' },
    answer: { id: 'Semua layanan gratis.', en: 'All services are free of charge.' },
  },
} as const satisfies Record<string, { question: Text; answer: Text }>;

export type InfoTopic = keyof typeof INFO_TOPICS;
export const INFO_TOPIC_IDS = Object.keys(INFO_TOPICS) as InfoTopic[];
