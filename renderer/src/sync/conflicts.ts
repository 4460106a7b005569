// Conflict handlers for the replication (never RxDB's default "server wins"). A conflict is HQ
// answering a push with its own, different copy (the master). Per collection:
// - tickets: status precedence (done / no-show / transferred > serving > called > waiting), ties by
//   the later `updatedAt`; the status histories are merged.
// - cases: the pure journal merge of state-machines/merge.ts (union of events, replay). When that
//   fails, HQ's copy is kept but flagged `conflict` for the branch head, the device's own copy is
//   kept beside it as a separate flagged case (`<id>~conflict~<fingerprint>`), and a conflict
//   record is written. Nothing is dropped silently.
// - transfers: a decision (accepted/declined) beats `requested`, whatever the clocks; two different
//   decisions keep HQ's (the first to reach it) and the other is reported.
// - refusals: the later `updatedAt` wins; the losing copy is reported as a conflict.
// - audit: entries never change; a different copy under the same id keeps HQ's and is reported.
// Every handler is symmetric enough that two devices resolving the same pair reach the same result.
import type { RxConflictHandler, RxConflictHandlerInput } from 'rxdb';
import { mergeCaseDocs, type MergeableCase } from '@state-machines/merge';
import { mergeTicketHistory } from '@shared/queue/call-order';
import { comparableText, fingerprint, sameContent } from './fingerprint';
import type { ConflictRecord } from './status';

type Doc = Record<string, unknown>;

export interface ConflictSink {
  /** A conflict the head must see (stored without personal data). */
  record(conflict: ConflictRecord): void;
  /** Keeps the device's own copy of a case that could not be merged, as a separate flagged case. */
  keepLocalCopy?(collection: string, doc: Doc): Promise<void>;
}

export const TICKET_STATUS_RANK: Record<string, number> = {
  waiting: 0,
  called: 1,
  serving: 2,
  done: 3,
  'no-show': 3,
  transferred: 3,
};

const time = (v: unknown): number => {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? -Infinity : t;
};

/** Stable tie-break: the same pair gives the same winner on every device. */
function laterOf(a: Doc, b: Doc): Doc {
  const ta = time(a.updatedAt);
  const tb = time(b.updatedAt);
  if (ta !== tb) return ta > tb ? a : b;
  return comparableText(a) >= comparableText(b) ? a : b;
}

/** Tickets: the further status wins; at equal rank the later update. Histories are united. */
export function mergeTickets(local: Doc, remote: Doc): Doc {
  const rl = TICKET_STATUS_RANK[String(local.status)] ?? -1;
  const rr = TICKET_STATUS_RANK[String(remote.status)] ?? -1;
  const winner = rl !== rr ? (rl > rr ? local : remote) : laterOf(local, remote);
  const history = mergeTicketHistory(local.history, remote.history);
  return { ...winner, history };
}

const nowIso = () => new Date().toISOString();

function conflictHandler(resolve: (input: RxConflictHandlerInput<Doc>) => Promise<Doc>): RxConflictHandler<Doc> {
  return {
    isEqual: (a, b) => sameContent(a, b),
    resolve: async (input) => {
      const out = await resolve(input);
      return { ...out, _deleted: out._deleted === true };
    },
  };
}

/** The conflict handler for one collection (see the file comment). */
export function conflictHandlerFor(collection: string, sink: ConflictSink, now: () => string = nowIso): RxConflictHandler<Doc> {
  switch (collection) {
    case 'tickets':
      return conflictHandler(({ newDocumentState, realMasterState }) => Promise.resolve(mergeTickets(newDocumentState, realMasterState)));
    case 'cases':
      return conflictHandler(async ({ newDocumentState: local, realMasterState: remote }) => {
        if (local._deleted === true || remote._deleted === true) {
          sink.record({ collection, id: String(remote.id), reason: 'deleted on one side', kept: 'hq', at: now() });
          return remote;
        }
        const merged = mergeCaseDocs(local as unknown as MergeableCase, remote as unknown as MergeableCase);
        if (merged.ok) return merged.doc;
        const at = now();
        await sink.keepLocalCopy?.(collection, {
          ...local,
          id: `${String(local.id)}~conflict~${fingerprint(local).slice(0, 16)}`,
          status: 'conflict',
          flag: { reason: `sync conflict with HQ copy of ${String(local.id)}: ${merged.reason}`, at },
        });
        sink.record({ collection, id: String(remote.id), reason: `${merged.reason}: ${merged.detail}`, kept: 'hq', at });
        return { ...remote, status: 'conflict', flag: { reason: `sync conflict: ${merged.reason}`, at } };
      });
    case 'transfers':
      return conflictHandler(({ newDocumentState: local, realMasterState: remote }) => {
        const decided = (d: Doc) => d.status === 'accepted' || d.status === 'declined';
        if (decided(remote)) {
          if (decided(local) && !sameContent(local, remote)) {
            sink.record({ collection, id: String(remote.id), reason: `transfer decided twice; kept HQ's decision (${String(remote.status)})`, kept: 'hq', at: now() });
          }
          return Promise.resolve(remote);
        }
        if (decided(local)) return Promise.resolve(local);
        const winner = laterOf(local, remote);
        sink.record({ collection, id: String(remote.id), reason: 'transfer differs from HQ copy; kept the later update', kept: winner === remote ? 'hq' : 'local', at: now() });
        return Promise.resolve(winner);
      });
    case 'audit':
      return conflictHandler(({ realMasterState }) => {
        sink.record({ collection, id: String(realMasterState.id), reason: 'audit entry differs from HQ copy', kept: 'hq', at: now() });
        return Promise.resolve(realMasterState);
      });
    default:
      return conflictHandler(({ newDocumentState, realMasterState }) => {
        const winner = laterOf(newDocumentState, realMasterState);
        const kept = winner === realMasterState ? 'hq' : 'local';
        sink.record({ collection, id: String(realMasterState.id), reason: `both changed; kept the later update (${kept === 'hq' ? 'HQ' : 'this device'})`, kept, at: now() });
        return Promise.resolve(winner);
      });
  }
}
