import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import '../../renderer/src/i18n';
import { PrintableDocument } from '../../renderer/src/print/PrintableDocument';
import type { PrintDoc } from '../../renderer/src/print/types';

// Issue 16 / DOMAIN "Queue": an appointment on a later date the person asked for says so on the
// printed slip ("Tanggal dipilih sendiri oleh peserta"); the earliest slot the branch offers does not.

const slip = (chosenByPerson: boolean): string => {
  const doc: PrintDoc = {
    kind: 'appointment',
    branch: { code: 'UJI01', name: 'Cabang Uji' },
    service: 'jht-claim',
    appointment: chosenByPerson ? { date: '2026-03-12', time: '08:00', chosenByPerson: true } : { date: '2026-03-09', time: '08:00' },
    ticketId: 'UJI01:2026-03-06:A2-001',
    issuedAt: '2026-03-06T03:00:00.000Z',
  };
  return renderToStaticMarkup(<PrintableDocument doc={doc} qr={null} />).replace(/<[^>]+>/g, ' ');
};

describe('the appointment slip and the person’s own date', () => {
  it('says the date was chosen by the participant, in Indonesian and English', () => {
    const text = slip(true);
    expect(text).toContain('Tanggal dipilih sendiri oleh peserta');
    expect(text).toContain('Date chosen by the participant');
    expect(text).toContain('Kamis, 12 Maret 2026');
  });

  it('says nothing of a choice for the earliest slot the branch offered', () => {
    expect(slip(false)).not.toContain('dipilih sendiri');
  });
});
