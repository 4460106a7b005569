import { DEFAULT_RECEIPT_CONFIG } from '@shared/cases/config';
import { makeReceipt, refusalSlip } from '@shared/cases/receipt';
import { addDays, localDateOf } from '@shared/dates';
import { branchZone } from '../data/branch-zone';
import { reasonFor } from '@shared/policy/catalog';
import type { PrintDoc } from './types';

export const SAMPLE_KINDS = ['receipt', 'refusal', 'ticket', 'appointment'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

/** The sample officer's name: receipts print the officer's name, not their login id. */
const SAMPLE_OFFICER = 'Petugas Contoh';

/** Generated, obviously fake data for the printer test: no participant's data is ever printed as a sample. */
export function sampleDoc(kind: SampleKind, branch: { code: string; name: string }, now: Date): PrintDoc {
  const at = now.toISOString();
  const by = { at, actor: { staffId: 'contoh.petugas' } };
  const caseId = `${branch.code}-CONTOH-0001`;
  // The branch's calendar (WIB), not UTC: after 17:00 UTC it is already tomorrow in Jakarta.
  const day = (offset: number) => addDays(localDateOf(at, branchZone()), offset);
  switch (kind) {
    case 'receipt':
      return {
        kind: 'receipt',
        branch,
        sample: true,
        officerName: SAMPLE_OFFICER,
        receipt: makeReceipt(
          {
            caseId,
            flow: 'jht-claim',
            kind: 'completion',
            issuedAt: at,
            issuedBy: by.actor.staffId,
            nextStep: {
              id: 'Dokumen Anda lengkap. Saldo JHT dibayarkan ke rekening atas nama Anda paling lambat 5 hari kerja.',
              en: 'Your documents are complete. The JHT balance is paid into your own bank account within 5 working days.',
            },
            kpjOutcomes: [
              { kpj: '11000000001', outcome: { kind: 'paid' } },
              { kpj: '11000000002', outcome: { kind: 'pending', reason: 'EMPLOYER_DATA_CONFIRMATION', followUpOn: day(7) } },
            ],
          },
          DEFAULT_RECEIPT_CONFIG,
        ),
      };
    case 'refusal': {
      const reason = reasonFor('DOCUMENT_MISSING');
      const title = reason?.title ?? { id: 'Dokumen belum lengkap', en: 'Document missing' };
      return {
        kind: 'receipt',
        branch,
        sample: true,
        officerName: SAMPLE_OFFICER,
        receipt: refusalSlip(
          `${branch.code}-CONTOH-0002`,
          'jht-claim',
          by,
          { code: 'DOCUMENT_MISSING', title },
          {
            id: 'Lengkapi dokumen berikut lalu datang ke cabang mana pun: buku tabungan atas nama Anda.',
            en: 'Bring the following documents to any branch: a savings book in your name.',
          },
          DEFAULT_RECEIPT_CONFIG,
        ),
      };
    }
    case 'ticket':
      return {
        kind: 'ticket',
        branch,
        sample: true,
        ticket: { id: `${branch.code}:${day(0)}:A1-017`, number: 'A1-017', service: 'jht-claim', issuedAt: at },
        ahead: 6,
        waitMinutes: 45,
      };
    case 'appointment':
      return {
        kind: 'appointment',
        branch,
        sample: true,
        service: 'bpu-resignation',
        appointment: { date: day(1), time: '09:30' },
        ticketId: `${branch.code}:${day(1)}:B1-001`,
        issuedAt: at,
      };
  }
}
