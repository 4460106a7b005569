import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OMBUDSMAN_CATEGORY_TITLES, type Actor } from '@shared/cases/schema';
import { localDateOf } from '@shared/dates';
import { REFUSAL_REJECTIONS, reasonFor } from '@shared/policy/catalog';
import { pendingReasonFor } from '@shared/policy/pending';
import { REVIEW_ROLES } from '@shared/cases/rules';
import { useApp } from '../../app/AppContext';
import { useNow } from '../../app/useNow';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { useData } from '../../data/DataProvider';
import { storedReview } from '../../data/db/refusal-reviews';
import { ageParts } from '../../sync/useSyncStatus';
import { TransfersPanel } from '../transfers/TransfersPanel';
import { ConflictsPanel } from './ConflictsPanel';
import { AuditFlagsPanel } from './AuditFlagsPanel';
import { branchDateTime, pick } from './format';
import { pendingKey } from '../../data/db/pending-kpj-reviews';
import { PendingKpjReviewForm } from './PendingKpjReviewForm';
import { ReviewForm } from './ReviewForm';
import { TabPanel, Tabs } from './Tabs';
import { useReviewData } from '../../data/hooks/review-data';
import { useStaffNames } from '../../data/hooks/staff-names';
import { useBranchClosures } from '../../data/hooks/branch';
import { branchZone } from '../../data/branch-zone';
import { TableOrEmpty } from '../../components/TableOrEmpty';

type Tab = 'pending' | 'pendingKpjs' | 'followUps' | 'attempts' | 'mismatches' | 'conflicts' | 'transfers' | 'reviewed';

/**
 * The branch head's review queue (DESIGN §2): refusals to uphold or overturn, the follow-ups that
 * overturns opened, invalid refusal attempts, cases whose journal did not replay, sync conflicts,
 * and transfers between branches.
 */
export function ReviewScreen() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { session, info, settings } = useApp();
  const data = useData();
  // The branch's closed days, for a follow-up appointment set when a pending KPJ is overturned.
  const localClosures = useBranchClosures(data, info?.branch?.code, settings?.localClosures, t('settings.calendar.fromHq'));
  const local = data.phase === 'ready' ? data : null;
  const { reviews, pendingReviews, lists, loaded, error, reload } = useReviewData(local);
  // The pending KPJ the head is deciding on (by `pendingKey`).
  const [decidingKpj, setDecidingKpj] = useState<string | null>(null);
  const staffNames = useStaffNames(local);
  const now = useNow(30_000);
  const [tab, setTab] = useState<Tab>('pending');
  const [reviewing, setReviewing] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);

  const actor: Actor | null = session && info ? { staffId: session.staffId, role: session.role, deviceId: info.deviceId } : null;
  const canDecide = !!session && REVIEW_ROLES.includes(session.role);
  const nameOf = (staffId: string) => {
    const name = staffNames.get(staffId);
    return name ? `${name} (${staffId})` : staffId;
  };
  const age = (at: string) => {
    const a = ageParts(Date.parse(at), now.getTime());
    return t(a.key, { count: a.count });
  };
  const reasonTitle = (code: string) => {
    const r = reasonFor(code);
    return r ? pick(r.title, lang) : t('review.invented');
  };
  const today = localDateOf(now.toISOString(), branchZone());

  const closeForm = (message?: string) => {
    setReviewing(null);
    if (message) setNotice(message);
    void reload();
    setTimeout(() => listHeading.current?.focus(), 0);
  };

  const completeFollowUp = async (refusalId: string, caseId: string) => {
    if (!reviews || !session) return;
    setActionError(null);
    try {
      const r = await reviews.completeFollowUp(refusalId, { staffId: session.staffId, role: session.role });
      if (r.ok) setNotice(t('review.doneSaved', { caseId }));
      else setActionError(t(`review.errors.${r.reason === 'NOT_FOUND' ? 'NOT_FOUND' : 'ALREADY_REVIEWED'}`));
    } catch (e) {
      setActionError(t('review.errors.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
    }
    void reload();
  };

  // An overturned pending KPJ's follow-up (issue 16 pt 3), marked done like a refusal's.
  const completePendingFollowUp = async (p: { caseId: string; kpj: string; followUpOn: string }) => {
    if (!pendingReviews || !session) return;
    setActionError(null);
    try {
      const r = await pendingReviews.completeFollowUp(p, { staffId: session.staffId, role: session.role });
      if (r.ok) setNotice(t('review.doneSaved', { caseId: p.caseId }));
      else setActionError(t('review.errors.ALREADY_REVIEWED'));
    } catch (e) {
      setActionError(t('review.errors.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
    }
    void reload();
  };

  if (data.phase === 'error') {
    return (
      <div className="page" data-screen="ReviewScreen">
        <h1 className="page__title">{t('review.title')}</h1>
        <ErrorAlert>{t('review.dataError', { message: data.message })}</ErrorAlert>
      </div>
    );
  }

  const tabs: { key: Tab; label: string }[] = [
    { key: 'pending', label: t('review.tabs.pending', { count: lists.pending.length }) },
    { key: 'pendingKpjs', label: t('review.tabs.pendingKpjs', { count: lists.pendingKpjs.length }) },
    { key: 'followUps', label: t('review.tabs.followUps', { count: lists.followUps.length + lists.pendingFollowUps.length }) },
    { key: 'attempts', label: t('review.tabs.attempts', { count: lists.attempts.length }) },
    { key: 'mismatches', label: t('review.tabs.mismatches', { count: lists.mismatches.length }) },
    { key: 'conflicts', label: t('review.tabs.conflicts', { count: lists.conflicts.length }) },
    { key: 'transfers', label: t('review.tabs.transfers') },
    { key: 'reviewed', label: t('review.tabs.reviewed') },
  ];
  const reviewingDoc = reviewing ? lists.pending.find((r) => r.id === reviewing) : undefined;
  const decidingItem = decidingKpj ? lists.pendingKpjs.find((p) => pendingKey(p) === decidingKpj) : undefined;

  return (
    <div className="page" data-screen="ReviewScreen" data-testid="review-page">
      <h1 className="page__title">{t('review.title')}</h1>
      <p className="page__intro">{t('review.intro')}</p>
      <SuccessNotice>{notice}</SuccessNotice>
      <ErrorAlert>{actionError ?? (error ? t('review.dataError', { message: error }) : null)}</ErrorAlert>

      {!local || !loaded ? (
        <p className="muted" aria-busy="true">
          {t('review.loading')}
        </p>
      ) : reviewing && reviews && actor ? (
        <ReviewForm
          key={reviewing}
          reviews={reviews}
          refusalId={reviewing}
          actor={actor}
          canDecide={canDecide}
          officerName={reviewingDoc ? nameOf(reviewingDoc.actor.staffId) : ''}
          onDone={(m) => closeForm(m)}
          onCancel={() => closeForm()}
        />
      ) : (
        <>
          <h2 className="visually-hidden" tabIndex={-1} ref={listHeading}>
            {t('review.tabsLabel')}
          </h2>
          <Tabs id="review" label={t('review.tabsLabel')} tabs={tabs} active={tab} onChange={setTab} />
          <TabPanel id="review" tab={tab}>
            {tab === 'pending' ? (
              <TableOrEmpty empty={lists.pending.length === 0} message={t('review.pendingNone')} testId="review-empty">
                  <table className="table" data-testid="review-pending-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('review.col.case')}</th>
                        <th scope="col">{t('review.col.reason')}</th>
                        <th scope="col">{t('review.col.officer')}</th>
                        <th scope="col">{t('review.col.at')}</th>
                        <th scope="col">{t('review.col.waiting')}</th>
                        <th scope="col">{t('review.col.action')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {lists.pending.map((r) => (
                        <tr key={r.id} data-refusal-id={r.id}>
                          <td className="mono">{r.caseId}</td>
                          <td>
                            <span className="mono">{r.code}</span>
                            <br />
                            {reasonTitle(r.code)}
                          </td>
                          <td>{nameOf(r.actor.staffId)}</td>
                          <td className="nowrap">{branchDateTime(r.at)}</td>
                          <td className="nowrap">{age(r.at)}</td>
                          <td>
                            <button type="button" className="button button--small button--primary" aria-label={t('review.reviewButtonLabel', { caseId: r.caseId })} onClick={() => setReviewing(r.id)}>
                              {t('review.reviewButton')}
                            </button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableOrEmpty>
            ) : null}

            {tab === 'followUps' ? (
              <TableOrEmpty empty={lists.followUps.length + lists.pendingFollowUps.length === 0} message={t('review.followUpsNone')}>
                  <table className="table" data-testid="review-followups-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('review.col.case')}</th>
                        <th scope="col">{t('review.col.followUp')}</th>
                        <th scope="col">{t('review.col.due')}</th>
                        <th scope="col">{t('review.col.reason')}</th>
                        <th scope="col">{t('review.col.category')}</th>
                        <th scope="col">{t('review.col.action')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {lists.followUps.map((f) => (
                        <tr key={f.refusalId} data-refusal-id={f.refusalId}>
                          <td className="mono">{f.caseId}</td>
                          <td>{t(`review.followUpKinds.${f.followUp.kind}`)}</td>
                          <td className="nowrap">
                            {f.followUp.dueDate}
                            {f.followUp.dueTime ? ` ${f.followUp.dueTime}` : ''}
                            {f.followUp.dueDate < today ? <span className="head-badge head-badge--late"> {t('review.overdue')}</span> : null}
                          </td>
                          <td className="mono">{f.code}</td>
                          <td>{f.category ? pick(OMBUDSMAN_CATEGORY_TITLES[f.category], lang) : ''}</td>
                          <td>
                            {canDecide ? (
                              <button type="button" className="button button--small" aria-label={t('review.markDoneLabel', { caseId: f.caseId })} onClick={() => void completeFollowUp(f.refusalId, f.caseId)}>
                                {t('review.markDone')}
                              </button>
                            ) : null}
                          </td>
                        </tr>
                      ))}
                      {lists.pendingFollowUps.map((f) => (
                        <tr key={pendingKey(f)} data-pending-kpj={f.kpj} data-testid="review-pending-followup">
                          <td className="mono">{f.caseId}</td>
                          <td>{t(`review.followUpKinds.${f.followUp.kind}`)}</td>
                          <td className="nowrap">
                            {f.followUp.dueDate}
                            {f.followUp.dueTime ? ` ${f.followUp.dueTime}` : ''}
                            {f.followUp.dueDate < today ? <span className="head-badge head-badge--late"> {t('review.overdue')}</span> : null}
                          </td>
                          <td>{t('review.pendingKpjs.followUpReason', { kpj: f.kpj })}</td>
                          <td></td>
                          <td>
                            {canDecide ? (
                              <button type="button" className="button button--small" aria-label={t('review.markDoneLabel', { caseId: f.caseId })} onClick={() => void completePendingFollowUp(f)}>
                                {t('review.markDone')}
                              </button>
                            ) : null}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableOrEmpty>
            ) : null}

            {tab === 'pendingKpjs' ? (
              <TableOrEmpty empty={lists.pendingKpjs.length === 0} message={t('review.pendingKpjs.none')}>
                  <p className="card__hint">{t('review.pendingKpjs.intro')}</p>
                  <table className="table" data-testid="review-pending-kpjs-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('review.pendingKpjs.followUpOn')}</th>
                        <th scope="col">{t('review.col.officer')}</th>
                        <th scope="col">{t('review.pendingKpjs.reason')}</th>
                        <th scope="col">{t('review.pendingKpjs.kpj')}</th>
                        <th scope="col">{t('review.col.case')}</th>
                        <th scope="col">{t('review.pendingKpjs.decisionCol')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {lists.pendingKpjs.map((p) => {
                        const reason = pendingReasonFor(p.reason);
                        const decided = lists.pendingKpjDecisions.get(pendingKey(p));
                        return (
                          <tr key={`${p.caseId}-${p.kpj}`} data-overdue={p.overdue || undefined}>
                            <td className="nowrap">
                              {p.followUpOn}
                              {p.overdue ? (
                                <>
                                  <br />
                                  <strong>{t('review.pendingKpjs.overdue')}</strong>
                                </>
                              ) : null}
                            </td>
                            <td>{p.staffId ? nameOf(p.staffId) : '—'}</td>
                            <td>
                              {reason ? pick(reason.title, lang) : t('review.pendingKpjs.freeText', { text: p.reason })}
                              {reason ? (
                                <>
                                  <br />
                                  <span className="mono small">{p.reason}</span>
                                </>
                              ) : null}
                              {p.note ? (
                                <>
                                  <br />
                                  {t('review.pendingKpjs.note', { note: p.note })}
                                </>
                              ) : null}
                            </td>
                            <td className="mono">{p.kpj}</td>
                            <td className="mono">{p.caseId}</td>
                            <td data-testid="pending-kpj-decision">
                              {decided ? (
                                <>
                                  <strong>{t(decided.decision === 'upheld' ? 'review.pendingKpjs.decidedUpheld' : 'review.pendingKpjs.decidedOverturned')}</strong>
                                  <br />
                                  {t('review.pendingKpjs.decidedBy', { name: nameOf(decided.staffId), at: branchDateTime(decided.at) })}
                                  {decided.note ? (
                                    <>
                                      <br />
                                      {t('review.pendingKpjs.note', { note: decided.note })}
                                    </>
                                  ) : null}
                                </>
                              ) : canDecide && pendingReviews ? (
                                <button
                                  type="button"
                                  className="button button--small button--primary"
                                  aria-label={t('review.pendingKpjs.reviewLabel', { kpj: p.kpj })}
                                  onClick={() => setDecidingKpj(pendingKey(p))}
                                >
                                  {t('review.pendingKpjs.review')}
                                </button>
                              ) : (
                                t('review.pendingKpjs.undecided')
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                  {decidingItem && pendingReviews && session ? (
                    <PendingKpjReviewForm
                      key={decidingKpj}
                      item={decidingItem}
                      reviews={pendingReviews}
                      by={{ staffId: session.staffId, role: session.role }}
                      localClosures={localClosures}
                      onDone={(m) => {
                        setDecidingKpj(null);
                        setNotice(m);
                        void reload();
                      }}
                      onCancel={() => setDecidingKpj(null)}
                    />
                  ) : null}
                </TableOrEmpty>
            ) : null}

            {tab === 'attempts' ? (
              <TableOrEmpty empty={lists.attempts.length === 0} message={t('review.attemptsNone')}>
                  <table className="table" data-testid="review-attempts-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('review.col.at')}</th>
                        <th scope="col">{t('review.col.officer')}</th>
                        <th scope="col">{t('review.col.reason')}</th>
                        <th scope="col">{t('review.col.why')}</th>
                        <th scope="col">{t('review.col.case')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {lists.attempts.map(({ refusal: r, why }) => (
                        <tr key={r.id}>
                          <td className="nowrap">{branchDateTime(r.at)}</td>
                          <td>{nameOf(r.actor.staffId)}</td>
                          <td>
                            <span className="mono">{r.code}</span>
                            <br />
                            {reasonTitle(r.code)}
                          </td>
                          <td>{why ? pick(REFUSAL_REJECTIONS[why], lang) : t('review.whyUnknown')}</td>
                          <td className="mono">{r.caseId}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableOrEmpty>
            ) : null}

            {tab === 'mismatches' ? (
              lists.mismatches.length === 0 ? (
                <p className="card__hint">{t('review.mismatchesNone')}</p>
              ) : (
                <>
                  <p className="card__hint">{t('review.mismatchHint')}</p>
                  <div className="table-wrap">
                    <table className="table" data-testid="review-mismatch-table">
                      <thead>
                        <tr>
                          <th scope="col">{t('review.col.case')}</th>
                          <th scope="col">{t('review.col.flow')}</th>
                          <th scope="col">{t('review.col.at')}</th>
                          <th scope="col">{t('review.col.flag')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {lists.mismatches.map((m) => (
                          <tr key={m.id}>
                            <td className="mono">{m.id}</td>
                            <td>{t(`review.flows.${m.flow as 'jht-claim'}`, { defaultValue: m.flow })}</td>
                            <td className="nowrap">{branchDateTime(m.at)}</td>
                            <td>{m.reason}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )
            ) : null}

            {tab === 'conflicts' && local ? (
              <ConflictsPanel
                local={local}
                conflicts={lists.conflicts}
                by={canDecide || session?.role === 'admin' ? (session ? { staffId: session.staffId, role: session.role } : null) : null}
                onChanged={(m) => {
                  setNotice(m);
                  void reload();
                }}
              />
            ) : null}

            {/* The transfers helper's panel: incoming to accept or decline within the SLA, outgoing. */}
            {tab === 'transfers' ? <TransfersPanel /> : null}

            {tab === 'reviewed' ? (
              <TableOrEmpty empty={lists.reviewed.length === 0} message={t('review.reviewedNone')}>
                  <table className="table" data-testid="review-reviewed-table">
                    <thead>
                      <tr>
                        <th scope="col">{t('review.col.case')}</th>
                        <th scope="col">{t('review.col.reason')}</th>
                        <th scope="col">{t('review.col.decision')}</th>
                        <th scope="col">{t('review.col.category')}</th>
                        <th scope="col">{t('review.col.by')}</th>
                        <th scope="col">{t('review.col.at')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {lists.reviewed.map((r) => {
                        const review = storedReview(r);
                        return (
                          <tr key={r.id}>
                            <td className="mono">{r.caseId}</td>
                            <td className="mono">{r.code}</td>
                            <td>{t(`review.decisions.${r.status === 'overturned' ? 'overturned' : 'upheld'}`)}</td>
                            <td>{review?.category ? pick(OMBUDSMAN_CATEGORY_TITLES[review.category], lang) : ''}</td>
                            <td>{review ? nameOf(review.actor.staffId) : ''}</td>
                            <td className="nowrap">{branchDateTime(review?.at ?? r.updatedAt)}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </TableOrEmpty>
            ) : null}
          </TabPanel>
        </>
      )}
      <AuditFlagsPanel />
    </div>
  );
}
