// The named fixture of non-reasons (shared/policy/non-reasons.ts; DOMAIN.md "Things staff have said
// that are not rules"). The machine tests feed each attempt to every machine; this pins what each
// attempt is, so that a blanked code, document or time cannot slip through as a vacuous test.
import { describe, expect, it } from 'vitest';
import { NON_REASONS } from '@shared/policy/non-reasons';
import { reasonFor } from '@shared/policy/catalog';

describe('the non-reasons fixture', () => {
  it('holds each sentence from DOMAIN.md with the attempt a machine must refuse', () => {
    expect(NON_REASONS.map(({ id, attempt, localTime, onlyWhen }) => ({ id, attempt, localTime, onlyWhen }))).toStrictEqual([
      { id: 'GO_TO_HOME_BRANCH', attempt: { type: 'transfer.requested', reason: 'HOME_BRANCH' }, localTime: undefined, onlyWhen: undefined },
      { id: 'GO_TO_HOME_BRANCH_REFUSAL', attempt: { type: 'refusal.requested', code: 'WRONG_BRANCH' }, localTime: undefined, onlyWhen: undefined },
      { id: 'USE_THE_APP', attempt: { type: 'refusal.requested', code: 'USE_ONLINE_CHANNEL' }, localTime: undefined, onlyWhen: undefined },
      { id: 'USE_THE_APP_TRANSFER', attempt: { type: 'transfer.requested', reason: 'ONLINE_CHANNEL' }, localTime: undefined, onlyWhen: undefined },
      { id: 'PAKLARING_REQUIRED', attempt: { type: 'refusal.requested', code: 'DOCUMENT_MISSING', documents: ['paklaring'] }, localTime: undefined, onlyWhen: undefined },
      {
        id: 'PROOF_OF_TERMINATION_WHEN_PRESENTED',
        attempt: { type: 'refusal.requested', code: 'DOCUMENT_MISSING', documents: ['terminationProof'] },
        localTime: undefined,
        onlyWhen: 'terminationProofPresented',
      },
      { id: 'EMPLOYER_ARREARS', attempt: { type: 'refusal.requested', code: 'EMPLOYER_ARREARS' }, localTime: undefined, onlyWhen: undefined },
      { id: 'NPWP_AT_MOST_50M', attempt: { type: 'refusal.requested', code: 'DOCUMENT_MISSING', documents: ['npwp'] }, localTime: undefined, onlyWhen: 'npwpNotRequired' },
      { id: 'RESET_ONLY_0800_0830', attempt: { type: 'refusal.requested', code: 'OUTSIDE_SERVICE_HOURS' }, localTime: '09:15', onlyWhen: undefined },
      { id: 'RESET_WINDOW_CODE', attempt: { type: 'refusal.requested', code: 'RESET_WINDOW_CLOSED' }, localTime: '09:15', onlyWhen: undefined },
      { id: 'QUOTA_FULL', attempt: { type: 'refusal.requested', code: 'QUOTA_FULL' }, localTime: undefined, onlyWhen: undefined },
      { id: 'ANY_FEE', attempt: { type: 'refusal.requested', code: 'FEE_REQUIRED' }, localTime: undefined, onlyWhen: undefined },
    ]);
  });

  it('each sentence is written as staff said it, in Indonesian and English', () => {
    expect(NON_REASONS.map((n) => n.said)).toStrictEqual([
      { id: 'Silakan ke cabang tempat Anda terdaftar', en: 'Go to your home branch' },
      { id: 'Kami tidak melayani peserta cabang lain', en: 'We do not serve other branches’ participants' },
      { id: 'Lewat aplikasi / online saja', en: 'Use the app / do it online instead' },
      { id: 'Urus lewat kanal online', en: 'Move it to the online channel' },
      { id: 'Harus bawa paklaring', en: 'Bring a paklaring' },
      { id: 'Bukti berhenti kerja yang lain tidak berlaku', en: 'Other proof of termination does not count' },
      { id: 'Perusahaan Anda masih menunggak iuran', en: 'The employer has arrears' },
      { id: 'Harus bawa NPWP', en: 'Bring an NPWP' },
      { id: 'Reset JMO hanya pukul 08.00–08.30', en: 'Resets only between 08:00 and 08:30' },
      { id: 'Jam reset sudah lewat', en: 'The reset window has passed' },
      { id: 'Kuota hari ini habis, datang besok pagi', en: 'The quota is full, come back early tomorrow' },
      { id: 'Ada biaya administrasi', en: 'There is a fee' },
    ]);
  });

  it('an invented code is never a catalog reason; a real code is a non-reason only in its situation', () => {
    for (const n of NON_REASONS) {
      if (n.attempt.type !== 'refusal.requested') continue;
      const real = reasonFor(n.attempt.code) !== undefined;
      expect(real).toBe(n.attempt.code === 'DOCUMENT_MISSING' || n.attempt.code === 'OUTSIDE_SERVICE_HOURS');
      if (real) expect(n.onlyWhen !== undefined || n.localTime !== undefined || n.attempt.documents?.[0] === 'paklaring').toBe(true);
    }
  });
});
