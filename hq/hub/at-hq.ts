import type { Sql } from '../db';
import { fingerprint } from '@shared/sync/fingerprint';
import type { HubAtHqRequest, HubAtHqResponse } from '@shared/sync/protocol';

// "Received by HQ" for records a PC gave the hub (issue 17 pt 7). The hub knows what HQ holds
// only from HQ's own answers: `hub_upstream` is written when HQ acknowledged a relay, answered it
// with its own version (conflict), or sent a version in a pull (hq/hub/upstream.ts). A record is
// at HQ for the PC when that version is exactly the PC's (same fingerprint); a version the hub has
// not relayed yet, or relayed without an answer, is not, so the PC never shows "received by HQ"
// before HQ has it. A version HQ refused when the hub relayed it (kept here with HQ's reason by
// `keepHqRefusal`) is answered as refused, with the reason, so the PC shows it refused by HQ rather
// than shared in the branch for ever.

/** The hub_state key of HQ's refusal of a relayed record (no migration: the hub's key/value state). */
const refusalKey = (collection: string, owner: string, id: string) => `hq-refused|${collection}|${owner}|${id}`;

/** HQ refused this version of a record the hub relayed (quarantined at HQ): kept for the PC that asks. */
export async function keepHqRefusal(tx: Sql, collection: string, owner: string, id: string, doc: Record<string, unknown>, reason: string): Promise<void> {
  await tx.query('INSERT INTO hub_state (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [
    refusalKey(collection, owner, id),
    JSON.stringify({ fp: fingerprint(doc), reason: reason.slice(0, 500) }),
  ]);
}

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
  const refusals = await db.query<{ key: string; value: { fp?: unknown; reason?: unknown } }>('SELECT key, value FROM hub_state WHERE key = ANY($1::text[])', [
    [...wanted.keys()].filter((id) => !at.has(id)).map((id) => refusalKey(request.collection, branchCode, id)),
  ]);
  const refused: { id: string; reason: string }[] = [];
  for (const row of refusals.rows) {
    const id = row.key.slice(refusalKey(request.collection, branchCode, '').length);
    const { fp, reason } = row.value;
    if (typeof fp === 'string' && typeof reason === 'string' && wanted.get(id)?.has(fp)) refused.push({ id, reason });
  }
  refused.sort((x, y) => (x.id < y.id ? -1 : 1));
  return { atHq: [...at].sort(), ...(refused.length > 0 ? { refused } : {}) };
}
