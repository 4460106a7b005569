import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../../components/Field';
import { useScans } from '../../../data/scanner-hook';
import type { StepApi } from './api';
import { KpjForm, issuesByField, kpjRecordOf, type JhtStep } from './model';

const EMPTY = { kpj: '', employer: '', balance: '', registeredOn: '', employerArrears: false, paidBefore: false, paidOn: '', reference: '' };

/** One KPJ card typed in: while listing, or later when a KPJ turns up after the list was confirmed. */
export function AddKpjForm({ api, step }: { api: StepApi; step: JhtStep }) {
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
  // Issue 21: a KPJ card's barcode scanned at the counter fills this field, whichever field had the focus.
  useScans((scan) => {
    if (scan.kind === 'kpj') set('kpj', scan.kpj);
  });

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
