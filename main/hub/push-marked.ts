// A push from the renderer, on to the branch hub or straight to HQ (issue 17, authorship). Rows
// holding a version this PC only pulled go marked `pulled` (./pulled-versions.ts) to an upstream
// that says it takes the mark (`pulledMarks` in its /v1/branch answer): it keeps them without an
// author until their writer pushes them (hq/store.ts `PushOptions`), so no PC becomes the author of
// a record it did not write. An older upstream refuses the mark (strict push rows): those rows are
// held back from it, never sent unmarked; they stay on this PC and in the branch, and go marked to
// the next upstream that takes the mark (their writer's own push carries them meanwhile).
import type { PushResponse, PushRow, WritableCollection } from '@shared/sync/protocol';
import type { PulledVersions } from './pulled-versions';

export interface MarkingUpstream {
  /** Whether the upstream takes rows marked `pulled` (asked once per upstream, then known). */
  takesPulledMarks(): Promise<boolean>;
  push(collection: WritableCollection, rows: PushRow[]): Promise<PushResponse>;
}

/**
 * `sent`: the rows the upstream got (and so holds, but for `conflicts`); the held-back ones are not
 * in it. `heldBack`: the ids of the rows not sent (the upstream does not hold them: never to be
 * shown as received there).
 */
export async function pushMarked(
  versions: PulledVersions,
  upstream: MarkingUpstream,
  collection: WritableCollection,
  fromPage: readonly PushRow[],
): Promise<{ sent: PushRow[]; conflicts: PushResponse; heldBack: string[] }> {
  const takesMarks = await upstream.takesPulledMarks();
  const rows = versions.forPush(collection, fromPage);
  const sent = takesMarks ? rows : rows.filter((r) => r.pulled !== true);
  const heldBack = takesMarks ? [] : rows.filter((r) => r.pulled === true).map((r) => String(r.newDocumentState.id));
  if (sent.length === 0) return { sent, conflicts: [], heldBack };
  const conflicts = await upstream.push(collection, sent);
  // The upstream's copies of conflicting records were written elsewhere.
  versions.pulled(collection, conflicts);
  return { sent, conflicts, heldBack };
}
