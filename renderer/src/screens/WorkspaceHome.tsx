import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { WEEKDAYS, type BranchProfile } from '../../../shared/branch/schema';
import type { AppInfo } from '../../../shared/ipc/contract';
import type { Session } from '../../../shared/staff/schema';
import { formatHm, parseIso } from '../app/time';

const ITEMS = ['item1', 'item2', 'item3'] as const;

/**
 * Home of officers and security staff: who they are, where, today's hours, and what this workspace
 * will hold. The queue and case screens replace the outline as they land.
 */
export function WorkspaceHome({ session, info }: { session: Session; info: AppInfo }) {
  const { t } = useTranslation();
  const [branch, setBranch] = useState<BranchProfile | null>(null);
  useEffect(() => {
    let live = true;
    void loket()
      .branch.get()
      .then((r) => {
        if (live && r.ok) setBranch(r.value);
      });
    return () => {
      live = false;
    };
  }, []);

  const role = session.role === 'security' ? 'security' : 'officer';
  const signedInAt = parseIso(session.signedInAt);
  const today = WEEKDAYS[new Date().getDay()];
  const todayHours = branch && today ? branch.serviceHours[today] : undefined;

  return (
    <div className="page">
      <h1 className="page__title">{t('home.greeting', { name: session.name })}</h1>
      <div className="home-grid">
        <section className="card" aria-labelledby="home-you">
          <h2 id="home-you" className="card__title">
            {t('home.you')}
          </h2>
          <dl className="facts">
            <div>
              <dt>{t('fields.name')}</dt>
              <dd>{session.name}</dd>
            </div>
            <div>
              <dt>{t('fields.staffId')}</dt>
              <dd className="mono">{session.staffId}</dd>
            </div>
            <div>
              <dt>{t('home.roleLabel')}</dt>
              <dd>
                <span className={`role-badge role-badge--${session.role}`}>{t(`roles.${session.role}`)}</span>
              </dd>
            </div>
            <div>
              <dt>{t('home.branchLabel')}</dt>
              <dd>{info.branch ? `${info.branch.code} · ${info.branch.name}` : t('statusBar.noBranch')}</dd>
            </div>
            {signedInAt ? (
              <div>
                <dt>{t('home.signedInAt')}</dt>
                <dd>{formatHm(signedInAt)}</dd>
              </div>
            ) : null}
            {todayHours !== undefined ? (
              <div>
                <dt>{t('home.todayHours')}</dt>
                <dd>{todayHours ? `${todayHours.open}–${todayHours.close}` : t('home.closedToday')}</dd>
              </div>
            ) : null}
          </dl>
        </section>
        <section className="card card--accent" aria-labelledby="home-workspace">
          <h2 id="home-workspace" className="card__title">
            {t('home.workspaceTitle')}
          </h2>
          <p>{t(`home.${role}.summary`)}</p>
          <ol className="steps">
            {ITEMS.map((item) => (
              <li key={item}>{t(`home.${role}.${item}`)}</li>
            ))}
          </ol>
          <p className="card__hint">{t('home.comingSoon')}</p>
        </section>
      </div>
    </div>
  );
}
