import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reasonFor } from '@shared/policy/catalog';
import type { AuditActor } from '../../data/audit-chain';
import { caseOutcome, recordedPhone, type CaseOutcome } from '../../data/case-lookup';
import { caseRefusals, ticketNumberOf } from '../../data/hooks/case-records';
import type { LocalData } from '../../data/DataProvider';
import type { CaseDoc } from '../../data/db/schemas';
import { branchDateTime, pick } from '../head/format';

interface Loaded {
  doc: CaseDoc;
  outcome: CaseOutcome;
  ticketNumber: string | null;
}

/** "•••• •••• •••• 1234": the last four digits only, as on every screen. */
const maskNik = (nik: string) => `•••• •••• •••• ${nik.slice(-4)}`;

/**
 * One case opened by the head: its outcome, the person (name, the NIK's last digits, whether a
 * phone number is recorded), the ticket and the refusal if any. Opening it is an audited read of
 * the person's record (CaseJournal.get with the viewer).
 */
export function CaseDetail({ caseId, local, viewer, onClose }: { caseId: string; local: LocalData; viewer: AuditActor; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [loaded, setLoaded] = useState<Loaded | null | 'missing'>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let alive = true;
    void (async () => {
      const doc = await local.cases.get(caseId, viewer);
      if (!doc) {
        if (alive) setLoaded('missing');
        return;
      }
      const refusals = await caseRefusals(local, [doc.id]);
      const ticketNumber = doc.ticketId ? await ticketNumberOf(local, doc.ticketId) : null;
      if (alive) setLoaded({ doc, outcome: caseOutcome(doc, refusals.get(doc.id)), ticketNumber });
    })();
    heading.current?.focus();
    return () => {
      alive = false;
    };
  }, [caseId, local, viewer]);

  const refusalCode = loaded && loaded !== 'missing' ? ((loaded.doc.snapshot.context as { refusal?: { code?: string } | null } | undefined)?.refusal?.code ?? null) : null;
  const reason = refusalCode ? reasonFor(refusalCode) : undefined;

  return (
    <section
      className="card"
      aria-labelledby="case-detail-title"
      data-testid="case-detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <h2 id="case-detail-title" className="card__heading card__padded" tabIndex={-1} ref={heading}>
        {t('cases.detail.title', { caseId })}
      </h2>
      <div className="card__padded">
        {loaded === null ? <p className="muted">{t('cases.loading')}</p> : null}
        {loaded === 'missing' ? <p className="muted">{t('cases.detail.missing')}</p> : null}
        {loaded && loaded !== 'missing' ? (
          <dl className="facts">
            <div>
              <dt>{t('cases.outcome')}</dt>
              <dd data-testid="case-detail-outcome">{t(`cases.outcomes.${loaded.outcome}`)}</dd>
            </div>
            <div>
              <dt>{t('cases.flow')}</dt>
              <dd>{t(`cases.flows.${loaded.doc.flow}`)}</dd>
            </div>
            <div>
              <dt>{t('cases.detail.person')}</dt>
              <dd>
                {loaded.doc.person.name} · NIK {maskNik(loaded.doc.person.nik)}
              </dd>
            </div>
            <div>
              <dt>{t('cases.detail.phone')}</dt>
              <dd data-testid="case-detail-phone">{recordedPhone(loaded.doc) ? t('cases.detail.phoneRecorded') : t('cases.detail.phoneNone')}</dd>
            </div>
            <div>
              <dt>{t('cases.detail.ticket')}</dt>
              <dd className="mono">{loaded.ticketNumber ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('cases.detail.openedAt')}</dt>
              <dd>{branchDateTime(loaded.doc.openedAt)}</dd>
            </div>
            <div>
              <dt>{t('cases.updated')}</dt>
              <dd>{branchDateTime(loaded.doc.updatedAt)}</dd>
            </div>
            {refusalCode ? (
              <div>
                <dt>{t('cases.detail.refusal')}</dt>
                <dd>
                  {reason ? pick(reason.title, i18n.language) : t('review.invented')} <small className="mono muted">{refusalCode}</small>
                </dd>
              </div>
            ) : null}
          </dl>
        ) : null}
        <p className="form__actions">
          <button type="button" className="button button--ghost" onClick={onClose}>
            {t('cases.detail.close')}
          </button>
        </p>
      </div>
    </section>
  );
}
