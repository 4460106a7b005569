import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import type { AppendResult } from '../../renderer/src/data/db/case-journal';
import type { CaseDoc } from '../../renderer/src/data/db/schemas';
import '../../renderer/src/i18n';
import { JhtClaimFlow } from '../../renderer/src/screens/desk/flows/JhtClaimFlow';
import { JmoResetFlow } from '../../renderer/src/screens/desk/flows/JmoResetFlow';
import { identityAnswers } from '../../renderer/src/screens/desk/flows/steps';
import { RefusalPanel } from '../../renderer/src/screens/desk/RefusalPanel';
import { CASE_MACHINES, replay } from '@state-machines';
import { K3, NIK_56, ev, officer, wib } from './machines/fixtures';

// Issue 16 (1, 2) on the desk screens, rendered server-side from cases whose snapshots are the real
// machines' replays, opened as the desk opens them (visitStartedAt = the ticket's issue time,
// recordedChecks). The same steps are driven in a browser in tests/e2e/desk.spec.ts.

type Ev = ReturnType<typeof ev>;
const DAY = '2026-03-02'; // Monday, default hours 08:00–15:00

function caseOf(flow: 'jht-claim' | 'jmo-reset', events: Ev[], o: { openedAt: string; visitStartedAt: string }): CaseDoc {
  const input = { caseId: `UJI02-${flow}`, nik: NIK_56, openedAt: o.openedAt, config: DEFAULT_CASE_CONFIG, visitStartedAt: o.visitStartedAt, recordedChecks: true };
  const r = replay(CASE_MACHINES[flow], input as never, events);
  if (r.rejected) throw new Error(`fixture journal rejected: ${r.rejected.reason} ${r.rejected.detail}`);
  const snap = r.snapshot as { value: unknown; status: string; context: unknown };
  const snapshot = JSON.parse(JSON.stringify({ value: snap.value, status: snap.status, context: snap.context })) as Record<string, unknown>;
  return { id: input.caseId, branchCode: 'UJI02', flow, status: 'open', nikHash: 'x', person: { nik: NIK_56, name: 'Budi Contoh' }, input, events, snapshot, journalLength: events.length, openedAt: o.openedAt, updatedAt: o.openedAt };
}

function props(doc: CaseDoc, at: string) {
  return {
    caseDoc: doc,
    actor: officer,
    now: () => at,
    send: () => Promise.resolve({ ok: true, doc } as AppendResult),
    canTake: (e: Record<string, unknown>) => replay(CASE_MACHINES[doc.flow], doc.input as never, [...doc.events, { at, actor: officer, ...e }]).rejected === null,
  };
}

/** The refusal option of `code`: whether it is offered, and its text. */
function option(html: string, code: string): { available: boolean; text: string } {
  const m = new RegExp(`<li[^>]*data-code="${code}" data-available="(true|false)">(.*?)</li>`, 's').exec(html);
  if (!m) throw new Error(`no option ${code}`);
  return { available: m[1] === 'true', text: m[2]!.replace(/<[^>]+>/g, '') };
}
const pill = (html: string, doc: string) => new RegExp(`data-testid="jht-doc-status-${doc}"[^>]*>([^<]*)<`).exec(html)?.[1];

describe('service hours at the visit start (issue 16, 1)', () => {
  it('a ticket taken at 14:57 and called at 15:02: OUTSIDE_SERVICE_HOURS is not offered, and the panel says why', () => {
    const doc = caseOf('jmo-reset', [], { openedAt: wib(DAY, '15:02'), visitStartedAt: wib(DAY, '14:57') });
    const html = renderToStaticMarkup(<RefusalPanel flowProps={props(doc, wib(DAY, '15:03'))} onRefuse={() => Promise.resolve({ ok: true, doc } as AppendResult)} />);
    const o = option(html, 'OUTSIDE_SERVICE_HOURS');
    expect(o.available).toBe(false);
    expect(o.text).toContain('kunjungan dimulai pukul 14:57, dalam jam layanan (08:00–15:00)');
  });

  it('a visit begun at 15:01 (after closing) may be refused as outside service hours', () => {
    const doc = caseOf('jmo-reset', [], { openedAt: wib(DAY, '15:02'), visitStartedAt: wib(DAY, '15:01') });
    const html = renderToStaticMarkup(<RefusalPanel flowProps={props(doc, wib(DAY, '15:03'))} onRefuse={() => Promise.resolve({ ok: true, doc } as AppendResult)} />);
    expect(option(html, 'OUTSIDE_SERVICE_HOURS').available).toBe(true);
  });
});

describe('documents are never presumed missing (issue 16, 2)', () => {
  const at = wib(DAY, '09:20');
  const open = { openedAt: wib(DAY, '09:10'), visitStartedAt: wib(DAY, '09:00') };
  const toDocuments = [
    ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }),
    ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }),
    ev('kpj.searched', { results: [K3] }),
    ev('kpj.listConfirmed', {}),
  ];
  const refusal = (doc: CaseDoc) => renderToStaticMarkup(<RefusalPanel flowProps={props(doc, at)} onRefuse={() => Promise.resolve({ ok: true, doc } as AppendResult)} />);

  it('the documents step opens with nothing missing: "not checked yet", a button per document, no DOCUMENT_MISSING', () => {
    const doc = caseOf('jht-claim', toDocuments, open);
    const html = renderToStaticMarkup(<JhtClaimFlow {...props(doc, at)} />);
    expect(pill(html, 'savingsBook')).toBe('belum diperiksa');
    expect(pill(html, 'terminationProof')).toBe('belum diperiksa');
    expect(html).not.toMatch(/type="checkbox"[^>]*checked=""/);
    expect(html).toContain('Catat: Buku tabungan atas nama peserta tidak ditunjukkan');
    const o = option(refusal(doc), 'DOCUMENT_MISSING');
    expect(o.available).toBe(false);
    expect(o.text).toContain('tidak ada dokumen wajib yang dicatat tidak ditunjukkan');
  });

  it('a document recorded as not presented: so labelled, and only then DOCUMENT_MISSING is offered', () => {
    const doc = caseOf('jht-claim', [...toDocuments, ev('document.notPresented', { documents: ['savingsBook'] })], open);
    const html = renderToStaticMarkup(<JhtClaimFlow {...props(doc, at)} />);
    expect(pill(html, 'savingsBook')).toBe('dicatat tidak ditunjukkan');
    expect(pill(html, 'terminationProof')).toBe('belum diperiksa');
    expect(html).not.toContain('Catat: Buku tabungan atas nama peserta tidak ditunjukkan');
    expect(option(refusal(doc), 'DOCUMENT_MISSING').available).toBe(true);
  });
});

describe('identity needs a recorded outcome (issue 16, 2)', () => {
  it('no question is pre-answered, and an empty submission is no event', () => {
    const doc = caseOf('jmo-reset', [], { openedAt: wib(DAY, '09:10'), visitStartedAt: wib(DAY, '09:00') });
    const html = renderToStaticMarkup(<JmoResetFlow {...props(doc, wib(DAY, '09:11'))} />);
    expect(html.match(/type="radio"/g)).toHaveLength(6);
    expect(html).not.toMatch(/type="radio"[^>]*checked=""/);
    expect(identityAnswers({ presented: null, matches: null, kpj: null }, true)).toBeNull();
    expect(identityAnswers({ presented: true, matches: null }, false)).toBeNull();
    // JMO: with a matching e-KTP the KPJ question must be answered too.
    expect(identityAnswers({ presented: true, matches: true, kpj: null }, true)).toBeNull();
  });

  it('explicit answers make the event; a question made moot by "no e-KTP" is not asked', () => {
    expect(identityAnswers({ presented: false, matches: null, kpj: null }, true)).toEqual({ type: 'identity.checked', ektpPresented: false, ektpMatchesNik: false });
    expect(identityAnswers({ presented: true, matches: false }, false)).toEqual({ type: 'identity.checked', ektpPresented: true, ektpMatchesNik: false });
    expect(identityAnswers({ presented: true, matches: true, kpj: false }, true)).toEqual({ type: 'identity.checked', ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false });
    expect(identityAnswers({ presented: true, matches: true, kpj: true }, true)).toEqual({ type: 'identity.checked', ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true });
  });
});
