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

/** The quiet zone scanners expect around a code, in modules. */
const QR_MARGIN = 4;
/**
 * A module (the code's smallest square) on paper: 0.75 mm, six dots of a 203 dpi thermal printer
 * (8 dots per mm), so every module prints as whole dots. A size that is not (32 mm for a small code)
 * prints modules of 7 and 8 dots, which a decoder can misread (issue 21: the appointment slip's QR).
 */
export const QR_MODULE_MM = 0.75;
const PX_PER_MM = 96 / 25.4;

/** A QR code to print: its PNG data URL (allowed by the CSP's img-src data:) and its size in CSS px. */
export type QrImage = { src: string; px: number };

/** The QR image for `payload`, sized so its modules are whole printer dots. */
export async function qrImage(payload: string): Promise<QrImage> {
  // Level M survives a smudged thermal print.
  const options = { errorCorrectionLevel: 'M', margin: QR_MARGIN } as const;
  const modules = QRCode.create(payload, options).modules.size + 2 * QR_MARGIN;
  const src = await QRCode.toDataURL(payload, { ...options, scale: 6, color: { dark: '#000000', light: '#ffffff' } });
  return { src, px: Math.round(modules * QR_MODULE_MM * PX_PER_MM) };
}
