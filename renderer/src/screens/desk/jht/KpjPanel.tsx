import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpjLine } from '@shared/cases/rules';
import { claimableBalance } from '@shared/cases/rules';
import { pendingReasonFor } from '@shared/policy/pending';
import { currentLanguage } from '../../../i18n';
import type { StepApi } from './api';
import { formatDate } from './format';
import { AddKpjForm } from './AddKpjForm';
import { ListConfirm } from './ListConfirm';
import { kpjStatus, unresolvedKpjs, formatRupiah, type JhtStep } from './model';
import { ResolveForm } from './ResolveForm';
import { TableOrEmpty } from '../../../components/TableOrEmpty';

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

      <TableOrEmpty empty={ctx.kpjs.length === 0} message={t('jht.kpj.none')} className="jht-empty">
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
        </TableOrEmpty>

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
