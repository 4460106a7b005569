// Keyboard-wedge barcode and QR scanners (issue 21 pt 4): a scanner "types" its code far faster than
// a person and ends with Enter. A burst of keys at scanner speed that ends in Enter and has a known
// format is a scan; anything else is typing and is left alone. A scan is taken out of whatever field
// had the focus (restored to what it held before the burst) and handed to the screen, so it never
// lands in the wrong field.

/** An appointment slip's QR: its reference (branch:day:number), no personal data. A KPJ card: 11 digits. */
export type Scan = { kind: 'appointment'; reference: string } | { kind: 'kpj'; kpj: string };

const APPOINTMENT = /^[A-Z0-9]{2,10}:\d{4}-\d{2}-\d{2}:[A-Z][1-9]-\d{3,7}$/;
const KPJ = /^\d{11}$/;

/** What a finished burst is, or null when it has no format we know (then it is typing). */
export function scanOf(code: string): Scan | null {
  if (APPOINTMENT.test(code)) return { kind: 'appointment', reference: code };
  if (KPJ.test(code)) return { kind: 'kpj', kpj: code };
  return null;
}

export interface ScannerTiming {
  /** Longest gap between two keys of one scan. Scanners send a key every 1-15 ms; people every 80 ms and more. */
  maxGapMs: number;
  /** Fewest characters in a scan (a person may type a short word quickly). */
  minLength: number;
}

export const SCANNER_TIMING: ScannerTiming = { maxGapMs: 30, minLength: 8 };

/** Tells scans from typing by timing and format; `at` is a monotonic clock in ms (event.timeStamp). */
export class ScanDetector {
  private chars = '';
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly timing: ScannerTiming = SCANNER_TIMING) {}

  /** A printable key. Returns true when it starts a new burst (the caller remembers the field as it was). */
  char(key: string, at: number): boolean {
    const fresh = at - this.last > this.timing.maxGapMs;
    this.chars = fresh ? key : this.chars + key;
    this.last = at;
    return fresh;
  }

  /** Enter: the scan it ends, or null (typing, too slow, too short, or an unknown format). */
  enter(at: number): Scan | null {
    const code = this.chars;
    const fast = at - this.last <= this.timing.maxGapMs;
    this.chars = '';
    this.last = Number.NEGATIVE_INFINITY;
    return fast && code.length >= this.timing.minLength ? scanOf(code) : null;
  }
}

type Field = HTMLInputElement | HTMLTextAreaElement;
const isField = (el: Element | null): el is Field => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

/** Sets a field's value so React sees it (its value setter, then an input event). */
function setFieldValue(field: Field, value: string): void {
  const proto = field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Listens for scans on a document (keydown, capture phase). On a scan: Enter does not submit the
 * focused form, the focused field gets back what it held before the burst, and `onScan` is called.
 * Returns the function that stops listening.
 */
export function listenForScans(doc: Document, onScan: (scan: Scan) => void, timing: ScannerTiming = SCANNER_TIMING): () => void {
  const detector = new ScanDetector(timing);
  let before: { field: Field; value: string } | null = null;
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.key.length === 1) {
      if (detector.char(e.key, e.timeStamp)) {
        const active = doc.activeElement;
        before = isField(active) ? { field: active, value: active.value } : null;
      }
      return;
    }
    if (e.key !== 'Enter') return;
    const scan = detector.enter(e.timeStamp);
    if (!scan) return;
    e.preventDefault();
    e.stopPropagation();
    if (before && before.field.value !== before.value) setFieldValue(before.field, before.value);
    before = null;
    onScan(scan);
  };
  doc.addEventListener('keydown', onKey, true);
  return () => doc.removeEventListener('keydown', onKey, true);
}
