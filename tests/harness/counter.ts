// The counter's speed (issue 19 pt 5): what the desk's screens do with the data layer when an
// officer opens a case and takes a JHT claim with two KPJs through every step, timed in the page.
// The same calls as renderer/src/screens/desk (OpenCaseForm, CaseView, the JHT steps), without
// React: the NIK check against the ticket, the case rules of the day, CaseJournal.open with the
// app's audit log, the case view's live document and its audited read, then per step the
// handler's `canTake`, the append, the live document's next value and each render's button checks.
import { DEFAULT_SERVICE_HOURS, type BranchProfile } from '@shared/branch/schema';
import type { Actor } from '@shared/cases/schema';
import { CaseJournal } from '../../renderer/src/data/db/case-journal';
import type { CaseDatabase } from '../../renderer/src/data/db/database';
import type { CaseDoc } from '../../renderer/src/data/db/schemas';
import { AuditLog } from '../../renderer/src/data/db/stores';
import { caseRulesNow } from '../../renderer/src/data/case-rules';
import { createNikHasher } from '../../renderer/src/data/nik-hash';
import { tryEvent } from '../../renderer/src/data/cases';
import { K1, K2, officer, wib } from '../unit/machines/fixtures';
import { BRANCH, HARNESS_KEY, JOURNEY_DAY, person } from './journey';

export interface CounterStats {
  /** One per case: from "open the case" to the case view ready with its buttons (ms). */
  openMs: number[];
  /** One per step per case, by event type, in journey order (ms). */
  steps: { type: string; ms: number[] }[];
  /** `canTake` questions per step (the handler's own plus every render's buttons). */
  checksPerStep: number;
}

const at = (time: string) => wib(JOURNEY_DAY, time);
const ev = (type: string, payload: object, time: string, actor: Actor = officer) => ({ type, at: at(time), actor, ...payload });

/** A JHT claim with two KPJs, identity to receipt (the desk sends one event per step). */
export const JHT_TWO_KPJS: readonly Record<string, unknown>[] = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, '09:31'),
  ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }, '09:32'),
  ev('kpj.searched', { results: [K1, K2] }, '09:33'),
  ev('kpj.listConfirmed', {}, '09:34'),
  ev('document.presented', { documents: ['ektp', 'savingsBook', 'otherTerminationProof', 'npwp'] }, '09:35'),
  ev('documents.confirmed', {}, '09:36'),
  ev('kpj.resolved', { kpj: K1.kpj, outcome: { kind: 'paid' } }, '09:37'),
  ev('kpj.resolved', { kpj: K2.kpj, outcome: { kind: 'merged', into: K1.kpj } }, '09:38'),
  ev('receipt.issued', {}, '09:39'),
];

/** The buttons a render of the JHT case view checks: the next step, the close panel, withdrawal, removing each KPJ. */
function buttons(next: Record<string, unknown> | undefined, time: string): Record<string, unknown>[] {
  return [
    ...(next ? [{ ...next, at: at(time) }] : []),
    ev('receipt.issued', {}, time),
    ev('case.withdrawn', {}, time),
    ev('kpj.removed', { kpj: K1.kpj }, time),
    ev('kpj.removed', { kpj: K2.kpj }, time),
  ];
}
/** Renders per step: the button's busy state on, off, and the new case document. */
const RENDERS = 3;

const branch: BranchProfile = { code: BRANCH, name: 'Cabang Uji', serviceHours: DEFAULT_SERVICE_HOURS, counters: 4 };

export async function benchCounter(db: CaseDatabase, cases: number, prefix: string): Promise<CounterStats> {
  const hashNik = await createNikHasher(HARNESS_KEY);
  const audit = new AuditLog(db.audit, `${prefix.toLowerCase()}-desk`);
  const journal = new CaseJournal(db, hashNik, BRANCH, () => new Date(at('09:30')), audit);
  const viewer = { staffId: officer.staffId, role: officer.role };
  const stats: CounterStats = { openMs: [], steps: JHT_TWO_KPJS.map((e) => ({ type: e.type as string, ms: [] })), checksPerStep: 0 };
  let checks = 0;
  const render = (doc: CaseDoc, next: Record<string, unknown> | undefined, time: string) => {
    for (const b of buttons(next, time)) {
      checks++;
      tryEvent(doc, b);
    }
  };

  for (let c = 0; c < cases; c++) {
    const id = `${prefix}-${String(c + 1).padStart(4, '0')}`;
    const who = person(9_000 + c);
    const ticketNikHash = await hashNik(who.nik);

    // Opening: OpenCaseForm's checks and CaseJournal.open, then the case view's first render.
    let t = performance.now();
    if ((await hashNik(who.nik)) !== ticketNikHash) throw new Error('NIK hash differs');
    const config = await caseRulesNow(db, branch, at('09:30'));
    await journal.open({
      id,
      flow: 'jht-claim',
      person: { nik: who.nik, name: who.name },
      input: { config, openedBy: officer.staffId, visitStartedAt: at('09:00'), recordedChecks: true },
      openedBy: viewer,
    });
    // The case view: its live document, the audited read of the person's record, the first render.
    const live = db.cases.findOne(id).$;
    const view: { doc: CaseDoc | null } = { doc: null };
    let waiting: { length: number; resolve: () => void } | null = null;
    const sub = live.subscribe((d) => {
      if (!d) return;
      const doc = d.toMutableJSON();
      view.doc = doc;
      if (waiting && doc.journalLength >= waiting.length) waiting.resolve();
    });
    const nextDoc = (length: number) =>
      new Promise<void>((resolve) => {
        if (view.doc && view.doc.journalLength >= length) return resolve();
        waiting = { length, resolve };
      });
    try {
      await nextDoc(0);
      await journal.get(id, viewer);
      render(view.doc!, JHT_TWO_KPJS[0], '09:31');
      stats.openMs.push(performance.now() - t);

      for (const [i, event] of JHT_TWO_KPJS.entries()) {
        checks = 0;
        t = performance.now();
        // The handler's check, the busy render, the append, the new document, the renders after.
        if (!tryEvent(view.doc!, event).accepted) throw new Error(`step ${i} (${String(event.type)}) not offered`);
        checks++;
        render(view.doc!, event, event.at as string);
        const r = await journal.append(id, event);
        if (!r.ok) throw new Error(`step ${i} refused: ${JSON.stringify(r.rejection)}`);
        await nextDoc(i + 1);
        for (let k = 1; k < RENDERS; k++) render(view.doc!, JHT_TWO_KPJS[i + 1], event.at as string);
        stats.steps[i]!.ms.push(performance.now() - t);
        stats.checksPerStep = Math.max(stats.checksPerStep, checks);
      }
      if (view.doc!.status !== 'closed') throw new Error(`case ${id} is ${view.doc!.status} after the journey`);
    } finally {
      sub.unsubscribe();
    }
  }
  return stats;
}
