import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import type { KpjRecord } from '@shared/cases/schema';
import type { AppendResult } from '../../renderer/src/data/db/case-journal';
import type { CaseDoc } from '../../renderer/src/data/db/schemas';
import '../../renderer/src/i18n';
import { JhtClaimFlow } from '../../renderer/src/screens/desk/flows/JhtClaimFlow';
import { jhtClaimMachine } from '@state-machines/jht-claim.machine';
import { replay } from '@state-machines/replay';
import { AT, NIK_56, ev, officer, security } from './machines/fixtures';

// The JHT panel rendered (server-side, no browser) from a case whose snapshot is the real machine's
// replay of a journal; `canTake` is the same replay plus the event, as the case host does it.

type Ev = ReturnType<typeof ev>;
const input = { caseId: 'UJI02-20260302-A1-001-abc', nik: NIK_56, openedAt: AT, config: DEFAULT_CASE_CONFIG };

function caseOf(events: Ev[]): CaseDoc {
  const r = replay(jhtClaimMachine, input, events);
  if (r.rejected) throw new Error(`fixture journal rejected: ${r.rejected.reason} ${r.rejected.detail}`);
  const snapshot = JSON.parse(JSON.stringify({ value: r.snapshot.value, status: r.snapshot.status, context: r.snapshot.context })) as Record<string, unknown>;
  return {
    id: input.caseId,
    branchCode: 'UJI02',
    flow: 'jht-claim',
    status: 'open',
    nikHash: 'x',
    person: { nik: NIK_56, name: 'Budi Contoh' },
    input,
    events,
    snapshot,
    journalLength: events.length,
    openedAt: AT,
    updatedAt: AT,
  };
}

function render(events: Ev[], actor = officer): string {
  const doc = caseOf(events);
  return renderToStaticMarkup(
    <JhtClaimFlow
      caseDoc={doc}
      actor={actor}
      now={() => AT}
      send={() => Promise.resolve({ ok: true, doc } as AppendResult)}
      canTake={(e) => replay(jhtClaimMachine, input, [...events, e]).rejected === null}
    />,
  );
}

/** Text of the element carrying `data-testid`, tags stripped. */
function byTestId(html: string, id: string): string | null {
  const m = new RegExp(`data-testid="${id}"[^>]*>(.*?)</(div|p|section|td)>`, 's').exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '') : null;
}
/** Text of a KPJ table row. */
function rowText(html: string, kpj: string): string | null {
  const m = new RegExp(`data-testid="jht-kpj-row-${kpj}"[^>]*>(.*?)</tr>`, 's').exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, ' ') : null;
}
/** Is the button whose text contains `label` disabled? */
function buttonDisabled(html: string, label: string): boolean | null {
  const m = new RegExp(`<button([^>]*)>[^<]*${label.replace(/[()]/g, '\\$&')}`).exec(html);
  return m ? /\sdisabled=""/.test(m[1]!) : null;
}

const A: KpjRecord & { employer: string } = { kpj: '12000000011', employer: 'PT Contoh Makmur', balance: 30_000_000 };
const B: KpjRecord & { employer: string } = { kpj: '12000000022', employer: 'CV Uji Sentosa', balance: 15_000_000 };
const identity = ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true });
const resignation = ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' });
const listed = [identity, resignation, ev('kpj.added', { record: A }), ev('kpj.added', { record: B })];
const submitted = [
  ...listed,
  ev('kpj.searched', { results: [] }),
  ev('kpj.listConfirmed', {}),
  ev('document.presented', { documents: ['savingsBook', 'otherTerminationProof'] }),
  ev('documents.confirmed', {}),
];

describe('JHT panel, rendered from the machine', () => {
  it('identity step: offers the identity check to an officer, not to security', () => {
    const html = render([]);
    expect(html).toContain('data-step="identity"');
    expect(buttonDisabled(html, 'Catat pemeriksaan identitas')).toBe(false);
    expect(buttonDisabled(render([], security), 'Catat pemeriksaan identitas')).toBe(true);
  });

  it('KPJ list before the NIK search: both KPJ with employers, confirm unavailable and why', () => {
    const html = render(listed);
    expect(html).toContain('data-step="kpjListing"');
    expect(rowText(html, A.kpj)).toContain('PT Contoh Makmur');
    expect(rowText(html, B.kpj)).toContain('CV Uji Sentosa');
    expect(byTestId(html, 'jht-kpj-total')).toBe('Rp45.000.000');
    expect(buttonDisabled(html, 'Konfirmasi: ini semua KPJ milik NIK (2)')).toBe(true);
    expect(html).toContain('catat dulu pencarian KPJ berdasarkan NIK');
    expect(byTestId(html, 'jht-unresolved-banner')).toContain(`Klaim belum dapat ditutup: saldo KPJ ${A.kpj}, ${B.kpj} belum diselesaikan.`);
  });

  it('documents for a resignation: termination proof accepts other proof; NPWP rule shown, not required', () => {
    const html = render([...listed, ev('kpj.searched', { results: [] }), ev('kpj.listConfirmed', {})]);
    expect(html).toContain('data-step="documents"');
    expect(html).toContain('id="jht-doc-paklaring"');
    expect(html).toContain('id="jht-doc-otherTerminationProof"');
    expect(html).not.toContain('id="jht-doc-npwp"');
    expect(html).not.toContain('id="jht-doc-kk"');
    expect(byTestId(html, 'jht-npwp-rule')).toContain('NPWP tidak diperlukan: saldo yang diklaim Rp45.000.000 tidak di atas Rp50.000.000');
    expect(buttonDisabled(html, 'Ajukan klaim')).toBe(true);
    expect(byTestId(html, 'jht-submit-why')).toContain('Buku tabungan atas nama peserta, Bukti berhenti bekerja dari pemberi kerja');
  });

  it('submitted with one KPJ resolved: the other is named as the reason the claim cannot close', () => {
    const html = render([...submitted, ev('kpj.resolved', { kpj: A.kpj, outcome: { kind: 'paid' } })]);
    expect(html).toContain('data-step="submitted"');
    expect(byTestId(html, 'jht-unresolved-banner')).toContain(`saldo KPJ ${B.kpj} belum diselesaikan`);
    expect(byTestId(html, 'jht-unresolved-banner')).not.toContain(A.kpj);
    expect(byTestId(html, 'jht-close-state')).toBe(`Klaim belum dapat ditutup: saldo KPJ ${B.kpj} belum diselesaikan.`);
    // Button text "Selesaikan" + the KPJ for screen readers: only the open KPJ has one.
    expect(html).toContain(`Selesaikan<span class="visually-hidden"> KPJ ${B.kpj}</span>`);
    expect(html).not.toContain(`Selesaikan<span class="visually-hidden"> KPJ ${A.kpj}</span>`);
  });

  it('all KPJ resolved (paid + merged): no banner, ready to close', () => {
    const html = render([...submitted, ev('kpj.resolved', { kpj: A.kpj, outcome: { kind: 'paid' } }), ev('kpj.resolved', { kpj: B.kpj, outcome: { kind: 'merged', into: A.kpj } })]);
    expect(byTestId(html, 'jht-unresolved-banner')).toBeNull();
    expect(byTestId(html, 'jht-all-resolved')).toBe('Semua KPJ sudah diselesaikan.');
    expect(rowText(html, B.kpj)).toContain(`ke KPJ ${A.kpj}`);
  });

  it('a waiting period not elapsed shows the first claimable date', () => {
    const html = render([identity, ev('cause.selected', { cause: 'dismissal', effectiveDate: '2026-02-20' })]);
    expect(byTestId(html, 'jht-not-eligible')).toContain('masa tunggu baru lewat pada 20 Maret 2026');
  });

  it('death: KK and death certificate are asked, no termination proof', () => {
    const html = render([identity, ev('cause.selected', { cause: 'death' }), ev('kpj.added', { record: A }), ev('kpj.searched', { results: [] }), ev('kpj.listConfirmed', {})]);
    expect(html).toContain('id="jht-doc-kk"');
    expect(html).toContain('id="jht-doc-deathCertificate"');
    expect(html).not.toContain('id="jht-doc-paklaring"');
  });

  it('a KPJ found after submission that lifts the balance above Rp50,000,000 sends the claim back for the NPWP, and says so', () => {
    const C = { kpj: '12000000033', employer: 'PT Baru Ditemukan', balance: 10_000_000 };
    const html = render([...submitted, ev('kpj.added', { record: C })]);
    expect(html).toContain('data-step="documents"');
    expect(html).toContain('NPWP kini diperlukan');
    expect(html).toContain('id="jht-doc-npwp"');
    expect(byTestId(html, 'jht-npwp-rule')).toContain('NPWP wajib: saldo yang diklaim Rp55.000.000 di atas Rp50.000.000');
  });

  it('an e-KTP that does not match keeps the claim at identity and points to the catalog refusal', () => {
    const html = render([ev('identity.checked', { ektpPresented: true, ektpMatchesNik: false })]);
    expect(html).toContain('data-step="identity"');
    expect(html).toContain('Identitas belum terverifikasi');
  });
});

describe('JHT panel, issue 16: typo removal and pending KPJ in words', () => {
  it('offers "remove (typo)" on each KPJ before the NIK search is recorded, and not after', () => {
    const before = render(listed);
    expect(rowText(before, A.kpj)).toContain('Hapus (salah ketik)');
    expect(buttonDisabled(before, 'Hapus (salah ketik)')).toBe(false);
    expect(render(listed, security)).not.toContain('Hapus (salah ketik)');
    const after = render([...listed, ev('kpj.searched', { results: [] })]);
    expect(after).not.toContain('Hapus (salah ketik)');
  });

  it('a pending KPJ shows its catalog reason in words, the follow-up date and the note, never the code', () => {
    const html = render([
      ...submitted,
      ev('kpj.resolved', { kpj: A.kpj, outcome: { kind: 'paid' } }),
      ev('kpj.resolved', { kpj: B.kpj, outcome: { kind: 'pending', reason: 'EMPLOYER_DATA_CONFIRMATION', followUpOn: '2026-03-09', note: 'HRD dihubungi' } }),
    ]);
    const row = rowText(html, B.kpj)!;
    expect(row).toContain('Konfirmasi data kepesertaan kepada pemberi kerja');
    expect(row).toContain('Catatan: HRD dihubungi');
    expect(row).not.toContain('EMPLOYER_DATA_CONFIRMATION');
  });
});
