import { useCallback, useEffect, useRef, useState } from 'react';
import { outcomeText } from '../../print/PrintableDocument';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '@shared/cases/receipt';
import type { Actor } from '@shared/cases/schema';
import { jhtClaimAfterBpu, type BpuResignationContext } from '@state-machines';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import type { LocalData } from '../../data/DataProvider';
import type { AppendResult } from '../../data/db/case-journal';
import type { CaseDoc } from '../../data/db/schemas';
import { currentLanguage } from '../../i18n';
import { printDocument } from '../../print';
import { staffNameOf } from '../../data/staff-names';
import { branchZone } from '../../data/branch-zone';
import { formatInstantClock, langOf } from '@shared/i18n/format';
import { isFinal, stateOf, tryEvent } from './case-machines';
import { caseExists, useCaseDoc } from '../../data/hooks/desk';
import type { FlowProps } from './flow-props';
import { BpuResignationFlow } from './flows/BpuResignationFlow';
import { JhtClaimFlow } from './flows/JhtClaimFlow';
import { JmoResetFlow } from './flows/JmoResetFlow';
import { RefusalPanel } from './RefusalPanel';
import { TransferPanel } from './TransferPanel';
import { eventLabel, rejectionText, stateLabel } from './labels';

export interface Branch {
  code: string;
  name: string;
}

/**
 * Prints the receipt the machine put on the case (completion, refusal slip, transfer), with the
 * issuing officer's name (the receipt itself keeps their login id).
 */
export async function printCaseReceipt(branch: Branch, doc: CaseDoc, names?: { data: Pick<LocalData, 'db'>; self?: { staffId: string; name: string } | null }): Promise<boolean> {
  const receipt = (doc.snapshot.context as { receipt?: Receipt | null }).receipt;
  if (!receipt) return false;
  const officerName = names ? await staffNameOf(names.data, receipt.issuedBy, names.self) : null;
  await printDocument({ kind: 'receipt', branch, receipt, ...(officerName ? { officerName } : {}) });
  return true;
}

/**
 * The case host: the case (flow, state, journal), the flow's own panel, and the parts every case
 * flow shares: refusal through the catalog, transfer at the person's request, receipt and close.
 * Every button offers only what the machine would accept now (`canTake`).
 */
export function CaseView({
  caseId,
  data,
  actor,
  branch,
  onBack,
  onOpenCase,
  self,
}: {
  caseId: string;
  data: LocalData;
  actor: Actor;
  branch: Branch;
  onBack: () => void;
  /** Shows another case (the JHT claim that follows a BPU stop in the same visit). */
  onOpenCase: (caseId: string) => void;
  /** The signed-in staff member, whose name goes on the receipts they issue. */
  self?: { staffId: string; name: string } | null;
}) {
  const { t } = useTranslation();
  const doc = useCaseDoc(data, caseId);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Opening a case is reading a person's record: audited once per opening.
  useEffect(() => {
    void data.cases.get(caseId, { staffId: actor.staffId, role: actor.role });
    heading.current?.focus();
  }, [data.cases, caseId, actor.staffId, actor.role]);

  // "A finished case finishes its ticket" is the data layer's (data/ticket-follows-case.ts), not this view's.
  const final = doc ? isFinal(doc) : false;

  const now = useCallback(() => new Date().toISOString(), []);
  const complete = useCallback((event: Record<string, unknown>) => ({ at: now(), actor, ...event }), [now, actor]);
  const send = useCallback(
    async (event: Record<string, unknown>): Promise<AppendResult> => {
      setError(null);
      const r = await data.cases.append(caseId, complete(event));
      if (!r.ok) setError(t('desk.case.rejected', { detail: rejectionText(t, r.rejection) }));
      return r;
    },
    [data.cases, caseId, complete, t],
  );
  const canTake = useCallback((event: Record<string, unknown>) => (doc ? tryEvent(doc, complete(event)).accepted : false), [doc, complete]);

  /** Sends an event that ends in a printed document (refusal slip, transfer, completion). */
  const sendAndPrint = useCallback(
    async (event: Record<string, unknown>, done: string): Promise<AppendResult> => {
      const r = await send(event);
      if (r.ok) {
        try {
          if (await printCaseReceipt(branch, r.doc, { data, self })) setNotice(done);
        } catch (e) {
          setError(t('desk.case.printFailed', { message: e instanceof Error ? e.message : String(e) }));
        }
      }
      return r;
    },
    [send, branch, t, data, self],
  );

  if (!doc) {
    return (
      <div className="page" data-screen="CaseView" aria-busy="true">
        <p className="muted">{t('desk.case.loading')}</p>
      </div>
    );
  }

  const state = stateOf(doc);
  const flowProps: FlowProps = { caseDoc: doc, actor, now, send, canTake };
  const receipt = (doc.snapshot.context as { receipt?: Receipt | null }).receipt ?? null;

  return (
    <div className="page desk desk-case" data-screen="CaseView" data-case={doc.id} data-state={state}>
      <div className="desk-case__head">
        <button type="button" className="button button--ghost" onClick={onBack}>
          {t('desk.case.back')}
        </button>
        <h1 className="page__title" ref={heading} tabIndex={-1}>
          {t('desk.case.title', { flow: t(`desk.service.${doc.flow}`), name: doc.person.name })}
        </h1>
      </div>
      <dl className="facts desk-case__facts">
        <div>
          <dt>{t('desk.case.id')}</dt>
          <dd className="mono">{doc.id}</dd>
        </div>
        <div>
          <dt>{t('desk.case.state')}</dt>
          <dd data-testid="case-state">{stateLabel(t, state)}</dd>
        </div>
        <div>
          <dt>{t('desk.case.status')}</dt>
          <dd>{t(`desk.case.statuses.${doc.status}`)}</dd>
        </div>
      </dl>
      <ErrorAlert>{error}</ErrorAlert>
      <SuccessNotice>{notice}</SuccessNotice>

      {final ? (
        <section className="card" aria-labelledby="desk-receipt-title">
          <h2 id="desk-receipt-title" className="card__title">
            {t('desk.receipt.title')}
          </h2>
          {receipt ? <ReceiptView receipt={receipt} /> : <p>{t('desk.receipt.none')}</p>}
          <div className="form__actions">
            <button
              type="button"
              className="button"
              onClick={() =>
                void printCaseReceipt(branch, doc, { data, self }).catch((e: unknown) => setError(t('desk.case.printFailed', { message: e instanceof Error ? e.message : String(e) })))
              }
            >
              {t('desk.receipt.reprint')}
            </button>
            <button type="button" className="button button--primary" onClick={onBack}>
              {t('desk.case.backToQueue')}
            </button>
          </div>
          <JhtAfterBpu doc={doc} data={data} actor={actor} onOpenCase={onOpenCase} onError={setError} />
        </section>
      ) : (
        <div className="desk-case__grid">
          <section className="card desk-case__flow" aria-labelledby="desk-flow-title">
            <h2 id="desk-flow-title" className="card__title">
              {t('desk.case.steps')}
            </h2>
            {doc.flow === 'jht-claim' ? <JhtClaimFlow {...flowProps} /> : null}
            {doc.flow === 'bpu-resignation' ? <BpuResignationFlow {...flowProps} /> : null}
            {doc.flow === 'jmo-reset' ? <JmoResetFlow {...flowProps} /> : null}
            <ClosePanel flowProps={flowProps} state={state} onClose={(e) => sendAndPrint(e, t('desk.receipt.printed'))} />
          </section>
          <div className="desk-case__side">
            <RefusalPanel flowProps={flowProps} onRefuse={(e) => sendAndPrint(e, t('desk.refusal.printed'))} />
            <TransferPanel flowProps={flowProps} branchCode={branch.code} onTransfer={(e) => sendAndPrint(e, t('desk.transfer.printed'))} />
          </div>
        </div>
      )}
      <Journal doc={doc} />
    </div>
  );
}

/**
 * A BPU participant who stopped today and wants the JHT balance: the claim opens in the same visit
 * with the identity already checked (cause: BPU stopped working, from the stop date).
 */
function JhtAfterBpu({
  doc,
  data,
  actor,
  onOpenCase,
  onError,
}: {
  doc: CaseDoc;
  data: LocalData;
  actor: Actor;
  onOpenCase: (caseId: string) => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const c = doc.snapshot.context as BpuResignationContext;
  if (doc.flow !== 'bpu-resignation' || doc.snapshot.value !== 'closed' || c.continueIntoJht !== true) return null;
  // One follow-up claim per resignation: the id is fixed, so a second click opens the same case.
  const id = `${doc.id}-JHT`;
  const open = async () => {
    setBusy(true);
    try {
      if (!(await caseExists(data, id))) {
        const { input } = jhtClaimAfterBpu(c, id, new Date().toISOString());
        await data.cases.open({
          id,
          flow: 'jht-claim',
          person: { nik: doc.person.nik, name: doc.person.name },
          ...(doc.ticketId ? { ticketId: doc.ticketId } : {}),
          input: { ...input, openedBy: actor.staffId },
          openedBy: { staffId: actor.staffId, role: actor.role },
        });
      }
      onOpenCase(id);
    } catch (e) {
      onError(t('desk.unexpected', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="desk-close">
      <p>{t('desk.bpu.jhtNext', { date: c.stopDate ?? '' })}</p>
      <button type="button" className="button button--primary" disabled={busy} onClick={() => void open()}>
        {t('desk.bpu.openJht')}
      </button>
    </div>
  );
}

/** Receipt and close: `receipt.issued` closes the case; the machine decides when it may. */
function ClosePanel({ flowProps, state, onClose }: { flowProps: FlowProps; state: string; onClose: (e: Record<string, unknown>) => Promise<AppendResult> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const event = { type: 'receipt.issued' };
  const can = flowProps.canTake(event);
  return (
    <div className="desk-close" data-testid="close-panel">
      <h3 className="desk__subtitle">{t('desk.receipt.closeTitle')}</h3>
      <button
        type="button"
        className="button button--primary"
        disabled={!can || busy}
        aria-describedby="desk-close-why"
        onClick={() => {
          setBusy(true);
          void onClose(event).finally(() => setBusy(false));
        }}
      >
        {t('desk.receipt.issue')}
      </button>
      <p id="desk-close-why" className="field__hint">
        {can ? t('desk.receipt.ready') : t('desk.receipt.notYet', { step: stateLabel(t, state) })}
      </p>
    </div>
  );
}

/** The receipt's text as the person gets it. */
export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <div className="desk-receipt" data-testid="receipt" data-kind={receipt.kind}>
      <p className="desk-receipt__kind">{t(`desk.receipt.kinds.${receipt.kind}`)}</p>
      <dl className="facts">
        <div>
          <dt>{t('desk.case.id')}</dt>
          <dd className="mono" data-testid="receipt-case-id">
            {receipt.caseId}
          </dd>
        </div>
        {receipt.refusal ? (
          <div>
            <dt>{t('desk.refusal.reason')}</dt>
            <dd>
              {receipt.refusal.title[lang]} <span className="mono">({receipt.refusal.code})</span>
            </dd>
          </div>
        ) : null}
        {receipt.kpjOutcomes && receipt.kpjOutcomes.length > 0 ? (
          <div>
            <dt>{t('print.receipt.kpjTitle')}</dt>
            <dd>
              <ul data-testid="receipt-kpj">
                {receipt.kpjOutcomes.map((k) => (
                  <li key={k.kpj}>
                    <span className="mono">{k.kpj}</span>: {outcomeText(k.outcome, lang)}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('desk.receipt.nextStep')}</dt>
          <dd data-testid="receipt-next-step">{receipt.nextStep[lang]}</dd>
        </div>
        <div>
          <dt>{t('desk.receipt.survey')}</dt>
          <dd className="mono">{receipt.surveyUrl}</dd>
        </div>
        <div>
          <dt>{t('desk.receipt.complaints')}</dt>
          <dd>
            <ul className="desk-receipt__channels">
              {receipt.complaintChannels.map((c) => (
                <li key={c.name}>
                  {c.name}: {c.contact}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
    </div>
  );
}

function Journal({ doc }: { doc: CaseDoc }) {
  const { t, i18n } = useTranslation();
  const events = doc.events as Array<{ type: string; at: string; actor?: { staffId?: string } }>;
  return (
    <section className="card desk-journal" aria-labelledby="desk-journal-title">
      <h2 id="desk-journal-title" className="card__title">
        {t('desk.case.journal', { count: events.length })}
      </h2>
      {events.length === 0 ? (
        <p className="muted">{t('desk.case.journalEmpty')}</p>
      ) : (
        <ol className="desk-journal__list" data-testid="case-journal">
          {events.map((e, i) => (
            <li key={`${i}-${e.type}`}>
              <span className="mono">{formatInstantClock(e.at, langOf(i18n.language), branchZone())}</span> <span>{eventLabel(t, e.type)}</span>{' '}
              <span className="muted">{e.actor?.staffId ?? ''}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
