import { useTranslation } from 'react-i18next';
import type { StepApi } from './api';

/** Recording the NIK search, then confirming that the list is every KPJ of the NIK. */
export function ListConfirm({ api }: { api: StepApi }) {
  const { t } = useTranslation();
  const { ctx } = api;
  const records = ctx.kpjs.map(({ outcome: _outcome, ...r }) => r);
  const search = { type: 'kpj.searched', results: records };
  const confirm = { type: 'kpj.listConfirmed' };
  const canConfirm = api.can(confirm);
  const confirmWhy = !ctx.kpjSearchDone
    ? t('jht.why.searchFirst')
    : ctx.kpjs.length === 0
      ? t('jht.why.noKpj')
      : ctx.kpjs.every((k) => k.paidBefore)
        ? t('jht.why.allPaidBefore')
        : t('jht.why.roleOrState');
  return (
    <div className="jht-confirm">
      {ctx.kpjSearchDone ? (
        <p className="jht-ok" data-testid="jht-search-done">
          {t('jht.kpj.searchDone')}
        </p>
      ) : (
        <div>
          <p>{t('jht.kpj.searchIntro')}</p>
          <button type="button" className="button" disabled={api.busy || !api.can(search)} onClick={() => void api.fire(search)}>
            {t('jht.kpj.searchRecord', { count: ctx.kpjs.length })}
          </button>
        </div>
      )}
      <div className="form__actions">
        <button type="button" className="button button--primary" disabled={api.busy || !canConfirm} aria-describedby={canConfirm ? undefined : 'jht-confirm-why'} onClick={() => void api.fire(confirm)}>
          {t('jht.kpj.confirmList', { count: ctx.kpjs.length })}
        </button>
      </div>
      {!canConfirm ? (
        <p id="jht-confirm-why" className="jht-why">
          {confirmWhy}
        </p>
      ) : null}
    </div>
  );
}
