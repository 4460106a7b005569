import QRCode from 'qrcode';

/**
 * What a receipt's QR code holds: the survey link with the case number, so one scan opens the
 * survey already tied to the case and shows the number to quote in a complaint. Nothing personal.
 */
export function receiptQrPayload(surveyUrl: string, caseId: string): string {
  const url = new URL(surveyUrl);
  url.searchParams.set('case', caseId);
  return url.toString();
}

/** A PNG data URL (allowed by the CSP's img-src data:), sized for a receipt printer. */
export function qrDataUrl(payload: string): Promise<string> {
  // Level M survives a smudged thermal print; the quiet zone of 4 modules is what scanners expect.
  return QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 4, scale: 6, color: { dark: '#000000', light: '#ffffff' } });
}
