import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpjLine } from '@shared/cases/rules';
import { pendingFollowUpWorkingDays } from '@shared/cases/rules';
import { latestFollowUp, PENDING_CATALOG, pendingReasonFor } from '@shared/policy/pending';
import { TextField } from '../../../components/Field';
import { currentLanguage } from '../../../i18n';
import type { StepApi } from './api';
import { formatDate } from './format';
import { ResolutionForm, issuesByField, mergeTargets, formatRupiah } from './model';

/** How one KPJ ended after submission: paid, merged into another KPJ of the NIK, or pending. */
export function ResolveForm({ api, line, onDone }: { api: StepApi; line: KpjLine; onDone: () => void }) {
  const { t } = useTranslation();
  const targets = mergeTargets(api.ctx.kpjs, line.kpj);
  const [kind, setKind] = useState<'paid' | 'merged' | 'pending' | ''>('');
  const [into, setInto] = useState(targets[0]?.kpj ?? '');
  const lang = currentLanguage();
  // The rule of the rules module: a catalog reason and a follow-up within the configured working days
  // (the branch's local closures in its case rules are no working days).
  const days = pendingFollowUpWorkingDays(api.ctx.config);
  const latest = latestFollowUp(api.today, days, api.ctx.config.localClosures);
  const [reason, setReason] = useState('');
  // Defaults to a valid date: the latest the rule allows (the officer may choose an earlier one).
  const [followUpOn, setFollowUpOn] = useState(latest);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [why, setWhy] = useState<string | null>(null);
  const id = (s: string) => `jht-resolve-${line.kpj}-${s}`;
  const formRef = useRef<HTMLFormElement>(null);
  // Opening the form puts the cursor on the first outcome, so the officer continues by keyboard.
  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('input[type="radio"]:not(:disabled)')?.focus();
  }, []);
  const err = (f: string): string | undefined => (errors[f] ? t(`jht.${errors[f]}` as never, { days, date: formatDate(latest) }) : undefined);
  const fix = (f: string) => setErrors(({ [f]: _fixed, ...rest }) => rest);
  const chosen = pendingReasonFor(reason);

  async function onSubmit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (api.busy) return;
    const parsed = ResolutionForm.safeParse({ kind, into, reason, followUpOn, note, today: api.today, latest });
    if (!parsed.success) {
      setErrors(issuesByField(parsed.error.issues));
      setWhy(null);
      return;
    }
    setErrors({});
    const payload = { type: 'kpj.resolved', kpj: line.kpj, outcome: parsed.data };
    if (!api.can(payload)) {
      setWhy(parsed.data.kind === 'merged' ? t('jht.why.mergeInvalid', { kpj: line.kpj, into: parsed.data.into }) : t('jht.why.resolveInvalid'));
      return;
    }
    setWhy(null);
    if (await api.fire(payload)) onDone();
  }

  return (
    <form
      ref={formRef}
      id={`jht-resolve-${line.kpj}`}
      className="jht-resolve"
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      // Escape closes the form without recording anything.
      onKeyDown={(e) => e.key === 'Escape' && onDone()}
      aria-label={t('jht.kpj.resolveTitle', { kpj: line.kpj })}
    >
      <fieldset>
        <legend className="field__label">{t('jht.kpj.resolveTitle', { kpj: line.kpj })}</legend>
        <div className="jht-checks" role="radiogroup" aria-label={t('jht.kpj.outcome')}>
          {(['paid', 'merged', 'pending'] as const).map((k) => (
            <span key={k} className="checkbox">
              <input
                id={id(k)}
                type="radio"
                name={id('kind')}
                checked={kind === k}
                disabled={k === 'merged' && targets.length === 0}
                onChange={() => {
                  setKind(k);
                  fix('kind');
                }}
                aria-invalid={errors.kind ? true : undefined}
              />
              <label htmlFor={id(k)}>{t(`jht.kpj.outcomes.${k}`)}</label>
            </span>
          ))}
        </div>
        {targets.length === 0 ? <p className="field__hint">{t('jht.kpj.noMergeTarget')}</p> : null}
        {errors.kind ? <p className="field__error">{err('kind')}</p> : null}
      </fieldset>
      {kind === 'merged' ? (
        <div className="field">
          <label className="field__label" htmlFor={id('into')}>
            {t('jht.kpj.mergeInto')}
          </label>
          <select id={id('into')} className="input select" value={into} onChange={(e) => {
              setInto(e.target.value);
              fix('into');
            }} aria-invalid={errors.into ? true : undefined}>
            {targets.map((k) => (
              <option key={k.kpj} value={k.kpj}>
                {k.kpj} ({formatRupiah(k.balance)})
              </option>
            ))}
          </select>
          <p className="field__hint">{t('jht.kpj.mergeHint')}</p>
          {errors.into ? <p className="field__error">{err('into')}</p> : null}
        </div>
      ) : null}
      {kind === 'pending' ? (
        <>
          <div className="field">
            <label className="field__label" htmlFor={id('reason')}>
              {t('jht.kpj.pendingReason')}
            </label>
            <select
              id={id('reason')}
              className="input select"
              value={reason}
              aria-describedby={`${id('reason')}-hint`}
              aria-invalid={errors.reason ? true : undefined}
              onChange={(e) => {
                setReason(e.target.value);
                fix('reason');
              }}
            >
              <option value="">{t('jht.kpj.pendingReasonChoose')}</option>
              {PENDING_CATALOG.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.title[lang]}
                </option>
              ))}
            </select>
            <p id={`${id('reason')}-hint`} className="field__hint">
              {chosen ? t('jht.kpj.pendingBasis', { basis: chosen.basis[lang] }) : t('jht.kpj.pendingReasonHint')}
            </p>
            {errors.reason ? <p className="field__error">{err('reason')}</p> : null}
          </div>
          <TextField
            id={id('followUp')}
            type="date"
            className="field--short"
            label={t('jht.kpj.followUpOn')}
            hint={t('jht.kpj.followUpHint', { days, date: formatDate(latest) })}
            min={api.today}
            max={latest}
            value={followUpOn}
            onChange={(e) => {
              setFollowUpOn(e.target.value);
              fix('followUpOn');
            }}
            error={err('followUpOn')}
          />
          <TextField
            id={id('note')}
            label={t('jht.kpj.pendingNote')}
            hint={t('jht.kpj.pendingNoteHint')}
            value={note}
            maxLength={500}
            onChange={(e) => {
              setNote(e.target.value);
              fix('note');
            }}
            error={err('note')}
          />
        </>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="button button--primary button--small" disabled={api.busy}>
          {t('jht.kpj.saveOutcome', { kpj: line.kpj })}
        </button>
      </div>
      {why ? (
        <p className="jht-why" role="alert">
          {why}
        </p>
      ) : null}
    </form>
  );
}
