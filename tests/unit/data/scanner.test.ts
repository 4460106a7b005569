import { describe, expect, it } from 'vitest';
import { ScanDetector, scanOf } from '../../../renderer/src/data/scanner';

/** Feeds `code` with `gapMs` between keys from `start`, then Enter after one more gap; returns the detector's answer. */
function type(detector: ScanDetector, code: string, gapMs: number, start = 1000): ReturnType<ScanDetector['enter']> {
  let at = start;
  for (const ch of code) {
    detector.char(ch, at);
    at += gapMs;
  }
  return detector.enter(at);
}

const REFERENCE = 'UJI02:2026-12-08:B1-001';

describe('keyboard-wedge scanner detection (issue 21 pt 4)', () => {
  it('a KPJ card barcode and an appointment slip QR at scanner speed (a key every 8 ms, then Enter) are scans', () => {
    const d = new ScanDetector();
    expect(type(d, '11000000001', 8)).toEqual({ kind: 'kpj', kpj: '11000000001' });
    expect(type(d, REFERENCE, 4, 5000)).toEqual({ kind: 'appointment', reference: REFERENCE });
  });

  it('the same characters typed by a person (120 ms apart) are typing, not a scan', () => {
    const d = new ScanDetector();
    expect(type(d, '11000000001', 120)).toBeNull();
    expect(type(d, REFERENCE, 90, 9000)).toBeNull();
  });

  it('a fast burst of an unknown format (a NIK, a word, a URL) is typing', () => {
    const d = new ScanDetector();
    expect(type(d, '3171014101900003', 5)).toBeNull();
    expect(type(d, 'https://example.org/x', 5, 3000)).toBeNull();
    expect(type(d, '1100000000', 5, 6000)).toBeNull(); // 10 digits: not a KPJ
  });

  it('a scan right after slow typing in the same field is still recognised (the burst starts at the first fast key)', () => {
    const d = new ScanDetector();
    d.char('a', 0);
    d.char('b', 400);
    expect(type(d, '11000000002', 6, 900)).toEqual({ kind: 'kpj', kpj: '11000000002' });
  });

  it('a pause inside the burst, or a late Enter, makes it typing', () => {
    const d = new ScanDetector();
    for (const [i, ch] of [...'110000'].entries()) d.char(ch, 100 + i * 5);
    for (const [i, ch] of [...'00001'].entries()) d.char(ch, 400 + i * 5);
    expect(d.enter(425)).toBeNull();
    let at = 1000;
    for (const ch of '11000000001') d.char(ch, (at += 5));
    expect(d.enter(at + 500)).toBeNull();
  });

  it('formats: only a reference without personal data or an 11-digit KPJ', () => {
    expect(scanOf(REFERENCE)).toEqual({ kind: 'appointment', reference: REFERENCE });
    expect(scanOf('uji02:2026-12-08:B1-001')).toBeNull();
    expect(scanOf('11000000001')).toEqual({ kind: 'kpj', kpj: '11000000001' });
    expect(scanOf('1100000000a')).toBeNull();
  });
});
