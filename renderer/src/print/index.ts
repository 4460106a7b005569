import type { Appointment, Service } from '../../../shared/cases/schema';
import type { Receipt } from '../../../shared/cases/receipt';

/** What the branch prints for a person. Refusal slips, transfers and withdrawals are receipts of that kind. */
export type PrintDoc =
  | {
      kind: 'ticket';
      branch: { code: string; name: string };
      ticket: { id: string; number: string; service: Service; issuedAt: string };
      /** People waiting ahead and the honest estimate, as shown at the door. */
      ahead: number;
      waitMinutes: number;
    }
  | { kind: 'appointment'; branch: { code: string; name: string }; service: Service; appointment: Appointment; ticketId: string; issuedAt: string }
  | { kind: 'receipt'; branch: { code: string; name: string }; receipt: Receipt };

/** Prints a document (Electron: the print dialog of this window; browser mode: Chromium's). */
export async function printDocument(doc: PrintDoc): Promise<void> {
  // Filled in by the printing work (renderer/src/print/): renders `doc` into the print area, then prints.
  await Promise.resolve(doc);
  window.print();
}
