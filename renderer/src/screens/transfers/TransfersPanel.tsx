import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '@shared/staff/schema';
import { DECLINE_REASON_MAX, DECLINE_REASON_MIN, transferOverdue } from '@shared/records';
import { useApp } from '../../app/AppContext';
import { useNow } from '../../app/useNow';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { storableTyping } from '../../components/Field';
import { useData } from '../../data/DataProvider';
import type { TransferFailure, TransferView } from '../../data/db/transfers';
import { useTransferDesk, watchTransfers } from '../../data/hooks/transfers';
import { branchDateTime } from '../head/format';
import { TableOrEmpty } from '../../components/TableOrEmpty';

// Transfers between branches for the branch head (DESIGN §2: electronic and warm). Incoming: what
// other branches sent here, with the case summary, the SLA deadline and an overdue marker (computed
// from the clock, never stored), and Accept / Decline. Outgoing: what this branch sent and what the
// receiving branch decided, by whom and when. Lists follow the local database live (pulls from HQ).

const DECIDING_ROLES: readonly Role[] = ['head', 'admin'];

export function TransfersPanel() {
  const { t } = useTranslation();
  const { session, info } = useApp();
  const data = useData();
  const now = useNow(30_000);
  const branchCode = info?.branch?.code ?? null;
  const local = data.phase === 'ready' ? data : null;
  const desk = useTransferDesk(local, branchCode);
  const [incoming, setIncoming] = useState<TransferView[] | null>(null);
  const [outgoing, setOutgoing] = useState<TransferView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [declining, setDeclining] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canDecide = !!session && DECIDING_ROLES.includes(session.role);

  const reload = useCallback(async () => {
    if (!desk) return;
    try {
      const [i, o] = await Promise.all([desk.incoming(), desk.outgoing()]);
      setIncoming(i);
      setOutgoing(o);
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  }, [desk]);

  useEffect(() => {
    if (!local) return;
    void reload();
    // A transfer pulled from HQ (new, or decided by the other branch) shows without a refresh.
    return watchTransfers(local, () => void reload());
  }, [local, reload]);

  const failure = (e: TransferFailure) => t(`transfers.errors.${e.code}`, { message: e.message });

  const accept = async (tr: TransferView) => {
    if (!desk || !session || busy) return;
    setBusy(true);
    setActionError(null);
    try {
      const r = await desk.accept(tr.id, { staffId: session.staffId, role: session.role });
      if (r.ok) setNotice(t('transfers.accepted', { caseId: tr.caseId, from: tr.fromBranch }));
      else setActionError(failure(r.error));
    } catch (e) {
      setActionError(t('transfers.errors.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
      void reload();
    }
  };

  const decline = async (tr: TransferView, reason: string): Promise<boolean> => {
    if (!desk || !session || busy) return false;
    setBusy(true);
    setActionError(null);
    try {
      const r = await desk.decline(tr.id, reason, { staffId: session.staffId, role: session.role });
      if (r.ok) {
        setNotice(t('transfers.declined', { caseId: tr.caseId, from: tr.fromBranch }));
        setDeclining(null);
        return true;
      }
      setActionError(failure(r.error));
      return false;
    } catch (e) {
      setActionError(t('transfers.errors.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
      return false;
    } finally {
      setBusy(false);
      void reload();
    }
  };

  if (data.phase === 'error') {
    return (
      <section className="transfers" aria-labelledby="transfers-title" data-testid="transfers-panel">
        <h2 id="transfers-title">{t('transfers.title')}</h2>
        <ErrorAlert>{t('transfers.errors.data', { message: data.message })}</ErrorAlert>
      </section>
    );
  }

  return (
    <section className="transfers" aria-labelledby="transfers-title" data-testid="transfers-panel">
      <h2 id="transfers-title">{t('transfers.title')}</h2>
      <p className="card__hint">{t('transfers.intro')}</p>
      <SuccessNotice>{notice}</SuccessNotice>
      <ErrorAlert>{actionError ?? (loadError ? t('transfers.errors.load', { message: loadError }) : null)}</ErrorAlert>
      <TransferTables
        incoming={incoming}
        outgoing={outgoing}
        now={now}
        canDecide={canDecide}
        busy={busy}
        declining={declining}
        onAccept={(tr) => void accept(tr)}
        onDeclineStart={(tr) => setDeclining(tr.id)}
        onDecline={decline}
        onCancel={() => setDeclining(null)}
      />
    </section>
  );
}

export interface TransferTablesProps {
  /** null while loading. */
  incoming: TransferView[] | null;
  outgoing: TransferView[] | null;
  now: Date;
  canDecide: boolean;
  busy: boolean;
  /** The incoming transfer whose decline form is open. */
  declining: string | null;
  onAccept: (tr: TransferView) => void;
  onDeclineStart: (tr: TransferView) => void;
  onDecline: (tr: TransferView, reason: string) => Promise<boolean>;
  onCancel: () => void;
}

/** The incoming and outgoing tables (no data access: rendered from lists, so it is testable alone). */
export function TransferTables({ incoming, outgoing, now, canDecide, busy, declining, onAccept, onDeclineStart, onDecline, onCancel }: TransferTablesProps) {
  const { t } = useTranslation();
  const flowLabel = (tr: TransferView) => (tr.caseSummary ? t(`transfers.flows.${tr.caseSummary.flow}`) : t('transfers.caseNotArrived'));
  const statusLabel = (tr: TransferView) => t(`transfers.status.${tr.status}`);

  return (
    <>
      <h3>{t('transfers.incoming')}</h3>
      {incoming === null ? (
        <p className="muted" aria-busy="true">
          {t('transfers.loading')}
        </p>
      ) : <TableOrEmpty empty={incoming.length === 0} message={t('transfers.incomingNone')} testId="transfers-incoming-empty">
          <table className="table" data-testid="transfers-incoming">
            <thead>
              <tr>
                <th scope="col">{t('transfers.col.case')}</th>
                <th scope="col">{t('transfers.col.flow')}</th>
                <th scope="col">{t('transfers.col.from')}</th>
                <th scope="col">{t('transfers.col.requestedAt')}</th>
                <th scope="col">{t('transfers.col.deadline')}</th>
                <th scope="col">{t('transfers.col.status')}</th>
                <th scope="col">{t('transfers.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {incoming.map((tr) => {
                const overdue = transferOverdue(tr, now);
                return (
                  <tr key={tr.id} data-transfer-id={tr.id} data-overdue={overdue ? 'true' : 'false'}>
                    <TransferCells tr={tr} flow={flowLabel(tr)} otherBranch={tr.fromBranch} overdue={overdue} statusLabel={statusLabel(tr)} />
                    <td>
                      {tr.status !== 'requested' ? null : !canDecide ? (
                        <span className="muted">{t('transfers.headOnly')}</span>
                      ) : declining === tr.id ? (
                        <DeclineForm busy={busy} caseId={tr.caseId} onCancel={onCancel} onSubmit={(reason) => onDecline(tr, reason)} />
                      ) : (
                        <div className="transfers__actions">
                          <button type="button" className="button button--small button--primary" disabled={busy} aria-label={t('transfers.acceptLabel', { caseId: tr.caseId, from: tr.fromBranch })} onClick={() => onAccept(tr)}>
                            {t('transfers.accept')}
                          </button>
                          <button type="button" className="button button--small" disabled={busy} aria-label={t('transfers.declineLabel', { caseId: tr.caseId, from: tr.fromBranch })} onClick={() => onDeclineStart(tr)}>
                            {t('transfers.decline')}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableOrEmpty>
      }

      <h3>{t('transfers.outgoing')}</h3>
      {outgoing === null ? null : <TableOrEmpty empty={outgoing.length === 0} message={t('transfers.outgoingNone')} testId="transfers-outgoing-empty">
          <table className="table" data-testid="transfers-outgoing">
            <thead>
              <tr>
                <th scope="col">{t('transfers.col.case')}</th>
                <th scope="col">{t('transfers.col.flow')}</th>
                <th scope="col">{t('transfers.col.to')}</th>
                <th scope="col">{t('transfers.col.requestedAt')}</th>
                <th scope="col">{t('transfers.col.deadline')}</th>
                <th scope="col">{t('transfers.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {outgoing.map((tr) => {
                const overdue = transferOverdue(tr, now);
                return (
                  <tr key={tr.id} data-transfer-id={tr.id} data-overdue={overdue ? 'true' : 'false'}>
                    <TransferCells tr={tr} flow={flowLabel(tr)} otherBranch={tr.toBranch} overdue={overdue} statusLabel={statusLabel(tr)} />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableOrEmpty>
      }
    </>
  );
}

/** The cells both tables share: case, flow, the other branch, requested, deadline (flagged when overdue), status. */
function TransferCells({ tr, flow, otherBranch, overdue, statusLabel }: { tr: TransferView; flow: string; otherBranch: string; overdue: boolean; statusLabel: string }) {
  const { t } = useTranslation();
  return (
    <>
      <td className="mono">{tr.caseId}</td>
      <td>{flow}</td>
      <td className="mono">{otherBranch}</td>
      <td className="nowrap">{branchDateTime(tr.at)}</td>
      <td className="nowrap">
        {branchDateTime(tr.slaDeadline)}
        {overdue ? <span className="head-badge head-badge--late"> {t('transfers.overdue')}</span> : null}
      </td>
      <td>
        <Decision tr={tr} statusLabel={statusLabel} />
      </td>
    </>
  );
}

/** The status, and for a decision who made it, when, and (declined) why. */
function Decision({ tr, statusLabel }: { tr: TransferView; statusLabel: string }) {
  const { t } = useTranslation();
  return (
    <>
      <span className={tr.status === 'declined' ? 'head-badge head-badge--late' : 'head-badge'}>{statusLabel}</span>
      {tr.decidedBy && tr.decidedAt ? (
        <>
          <br />
          <span className="muted">{t('transfers.decidedBy', { staffId: tr.decidedBy.staffId, at: branchDateTime(tr.decidedAt) })}</span>
          {tr.decidedLate ? <span className="muted"> · {t('transfers.decidedLate')}</span> : null}
        </>
      ) : null}
      {tr.declineReason ? (
        <>
          <br />
          <span>{t('transfers.declineReasonShown', { reason: tr.declineReason })}</span>
        </>
      ) : null}
    </>
  );
}

function DeclineForm({ caseId, busy, onSubmit, onCancel }: { caseId: string; busy: boolean; onSubmit: (reason: string) => Promise<boolean>; onCancel: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);
  const submit = async () => {
    const trimmed = reason.trim();
    if (trimmed.length < DECLINE_REASON_MIN) {
      setError(t('transfers.reasonTooShort', { min: DECLINE_REASON_MIN }));
      field.current?.focus();
      return;
    }
    setError(null);
    await onSubmit(trimmed);
  };
  return (
    <form
      className="transfers__decline"
      aria-label={t('transfers.declineFormLabel', { caseId })}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <label htmlFor={`${id}-reason`}>{t('transfers.reasonLabel')}</label>
      <textarea
        id={`${id}-reason`}
        ref={field}
        value={reason}
        maxLength={DECLINE_REASON_MAX}
        rows={2}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        onChange={storableTyping((e) => setReason(e.target.value))}
      />
      {error ? (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="card__hint">
          {t('transfers.reasonHint', { min: DECLINE_REASON_MIN, max: DECLINE_REASON_MAX })}
        </p>
      )}
      <div className="transfers__actions">
        <button type="submit" className="button button--small button--danger" disabled={busy}>
          {t('transfers.declineConfirm')}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          {t('transfers.cancel')}
        </button>
      </div>
    </form>
  );
}
