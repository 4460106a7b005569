import { transferChange, transferWriter, type TransferRecord } from '@shared/records';
import type { Sql } from './db';

// Transfers between branches at HQ (DESIGN §2: "electronic and warm"). The rules themselves are
// shared with the devices (shared/records/transfers.ts); here they meet what HQ stores:
//  - scope (before the schema check): who may write this version, as 403 FORBIDDEN_BRANCH;
//  - content (after the schema check): the one allowed change, and on creation that the receiving
//    branch exists and HQ holds the case, as the sending branch's own (else the push waits for it);
//  - the case travels with the transfer: the receiving branch pulls the case document (read-only:
//    its pushes of it are refused by the case's branch scope), see `pull` in store.ts.

export interface TransferScopeDevice {
  branchCode: string;
}

/** Who may write: the sending branch creates, only the receiving branch decides. */
export function transferScope(doc: Record<string, unknown>, device: TransferScopeDevice, master: { data: Record<string, unknown> } | null) {
  return transferWriter(master ? master.data : null, doc, device.branchCode);
}

export type TransferContentVerdict = { ok: true } | { ok: false; reason: string; later?: true };

/** The change itself, and on creation the records it points at. */
export async function checkTransferContent(
  doc: TransferRecord,
  deleted: boolean,
  ctx: { deviceId: string; master: { deleted: boolean; data: Record<string, unknown> } | null; tx: Sql },
): Promise<TransferContentVerdict> {
  const before = ctx.master ? (ctx.master.data as TransferRecord) : null;
  const ruling = transferChange(before, doc, deleted, ctx.deviceId);
  if (!ruling.ok) return { ok: false, reason: ruling.reason };
  if (before) return { ok: true };

  const branch = await ctx.tx.query('SELECT 1 FROM branches WHERE code = $1', [doc.toBranch]);
  if (branch.rows.length === 0) return { ok: false, reason: 'transfer: toBranch is not a branch HQ knows' };
  // Case numbers carry their branch (`JKT01-20260302-B1-007-…`): ids are per branch at HQ, and
  // the receiving branch holds cases of several senders, so only the prefix keeps them apart there.
  if (!doc.caseId.startsWith(`${doc.fromBranch}-`)) return { ok: false, reason: 'transfer: the case id does not carry the sending branch (BRANCH-…)' };
  // Only for a case HQ holds, of the sending branch: a transfer pushed before its case waits for it.
  const owner = await ctx.tx.query(`SELECT 1 FROM documents WHERE collection = 'cases' AND branch_code = $1 AND id = $2 AND NOT deleted`, [doc.fromBranch, doc.caseId]);
  if (owner.rows.length === 0) return { ok: false, later: true, reason: 'transfer: HQ has not received its case yet' };
  const other = await ctx.tx.query(
    `SELECT 1 FROM documents WHERE collection = 'transfers' AND branch_code = $3 AND (data ->> 'caseId') = $1 AND id <> $2 AND (data ->> 'status') <> 'declined' LIMIT 1`,
    [doc.caseId, doc.id, doc.fromBranch],
  );
  if (other.rows.length > 0) return { ok: false, reason: 'transfer: the case already has an open or accepted transfer' };
  return { ok: true };
}

/**
 * Once a transfer exists, the receiving branch must pull its case even if that branch's cases
 * checkpoint is already past the case's position: the case takes a fresh `server_seq` (same
 * content). Returns the new seq, or null when HQ does not have the case yet (it then arrives with
 * its own push, already inside the receiving branch's scope). Caller holds both branches' locks.
 */
export async function bringCaseAlong(tx: Sql, caseId: string, fromBranch: string): Promise<number | null> {
  const { rows } = await tx.query<{ server_seq: string | number }>(
    `UPDATE documents SET server_seq = nextval('documents_seq')
      WHERE collection = 'cases' AND id = $1 AND branch_code = $2 RETURNING server_seq`,
    [caseId, fromBranch],
  );
  return rows[0] ? Number(rows[0].server_seq) : null;
}

/** Receiving branches of live transfers of these cases (to tell them a case changed). */
export async function receivingBranches(tx: Sql, caseIds: readonly string[], ownerBranch: string): Promise<string[]> {
  if (caseIds.length === 0) return [];
  const { rows } = await tx.query<{ to_branch: string }>(
    `SELECT DISTINCT data ->> 'toBranch' AS to_branch FROM documents
      WHERE collection = 'transfers' AND branch_code = $2 AND (data ->> 'caseId') = ANY($1::text[])`,
    [caseIds, ownerBranch],
  );
  return rows.map((r) => r.to_branch);
}
