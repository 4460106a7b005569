import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditActor } from '../../data/audit-chain';
import type { LocalData } from '../../data/DataProvider';
import type { ConflictDoc } from '../../data/db/schemas';
import { ConflictError, MAX_NOTE } from '../../sync/conflict-log';
import { resolveConflictIn } from '../../data/hooks/head';
import { doubleCallWords } from '../../sync/double-calls';
import { branchDateTime } from './format';
import { storableTyping } from '../../components/Field';

/**
 * Open sync conflicts, and marking one resolved with a note of what was done (audited by
 * conflict-log.ts). Nothing here changes the records themselves: the head decides, outside the app
 * or in the case, and writes down what was done.
 */
export function ConflictsPanel({ local, conflicts, by, onChanged }: { local: LocalData; conflicts: ConflictDoc[]; by: AuditActor | null; onChanged: (notice: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent, c: ConflictDoc) => {
    e.preventDefault();
    if (!by || busy) return;
    const trimmed = note.trim();
    if (trimmed.length < 5 || trimmed.length > MAX_NOTE) {
      setError(t('review.conflictErrors.INVALID'));
      return;
    }
    setBusy(true);
    try {
      await resolveConflictIn(local, c.id, by, trimmed);
      setOpen(null);
      setNote('');
      setError(null);
      onChanged(t('review.conflictResolved', { id: c.docId }));
    } catch (err) {
      setError(err instanceof ConflictError ? t(`review.conflictErrors.${err.code}`) : t('review.errors.saveFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  if (conflicts.length === 0) return <p className="card__hint">{t('review.conflictsNone')}</p>;
  return (
    <>
      <p className="card__hint">{t('review.conflictsHint')}</p>
      <div className="table-wrap">
        <table className="table" data-testid="review-conflicts-table">
          <thead>
            <tr>
              <th scope="col">{t('review.col.collection')}</th>
              <th scope="col">{t('review.col.id')}</th>
              <th scope="col">{t('review.col.at')}</th>
              <th scope="col">{t('review.col.flag')}</th>
              <th scope="col">{t('review.col.kept')}</th>
              <th scope="col">{t('review.col.occurrences')}</th>
              <th scope="col">{t('review.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {conflicts.map((c) => (
              <Fragment key={c.id}>
                <tr>
                  <td className="nowrap">{c.sourceCollection}</td>
                  <td className="mono">{c.docId}</td>
                  <td className="nowrap">{branchDateTime(c.lastAt)}</td>
                  <td>{doubleCallWords(c.reason, t)}</td>
                  <td>{t(`review.kept.${c.kept}`)}</td>
                  <td>{c.occurrences}</td>
                  <td>
                    {by && open !== c.id ? (
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={t('review.conflictResolveLabel', { id: c.docId })}
                        onClick={() => {
                          setOpen(c.id);
                          setNote('');
                          setError(null);
                        }}
                      >
                        {t('review.conflictResolve')}
                      </button>
                    ) : null}
                  </td>
                </tr>
                {open === c.id ? (
                  <tr>
                    <td colSpan={7}>
                      <form className="form" onSubmit={(e) => void submit(e, c)} noValidate aria-busy={busy}>
                        <div className={['field', error ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
                          <label htmlFor="conflict-note" className="field__label">
                            {t('review.conflictNote')}
                          </label>
                          <textarea
                            id="conflict-note"
                            className="input head-review__note"
                            rows={2}
                            maxLength={MAX_NOTE + 50}
                            value={note}
                            autoFocus
                            onChange={storableTyping((e) => setNote(e.target.value))}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={['conflict-note-hint', error ? 'conflict-note-error' : ''].filter(Boolean).join(' ')}
                          />
                          <p id="conflict-note-hint" className="field__hint">
                            {t('review.conflictNoteHint')}
                          </p>
                          {error ? (
                            <p id="conflict-note-error" className="field__error" role="alert">
                              {error}
                            </p>
                          ) : null}
                        </div>
                        <p className="form__actions">
                          <button type="submit" className="button button--primary button--small" disabled={busy}>
                            {t('review.conflictSave')}
                          </button>
                          <button type="button" className="button button--ghost button--small" onClick={() => setOpen(null)}>
                            {t('review.form.cancel')}
                          </button>
                        </p>
                      </form>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
