import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RECEIPT_CONFIG } from '@shared/cases/config';
import { makeReceipt } from '@shared/cases/receipt';
import { EVENT_SCHEMAS } from '@shared/cases/schema';
import { REFUSAL_CODES } from '@shared/policy/catalog';
import { PENDING_CODES } from '@shared/policy/pending';
import { id as dictId } from '@shared/i18n/id';
import { setBranchZone } from '../../../renderer/src/data/branch-zone';
import '../../../renderer/src/i18n';
import { PrintableDocument } from '../../../renderer/src/print/PrintableDocument';
import { SAMPLE_KINDS, sampleDoc } from '../../../renderer/src/print/samples';
import type { PrintDoc } from '../../../renderer/src/print/types';

// Issue 16 pt 14, "words people read", on paper: what a person takes home has words, not codes;
// dates in Indonesian sentences ("Senin, 21 Desember 2026, 08.30"); the officer's name, not their
// login id; one name per service.

const branch = { code: 'UJI02', name: 'Cabang Uji' };
// Monday 21 December 2026, 08:30 WIB.
const NOW = new Date('2026-12-21T01:30:00.000Z');

/** The words on the printed document (tags stripped, entities decoded, spaces collapsed). */
function textOf(doc: PrintDoc): string {
  const html = renderToStaticMarkup(<PrintableDocument doc={doc} qr={null} sample={doc.sample === true} />);
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');
}

const EVENT_TYPES = Object.values(EVENT_SCHEMAS).flatMap((s) => s.options.map((o) => o.shape.type.value as string));

/** Raw codes a person must never read: catalog codes, event names, anything in SCREAMING_CASE. */
function rawCodesIn(text: string): string[] {
  const withoutUrls = text.replace(/https?:\/\/\S+/g, ' ');
  const found = new Set<string>();
  for (const m of withoutUrls.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) found.add(m[0]);
  for (const code of [...REFUSAL_CODES, ...PENDING_CODES, ...EVENT_TYPES]) if (withoutUrls.includes(code)) found.add(code);
  // A login id looks like "nama.petugas": a dotted lowercase token that is not a web address.
  for (const m of withoutUrls.matchAll(/\b[a-z]+\.[a-z]+\b/g)) if (!/\.(go|id|com|org)\b/.test(m[0])) found.add(m[0]);
  return [...found];
}

afterEach(() => setBranchZone(null));

describe('printouts people take home', () => {
  it.each(SAMPLE_KINDS)('the %s sample has no raw code, event name or login id', (kind) => {
    expect(rawCodesIn(textOf(sampleDoc(kind, branch, NOW)))).toEqual([]);
  });

  it('a refusal slip gives the reason in words, not its code', () => {
    const text = textOf(sampleDoc('refusal', branch, NOW));
    expect(text).toContain('Dokumen');
    expect(text).not.toContain('DOCUMENT_MISSING');
  });

  it('a pending KPJ on the receipt gives the catalog reason in words, not its code', () => {
    const doc = sampleDoc('receipt', branch, NOW);
    const receipt = doc.kind === 'receipt' ? doc.receipt : null;
    const withCode: PrintDoc = {
      kind: 'receipt',
      branch,
      officerName: 'Petugas Contoh',
      receipt: { ...receipt!, kpjOutcomes: [{ kpj: '11000000002', outcome: { kind: 'pending', reason: 'EMPLOYER_DATA_CONFIRMATION', followUpOn: '2026-12-28' } }] },
    };
    const text = textOf(withCode);
    expect(rawCodesIn(text)).toEqual([]);
    expect(text).toContain('Senin, 28 Desember 2026');
  });

  it('dates and times are written the Indonesian way, in the branch zone', () => {
    expect(textOf(sampleDoc('ticket', branch, NOW))).toContain('Senin, 21 Desember 2026 pukul 08.30');
    expect(textOf(sampleDoc('receipt', branch, NOW))).toContain('Senin, 21 Desember 2026, 08.30');
    const appointment = textOf(sampleDoc('appointment', branch, NOW));
    expect(appointment).toContain('Selasa, 22 Desember 2026');
    expect(appointment).toContain('09.30');
    expect(appointment).not.toContain('09:30');
    setBranchZone('WIT');
    expect(textOf(sampleDoc('ticket', branch, NOW))).toContain('Senin, 21 Desember 2026 pukul 10.30');
  });

  it('the receipt names the officer, not their login id', () => {
    const receipt = makeReceipt(
      {
        caseId: 'UJI02-20261221-A1-001-abc',
        flow: 'jmo-reset',
        kind: 'completion',
        issuedAt: NOW.toISOString(),
        issuedBy: 'siti.petugas',
        nextStep: { id: 'Akun JMO Anda sudah direset.', en: 'Your JMO account was reset.' },
      },
      DEFAULT_RECEIPT_CONFIG,
    );
    const text = textOf({ kind: 'receipt', branch, receipt, officerName: 'Siti Rahayu' });
    expect(text).toContain('Siti Rahayu');
    expect(text).not.toContain('siti.petugas');
  });

  it('services are printed by their one name', () => {
    expect(textOf(sampleDoc('ticket', branch, NOW))).toContain(dictId.service['jht-claim'].name);
    expect(textOf(sampleDoc('appointment', branch, NOW))).toContain(dictId.service['bpu-resignation'].name);
  });
});

describe('the general-service (information) desk', () => {
  it('prints the receipt it promises: ticket, service, time, officer by name, what next, where to complain', () => {
    const text = textOf({ kind: 'served', branch, service: 'general', ticketNumber: 'D1-004', at: NOW.toISOString(), officerName: 'Siti Rahayu' });
    expect(text).toContain('Tanda terima layanan');
    expect(text).toContain('D1-004');
    expect(text).toContain(dictId.service.general.name);
    expect(text).toContain('Senin, 21 Desember 2026, 08.30');
    expect(text).toContain('Siti Rahayu');
    expect(text).toContain(dictId.print.served.done);
    for (const channel of ['175', 'LAPOR!', 'Ombudsman RI']) expect(text).toContain(channel);
    expect(rawCodesIn(text)).toEqual([]);
  });
});
