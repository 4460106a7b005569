import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TransferView } from '../../../renderer/src/data/db/transfers';
import '../../../renderer/src/i18n';
import { TransferTables, type TransferTablesProps } from '../../../renderer/src/screens/transfers/TransfersPanel';

// The transfer tables rendered (server-side) from lists: case summary, SLA deadline with the
// overdue marker computed from the clock, Accept / Decline only for the head and only while the
// transfer waits, and who decided on the outgoing side. Generated ids and branch codes.

const base: TransferView = {
  id: 'K1:transfer',
  caseId: 'K1',
  fromBranch: 'UJI01',
  toBranch: 'SBY01',
  reason: 'PERSON_REQUESTED',
  slaDeadline: '2026-03-03T08:00:00.000Z',
  status: 'requested',
  at: '2026-03-02T03:00:00.000Z',
  updatedAt: '2026-03-02T03:00:00.000Z',
  direction: 'incoming',
  overdue: false,
  decidedLate: false,
  caseSummary: { flow: 'jmo-reset', openedAt: '2026-03-02T02:00:00.000Z' },
};

function render(p: Partial<TransferTablesProps>): string {
  return renderToStaticMarkup(
    <TransferTables
      incoming={[]}
      outgoing={[]}
      now={new Date('2026-03-02T05:00:00.000Z')}
      canDecide
      busy={false}
      declining={null}
      onAccept={() => undefined}
      onDeclineStart={() => undefined}
      onDecline={() => Promise.resolve(true)}
      onCancel={() => undefined}
      {...p}
    />,
  );
}

const row = (html: string, id: string) => new RegExp(`<tr[^>]*data-transfer-id="${id}"[^>]*>(.*?)</tr>`, 's').exec(html)?.[0] ?? '';

describe('transfer tables', () => {
  it('incoming: case summary, SLA deadline (WIB), overdue marker by the clock, Accept and Decline buttons', () => {
    const late = { ...base, id: 'K2:transfer', caseId: 'K2', slaDeadline: '2026-03-02T04:00:00.000Z', caseSummary: null };
    const html = render({ incoming: [late, base] });
    const k1 = row(html, 'K1:transfer');
    expect(k1).toContain('data-overdue="false"');
    expect(k1).toContain('Reset akun JMO');
    expect(k1).toContain('2026-03-03 15:00'); // the SLA deadline in branch time
    expect(k1).toContain('aria-label="Terima pengalihan kasus K1 dari UJI01"');
    expect(k1).toContain('aria-label="Tolak pengalihan kasus K1 dari UJI01"');
    expect(k1).not.toContain('Lewat SLA');
    const k2 = row(html, 'K2:transfer');
    expect(k2).toContain('data-overdue="true"');
    expect(k2).toContain('Lewat SLA');
    expect(k2).toContain('Dokumen kasus belum tiba dari HQ');
  });

  it('an officer sees the transfer but no decision buttons; a decided transfer has none either', () => {
    const officerView = render({ incoming: [base], canDecide: false });
    expect(officerView).not.toContain('Terima pengalihan');
    expect(officerView).toContain('Hanya Kepala Cabang yang memutuskan');
    const decided = render({ incoming: [{ ...base, status: 'accepted', decidedAt: '2026-03-02T04:00:00.000Z', decidedBy: { staffId: 'kepala.sby', role: 'head', deviceId: 'd' } }] });
    expect(decided).not.toContain('Terima pengalihan');
    expect(decided).toContain('Diterima');
  });

  it('the decline form asks for a reason with a label', () => {
    const html = render({ incoming: [base], declining: 'K1:transfer' });
    expect(html).toMatch(/<label for="[^"]+-reason">Alasan penolakan/);
    expect(html).toContain('maxLength="200"');
    expect(html).toContain('Tolak pengalihan</button>');
  });

  it('outgoing: the receiving branch, its decision, by whom and when, and why it declined', () => {
    const declined: TransferView = {
      ...base,
      direction: 'outgoing',
      status: 'declined',
      decidedAt: '2026-03-03T09:00:00.000Z',
      decidedBy: { staffId: 'kepala.sby', role: 'head', deviceId: 'd' },
      declineReason: 'Peserta memilih cabang lain',
      decidedLate: true,
    };
    const html = render({ outgoing: [declined] });
    const r = row(html, 'K1:transfer');
    expect(r).toContain('SBY01');
    expect(r).toContain('Ditolak');
    expect(r).toContain('oleh kepala.sby, 2026-03-03 16:00');
    expect(r).toContain('diputuskan setelah SLA');
    expect(r).toContain('Alasan: Peserta memilih cabang lain');
  });
});
