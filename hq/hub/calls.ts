import { z } from 'zod';
import { DEFAULT_QUEUE_CONFIG } from '@shared/cases/config';
import { Service, TicketEvent } from '@shared/cases/schema';
import { BranchZone, localDateOf } from '@shared/dates';
import { callOrder } from '@shared/queue/call-order';
import { Role, StaffId } from '@shared/staff/schema';
import { replay, ticketMachine, type TicketState } from '@state-machines';
import type { Sql } from '../db';
import { storedData, writeTransaction } from '../store';
import type { Device } from '../store';
import { utf8Length } from '@shared/records/limits';

// "Call next" decided at the hub (issue 17 pt 5). The renderer's TicketCalls claims a ticket in
// its own database, so two counters on two PCs can call the same person until they sync; here the
// next ticket is chosen and written in ONE transaction holding the hub's write lock, so concurrent
// calls are taken one after another and each sees the previous call. The order is the desks' own
// (shared/queue/call-order.ts: priority, then checked-in appointments at their slot, then queue
// time), on the branch's clock. The ticket is written as the calling PC's (device_id), so the hub
// relays it to HQ as that PC's write; the PC writes the audit entry of the call itself.

/** `POST /v1/hub/calls/next`: the services this desk serves, its counter, who calls, and the branch's zone (absent = WIB). */
export const CallNextBody = z.strictObject({
  services: z.array(Service).min(1).max(10),
  counter: z.string().trim().regex(/^[1-9]\d?$/, 'counter: 1–99'),
  staffId: StaffId,
  role: Role,
  zone: BranchZone.optional(),
  /** The desk's id for this press of "call next": a repeat (the answer was lost) gets the same ticket. */
  requestId: z.uuid().optional(),
});
export type CallNextBody = z.infer<typeof CallNextBody>;

const STATUS_OF: Record<TicketState, string> = {
  waiting: 'waiting',
  called: 'called',
  serving: 'serving',
  done: 'done',
  noShow: 'no-show',
  transferred: 'transferred',
};

interface TicketData {
  id: string;
  number: string;
  service: Service;
  status: string;
  issuedAt: string;
  day: string;
  appointment?: { date: string; time: string };
  checkedInAt?: string;
  priority?: string;
  history: { status?: string; at?: string; event?: Record<string, unknown> }[];
  [k: string]: unknown;
}

/** Today's queue of a branch is bounded far above a day's tickets; the order is decided in code. */
const TODAYS_WAITING = 5000;
/** How long a request id is remembered: far longer than any PC retries, short enough to stay small. */
const REQUESTS_KEPT = '1 day';

export async function callNext(
  db: Sql,
  device: Device,
  body: CallNextBody,
  now: Date,
): Promise<{ ticket: Record<string, unknown> | null; written: { seq: number } | null }> {
  const at = now.toISOString();
  const today = localDateOf(at, body.zone);
  const event = TicketEvent.parse({ type: 'ticket.called', counter: body.counter, at, actor: { staffId: body.staffId, role: body.role, deviceId: device.deviceId } });
  return writeTransaction(db, async (tx) => {
    if (body.requestId) {
      // A repeat of a request already answered: the ticket it called, as it is now; nothing else is called.
      const { rows } = await tx.query<{ data: Record<string, unknown>; deleted: boolean }>(
        `SELECT d.data, d.deleted FROM hub_call_requests r JOIN documents d ON d.collection = 'tickets' AND d.branch_code = $3 AND d.id = r.ticket_id
          WHERE r.device_id = $1 AND r.request_id = $2`,
        [device.deviceId, body.requestId, device.branchCode],
      );
      if (rows[0]) return { ticket: { ...rows[0].data, _deleted: rows[0].deleted }, written: null };
    }
    // Today's waiting walk-ins and today's appointments of the desk's services, of this branch only.
    const { rows } = await tx.query<{ data: TicketData }>(
      `SELECT data FROM documents
        WHERE collection = 'tickets' AND branch_code = $1 AND NOT deleted AND (data ->> 'branchCode') = $1
          AND (data ->> 'status') = 'waiting' AND (data ->> 'service') = ANY($2::text[])
          AND ((data -> 'appointment' ->> 'date') = $3 OR ((data -> 'appointment') IS NULL AND (data ->> 'day') = $3))
        ORDER BY (data ->> 'issuedAt'), id LIMIT $4`,
      [device.branchCode, body.services, today, TODAYS_WAITING],
    );
    for (const t of callOrder(rows.map((r) => r.data), at, body.zone)) {
      const events = t.history.flatMap((h) => (h.event ? [h.event] : []));
      const r = replay(ticketMachine, { number: t.number, service: t.service, issuedAt: t.issuedAt, config: DEFAULT_QUEUE_CONFIG }, [...events, event]);
      if (r.rejected) continue; // a history the machine does not accept: leave it to the head
      const status = STATUS_OF[r.snapshot.value];
      const next = { ...t, status, updatedAt: at, history: [...t.history, { status, at, event }] };
      const text = JSON.stringify(storedData(next));
      const written = await tx.query<{ server_seq: string | number }>(
        `UPDATE documents SET data = $4::jsonb, server_seq = nextval('documents_seq'), received_at = $5, device_id = $6, data_bytes = $7
          WHERE collection = 'tickets' AND branch_code = $1 AND id = $2 AND (data ->> 'status') = $3 RETURNING server_seq`,
        [device.branchCode, t.id, 'waiting', text, at, device.deviceId, utf8Length(text)],
      );
      const seq = written.rows[0]?.server_seq;
      if (seq === undefined) continue;
      if (body.requestId) {
        await tx.query(`DELETE FROM hub_call_requests WHERE at < $1::timestamptz - interval '${REQUESTS_KEPT}'`, [at]);
        await tx.query('INSERT INTO hub_call_requests (device_id, request_id, ticket_id, at) VALUES ($1, $2, $3, $4)', [device.deviceId, body.requestId, t.id, at]);
      }
      return { ticket: { ...next, _deleted: false }, written: { seq: Number(seq) } };
    }
    return { ticket: null, written: null };
  });
}
