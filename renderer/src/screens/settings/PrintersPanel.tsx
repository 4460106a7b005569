import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../app/errors';
import { loket } from '../../bridge';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { PaperSize, PrintKind, type PrinterInfo, type PrinterSetup } from '../../../../shared/ipc/contract';

const KINDS = PrintKind.options;
const PAPERS = PaperSize.options;
/** The select's value for "ask each time" (no printer: the print dialog). */
const DIALOG = '';

/**
 * "Printer PC ini" in Settings (issue 21): one printer and paper per kind of document (tickets,
 * slips, receipts), kept by main for this PC. The desktop app lists the PC's printers and prints
 * silently to the chosen one; a browser prints with its dialog and uses the paper chosen here.
 */
export function PrintersPanel() {
  const { t } = useTranslation();
  const [printers, setPrinters] = useState<PrinterInfo[]>([]);
  const [setup, setSetup] = useState<PrinterSetup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void loket()
      .print.printers()
      .then((r) => {
        if (!live) return;
        if (r.ok) {
          setPrinters(r.value.printers);
          setSetup(r.value.setup);
        } else setError(errorMessage(t, r.error));
      });
    return () => {
      live = false;
    };
  }, [t]);

  if (!setup) return null;
  const choose = (kind: PrintKind, patch: Partial<PrinterSetup[PrintKind]>) => {
    setSaved(false);
    setSetup({ ...setup, [kind]: { ...setup[kind], ...patch } });
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    const r = await loket().print.setup(setup);
    setBusy(false);
    if (r.ok) {
      setSetup(r.value);
      setSaved(true);
    } else setError(errorMessage(t, r.error));
  };
  // A printer chosen earlier that this PC no longer lists stays selectable, marked as not found.
  const listed = (name: string | null) => name === null || printers.some((p) => p.name === name);

  return (
    <section className="card form printers-panel" aria-labelledby="printers-title">
      <h2 id="printers-title" className="card__heading">
        {t('print.setup.title')}
      </h2>
      <p className="muted">{t('print.setup.intro')}</p>
      {window.loket ? null : <p className="muted">{t('print.setup.browser')}</p>}
      {window.loket && printers.length === 0 ? <p className="muted">{t('print.setup.noPrinters')}</p> : null}
      <ErrorAlert>{error}</ErrorAlert>
      <SuccessNotice>{saved ? t('print.setup.saved') : null}</SuccessNotice>
      {KINDS.map((kind) => {
        const kindName = t(`print.setup.kinds.${kind}`);
        const chosen = setup[kind].printer;
        return (
          <fieldset key={kind} className="fieldset">
            <legend className="field__label">{kindName}</legend>
            {window.loket ? (
              <SelectField
                id={`printer-${kind}`}
                label={t('print.setup.printer', { kind: kindName })}
                value={chosen ?? DIALOG}
                onChange={(e) => choose(kind, { printer: e.target.value === DIALOG ? null : e.target.value })}
              >
                <option value={DIALOG}>{t('print.setup.dialog')}</option>
                {printers.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.displayName} ({t(`print.setup.states.${p.state}`)})
                  </option>
                ))}
                {listed(chosen) ? null : (
                  <option value={chosen ?? DIALOG}>
                    {chosen} ({t('print.problems.notFound')})
                  </option>
                )}
              </SelectField>
            ) : null}
            <SelectField
              id={`paper-${kind}`}
              label={t('print.setup.paper', { kind: kindName })}
              value={setup[kind].paper}
              onChange={(e) => choose(kind, { paper: e.target.value as PaperSize })}
            >
              {PAPERS.map((p) => (
                <option key={p} value={p}>
                  {t(`print.setup.papers.${p}`)}
                </option>
              ))}
            </SelectField>
          </fieldset>
        );
      })}
      <div className="form__actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void save()}>
          {t('print.setup.save')}
        </button>
      </div>
    </section>
  );
}
