import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../app/errors';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { usePrinterSetup } from '../../data/use-main-setting';
import { PaperSize, PrintKind, type PrinterInfo, type PrinterSetup } from '@shared/ipc/contract';
import type { IpcError } from '@shared/ipc/result';

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
  const { loaded, setup, change, save, saving, saved, error } = usePrinterSetup();
  // Nothing until main answers; a failed load shows the panel with the reason.
  if (!setup && !error) return null;
  return (
    <PrintersPanelView
      desktop={Boolean(window.loket)}
      printers={loaded?.printers ?? []}
      setup={setup}
      error={error}
      saved={saved}
      saving={saving}
      onChange={(kind, patch) => change((s) => ({ ...s, [kind]: { ...s[kind], ...patch } }))}
      onSave={() => void save()}
    />
  );
}

export interface PrintersPanelViewProps {
  /** The desktop app (printers listed, silent printing); false in a browser (paper only). */
  desktop: boolean;
  printers: PrinterInfo[];
  /** null: main's setup could not be read (the error says why). */
  setup: PrinterSetup | null;
  error: IpcError | null;
  saved: boolean;
  saving: boolean;
  onChange: (kind: PrintKind, patch: Partial<PrinterSetup[PrintKind]>) => void;
  onSave: () => void;
}

export function PrintersPanelView({ desktop, printers, setup, error, saved, saving, onChange, onSave }: PrintersPanelViewProps) {
  const { t } = useTranslation();
  // A printer chosen earlier that this PC no longer lists stays selectable, marked as not found.
  const listed = (name: string | null) => name === null || printers.some((p) => p.name === name);

  return (
    <section className="card form printers-panel" aria-labelledby="printers-title">
      <h2 id="printers-title" className="card__heading">
        {t('print.setup.title')}
      </h2>
      <p className="muted">{t('print.setup.intro')}</p>
      {desktop ? null : <p className="muted">{t('print.setup.browser')}</p>}
      {desktop && setup && printers.length === 0 ? <p className="muted">{t('print.setup.noPrinters')}</p> : null}
      <ErrorAlert>{error ? errorMessage(t, error) : null}</ErrorAlert>
      <SuccessNotice>{saved ? t('print.setup.saved') : null}</SuccessNotice>
      {setup
        ? KINDS.map((kind) => {
            const kindName = t(`print.setup.kinds.${kind}`);
            const chosen = setup[kind].printer;
            return (
              <fieldset key={kind} className="fieldset">
                <legend className="field__label">{kindName}</legend>
                {desktop ? (
                  <SelectField
                    id={`printer-${kind}`}
                    label={t('print.setup.printer', { kind: kindName })}
                    value={chosen ?? DIALOG}
                    onChange={(e) => onChange(kind, { printer: e.target.value === DIALOG ? null : e.target.value })}
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
                  onChange={(e) => onChange(kind, { paper: e.target.value as PaperSize })}
                >
                  {PAPERS.map((p) => (
                    <option key={p} value={p}>
                      {t(`print.setup.papers.${p}`)}
                    </option>
                  ))}
                </SelectField>
              </fieldset>
            );
          })
        : null}
      {setup ? (
        <div className="form__actions">
          <button type="button" className="button button--primary" disabled={saving} onClick={onSave}>
            {t('print.setup.save')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
