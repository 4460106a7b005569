import type { Text } from './catalog';

/**
 * Things staff have said to people that are NOT rules (DOMAIN.md). A named fixture: the tests
 * feed every one of them to every machine in every reachable state, and none may be accepted.
 */
export interface NonReason {
  id: string;
  said: Text;
  attempt:
    | { type: 'refusal.requested'; code: string; documents?: readonly string[] }
    | { type: 'transfer.requested'; reason: string };
  /** Branch-local wall-clock time of the attempt, when the non-reason is about time. */
  localTime?: string;
  /**
   * The sentence is only a non-reason under this condition (e.g. asking for an NPWP is a real
   * requirement above Rp50,000,000).
   */
  onlyWhen?: 'npwpNotRequired' | 'terminationProofPresented';
}

export const NON_REASONS: readonly NonReason[] = [
  {
    id: 'GO_TO_HOME_BRANCH',
    said: { id: 'Silakan ke cabang tempat Anda terdaftar', en: 'Go to your home branch' },
    attempt: { type: 'transfer.requested', reason: 'HOME_BRANCH' },
  },
  {
    id: 'GO_TO_HOME_BRANCH_REFUSAL',
    said: { id: 'Kami tidak melayani peserta cabang lain', en: 'We do not serve other branches’ participants' },
    attempt: { type: 'refusal.requested', code: 'WRONG_BRANCH' },
  },
  {
    id: 'USE_THE_APP',
    said: { id: 'Lewat aplikasi / online saja', en: 'Use the app / do it online instead' },
    attempt: { type: 'refusal.requested', code: 'USE_ONLINE_CHANNEL' },
  },
  {
    id: 'USE_THE_APP_TRANSFER',
    said: { id: 'Urus lewat kanal online', en: 'Move it to the online channel' },
    attempt: { type: 'transfer.requested', reason: 'ONLINE_CHANNEL' },
  },
  {
    id: 'PAKLARING_REQUIRED',
    said: { id: 'Harus bawa paklaring', en: 'Bring a paklaring' },
    attempt: { type: 'refusal.requested', code: 'DOCUMENT_MISSING', documents: ['paklaring'] },
  },
  {
    id: 'PROOF_OF_TERMINATION_WHEN_PRESENTED',
    said: { id: 'Bukti berhenti kerja yang lain tidak berlaku', en: 'Other proof of termination does not count' },
    attempt: { type: 'refusal.requested', code: 'DOCUMENT_MISSING', documents: ['terminationProof'] },
    onlyWhen: 'terminationProofPresented',
  },
  {
    id: 'EMPLOYER_ARREARS',
    said: { id: 'Perusahaan Anda masih menunggak iuran', en: 'The employer has arrears' },
    attempt: { type: 'refusal.requested', code: 'EMPLOYER_ARREARS' },
  },
  {
    id: 'NPWP_AT_MOST_50M',
    said: { id: 'Harus bawa NPWP', en: 'Bring an NPWP' },
    attempt: { type: 'refusal.requested', code: 'DOCUMENT_MISSING', documents: ['npwp'] },
    onlyWhen: 'npwpNotRequired',
  },
  {
    id: 'RESET_ONLY_0800_0830',
    said: { id: 'Reset JMO hanya pukul 08.00–08.30', en: 'Resets only between 08:00 and 08:30' },
    attempt: { type: 'refusal.requested', code: 'OUTSIDE_SERVICE_HOURS' },
    localTime: '09:15',
  },
  {
    id: 'RESET_WINDOW_CODE',
    said: { id: 'Jam reset sudah lewat', en: 'The reset window has passed' },
    attempt: { type: 'refusal.requested', code: 'RESET_WINDOW_CLOSED' },
    localTime: '09:15',
  },
  {
    id: 'QUOTA_FULL',
    said: { id: 'Kuota hari ini habis, datang besok pagi', en: 'The quota is full, come back early tomorrow' },
    attempt: { type: 'refusal.requested', code: 'QUOTA_FULL' },
  },
  {
    id: 'ANY_FEE',
    said: { id: 'Ada biaya administrasi', en: 'There is a fee' },
    attempt: { type: 'refusal.requested', code: 'FEE_REQUIRED' },
  },
];
