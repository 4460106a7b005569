import type { Text } from '../policy/catalog';
import type { ReceiptConfig } from './config';
import type { CaseFlow, KpjOutcome } from './schema';

/**
 * What the person takes home (printed and as QR): case number, what happens next, the survey link
 * and the complaint channels. A case flow cannot reach a final state without one.
 */
export interface Receipt {
  caseId: string;
  flow: CaseFlow;
  kind: 'completion' | 'refusalSlip' | 'transfer' | 'withdrawal';
  issuedAt: string;
  issuedBy: string;
  nextStep: Text;
  /** JHT: every KPJ of the claim with its outcome. */
  kpjOutcomes?: Array<{ kpj: string; outcome: KpjOutcome | { kind: 'paidBefore'; paidOn: string; reference: string } }>;
  refusal?: { code: string; title: Text };
  /**
   * JHT completion (cases opened since issue 16): the amount paid in this claim and the tax on the
   * lump sum, for information only (0% up to `freeUpTo`, `percentAbove`% on the part above).
   */
  lumpSum?: { amount: number; tax: number; freeUpTo: number; percentAbove: number };
  surveyUrl: string;
  complaintChannels: ReceiptConfig['complaintChannels'];
}

export function makeReceipt(
  base: Omit<Receipt, 'surveyUrl' | 'complaintChannels'>,
  config: ReceiptConfig,
): Receipt {
  return { ...base, surveyUrl: config.surveyUrl, complaintChannels: config.complaintChannels };
}

/** The checks the invariant suite makes on a receipt. */
export function receiptComplete(r: Receipt | null | undefined): r is Receipt {
  return (
    !!r &&
    r.caseId.length > 0 &&
    r.nextStep.id.length > 0 &&
    r.nextStep.en.length > 0 &&
    r.surveyUrl.length > 0 &&
    r.complaintChannels.length > 0
  );
}

interface By {
  at: string;
  actor: { staffId: string };
}

export function transferReceipt(caseId: string, flow: CaseFlow, e: By & { targetBranch: string; slaDeadline: string }, config: ReceiptConfig): Receipt {
  return makeReceipt(
    {
      caseId,
      flow,
      kind: 'transfer',
      issuedAt: e.at,
      issuedBy: e.actor.staffId,
      nextStep: {
        id: `Atas permintaan Anda, kasus dan dokumen Anda dikirim ke cabang ${e.targetBranch}; cabang itu wajib menerimanya dan menghubungi Anda paling lambat ${e.slaDeadline}.`,
        en: `At your request, your case and documents were sent to branch ${e.targetBranch}; it must accept them and contact you by ${e.slaDeadline}.`,
      },
    },
    config,
  );
}

export function withdrawalReceipt(caseId: string, flow: CaseFlow, e: By, config: ReceiptConfig): Receipt {
  return makeReceipt(
    {
      caseId,
      flow,
      kind: 'withdrawal',
      issuedAt: e.at,
      issuedBy: e.actor.staffId,
      nextStep: {
        id: 'Anda menghentikan pengajuan atas keinginan sendiri. Anda dapat mengajukan kembali kapan saja di cabang mana pun.',
        en: 'You stopped the request yourself. You may apply again at any time at any branch.',
      },
    },
    config,
  );
}

export function refusalSlip(
  caseId: string,
  flow: CaseFlow,
  e: By,
  reason: { code: string; title: Text },
  nextStep: Text,
  config: ReceiptConfig,
): Receipt {
  return makeReceipt(
    { caseId, flow, kind: 'refusalSlip', issuedAt: e.at, issuedBy: e.actor.staffId, nextStep, refusal: { code: reason.code, title: reason.title } },
    config,
  );
}
