import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpjLine } from '../../../../../shared/cases/rules';
import { claimableBalance, pendingFollowUpWorkingDays } from '../../../../../shared/cases/rules';
import { latestFollowUp, PENDING_CATALOG, pendingReasonFor } from '../../../../../shared/policy/pending';
import { TextField } from '../../../components/Field';
import { currentLanguage } from '../../../i18n';
import type { StepApi } from './api';
import { formatDate } from './format';
import { KpjForm, ResolutionForm, issuesByField, kpjRecordOf, kpjStatus, mergeTargets, unresolvedKpjs, formatRupiah, type JhtStep } from './model';

interface Props {
  api: StepApi;
  step: JhtStep;
  /** Employer names from the journal (not part of the snapshot yet). */
  employers: Record<string, string>;
}

/**
 * Every KPJ of the NIK in one claim (DESIGN §1 "the vanished balance"): the officer lists each one,
 * and after submission each ends paid, merged into another KPJ of this NIK, or pending with a
 * reason and a follow-up date. The claim cannot close while any is open.
 */
export function KpjPanel({ api, step, employers }: Props) {
  const { t } = useTranslation();
  const { ctx } = api;
  const [resolving, setResolving] = useState<string | null>(null);
  // After listing, a newly found KPJ is the exception: its form stays folded until asked for.
  const [addOpen, setAddOpen] = useState(false);
  const open = unresolvedKpjs(ctx.kpjs);
  const canAdd = step === 'kpjListing' || step === 'documents' || step === 'submitted';
  const closed = step === 'closed';

  return (
    <section className="jht-step jht-kpj" aria-labelledby="jht-kpj-title" data-testid="jht-kpj-panel">
      <h4 id="jht-kpj-title" className="jht-step__title">
        {t('jht.kpj.title', { count: ctx.kpjs.length })}
      </h4>
      <p className="muted">{t('jht.kpj.intro')}</p>

      {!closed && open.length > 0 ? (
        <div className="alert jht-warn jht-banner" role="status" data-testid="jht-unresolved-banner">
          <p>
            <strong>{t('jht.kpj.bannerUnresolved', { list: open.map((k) => k.kpj).join(', '), count: open.length })}</strong>
          </p>
          <p>{step === 'submitted' ? t('jht.kpj.bannerResolveNow') : t('jht.kpj.bannerResolveAfterSubmit')}</p>
        </div>
      ) : null}
      {!closed && ctx.kpjs.length > 0 && open.length === 0 && step === 'submitted' ? (
        <div className="alert alert--success jht-banner" role="status" data-testid="jht-all-resolved">
          {t('jht.kpj.allResolved')}
        </div>
      ) : null}

      {ctx.kpjs.length === 0 ? (
        <p className="jht-empty">{t('jht.kpj.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table jht-kpj-table">
            <caption className="visually-hidden">{t('jht.kpj.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jht.kpj.number')}</th>
                <th scope="col">{t('jht.kpj.employer')}</th>
                <th scope="col" className="jht-num">
                  {t('jht.kpj.balance')}
                </th>
                <th scope="col">{t('jht.kpj.status')}</th>
              </tr>
            </thead>
            <tbody>
              {ctx.kpjs.map((k) => (
                <KpjRow
                  key={k.kpj}
                  api={api}
                  line={k}
                  employer={employers[k.kpj]}
                  removable={step === 'kpjListing' && api.can({ type: 'kpj.removed', kpj: k.kpj })}
                  showAction={step === 'submitted'}
                  resolving={resolving === k.kpj}
                  onResolve={() => setResolving(resolving === k.kpj ? null : k.kpj)}
                  onDone={() => setResolving(null)}
                />
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t('jht.kpj.total')}
                </th>
                <td className="jht-num" data-testid="jht-kpj-total">
                  {formatRupiah(claimableBalance(ctx.kpjs))}
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}

      {step === 'kpjListing' ? <ListConfirm api={api} /> : null}
      {step === 'kpjListing' ? <AddKpjForm api={api} step={step} /> : null}
      {canAdd && step !== 'kpjListing' ? (
        <div className="jht-add-late">
          <button type="button" className="button button--small" aria-expanded={addOpen} aria-controls="jht-add-form" onClick={() => setAddOpen(!addOpen)}>
            {t('jht.kpj.addLate')}
          </button>
          {addOpen ? <AddKpjForm api={api} step={step} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function StatusPill({ line }: { line: KpjLine }) {
  const { t } = useTranslation();
  const s = kpjStatus(line);
  const o = line.outcome;
  const detail =
    s === 'merged' && o?.kind === 'merged'
      ? t('jht.kpj.statusMergedInto', { into: o.into })
      : s === 'pending' && o?.kind === 'pending'
        ? t('jht.kpj.statusPendingDetail', { reason: pendingTitle(o.reason), date: formatDate(o.followUpOn) })
        : s === 'paidBefore' && line.paidBefore
          ? t('jht.kpj.statusPaidBeforeDetail', { date: formatDate(line.paidBefore.paidOn), reference: line.paidBefore.reference })
          : null;
  return (
    <>
      <span className={`status-pill jht-pill jht-pill--${s}`} data-status={s}>
        {t(`jht.kpj.statuses.${s}`)}
      </span>
      {detail ? <span className="jht-pill-detail">{detail}</span> : null}
      {o?.kind === 'pending' && o.note ? <span className="jht-pill-detail">{t('jht.kpj.statusPendingNote', { note: o.note })}</span> : null}
    </>
  );
}

/** A pending reason in words (the catalog's title); an old free-text reason as it was written. */
function pendingTitle(reason: string): string {
  return pendingReasonFor(reason)?.title[currentLanguage()] ?? reason;
}

interface RowProps {
  api: StepApi;
  line: KpjLine;
  employer: string | undefined;
  /** A typo can be removed until the NIK search is recorded (the machine decides). */
  removable: boolean;
  showAction: boolean;
  resolving: boolean;
  onResolve: () => void;
  onDone: () => void;
}

function KpjRow({ api, line, employer, removable, showAction, resolving, onResolve, onDone }: RowProps) {
  const { t } = useTranslation();
  const status = kpjStatus(line);
  // Resolvable: open, or pending (a pending KPJ may later be paid or merged).
  const resolvable = status === 'open' || status === 'pending';
  return (
    <>
      <tr data-kpj={line.kpj} data-testid={`jht-kpj-row-${line.kpj}`}>
        <td className="mono">{line.kpj}</td>
        <td>
          {employer ?? <span className="muted">{t('jht.kpj.employerUnknown')}</span>}
          {line.employerArrears ? <span className="jht-pill-detail">{t('jht.kpj.arrearsNote')}</span> : null}
        </td>
        <td className="jht-num">{formatRupiah(line.balance)}</td>
        <td>
          <StatusPill line={line} />
          {removable ? (
            <button
              type="button"
              className="button button--small jht-remove-button"
              title={t('jht.kpj.removeHint')}
              disabled={api.busy}
              onClick={() => void api.fire({ type: 'kpj.removed', kpj: line.kpj })}
            >
              {t('jht.kpj.remove')}
              <span className="visually-hidden"> {t('jht.kpj.removeWhich', { kpj: line.kpj })}</span>
            </button>
          ) : null}
          {/* The action sits under the status: the panel may be a narrow column beside the refusal list. */}
          {showAction && resolvable ? (
            <button
              type="button"
              className="button button--small jht-resolve-button"
              aria-expanded={resolving}
              aria-controls={`jht-resolve-${line.kpj}`}
              onClick={onResolve}
            >
              {status === 'pending' ? t('jht.kpj.resolveAgain') : t('jht.kpj.resolve')}
              <span className="visually-hidden"> {t('jht.kpj.resolveWhich', { kpj: line.kpj })}</span>
            </button>
          ) : null}
        </td>
      </tr>
      {showAction && resolving ? (
        <tr className="jht-resolve-row">
          <td colSpan={4}>
            <ResolveForm api={api} line={line} onDone={onDone} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ResolveForm({ api, line, onDone }: { api: StepApi; line: KpjLine; onDone: () => void }) {
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

/** Recording the NIK search, then confirming that the list is every KPJ of the NIK. */
function ListConfirm({ api }: { api: StepApi }) {
  const { t } = useTranslation();
  const { ctx } = api;
  const records = ctx.kpjs.map(({ outcome: _outcome, ...r }) => r);
  const search = { type: 'kpj.searched', results: records };
  const confirm = { type: 'kpj.listConfirmed' };
  const canConfirm = api.can(confirm);
  const confirmWhy = !ctx.kpjSearchDone
    ? t('jht.why.searchFirst')
    : ctx.kpjs.length === 0
      ? t('jht.why.noKpj')
      : ctx.kpjs.every((k) => k.paidBefore)
        ? t('jht.why.allPaidBefore')
        : t('jht.why.roleOrState');
  return (
    <div className="jht-confirm">
      {ctx.kpjSearchDone ? (
        <p className="jht-ok" data-testid="jht-search-done">
          {t('jht.kpj.searchDone')}
        </p>
      ) : (
        <div>
          <p>{t('jht.kpj.searchIntro')}</p>
          <button type="button" className="button" disabled={api.busy || !api.can(search)} onClick={() => void api.fire(search)}>
            {t('jht.kpj.searchRecord', { count: ctx.kpjs.length })}
          </button>
        </div>
      )}
      <div className="form__actions">
        <button type="button" className="button button--primary" disabled={api.busy || !canConfirm} aria-describedby={canConfirm ? undefined : 'jht-confirm-why'} onClick={() => void api.fire(confirm)}>
          {t('jht.kpj.confirmList', { count: ctx.kpjs.length })}
        </button>
      </div>
      {!canConfirm ? (
        <p id="jht-confirm-why" className="jht-why">
          {confirmWhy}
        </p>
      ) : null}
    </div>
  );
}

const EMPTY = { kpj: '', employer: '', balance: '', registeredOn: '', employerArrears: false, paidBefore: false, paidOn: '', reference: '' };

function AddKpjForm({ api, step }: { api: StepApi; step: JhtStep }) {
  const { t } = useTranslation();
  const [f, setF] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [why, setWhy] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const set = <K extends keyof typeof EMPTY>(k: K, v: (typeof EMPTY)[K]) => {
    setF((prev) => ({ ...prev, [k]: v }));
    // A corrected field stops showing its old message.
    setErrors(({ [k]: _fixed, ...rest }) => rest);
  };
  const err = (field: string): string | undefined => (errors[field] ? t(`jht.${errors[field]}` as never) : undefined);

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (api.busy) return;
    const form = e.currentTarget;
    const parsed = KpjForm.safeParse(f);
    if (!parsed.success) {
      setErrors(issuesByField(parsed.error.issues));
      setWhy(null);
      setAdded(null);
      queueMicrotask(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setErrors({});
    const payload = { type: 'kpj.added', record: kpjRecordOf(parsed.data) };
    if (!api.can(payload)) {
      setWhy(api.ctx.kpjs.some((k) => k.kpj === parsed.data.kpj) ? t('jht.why.kpjDuplicate', { kpj: parsed.data.kpj }) : t('jht.why.roleOrState'));
      return;
    }
    setWhy(null);
    const submitted = f;
    if (await api.fire(payload)) {
      // Clear only what was saved: anything typed meanwhile (the next card) is kept.
      setF((prev) => (prev === submitted ? EMPTY : prev));
      setAdded(parsed.data.kpj);
      // Ready for the next KPJ without reaching for the mouse.
      form.querySelector<HTMLInputElement>('#jht-add-kpj')?.focus();
    }
  }

  return (
    <form id="jht-add-form" className="jht-add" noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby="jht-add-title">
      <h5 id="jht-add-title" className="jht-sub">
        {t('jht.kpj.addTitle')}
      </h5>
      {step === 'submitted' || step === 'documents' ? <p className="field__hint">{t('jht.kpj.addLateHint')}</p> : null}
      <div className="jht-grid">
        <TextField id="jht-add-kpj" label={t('jht.kpj.number')} hint={t('jht.kpj.numberHint')} inputMode="numeric" autoComplete="off" value={f.kpj} onChange={(e) => set('kpj', e.target.value)} error={err('kpj')} />
        <TextField id="jht-add-employer" label={t('jht.kpj.employer')} hint={t('jht.kpj.employerHint')} autoComplete="off" value={f.employer} onChange={(e) => set('employer', e.target.value)} error={err('employer')} />
        <TextField id="jht-add-balance" label={t('jht.kpj.balanceRp')} hint={t('jht.kpj.balanceHint')} inputMode="numeric" autoComplete="off" value={f.balance} onChange={(e) => set('balance', e.target.value)} error={err('balance')} />
        <TextField id="jht-add-registered" type="date" label={t('jht.kpj.registeredOn')} value={f.registeredOn} max={api.today} onChange={(e) => set('registeredOn', e.target.value)} error={err('registeredOn')} />
      </div>
      <div className="jht-checks">
        <span className="checkbox">
          <input id="jht-add-arrears" type="checkbox" checked={f.employerArrears} onChange={(e) => set('employerArrears', e.target.checked)} />
          <label htmlFor="jht-add-arrears">{t('jht.kpj.arrears')}</label>
        </span>
        <span className="checkbox">
          <input id="jht-add-paid-before" type="checkbox" checked={f.paidBefore} onChange={(e) => set('paidBefore', e.target.checked)} />
          <label htmlFor="jht-add-paid-before">{t('jht.kpj.paidBefore')}</label>
        </span>
      </div>
      {f.paidBefore ? (
        <div className="jht-grid">
          <TextField id="jht-add-paid-on" type="date" label={t('jht.kpj.paidOn')} value={f.paidOn} max={api.today} onChange={(e) => set('paidOn', e.target.value)} error={err('paidOn')} />
          <TextField id="jht-add-reference" label={t('jht.kpj.reference')} maxLength={40} value={f.reference} onChange={(e) => set('reference', e.target.value)} error={err('reference')} />
        </div>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="button" disabled={api.busy}>
          {t('jht.kpj.add')}
        </button>
      </div>
      {why ? (
        <p className="jht-why" role="alert">
          {why}
        </p>
      ) : null}
      <p role="status" className={added ? 'jht-ok' : 'visually-hidden'}>
        {added ? t('jht.kpj.added', { kpj: added }) : ''}
      </p>
    </form>
  );
}
