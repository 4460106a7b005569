import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentKind, RequiredDocument } from '@shared/cases/schema';
import type { StepApi } from './api';
import { checklistOf, formatRupiah, type Checklist } from './model';

/**
 * One convention: ticked = presented. A document that is not presented is recorded as such,
 * requirement by requirement, with its own button (`document.notPresented`); an unticked box
 * presumes nothing, so DOCUMENT_MISSING is offered only for what was recorded (issue 16).
 *
 * The documents the chosen cause needs, and only those: termination proof is a paklaring OR any
 * other proof, KK and death certificate only for death, NPWP only above the threshold (the rule and
 * the balance are shown, so nobody asks for an NPWP "just in case").
 */
export function DocumentsStep({ api, step }: { api: StepApi; step: 'documents' | 'submitted' | 'closed' }) {
  const { t } = useTranslation();
  const list = checklistOf(api.ctx);
  const editable = step === 'documents';
  const [ticked, setTicked] = useState<DocumentKind[]>([]);
  const [why, setWhy] = useState<string | null>(null);
  const fresh = ticked.filter((k) => !list.presented.includes(k));
  const present = { type: 'document.presented', documents: fresh };
  const submit = { type: 'documents.confirmed' };
  const canSubmit = editable && api.can(submit);

  async function onRecord(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (api.busy) return;
    if (fresh.length === 0) {
      setWhy(t('jht.docs.noneTicked'));
      return;
    }
    if (!api.can(present)) {
      setWhy(t('jht.why.roleOrState'));
      return;
    }
    setWhy(null);
    const sent = fresh;
    // Untick only what was recorded: a box ticked while saving stays ticked.
    if (await api.fire(present)) setTicked((prev) => prev.filter((k) => !sent.includes(k)));
  }

  const recordedMissing: readonly RequiredDocument[] = api.ctx.notPresented ?? [];
  async function onNotPresented(requirement: RequiredDocument): Promise<void> {
    if (api.busy) return;
    const event = { type: 'document.notPresented', documents: [requirement] };
    if (!api.can(event)) {
      setWhy(t('jht.why.roleOrState'));
      return;
    }
    setWhy(null);
    await api.fire(event);
  }

  const toggle = (k: DocumentKind, on: boolean) => setTicked((prev) => (on ? [...prev, k] : prev.filter((x) => x !== k)));

  return (
    <section className="jht-step jht-docs" aria-labelledby="jht-docs-title" data-testid="jht-docs">
      <h4 id="jht-docs-title" className="jht-step__title">
        {t('jht.docs.title', { cause: api.ctx.cause ? t(`jht.causes.${api.ctx.cause}`) : '—' })}
      </h4>
      {editable && api.ctx.submittedAt ? (
        <div className="alert jht-warn" role="status">
          {t('jht.docs.reopened')}
        </div>
      ) : null}
      <form onSubmit={(e) => void onRecord(e)}>
        {editable ? <p className="field__hint">{t('jht.docs.checkConvention')}</p> : null}
        <ul className="jht-checklist">
          {list.items.map((item) => (
            <li key={item.requirement} className={item.satisfied ? 'jht-doc jht-doc--ok' : 'jht-doc jht-doc--missing'} data-doc={item.requirement}>
              <span className="jht-doc__mark" aria-hidden="true">
                {item.satisfied ? '✓' : '•'}
              </span>
              <span className="jht-doc__body">
                <span className="jht-doc__name">
                  {t(`jht.docs.req.${item.requirement}`)}{' '}
                  <span className={`status-pill ${item.satisfied ? 'status-pill--active' : 'status-pill--locked'}`} data-testid={`jht-doc-status-${item.requirement}`}>
                    {item.satisfied ? t('jht.docs.presented') : recordedMissing.includes(item.requirement) ? t('jht.docs.notPresented') : t('jht.docs.missing')}
                  </span>
                </span>
                {item.requirement === 'terminationProof' ? <span className="jht-doc__rule">{t('jht.docs.terminationRule')}</span> : null}
                {item.requirement === 'ektp' && api.ctx.identity?.ektpMatchesNik ? <span className="jht-doc__rule">{t('jht.docs.ektpFromIdentity')}</span> : null}
                {item.requirement === 'npwp' ? <NpwpRule list={list} /> : null}
                {editable && !item.satisfied ? (
                  <span className="jht-checks">
                    {item.kinds.map((k) => (
                      <span key={k} className="checkbox">
                        <input id={`jht-doc-${k}`} type="checkbox" checked={ticked.includes(k)} onChange={(e) => toggle(k, e.target.checked)} />
                        <label htmlFor={`jht-doc-${k}`}>{t(`jht.docs.kind.${k}`)}</label>
                      </span>
                    ))}
                    {!recordedMissing.includes(item.requirement) ? (
                      <button type="button" className="button button--small" disabled={api.busy} onClick={() => void onNotPresented(item.requirement)}>
                        {t('jht.docs.recordNotPresented', { doc: t(`jht.docs.req.${item.requirement}`) })}
                      </button>
                    ) : null}
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
        {!list.npwp.required ? <NpwpRule list={list} /> : null}
        <p className="field__hint">{t('jht.docs.kpjCardNote')}</p>
        {editable ? (
          <div className="form__actions">
            <button type="submit" className="button" disabled={api.busy || list.missing.length === 0}>
              {t('jht.docs.record')}
            </button>
            <button type="button" className="button button--primary" disabled={api.busy || !canSubmit} aria-describedby={canSubmit ? undefined : 'jht-submit-why'} onClick={() => void api.fire(submit)}>
              {t('jht.docs.submit')}
            </button>
          </div>
        ) : null}
        {why ? (
          <p className="jht-why" role="alert">
            {why}
          </p>
        ) : null}
        {editable && !canSubmit ? (
          <p id="jht-submit-why" className="jht-why" data-testid="jht-submit-why">
            {list.missing.length > 0
              ? t('jht.why.docsMissing', { list: list.missing.map((r) => t(`jht.docs.req.${r}`)).join(', ') })
              : t('jht.why.roleOrState')}
          </p>
        ) : null}
      </form>
    </section>
  );
}

function NpwpRule({ list }: { list: Checklist }) {
  const { t } = useTranslation();
  const vars = { balance: formatRupiah(list.npwp.balance), threshold: formatRupiah(list.npwp.threshold) };
  return (
    <p className="jht-doc__rule" data-testid="jht-npwp-rule">
      {list.npwp.required ? t('jht.docs.npwpRequired', vars) : t('jht.docs.npwpNotRequired', vars)}
    </p>
  );
}
