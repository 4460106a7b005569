import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localDateOf } from '@shared/dates';
import { ErrorAlert } from '../../../components/Alert';
import type { FlowProps } from '../flow-props';
import type { StepApi } from '../jht/api';
import { CauseStep } from '../jht/CauseStep';
import { DocumentsStep } from '../jht/DocumentsStep';
import { formatDate } from '../jht/format';
import { IdentityStep } from '../jht/IdentityStep';
import { KpjPanel } from '../jht/KpjPanel';
import { contextOf, employersFromJournal, stepOf, unresolvedKpjs, type JhtStep } from '../jht/model';
import { branchZone } from '../../../data/branch-zone';

const PROGRESS: readonly JhtStep[] = ['identity', 'cause', 'kpjListing', 'documents', 'submitted', 'closed'];

/**
 * The JHT claim's own steps (identity, cause, every KPJ, documents, per-KPJ outcome). The case host
 * renders refusal, transfer, receipt and close. Everything shown is read from the machine snapshot
 * and every action is offered only when the machine would accept it.
 */
export function JhtClaimFlow(props: FlowProps) {
  const { t } = useTranslation();
  const { caseDoc } = props;
  const ctx = contextOf(caseDoc.snapshot);
  const { step, sub } = stepOf(caseDoc.snapshot.value);
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // A new step moves focus to the panel heading so keyboard and screen-reader users follow along.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    titleRef.current?.focus();
  }, [step]);

  const stamp = (payload: Record<string, unknown>) => ({ ...payload, at: props.now(), actor: props.actor });
  const api: StepApi = {
    ctx,
    today: localDateOf(props.now(), branchZone()),
    busy,
    can: (payload) => props.canTake(stamp(payload)),
    fire: async (payload) => {
      setBusy(true);
      try {
        const result = await props.send(stamp(payload));
        if (result.ok) {
          setAlert(null);
          return true;
        }
        setAlert(t('jht.rejected', { reason: result.rejection.reason, detail: result.rejection.detail }));
        return false;
      } catch {
        // The journal write failed (storage): nothing was recorded, the form keeps its input.
        setAlert(t('jht.saveFailed'));
        return false;
      } finally {
        setBusy(false);
      }
    },
  };

  const open = unresolvedKpjs(ctx.kpjs);
  const stepIndex = PROGRESS.indexOf(step);
  const pastCause = stepIndex > PROGRESS.indexOf('cause') || (step === 'cause' && sub === 'notYetEligible');
  const employers = employersFromJournal(caseDoc.events);

  return (
    <section className="flow jht" data-flow="jht-claim" data-case={caseDoc.id} data-step={step} aria-labelledby="jht-title" data-testid="jht-panel">
      <h3 id="jht-title" className="jht__title" ref={titleRef} tabIndex={-1}>
        {t('jht.title')} <span className="jht__step-name">— {t(`jht.steps.${step}`)}</span>
      </h3>

      {stepIndex >= 0 ? (
        <ol className="jht-progress" aria-label={t('jht.progress')}>
          {PROGRESS.map((s, i) => (
            <li key={s} className={i < stepIndex ? 'is-done' : i === stepIndex ? 'is-current' : ''} aria-current={i === stepIndex ? 'step' : undefined}>
              {t(`jht.steps.${s}`)}
            </li>
          ))}
        </ol>
      ) : null}

      <ErrorAlert>{alert}</ErrorAlert>

      {pastCause && ctx.cause ? (
        <dl className="jht-facts">
          <div>
            <dt>{t('jht.facts.cause')}</dt>
            <dd>{t(`jht.causes.${ctx.cause}`)}</dd>
          </div>
          {ctx.effectiveDate ? (
            <div>
              <dt>{t('jht.facts.effectiveDate')}</dt>
              <dd>{formatDate(ctx.effectiveDate)}</dd>
            </div>
          ) : null}
          {ctx.firstClaimDate ? (
            <div>
              <dt>{t('jht.facts.firstClaimDate')}</dt>
              <dd>{formatDate(ctx.firstClaimDate)}</dd>
            </div>
          ) : null}
          {ctx.partial ? (
            <div>
              <dt>{t('jht.facts.partial')}</dt>
              <dd>{t('jht.facts.partialValue', { percent: ctx.partial.percent })}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}

      {step === 'identity' ? <IdentityStep api={api} /> : null}
      {step === 'cause' ? <CauseStep api={api} notYetEligible={sub === 'notYetEligible'} /> : null}
      {/* The current step comes first: documents while they are checked, then every KPJ. */}
      {step === 'documents' ? <DocumentsStep api={api} step={step} /> : null}
      {step === 'kpjListing' || step === 'documents' || step === 'submitted' || step === 'closed' ? <KpjPanel api={api} step={step} employers={employers} /> : null}
      {step === 'submitted' ? <DocumentsStep api={api} step={step} /> : null}

      {step === 'submitted' ? (
        <p className={open.length > 0 ? 'jht-why' : 'jht-ok'} data-testid="jht-close-state">
          {open.length > 0
            ? t('jht.close.blocked', { list: open.map((k) => k.kpj).join(', '), count: open.length })
            : t('jht.close.ready')}
        </p>
      ) : null}
      {step !== 'submitted' && step !== 'closed' && stepIndex >= 0 ? (
        <p className="jht-why" data-testid="jht-close-state">
          {t('jht.close.notYet', { step: t(`jht.steps.${step}`) })}
        </p>
      ) : null}
      {step === 'closed' ? <p className="jht-ok">{t('jht.close.closed')}</p> : null}
      {step === 'refused' || step === 'transferred' || step === 'withdrawn' ? <p className="muted">{t(`jht.ended.${step}`)}</p> : null}
    </section>
  );
}
