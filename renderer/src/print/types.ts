import type { ComplaintChannel } from '@shared/cases/config';
import type { Appointment, Service } from '@shared/cases/schema';
import type { InfoTopic } from '@shared/policy/info';
import type { Receipt } from '@shared/cases/receipt';

interface Common {
  branch: { code: string; name: string };
  /** Prints a "SAMPLE" banner: the printer test in Settings uses generated data. */
  sample?: boolean;
}

/** What the branch prints for a person. Refusal slips, transfers and withdrawals are receipts of that kind. */
export type PrintDoc =
  | (Common & {
      kind: 'ticket';
      ticket: { id: string; number: string; service: Service; issuedAt: string };
      /** People waiting ahead and the honest estimate, as shown at the door. */
      ahead: number;
      waitMinutes: number;
      /** Defaults to the configured channels (175, LAPOR!, Ombudsman RI). */
      complaintChannels?: ComplaintChannel[];
    })
  | (Common & {
      kind: 'appointment';
      service: Service;
      appointment: Appointment;
      ticketId: string;
      issuedAt: string;
      complaintChannels?: ComplaintChannel[];
    })
  | (Common & {
      /** Issue 16 pt 14: a general-service (information) ticket served at the desk; no case, so no case number. */
      kind: 'served';
      service: Service;
      ticketNumber: string;
      at: string;
      officerName: string;
      complaintChannels?: ComplaintChannel[];
    })
  | (Common & {
      kind: 'receipt';
      receipt: Receipt;
      /** The issuing officer's name (the receipt keeps their login id); the id only when unknown. */
      officerName?: string;
    })
  | (Common & {
      /** Issue 16: the person declined what the door offered; the slip keeps what they were told. */
      kind: 'declined';
      service: Service;
      offered: { kind: 'ticket'; ahead: number; waitMinutes: number } | { kind: 'appointment'; appointment: Appointment | null };
      info: InfoTopic[];
      at: string;
      reference: string;
      complaintChannels?: ComplaintChannel[];
    });
