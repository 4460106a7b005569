import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { canonicalJson } from '@shared/canonical-json';
import { CASE_FLOWS, type Actor } from '@shared/cases/schema';
import { CASE_MACHINES, mergeCaseDocs, mergeCaseJournals, storedSnapshot, unionOfJournals, type MergeableCase } from '@state-machines';
import { replay } from '@state-machines/replay';
import { K1, K2, K3, NIK_56, officer, security, wib } from './fixtures';
import { MODELS } from './models';

// Two devices that edited one case merge by the union of their events in a stable order, then
// replay (DESIGN.md "Cases are journals"). Generated data only.

type Ev = Record<string, unknown> & { type: string; at: string; actor: Actor };

const pcA: Actor = { ...officer, staffId: 'officer01', deviceId: 'pc-a' };
const pcB: Actor = { ...officer, staffId: 'officer02', deviceId: 'pc-b' };
const at = (time: string) => wib('2026-03-02', time);
const e = (type: string, payload: object, time: string, actor: Actor = pcA): Ev => ({ type, at: at(time), actor, ...payload });

const jhtInput = { caseId: 'CASE-M-1', nik: NIK_56, openedAt: at('09:00'), config: DEFAULT_CASE_CONFIG };

/** A JHT claim submitted with two KPJs (both devices have it). */
const submitted: Ev[] = [
  e('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, '09:01'),
  e('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }, '09:02'),
  e('kpj.searched', { results: [K1, K2] }, '09:03'),
  e('kpj.listConfirmed', {}, '09:04'),
  e('document.presented', { documents: ['ektp', 'savingsBook', 'otherTerminationProof', 'npwp'] }, '09:05'),
  e('documents.confirmed', {}, '09:06'),
];

/** A case document as the renderer's case journal builds it: snapshot = replay of the journal. */
function caseDoc(flow: (typeof CASE_FLOWS)[number], input: Record<string, unknown>, events: Ev[], updatedAt: string, extra: Record<string, unknown> = {}): MergeableCase {
  const r = replay(CASE_MACHINES[flow], input as never, events);
  expect(r.rejected).toBeNull();
  const snapshot = storedSnapshot(r.snapshot as never);
  return {
    id: String(input.caseId),
    branchCode: 'UJI01',
    flow,
    status: snapshot.status === 'done' ? 'closed' : 'open',
    nikHash: 'a'.repeat(64),
    person: { nik: String(input.nik), name: 'Peserta Uji' },
    input,
    events,
    snapshot,
    journalLength: events.length,
    openedAt: at('09:00'),
    updatedAt,
    ...extra,
  };
}

describe('merging two journals of one case', () => {
  it('keeps a third KPJ added on one device and a resolution made on the other', () => {
    const onA = [...submitted, e('kpj.added', { record: K3 }, '09:10', pcA)];
    const onB = [...submitted, e('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }, '09:12', pcB)];
    const merged = mergeCaseJournals(CASE_MACHINES['jht-claim'], jhtInput as never, onA, onB);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.events.map((x) => x.type)).toEqual([...submitted.map((x) => x.type), 'kpj.added', 'kpj.resolved']);
    const kpjs = (merged.snapshot.context as { kpjs: { kpj: string; outcome: unknown }[] }).kpjs;
    expect(kpjs.map((k) => k.kpj)).toEqual([K1.kpj, K2.kpj, K3.kpj]);
    expect(kpjs.find((k) => k.kpj === K1.kpj)?.outcome).toEqual({ kind: 'paid' });
    expect(kpjs.find((k) => k.kpj === K3.kpj)?.outcome).toBeNull();
    // And the claim still cannot close until the third KPJ is resolved too.
    const receipt = e('receipt.issued', {}, '09:20', pcB);
    const tooEarly = mergeCaseJournals(CASE_MACHINES['jht-claim'], jhtInput as never, [...merged.events, receipt], merged.events);
    expect(tooEarly).toMatchObject({ ok: false, rejected: { reason: 'GUARD_FAILED' } });
  });

  it('is the same in either order (documents too)', () => {
    const onA = [...submitted, e('kpj.added', { record: K3 }, '09:10', pcA)];
    const onB = [...submitted, e('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }, '09:10', pcB)];
    expect(mergeCaseJournals(CASE_MACHINES['jht-claim'], jhtInput as never, onA, onB)).toEqual(
      mergeCaseJournals(CASE_MACHINES['jht-claim'], jhtInput as never, onB, onA),
    );
    const docA = caseDoc('jht-claim', jhtInput, onA, at('09:10'), { ticketId: 'T-A' });
    const docB = caseDoc('jht-claim', jhtInput, onB, at('09:11'), { ticketId: 'T-B' });
    const ab = mergeCaseDocs(docA, docB);
    expect(ab).toEqual(mergeCaseDocs(docB, docA));
    expect(ab).toMatchObject({ ok: true, doc: { journalLength: 8, updatedAt: at('09:11'), ticketId: 'T-B', status: 'open' } });
  });

  it('merging a journal or a document with itself changes nothing', () => {
    const journal = [...submitted, e('kpj.added', { record: K3 }, '09:10')];
    const r = mergeCaseJournals(CASE_MACHINES['jht-claim'], jhtInput as never, journal, journal);
    expect(r).toEqual({ ok: true, events: journal, snapshot: storedSnapshot(replay(CASE_MACHINES['jht-claim'], jhtInput as never, journal).snapshot as never) });
    const doc = caseDoc('jht-claim', jhtInput, journal, at('09:10'));
    expect(mergeCaseDocs(doc, structuredClone(doc))).toEqual({ ok: true, doc });
  });

  it('reports a union that does not replay as a conflict, and does not "fix" it', () => {
    // Both devices resolve K2, differently: each journal replays, their union does not.
    const resolveK1 = e('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }, '09:08', pcA);
    const onA = [...submitted, resolveK1, e('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'merged', into: K1.kpj } }, '09:09', pcA), e('receipt.issued', {}, '09:10', pcA)];
    const onB = [...submitted, e('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'paid' } }, '09:09', pcB), e('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'merged', into: K2.kpj } }, '09:11', pcB)];
    const r = mergeCaseJournals(CASE_MACHINES['jht-claim'], jhtInput as never, onA, onB);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rejected.reason).toMatch(/GUARD_FAILED|CASE_FINISHED/);
    // Every event of both devices is still there, for the head to decide.
    expect(r.events).toHaveLength(submitted.length + 5);
    const docs = mergeCaseDocs(caseDoc('jht-claim', jhtInput, onA, at('09:10')), caseDoc('jht-claim', jhtInput, onB, at('09:11')));
    expect(docs).toMatchObject({ ok: false, reason: 'DOES_NOT_REPLAY', rejected: { index: r.rejected.index } });
    expect(mergeCaseDocs(caseDoc('jht-claim', jhtInput, onB, at('09:11')), caseDoc('jht-claim', jhtInput, onA, at('09:10')))).toEqual(docs);
  });

  it('reports an event by a role that may not fire it as a conflict', () => {
    const bySecurity = e('kpj.added', { record: K3 }, '09:10', { ...security, deviceId: 'pc-door' });
    const r = mergeCaseJournals(CASE_MACHINES['jht-claim'], jhtInput as never, submitted, [...submitted, bySecurity]);
    expect(r).toMatchObject({ ok: false, rejected: { reason: 'ROLE_NOT_ALLOWED', index: submitted.length } });
  });

  it('refuses to merge different cases, flows, inputs, or a version flagged for the head', () => {
    const doc = caseDoc('jht-claim', jhtInput, submitted, at('09:06'));
    expect(mergeCaseDocs(doc, { ...doc, id: 'other' })).toMatchObject({ ok: false, reason: 'DIFFERENT_CASE' });
    expect(mergeCaseDocs(doc, { ...doc, flow: 'jmo-reset' })).toMatchObject({ ok: false, reason: 'UNKNOWN_FLOW' });
    expect(mergeCaseDocs(doc, { ...doc, input: { ...doc.input, caseId: 'x' } })).toMatchObject({ ok: false, reason: 'DIFFERENT_INPUT' });
    expect(mergeCaseDocs(doc, { ...doc, status: 'conflict', flag: { reason: 'x', at: at('09:07') } })).toMatchObject({ ok: false, reason: 'FLAGGED' });
  });

  it('orders events of one device that share a timestamp as that device accepted them', () => {
    const same = [e('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, '09:01'), e('cause.selected', { cause: 'age56' }, '09:01')];
    expect(unionOfJournals(same, same.slice(0, 1))).toEqual(same);
    expect(unionOfJournals(same.slice(0, 1), same)).toEqual(same);
  });
});

// ---- properties over every case flow's model ------------------------------------------------------

const CASE_MODELS = MODELS.filter((m) => (CASE_FLOWS as readonly string[]).includes(m.flow));

/** Re-stamps model events as one device's edits at increasing minutes (10:00 + offset). */
function stamp(events: readonly Ev[], minutes: readonly number[], actor: Actor): Ev[] {
  const sorted = [...minutes].sort((x, y) => x - y);
  return events.map((x, i) => ({ ...x, actor: { ...actor, role: x.actor.role }, at: wib('2026-03-02', `10:${String(sorted[i] ?? 59).padStart(2, '0')}`) }));
}

/** The part of a journal its machine accepts. */
function accepted(model: (typeof CASE_MODELS)[number], input: unknown, events: Ev[]): Ev[] {
  return events.slice(0, replay(model.machine, input as never, events).applied);
}

describe('merge properties (every case flow, generated journals)', () => {
  for (const model of CASE_MODELS) {
    it(`${model.name ?? model.flow}: commutative, idempotent, keeps every event, conflicts never "fixed"`, () => {
      const events = model.events as unknown as Ev[];
      const journal = (maxLength: number) =>
        fc
          .array(fc.constantFrom(...events), { maxLength })
          .chain((evs) => fc.tuple(fc.constant(evs), fc.array(fc.integer({ min: 0, max: 59 }), { minLength: evs.length, maxLength: evs.length })));
      fc.assert(
        fc.property(fc.constantFrom(...model.inputs), journal(6), journal(5), journal(5), (input, [pEvs, pMin], [aEvs, aMin], [bEvs, bMin]) => {
          // A shared prefix in the first minutes, then each device's own edits later.
          const prefix = accepted(model, input, stamp(pEvs, pMin.map((m) => Math.floor(m / 6)), pcA));
          const onA = accepted(model, input, [...prefix, ...stamp(aEvs, aMin.map((m) => 10 + Math.floor(m * 0.8)), pcA)]);
          const onB = accepted(model, input, [...prefix, ...stamp(bEvs, bMin.map((m) => 10 + Math.floor(m * 0.8)), pcB)]);

          const ab = mergeCaseJournals(model.machine, input as never, onA, onB);
          const ba = mergeCaseJournals(model.machine, input as never, onB, onA);
          expect(ab).toEqual(ba);

          // Nothing lost, nothing doubled: each event as often as the journal that has it most often
          // (one journal may hold the same event twice, e.g. a double click within one timestamp).
          const counts = (xs: readonly unknown[]) => {
            const m = new Map<string, number>();
            for (const x of xs) m.set(canonicalJson(x), (m.get(canonicalJson(x)) ?? 0) + 1);
            return m;
          };
          const [ca, cb] = [counts(onA), counts(onB)];
          const expected = new Map([...ca, ...cb].map(([k]) => [k, Math.max(ca.get(k) ?? 0, cb.get(k) ?? 0)]));
          expect(counts(ab.events)).toEqual(expected);

          for (const j of [onA, onB]) {
            expect(mergeCaseJournals(model.machine, input as never, j, j)).toEqual({
              ok: true,
              events: j,
              snapshot: storedSnapshot(replay(model.machine, input as never, j).snapshot as never),
            });
          }
          // A conflict is exactly a union that does not replay; a success is exactly its replay.
          const r = replay(model.machine, input as never, ab.events);
          if (ab.ok) expect(ab.snapshot).toEqual(storedSnapshot(r.snapshot as never));
          else expect(ab.rejected).toEqual(r.rejected);
        }),
        { numRuns: 150 },
      );
    });
  }
});
