import { z } from 'zod';
import { DEFAULT_QUEUE_CONFIG, type QueueConfig } from '@shared/cases/config';
import { Service, TicketEvent, type Actor } from '@shared/cases/schema';
import { localDateOf } from '@shared/dates';
import { noShowCheck, replay, ticketMachine, type NoShowCheck, type Rejection, type TicketContext, type TicketState } from '@state-machines';
import type { AuditActor } from '../audit-chain';
import { branchZone } from '../branch-zone';
import { inQueueOn } from '@shared/queue/call-order';
import { callOrder } from '../branch-clock';
import type { LoketDatabase } from './database';
import type { TicketDoc, TicketStatus } from './schemas';
import type { AuditLog } from './stores';
import { beginMirror } from './write-mirror';

/**
 * The officer's side of the queue: call next, recall, no-show, start and finish serving. Every
 * transition runs through the ticket machine (state-machines/ticket.machine.ts): the machine's
 * events are kept on the ticket, inside its `history` entries (`event`), so the ticket's state is
 * always the replay of its history and a no-show is possible exactly when the machine says so.
 * Every accepted transition is audited.
 */

/** The counter this desk calls to: what the waiting-room display shows and speaks. */
export const CounterNumber = z.string().trim().regex(/^[1-9]\d?$/, 'counter: 1–99');

export type TicketEventType = z.infer<typeof TicketEvent>['type'];

/** A `history` entry that carries the machine event it came from. */
type HistoryEntry = TicketDoc['history'][number] & { event?: Record<string, unknown> };

const STATUS_OF: Record<TicketState, TicketStatus> = {
  waiting: 'waiting',
  called: 'called',
  serving: 'serving',
  done: 'done',
  noShow: 'no-show',
  transferred: 'transferred',
};

/**
 * The machine events recorded on a ticket, in order. A ticket called again within one turn (two
 * counters while the hub was unreachable: the merge keeps both calls, and the head is told,
 * renderer/src/sync/double-calls.ts) replays its later calls as recalls, so the first call holds it
 * and the ticket stays workable at the desk; the stored history keeps them as they were.
 */
export function ticketEvents(t: Pick<TicketDoc, 'history'>): Record<string, unknown>[] {
  let called = false;
  return (t.history as HistoryEntry[]).flatMap((h) => {
    const e = h.event;
    if (!e) return [];
    if (e.type === 'ticket.returned') called = false;
    if (e.type !== 'ticket.called') return [e];
    if (!called) {
      called = true;
      return [e];
    }
    const { counter: _counter, ...recall } = e;
    return [{ ...recall, type: 'ticket.recalled' }];
  });
}

export interface TicketView {
  state: TicketState;
  context: TicketContext;
  /** The replay of the history stopped at an event the machine does not accept (never written by us). */
  broken: Rejection | null;
}

export function ticketInput(t: Pick<TicketDoc, 'number' | 'service' | 'issuedAt'>, config: QueueConfig = DEFAULT_QUEUE_CONFIG) {
  return { number: t.number, service: t.service, issuedAt: t.issuedAt, config };
}

/** The machine's view of a ticket: the replay of the events on its history. */
export function viewTicket(t: TicketDoc, config: QueueConfig = DEFAULT_QUEUE_CONFIG): TicketView {
  const r = replay(ticketMachine, ticketInput(t, config), ticketEvents(t));
  return { state: r.snapshot.value, context: r.snapshot.context, broken: r.rejected };
}

/** The fields this desk writes with an event type (a no-show is always judged by the spaced-calls rule). */
function eventFields(type: TicketEventType): Record<string, unknown> {
  return type === 'ticket.called' ? { counter: '1' } : type === 'ticket.noShowMarked' ? { rule: 'spacedCalls' } : {};
}

/** True when the ticket machine would accept an event of this type from `actor` now. */
export function ticketCan(t: TicketDoc, type: TicketEventType, actor: Actor, at: string, config: QueueConfig = DEFAULT_QUEUE_CONFIG): boolean {
  const event = { type, at, actor, ...eventFields(type) };
  return replay(ticketMachine, ticketInput(t, config), [...ticketEvents(t), event]).rejected === null;
}

/** Where the ticket stands against the no-show rule at `at`: what the desk shows as the reason. */
export function noShowStatus(t: TicketDoc, at: string, config: QueueConfig = DEFAULT_QUEUE_CONFIG): NoShowCheck {
  return noShowCheck(viewTicket(t, config).context, at);
}

export type CallOutcome =
  | { ok: true; ticket: TicketDoc }
  | { ok: false; reason: 'QUEUE_EMPTY' | 'NOT_FOUND' | 'TAKEN' | 'REJECTED' | 'HUB_BUSY'; detail: string; rejection?: Rejection };

/** Tickets that may be called today: issued today, or an appointment for today whose holder has checked in. */
export function callableToday(t: TicketDoc, today: string): boolean {
  return inQueueOn(t, today);
}

/**
 * The branch hub's "call next" as the desk uses it (renderer/src/data/hub-calls.ts over
 * `hub.callNext`): while the hub is reachable the call is decided there, in one transaction for the
 * whole branch, so two counters never call the same ticket (issue 17 pt 5).
 */
export interface HubCaller {
  /** The hub answered lately (`hub.status` / `hub.changed`): ask it rather than claim locally. */
  connected(): boolean;
  /**
   * The ticket the hub called to this counter, or null when nothing is waiting there. Throws when no
   * answer came; the hub may have called a ticket all the same, so the same `requestId` asked again
   * gets that ticket rather than another.
   */
  callNext(services: readonly Service[], counter: string, requestId: string): Promise<TicketDoc | null>;
}

/**
 * Every instant whose local date is `day` in any time zone (UTC-12 to UTC+14), as a selector on
 * `issuedAt`: a ticket's `day` is the branch's date of its `issuedAt` (both from the same clock), in
 * whichever zone the branch had, so every ticket issued on `day` is inside. ISO strings in UTC
 * (toISOString, as every writer stores them) order as the instants do.
 */
export function issuedAtAround(day: string): { $gte: string; $lt: string } {
  const midnight = Date.parse(`${day}T00:00:00.000Z`);
  const hour = 3_600_000;
  return { $gte: new Date(midnight - 14 * hour).toISOString(), $lt: new Date(midnight + 36 * hour).toISOString() };
}

/**
 * Asks of one press of "call next" while the hub stays connected but gives no answer. One: main
 * already asks a busy hub twice with the same request id (main/hub/calls.ts), each within the hub
 * link's 5 s, so a second ask here only doubled the officer's wait (to about 20 s) before the
 * desk says to press again.
 */
const HUB_ASKS_PER_PRESS = 1;

/** How long a call decided at the hub waits for the hub's copy to come in by the pull before writing it here. */
export const HUB_COPY_WAIT_MS = 1_500;

export class TicketCalls {
  constructor(
    private readonly db: LoketDatabase,
    private readonly audit: AuditLog | null,
    private readonly branchCode: string,
    private readonly deviceId: string,
    private readonly now: () => Date = () => new Date(),
    private readonly config: QueueConfig = DEFAULT_QUEUE_CONFIG,
    /** The branch hub (null: none; every call is claimed in this PC's database). */
    private readonly hub: HubCaller | null = null,
  ) {}

  /** A press the hub gave no answer to (it may have called someone): the next press asks it again. */
  private unanswered: { requestId: string; key: string } | null = null;

  private actor(by: AuditActor): Actor {
    return { staffId: by.staffId, role: by.role, deviceId: this.deviceId };
  }

  /**
   * Waiting tickets of one service callable today, in call order (`callOrder`: priority first, then
   * checked-in appointments at their slot, then by the time each joined the queue). Today's walk-ins
   * and today's appointments are read apart, so appointments booked for later days never crowd
   * today's queue out of the limit.
   */
  async waiting(service: Service, limit = 200): Promise<TicketDoc[]> {
    const now = this.now().toISOString();
    const today = localDateOf(now, branchZone());
    const base = { branchCode: this.branchCode, service, status: 'waiting' as const };
    const [walkIns, appointments] = await Promise.all([
      // `issuedAt` bounds the read to a range of the [branchCode, service, status, issuedAt] index;
      // `day` still decides (without the bound, every waiting ticket of the service ever issued was read).
      this.db.tickets.find({ selector: { ...base, issuedAt: issuedAtAround(today), day: today } }).exec(),
      this.db.tickets.find({ selector: { ...base, 'appointment.date': today } }).exec(),
    ]);
    const byId = new Map([...walkIns, ...appointments].map((d) => [d.id, d.toMutableJSON()]));
    return callOrder([...byId.values()], now).slice(0, limit);
  }

  /**
   * Calls the next waiting ticket of the chosen services (in `callOrder`) to `counter`. The claim is one
   * `incrementalModify`: when another desk wrote the ticket first, the modifier runs again on the
   * latest copy, sees it is no longer waiting, leaves it, and we try the next oldest.
   */
  async callNext(services: readonly Service[], counter: string, by: AuditActor): Promise<CallOutcome> {
    const desk = CounterNumber.parse(counter);
    if (this.hub?.connected()) {
      const atHub = await this.callAtHub(this.hub, [...new Set(services)].map((s) => Service.parse(s)), desk, by);
      if (atHub) return atHub;
    }
    const lists = await Promise.all([...new Set(services)].map((s) => this.waiting(Service.parse(s), 20)));
    const candidates = callOrder(lists.flat(), this.now().toISOString());
    if (!candidates.length) return { ok: false, reason: 'QUEUE_EMPTY', detail: 'no waiting ticket for these services' };
    for (const candidate of candidates) {
      const outcome = await this.transition(candidate.id, { type: 'ticket.called', counter: desk }, by);
      if (outcome.ok) return outcome;
      if (outcome.reason !== 'TAKEN') return outcome;
    }
    // Every candidate was taken by other desks meanwhile: look again (new tickets may be waiting).
    return { ok: false, reason: 'TAKEN', detail: 'every waiting ticket was called by another desk; try again' };
  }

  /**
   * "Call next" at the hub; null when the hub went away meanwhile (its stream ended), so the local
   * claim decides, as without a hub. A hub still connected but not answering may have called a ticket
   * that the answer did not bring back: claiming locally then would call a second person, so the desk
   * is told to press again, and that press repeats the same request id and gets the hub's ticket.
   */
  private async callAtHub(hub: HubCaller, services: Service[], desk: string, by: AuditActor): Promise<CallOutcome | null> {
    const key = `${desk}|${[...services].sort().join(',')}`;
    const requestId = this.unanswered?.key === key ? this.unanswered.requestId : crypto.randomUUID();
    this.unanswered = { requestId, key };
    for (let ask = 1; ; ask++) {
      const decided = await hub.callNext(services, desk, requestId).then(
        (ticket) => ({ ticket }),
        () => null,
      );
      if (decided) {
        this.unanswered = null;
        return decided.ticket ? this.calledAtHub(decided.ticket, by) : { ok: false, reason: 'QUEUE_EMPTY', detail: 'no waiting ticket for these services at the hub' };
      }
      if (!hub.connected()) {
        this.unanswered = null;
        return null;
      }
      if (ask >= HUB_ASKS_PER_PRESS) return { ok: false, reason: 'HUB_BUSY', detail: 'the branch hub did not answer in time; press call again' };
    }
  }

  /**
   * A call the hub decided and wrote (as this PC's write). Its copy comes to this PC by the pull the
   * hub's change notice starts; we wait for that rather than write it here. A local write of the
   * hub's copy would be pushed back with the waiting version as its assumed master, and any change
   * made before that push (start serving) would meet the hub's copy as a sync conflict; a pulled copy
   * is the replication's own master, so later writes push cleanly. Only when the pull does not bring
   * it within HUB_COPY_WAIT_MS (replication paused, stream down) is the hub's copy written here: the
   * same content, which the hub takes as a no-op when it is pushed. The audit entry of the call is
   * this PC's, as for a local call.
   */
  private async calledAtHub(fromHub: TicketDoc, by: AuditActor): Promise<CallOutcome> {
    const call = ticketEvents(fromHub).findLast((e) => e.type === 'ticket.called') as { at?: string; counter?: string } | undefined;
    const arrived = (t: TicketDoc | null | undefined) => !!t && ticketEvents(t).some((e) => e.type === 'ticket.called' && e.at === call?.at);
    let ticket = await this.waitFor(fromHub.id, arrived, HUB_COPY_WAIT_MS);
    if (!ticket) {
      ticket = await this.writeHubCopy(fromHub, arrived);
      const mirrored = beginMirror(this.db, [{ collection: 'tickets', id: ticket.id, doc: ticket }]);
      await mirrored();
    }
    await this.audit?.append({
      at: call?.at ?? fromHub.updatedAt,
      actor: { staffId: by.staffId, role: by.role },
      action: 'ticket.called',
      subject: { kind: 'ticket', id: ticket.id },
      details: { number: ticket.number, status: ticket.status, counter: call?.counter ?? '', via: 'hub' },
    });
    return { ok: true, ticket };
  }

  /** The ticket once `ready` holds for it in this PC's database, or null after `ms`. */
  private waitFor(id: string, ready: (t: TicketDoc | null) => boolean, ms: number): Promise<TicketDoc | null> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (t: TicketDoc | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        queueMicrotask(() => sub.unsubscribe());
        resolve(t);
      };
      const timer = setTimeout(() => finish(null), ms);
      const sub = this.db.tickets.findOne(id).$.subscribe((doc) => {
        const t = doc ? doc.toMutableJSON() : null;
        if (ready(t)) finish(t);
      });
    });
  }

  /** The hub's copy written here (the pull did not bring it in time); a copy that arrived meanwhile is kept. */
  private async writeHubCopy(fromHub: TicketDoc, arrived: (t: TicketDoc) => boolean): Promise<TicketDoc> {
    const existing = await this.db.tickets.findOne(fromHub.id).exec();
    if (existing) return (await existing.incrementalModify((doc) => (arrived(doc) ? doc : { ...doc, ...fromHub }))).toMutableJSON();
    const inserted = await this.db.tickets.insert(fromHub).catch(() => null);
    if (inserted) return inserted.toMutableJSON();
    const now = await this.db.tickets.findOne(fromHub.id).exec();
    if (!now) throw new Error(`ticket ${fromHub.number} could not be written`);
    return (await now.incrementalModify((doc) => (arrived(doc) ? doc : { ...doc, ...fromHub }))).toMutableJSON();
  }

  recall(ticketId: string, by: AuditActor): Promise<CallOutcome> {
    return this.transition(ticketId, { type: 'ticket.recalled' }, by);
  }

  noShow(ticketId: string, by: AuditActor): Promise<CallOutcome> {
    return this.transition(ticketId, { type: 'ticket.noShowMarked', rule: 'spacedCalls' }, by);
  }

  /** The person marked a no-show came back today: the same ticket goes back to the queue. */
  returned(ticketId: string, by: AuditActor): Promise<CallOutcome> {
    return this.transition(ticketId, { type: 'ticket.returned' }, by);
  }

  /** Today's no-show tickets of this branch (a person who returns is served on one of these), latest first. */
  async noShowsToday(): Promise<TicketDoc[]> {
    const today = localDateOf(this.now().toISOString(), branchZone());
    const docs = await this.db.tickets.find({ selector: { branchCode: this.branchCode, status: 'no-show' } }).exec();
    return docs
      .map((d) => d.toMutableJSON())
      .filter((t) => localDateOf(t.updatedAt, branchZone()) === today)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  startServing(ticketId: string, by: AuditActor): Promise<CallOutcome> {
    return this.transition(ticketId, { type: 'service.started' }, by);
  }

  finish(ticketId: string, by: AuditActor): Promise<CallOutcome> {
    return this.transition(ticketId, { type: 'service.finished' }, by);
  }

  /** Tickets this staff member called and has not finished (called or serving), newest first. */
  async mine(by: AuditActor): Promise<TicketDoc[]> {
    const docs = await this.db.tickets.find({ selector: { branchCode: this.branchCode, status: { $in: ['called', 'serving'] } } }).exec();
    return docs
      .map((d) => d.toMutableJSON())
      .filter((t) => {
        const calls = ticketEvents(t).filter((e) => e.type === 'ticket.called');
        const last = calls[calls.length - 1] as { actor?: { staffId?: string } } | undefined;
        return last?.actor?.staffId === by.staffId;
      })
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async get(ticketId: string): Promise<TicketDoc | null> {
    const doc = await this.db.tickets.findOne(ticketId).exec();
    return doc ? doc.toMutableJSON() : null;
  }

  /** One event through the ticket machine, written with the new status in one document write. */
  private async transition(ticketId: string, payload: { type: TicketEventType } & Record<string, unknown>, by: AuditActor): Promise<CallOutcome> {
    const current = await this.db.tickets.findOne(ticketId).exec();
    if (!current) return { ok: false, reason: 'NOT_FOUND', detail: `no ticket ${ticketId}` };
    const at = this.now().toISOString();
    const event = TicketEvent.parse({ ...payload, at, actor: this.actor(by) });
    let failure: CallOutcome | null = null;
    const written = await current.incrementalModify((doc) => {
      failure = null;
      // A call is only for a ticket still waiting: whoever wrote first has it.
      if (event.type === 'ticket.called' && doc.status !== 'waiting') {
        failure = { ok: false, reason: 'TAKEN', detail: `ticket ${doc.number} is ${doc.status}` };
        return doc;
      }
      const r = replay(ticketMachine, ticketInput(doc, this.config), [...ticketEvents(doc), event]);
      if (r.rejected) {
        failure = { ok: false, reason: 'REJECTED', detail: `${r.rejected.reason}: ${r.rejected.detail}`, rejection: r.rejected };
        return doc;
      }
      const status = STATUS_OF[r.snapshot.value];
      const entry: HistoryEntry = { status, at, event };
      return { ...doc, status, updatedAt: at, history: [...doc.history, entry] };
    });
    if (failure) return failure;
    const ticket = written.toMutableJSON();
    const mirrored = beginMirror(this.db, [{ collection: 'tickets', id: ticket.id, doc: ticket }]);
    await this.audit?.append({
      at,
      actor: { staffId: by.staffId, role: by.role },
      action: event.type,
      subject: { kind: 'ticket', id: ticket.id },
      details: { number: ticket.number, status: ticket.status, ...(event.type === 'ticket.called' ? { counter: event.counter } : {}) },
    });
    await mirrored();
    return { ok: true, ticket };
  }
}
