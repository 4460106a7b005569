import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../app/AppContext';
import { ErrorAlert, SuccessNotice } from '../components/Alert';
import { SelectField } from '../components/Field';
import { printDocument, qrFor, savePdfCopy } from './index';
import { PrintableDocument } from './PrintableDocument';
import type { QrImage } from './qr';
import { ReprintButton } from './ReprintButton';
import { SAMPLE_KINDS, sampleDoc, type SampleKind } from './samples';

/**
 * "Contoh cetakan" in Settings: the branch head checks the receipt printer (width, contrast, QR
 * readable by a phone) with generated data before the first citizen needs a receipt.
 */
export function PrintTestPanel() {
  const { t } = useTranslation();
  const { view } = useApp();
  const info = view.name === 'signedIn' || view.name === 'locked' ? view.info : null;
  const branch = useMemo(() => (info?.branch ? { code: info.branch.code, name: info.branch.name } : { code: 'CONTOH', name: 'Cabang Contoh' }), [info?.branch]);
  const [kind, setKind] = useState<SampleKind>('receipt');
  // Generated once per choice, so the preview and the print show the same time.
  const doc = useMemo(() => sampleDoc(kind, branch, new Date()), [kind, branch]);
  const [qr, setQr] = useState<QrImage | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    setQr(null);
    void qrFor(doc).then((url) => live && setQr(url));
    return () => {
      live = false;
    };
  }, [doc]);

  const run = async (what: 'print' | 'pdf') => {
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      if (what === 'print') {
        const r = await printDocument(doc);
        if (r.printed) setNotice(t('print.test.printed'));
        else setError(t('print.test.notPrinted', { reason: r.reason ?? '' }));
      } else {
        const r = await savePdfCopy(doc);
        if (r === null) setNotice(t('print.test.pdfBrowserOnly'));
        else if ('error' in r) setError(t('print.failed', { reason: r.error }));
        else setNotice(t('print.savedPdf', { path: r.path }));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card form print-test" aria-labelledby="print-test-title">
      <h2 id="print-test-title" className="card__heading">
        {t('print.test.title')}
      </h2>
      <p className="muted">{t('print.test.intro')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      <SuccessNotice>{notice}</SuccessNotice>
      <SelectField id="print-test-kind" label={t('print.test.kind')} value={kind} onChange={(e) => setKind(e.target.value as SampleKind)}>
        {SAMPLE_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`print.test.kinds.${k}`)}
          </option>
        ))}
      </SelectField>
      <figure className="print-preview" aria-label={t('print.test.preview')} data-testid="print-preview">
        <PrintableDocument doc={doc} qr={qr} sample />
      </figure>
      <div className="form__actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void run('print')}>
          {t('print.test.print')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void run('pdf')}>
          {t('print.test.savePdf')}
        </button>
        <ReprintButton />
      </div>
    </section>
  );
}
