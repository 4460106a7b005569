import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import '../../renderer/src/i18n';
import { PrintableDocument } from '../../renderer/src/print/PrintableDocument';
import type { PrintDoc } from '../../renderer/src/print/types';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import { NIK_56, ev, wib } from './machines/fixtures';

// Issue 16 pt 12: the printed receipt states the amount paid in this claim and the tax on the lump
// sum, for information (0% up to Rp50,000,000, 5% on the part above). The receipt comes from the
// machine, as at the desk. Generated people and numbers only.

function receiptFor(balance: number) {
  const kpj = { kpj: '12000000041', balance };
  const events = [
    ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
    ev('cause.selected', { cause: 'age56' }),
    ev('kpj.searched', { results: [kpj] }),
    ev('kpj.listConfirmed', {}),
    ev('document.presented', { documents: ['savingsBook', 'npwp'] }),
    ev('documents.confirmed', {}),
    ev('kpj.resolved', { kpj: kpj.kpj, outcome: { kind: 'paid' } }),
    ev('receipt.issued', {}),
  ];
  const input = { caseId: 'C-TAX', nik: NIK_56, openedAt: wib('2026-03-02'), visitStartedAt: wib('2026-03-02', '09:00'), recordedChecks: true as const, config: DEFAULT_CASE_CONFIG };
  const r = replay(jhtClaimMachine, input, events);
  if (r.rejected) throw new Error(r.rejected.reason);
  return r.snapshot.context.receipt!;
}

function printed(balance: number): string {
  const doc = { kind: 'receipt', branch: { code: 'UJI02', name: 'Cabang Uji' }, receipt: receiptFor(balance) } as unknown as PrintDoc;
  return renderToStaticMarkup(<PrintableDocument doc={doc} qr={null} />)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

describe('the printed JHT receipt states the tax on the lump sum', () => {
  it.each([
    { balance: 50_000_000, paid: 'Rp50.000.000', tax: 'Rp0' },
    { balance: 60_000_000, paid: 'Rp60.000.000', tax: 'Rp500.000' },
  ])('Rp$balance paid → tax $tax, with the rule, in both languages', ({ balance, paid, tax }) => {
    const text = printed(balance);
    expect(text).toMatch(new RegExp(`Jumlah dibayarkan dalam klaim ini.*${paid}`));
    expect(text).toMatch(new RegExp(`Pajak atas pembayaran sekaligus.*${tax}`));
    expect(text).toContain('0% sampai Rp50.000.000, 5% atas bagian di atasnya');
    expect(text).toContain('0% up to Rp50.000.000, 5% on the part above');
  });
});
