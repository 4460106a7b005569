import { z } from 'zod';
import { Nik } from '@shared/identity/nik';
import { Role } from '@shared/staff/schema';
import { appendToCase, replayCase, startCase, storedSnapshot, type CaseReplay, type Rejection } from '@state-machines';
import { canonicalJson } from '@shared/canonical-json';
import type { NikHasher } from '../nik-hash';
import type { AuditAction, AuditActor } from '../audit-chain';
import { casesOf, type LoketDatabase } from './database';
import type { AuditLog } from './stores';
import type { CaseDoc, RefusalDoc } from './schemas';
import { ParallelWrite } from './write-mirror';

type ReplayEmitted = CaseReplay['emitted'];

export const Person = z.object({
  nik: Nik,
  name: z.string().trim().min(2).max(120),
  phone: z.string().regex(/^\+?\d{8,15}$/).optional(),
  email: z.email().max(120).optional(),
});
export type Person = z.infer<typeof Person>;

export const OpenCase = z.object({
  id: z.string().min(8).max(100),
  flow: z.enum(['jht-claim', 'bpu-resignation', 'jmo-reset']),
  person: Person,
  ticketId: z.string().max(100).optional(),
  /** Extra machine input besides caseId and nik (e.g. config, openedAt). */
  input: z.record(z.string(), z.unknown()).default({}),
  /** Who opened it (for the audit log). */
  openedBy: z.object({ staffId: z.string(), role: Role }).optional(),
});
export type OpenCase = z.input<typeof OpenCase>;

/** What is persisted of a machine snapshot: enough to compare with a replay and to show the case. */
export type { StoredSnapshot } from '@state-machines';

export type AppendResult = { ok: true; doc: CaseDoc } | { ok: false; rejection: Rejection | { reason: 'NOT_FOUND' | 'NOT_OPEN'; detail: string } };

export interface RestoreReport {
  restored: string[];
  flagged: { id: string; reason: string }[];
}

/**
 * Cases as journals: every accepted machine event is appended together with the new snapshot in
 * ONE document write, so a crash leaves either the old case or the new one, never half. The
 * snapshot is always the replay of the journal; a restore that finds otherwise flags the case for
 * the head and leaves both as they are.
 */
export class CaseJournal {
  constructor(
    private readonly db: LoketDatabase,
    private readonly hashNik: NikHasher,
    private readonly branchCode: string,
    private readonly now: () => Date = () => new Date(),
    /** Every state change and every read of a person's record is audited when a log is given. */
    private readonly audit: AuditLog | null = null,
  ) {}

  private async record(actor: AuditActor | undefined, action: AuditAction, subject: { kind: string; id: string }, details: Record<string, string | number>): Promise<void> {
    if (this.audit && actor) await this.audit.append({ at: this.now().toISOString(), actor: { staffId: actor.staffId, role: actor.role }, action, subject, details });
  }

  async open(request: OpenCase): Promise<CaseDoc> {
    const r = OpenCase.parse(request);
    const openedAt = this.now().toISOString();
    const input = { openedAt, ...r.input, caseId: r.id, nik: r.person.nik };
    const snapshot = startCase(r.flow, input);
    const doc: CaseDoc = {
      id: r.id,
      branchCode: this.branchCode,
      flow: r.flow,
      status: 'open',
      nikHash: await this.hashNik(r.person.nik),
      person: r.person,
      input,
      events: [],
      snapshot,
      journalLength: 0,
      openedAt,
      updatedAt: openedAt,
      ...(r.ticketId ? { ticketId: r.ticketId } : {}),
    };
    // Main's journal gets the case while IndexedDB writes it; "saved" once both have it.
    const write = new ParallelWrite(this.db, 'cases', r.id);
    write.start(doc, null);
    try {
      await casesOf(this.db).insert(doc);
    } catch (e) {
      await write.failed();
      throw e;
    }
    await this.record(r.openedBy, 'case.opened', { kind: 'case', id: r.id }, { flow: r.flow });
    await write.done();
    return doc;
  }

  /** Runs the event through the case's machine; appends it only if the machine accepts it. */
  async append(caseId: string, event: unknown): Promise<AppendResult> {
    const current = await casesOf(this.db).findOne(caseId).exec();
    if (!current) return { ok: false, rejection: { reason: 'NOT_FOUND', detail: `no case ${caseId}` } };
    let outcome: AppendResult | null = null;
    let emitted: ReplayEmitted = [];
    // The case (with its whole journal) goes to main's journal while IndexedDB writes it and the
    // derived records and the audit entry are written; a failed write takes the journal entry back.
    const write = new ParallelWrite(this.db, 'cases', caseId);
    // incrementalModify re-runs on a write conflict with the latest document, so two quick
    // appends from one desk never lose an event.
    let written;
    try {
      written = await current.incrementalModify((doc) => {
        if (doc.status !== 'open') {
          outcome = { ok: false, rejection: { reason: 'NOT_OPEN', detail: `case is ${doc.status}` } };
          write.keep(doc);
          return doc;
        }
        // The one replay of this append: the journal plus the event, through the flow's machine.
        const result = appendToCase(doc, event);
        if (!result.ok) {
          outcome = { ok: false, rejection: result.rejection };
          write.keep(doc);
          return doc;
        }
        const { events, snapshot } = result;
        outcome = null;
        emitted = result.emitted;
        const next = {
          ...doc,
          events,
          snapshot,
          journalLength: events.length,
          status: snapshot.status === 'done' ? ('closed' as const) : ('open' as const),
          updatedAt: this.now().toISOString(),
        };
        write.start(next, doc);
        return next;
      });
    } catch (e) {
      await write.failed();
      throw e;
    }
    if (outcome) {
      await write.done(); // an earlier attempt's entry, if any, is taken back
      return outcome;
    }
    const doc = written.toMutableJSON();
    await this.deriveRecords(doc, emitted);
    const e = event as { type: string; actor: AuditActor };
    await this.record(e.actor, 'case.event', { kind: 'case', id: caseId }, { type: e.type, journalLength: doc.journalLength });
    await write.done();
    return { ok: true, doc };
  }

  /**
   * Refusals (valid ones for the head's review, invalid attempts for the head's attention) and
   * transfers get their own documents, derived from the journal with ids fixed by their position,
   * so deriving again after a crash inserts what is missing and never touches a review.
   */
  private async deriveRecords(doc: CaseDoc, emitted: ReplayEmitted): Promise<void> {
    const refusals: RefusalDoc[] = [];
    emitted.forEach((e, i) => {
      if (e.type !== 'refusal.recorded' && e.type !== 'refusal.rejected') return;
      const record = (e.type === 'refusal.recorded' ? e.refusal : e.attempt) as { code: string; at: string; actor: RefusalDoc['actor'] };
      refusals.push({
        id: `${doc.id}:refusal:${i}`,
        caseId: doc.id,
        branchCode: doc.branchCode,
        code: record.code,
        status: e.type === 'refusal.recorded' ? 'pending' : 'attempted',
        at: record.at,
        actor: record.actor,
        updatedAt: record.at,
      });
    });
    // bulkInsert reports existing ids as conflicts instead of overwriting them.
    if (refusals.length) await this.db.refusals.bulkInsert(refusals);
    const transfer = (doc.snapshot.context as { transfer?: { targetBranch: string; reason: string; slaDeadline: string; at: string } | null } | undefined)?.transfer;
    if (transfer) {
      await this.db.transfers.bulkInsert([
        {
          id: `${doc.id}:transfer`,
          caseId: doc.id,
          fromBranch: doc.branchCode,
          toBranch: transfer.targetBranch,
          reason: transfer.reason,
          slaDeadline: transfer.slaDeadline,
          status: 'requested',
          at: transfer.at,
          updatedAt: transfer.at,
        },
      ]);
    }
  }

  /** A case put back from main's journal: its refusals and transfers are derived again (ids fixed, nothing doubled). */
  async rederive(caseId: string): Promise<void> {
    const doc = await casesOf(this.db).findOne(caseId).exec();
    if (!doc) return;
    const data = doc.toJSON() as CaseDoc;
    const result = replayCase(data);
    if (!result.rejected) await this.deriveRecords(data, result.emitted);
  }

  /** On start: replay every open case and compare with its snapshot. */
  async restoreOpen(by?: AuditActor): Promise<RestoreReport> {
    const report: RestoreReport = { restored: [], flagged: [] };
    const open = await casesOf(this.db).find({ selector: { status: 'open' } }).exec();
    for (const doc of open) {
      const data = doc.toJSON() as CaseDoc;
      const result = replayCase(data);
      let reason: string | null = null;
      if (result.rejected) reason = `journal does not replay: event ${result.rejected.index} ${result.rejected.reason} (${result.rejected.detail})`;
      else if (canonicalJson(storedSnapshot(result.snapshot)) !== canonicalJson(data.snapshot)) reason = 'snapshot differs from the replay of the journal';
      if (!reason) await this.deriveRecords(data, result.emitted);
      if (reason) {
        const at = this.now().toISOString();
        await doc.incrementalPatch({ status: 'conflict', flag: { reason, at }, updatedAt: at });
        report.flagged.push({ id: data.id, reason });
        await this.record(by, 'case.replayMismatch', { kind: 'case', id: data.id }, { reason });
      } else {
        report.restored.push(data.id);
      }
    }
    return report;
  }

  /** Reads a case; a staff viewer's read of the person's record is audited. */
  async get(caseId: string, viewer?: AuditActor): Promise<CaseDoc | null> {
    const doc = await casesOf(this.db).findOne(caseId).exec();
    if (!doc) return null;
    const data = doc.toJSON() as CaseDoc;
    await this.record(viewer, 'person.viewed', { kind: 'person', id: data.nikHash }, { caseId });
    return data;
  }

  async findByNik(nik: string, viewer?: AuditActor): Promise<CaseDoc[]> {
    const nikHash = await this.hashNik(nik);
    const docs = await casesOf(this.db).find({ selector: { nikHash } }).exec();
    await this.record(viewer, 'person.searched', { kind: 'person', id: nikHash }, { found: docs.length });
    return docs.map((d) => d.toJSON() as CaseDoc);
  }
}
