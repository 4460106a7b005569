import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useData, type LocalData } from '../../data/DataProvider';
import { acknowledgeRestore, useRestoreNotice } from '../../data/hooks/head';

/**
 * "N records restored after an unclean shutdown", kept (renderer/src/data/db/recovery.ts) until a
 * branch head has seen it here, whoever signed in first after the restart. The device's audit chain
 * (which syncs to HQ) got its `database.restored` entry when the restore ran.
 */
export function RestoreNotice() {
  const data = useData();
  return data.phase === 'ready' ? <RestoreNoticeFor data={data} /> : null;
}

function RestoreNoticeFor({ data }: { data: LocalData }) {
  const { t } = useTranslation();
  const notice = useRestoreNotice(data);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!notice) return null;
  const seen = () => {
    setBusy(true);
    setFailed(false);
    acknowledgeRestore(data).then(
      () => setBusy(false),
      () => {
        setBusy(false);
        setFailed(true);
      },
    );
  };
  return (
    <section className="card card--accent" role="status" data-testid="head-restore-notice">
      <p>
        <strong>{notice.restored > 0 ? t('statusBar.recordsRestored', { count: notice.restored }) : t('statusBar.databaseWiped')}</strong>
      </p>
      <button type="button" className="button" onClick={seen} disabled={busy}>
        {t('statusBar.restoreNoticeSeen')}
      </button>
      {failed ? (
        <p className="field__error" role="alert">
          {t('statusBar.restoreNoticeSeenFailed')}
        </p>
      ) : null}
    </section>
  );
}
