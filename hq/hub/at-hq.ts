import type { Sql } from '../db';
import { fingerprint } from '../../shared/sync/fingerprint';
import type { HubAtHqRequest, HubAtHqResponse } from '../../shared/sync/protocol';

// "Received by HQ" for records a PC gave the hub (issue 17 pt 7). The hub knows what HQ holds
// only from HQ's own answers: `hub_upstream` is written when HQ acknowledged a relay, answered it
// with its own version (conflict), or sent a version in a pull (hq/hub/upstream.ts). A record is
// at HQ for the PC when that version is exactly the PC's (same fingerprint); a version the hub has
// not relayed yet, or relayed without an answer, is not, so the PC never shows "received by HQ"
// before HQ has it.

export async function atHq(db: Sql, branchCode: string, request: HubAtHqRequest): Promise<HubAtHqResponse> {
  const wanted = new Map<string, Set<string>>();
  for (const r of request.records) {
    const fps = wanted.get(r.id) ?? new Set<string>();
    fps.add(r.fp);
    wanted.set(r.id, fps);
  }
  // The PC's records are its branch's (the key's prefix: one index lookup each); a transfer is kept
  // under its sending branch, which may be another one (few rows: any owner).
  const { rows } = await db.query<{ id: string; deleted: boolean; data: Record<string, unknown> }>(
    `SELECT id, deleted, data FROM hub_upstream
      WHERE collection = $1 AND ($3::text IS NULL OR branch_code = $3) AND id = ANY($2::text[])`,
    [request.collection, [...wanted.keys()], request.collection === 'transfers' ? null : branchCode],
  );
  const at = new Set<string>();
  for (const row of rows) {
    if (wanted.get(row.id)?.has(fingerprint({ ...row.data, _deleted: row.deleted }))) at.add(row.id);
  }
  return { atHq: [...at].sort() };
}
