import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alert';
import type { AuditActor } from '../../data/audit-chain';
import type { PendingKpjReviews } from '../../data/db/pending-kpj-reviews';
import type { PendingKpjItem } from '../../data/reports/pending-kpjs';

/**
 * The head's decision on one pending KPJ (issue 16 pt 3), like a refusal review: upheld (the
 * pending is justified) or overturned (it is not: the KPJ must be resolved), with a note, which an
 * overturn requires. Recorded in the audit chain by `PendingKpjReviews.record`.
 */
export function PendingKpjReviewForm({
  item,
  reviews,
  by,
  onDone,
  onCancel,
}: {
  item: PendingKpjItem;
  reviews: PendingKpjReviews;
  by: AuditActor;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [decision, setDecision] = useState<'upheld' | 'overturned' | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!decision) {
      setFailure(t('review.pendingKpjs.errors.noDecision'));
      return;
    }
    if (decision === 'overturned' && note.trim() === '') {
      setFailure(t('review.pendingKpjs.errors.noteRequired'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const r = await reviews.record({ caseId: item.caseId, kpj: item.kpj, followUpOn: item.followUpOn, decision, note }, by);
      if (r.ok) onDone(t('review.pendingKpjs.saved', { kpj: item.kpj }));
      else setFailure(t(`review.pendingKpjs.errors.${r.reason}`));
    } catch (err) {
      setFailure(t('review.errors.saveFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="pending-kpj-review-title" data-testid="pending-kpj-review">
      <h3 id="pending-kpj-review-title" className="card__title">
        {t('review.pendingKpjs.reviewTitle', { kpj: item.kpj, caseId: item.caseId })}
      </h3>
      <form className="form card__padded" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <ErrorAlert>{failure}</ErrorAlert>
        <fieldset className="head-review__decision">
          <legend className="field__label">{t('review.pendingKpjs.decision')}</legend>
          {(['upheld', 'overturned'] as const).map((d) => (
            <label key={d} className="checkbox">
              <input type="radio" name="pending-kpj-decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
              {t(`review.pendingKpjs.${d}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label className="field__label" htmlFor="pending-kpj-note">
            {t('review.pendingKpjs.noteLabel')}
          </label>
          <textarea id="pending-kpj-note" className="input" rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="pending-kpj-note-hint" />
          <p id="pending-kpj-note-hint" className="field__hint">
            {t('review.pendingKpjs.noteHint')}
          </p>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('review.pendingKpjs.save')}
          </button>
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t('review.pendingKpjs.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
