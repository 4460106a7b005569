import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LocalData } from '../DataProvider';
import { RefusalReviews, type AttemptView, type OpenFollowUp } from '../db/refusal-reviews';
import type { ConflictDoc, RefusalDoc } from '../db/schemas';
import { listConflicts } from '../../sync/conflict-log';
import { localDateOf } from '@shared/dates';
import { branchZone } from '../branch-zone';
import { pendingKpjsOf, type PendingKpjItem } from '../reports/pending-kpjs';
import { PendingKpjReviews, type OpenPendingFollowUp, type PendingKpjReview } from '../db/pending-kpj-reviews';
import { loket } from '../../bridge';
import { casesOf } from '../db/database';

/** The closed days entered on this PC (main's settings): the data layer never sets an appointment on one. */
async function closuresEnteredHere() {
  const r = await loket().settings.get();
  if (!r.ok) throw new Error(`settings could not be read: ${r.error.message}`);
  return r.value.localClosures;
}

export interface ReviewLists {
  pending: RefusalDoc[];
  followUps: OpenFollowUp[];
  attempts: AttemptView[];
  mismatches: Awaited<ReturnType<RefusalReviews['replayMismatches']>>;
  reviewed: RefusalDoc[];
  /** Open sync conflicts (renderer/src/sync/conflict-log.ts), oldest first. */
  conflicts: ConflictDoc[];
  /** KPJs left pending in JHT claims (issue 16): reviewed like refusals, overdue ones first. */
  pendingKpjs: PendingKpjItem[];
  /** The head's decisions on them, by `pendingKey`. */
  pendingKpjDecisions: Map<string, PendingKpjReview>;
  /** Open follow-ups of overturned pending KPJs (the person is still to be served). */
  pendingFollowUps: OpenPendingFollowUp[];
}

const EMPTY: ReviewLists = { pending: [], followUps: [], attempts: [], mismatches: [], reviewed: [], conflicts: [], pendingKpjs: [], pendingKpjDecisions: new Map(), pendingFollowUps: [] };

/**
 * The head's lists, reloaded whenever refusals or cases change in the local database (a new
 * refusal from a counter PC arrives through sync; a review from another window; a sync conflict).
 */
export function useReviewData(data: LocalData | null) {
  const reviews = useMemo(() => (data ? new RefusalReviews(data.db, data.audit) : null), [data]);
  const pendingReviews = useMemo(() => (data ? new PendingKpjReviews(data.db, data.audit, undefined, closuresEnteredHere) : null), [data]);
  const [lists, setLists] = useState<ReviewLists>(EMPTY);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    if (!reviews) return;
    try {
      const [pending, followUps, attempts, mismatches, reviewed, conflicts, claims, pendingKpjDecisions, pendingFollowUps] = await Promise.all([
        reviews.pending(),
        reviews.openFollowUps(),
        reviews.attempts(),
        reviews.replayMismatches(),
        reviews.reviewed(),
        listConflicts(reviews.db, { status: 'open' }),
        casesOf(reviews.db).find({ selector: { flow: 'jht-claim' } }).exec(),
        pendingReviews ? pendingReviews.decisions() : Promise.resolve(new Map<string, PendingKpjReview>()),
        pendingReviews ? pendingReviews.openFollowUps() : Promise.resolve([]),
      ]);
      const today = localDateOf(new Date().toISOString(), branchZone());
      const pendingKpjs = pendingKpjsOf(claims.map((c) => c.toMutableJSON()), today);
      setLists({ pending, followUps, attempts, mismatches, reviewed, conflicts, pendingKpjs, pendingKpjDecisions, pendingFollowUps });
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoaded(true);
    }
  }, [reviews, pendingReviews]);

  useEffect(() => {
    if (!data) return;
    void reload();
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Bursts of writes (a sync pull) reload once.
    const schedule = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void reload();
      }, 250);
    };
    const subs = [data.db.refusals.$.subscribe(schedule), casesOf(data.db).$.subscribe(schedule), data.db.conflicts.$.subscribe(schedule)];
    return () => {
      subs.forEach((s) => s.unsubscribe());
      if (timer) clearTimeout(timer);
    };
  }, [data, reload]);

  return { reviews, pendingReviews, lists, loaded, error, reload };
}
