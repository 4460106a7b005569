import { z } from 'zod';
import { Appointment, Service } from '../../../../shared/cases/schema';
import { Nik } from '../../../../shared/identity/nik';
import type { AuditActor } from '../audit-chain';
import type { NikHasher } from '../nik-hash';
import type { TicketAllocator } from '../ticket-numbers';
import type { LoketDatabase } from './database';
import type { TicketDoc, TicketStatus } from './schemas';
import type { AuditLog } from './stores';

export const IssueTicket = z.object({
  service: Service,
  nik: Nik,
  appointment: Appointment.optional(),
});
export type IssueTicket = z.input<typeof IssueTicket>;

/**
 * Tickets: personal (bound to the NIK through its keyed hash), numbered offline per device slot,
 * audited when issued. The queue query is served by the (branch, service, status, issuedAt) index.
 */
export class TicketDesk {
  constructor(
    private readonly db: LoketDatabase,
    private readonly hashNik: NikHasher,
    private readonly allocator: TicketAllocator,
    private readonly audit: AuditLog,
    private readonly branchCode: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async issue(request: IssueTicket, by: AuditActor): Promise<TicketDoc> {
    const r = IssueTicket.parse(request);
    const issued = await this.allocator.issue(r.service);
    const at = this.now().toISOString();
    const doc: TicketDoc = {
      id: `${this.branchCode}:${issued.day}:${issued.number}`,
      branchCode: this.branchCode,
      service: r.service,
      status: 'waiting',
      number: issued.number,
      day: issued.day,
      slot: issued.slot,
      seq: issued.seq,
      nikHash: await this.hashNik(r.nik),
      issuedAt: at,
      updatedAt: at,
      history: [{ status: 'waiting', at }],
      ...(r.appointment ? { appointment: r.appointment } : {}),
    };
    await this.db.tickets.insert(doc);
    await this.audit.append({ at, actor: by, action: 'ticket.issued', subject: { kind: 'ticket', id: doc.id }, details: { number: doc.number, service: doc.service } });
    return doc;
  }

  /** Oldest first: who is next for a service. */
  async queue(service: z.infer<typeof Service>, status: TicketStatus = 'waiting', limit = 50): Promise<TicketDoc[]> {
    const docs = await this.db.tickets
      .find({ selector: { branchCode: this.branchCode, service, status }, sort: [{ branchCode: 'asc' }, { service: 'asc' }, { status: 'asc' }, { issuedAt: 'asc' }], limit })
      .exec();
    return docs.map((d) => d.toMutableJSON());
  }
}
