import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BranchCode } from '@shared/branch/schema';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import type { AppendResult } from '../../data/db/case-journal';
import type { FlowProps } from './flow-props';

/** The receiving branch must accept the case within this time (a warm transfer, never a redirect). */
const TRANSFER_SLA_HOURS = 48;

/**
 * Transfer to another branch, only at the person's own request: every branch serves these flows,
 * so the desk never offers a transfer by itself. The panel stays closed until the officer records
 * that the person asked; the reason is always PERSON_REQUESTED.
 */
export function TransferPanel({
  flowProps,
  branchCode,
  onTransfer,
}: {
  flowProps: FlowProps;
  branchCode: string;
  onTransfer: (event: Record<string, unknown>) => Promise<AppendResult>;
}) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState(false);
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    const code = target.trim().toUpperCase();
    if (!BranchCode.safeParse(code).success) return setError(t('validation.branchCode'));
    if (code === branchCode) return setError(t('desk.transfer.sameBranch'));
    setError(undefined);
    const at = flowProps.now();
    const event = {
      type: 'transfer.requested',
      at,
      actor: flowProps.actor,
      targetBranch: code,
      reason: 'PERSON_REQUESTED',
      slaDeadline: new Date(Date.parse(at) + TRANSFER_SLA_HOURS * 3_600_000).toISOString(),
    };
    if (!flowProps.canTake(event)) return setFailure(t('desk.transfer.notNow'));
    setBusy(true);
    try {
      await onTransfer(event);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card desk-transfer" aria-labelledby="desk-transfer-title" data-testid="transfer-panel">
      <h2 id="desk-transfer-title" className="card__title">
        {t('desk.transfer.title')}
      </h2>
      <p className="card__hint">{t('desk.transfer.intro')}</p>
      <label className="desk-check">
        <input type="checkbox" className="checkbox" checked={asked} onChange={(e) => setAsked(e.target.checked)} /> {t('desk.transfer.personAsked')}
      </label>
      {asked ? (
        <form onSubmit={(e) => void submit(e)} noValidate className="form">
          <ErrorAlert>{failure}</ErrorAlert>
          <TextField
            id="desk-transfer-branch"
            label={t('desk.transfer.target')}
            hint={t('desk.transfer.targetHint', { hours: TRANSFER_SLA_HOURS })}
            value={target}
            autoComplete="off"
            maxLength={8}
            onChange={(e) => setTarget(e.target.value)}
            error={error}
          />
          <button type="submit" className="button" disabled={busy}>
            {t('desk.transfer.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
