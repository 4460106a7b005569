import { afterEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import type { CaseFlow } from '@shared/cases/schema';
import { CaseJournal } from '../../../renderer/src/data/db/case-journal';
import type { LoketDatabase } from '../../../renderer/src/data/db/database';
import type { CaseDoc } from '../../../renderer/src/data/db/schemas';
import { tryEvent } from '../../../renderer/src/data/cases';
import { createNikHasher } from '../../../renderer/src/data/nik-hash';
import { bpuResignationMachine, jhtClaimMachine, jmoResetMachine, replay, storedSnapshot, CASE_MACHINES } from '@state-machines';
import { K1, K2, makeNik, officer, security, wib } from '../machines/fixtures';
import { openTestDb, TEST_KEY, uniqueName } from './db-helpers';

// One case engine (issue 19 pt 1): "can the case take this event?" is answered from the stored
// snapshot without replaying the journal, and an append replays the journal exactly once. A replay
// always starts from the machine's initial snapshot, so counting `getInitialSnapshot` counts replays.

const at = (time: string) => wib('2026-03-02', time);
const ev = (type: string, payload: object, time: string, actor = officer) => ({ type, at: at(time), actor, ...payload });
const NIK = makeNik('1985-04-12', 'female', 42);
const person = { nik: NIK, name: 'Peserta Uji Dua', phone: '081234567890' };

/** A JHT claim with two KPJs, from identity to the receipt, as the desk sends it. */
const jhtJourney = [
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
const resetJourney = [
  ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, '09:31'),
  ev('contact.updated', { email: 'peserta.uji@example.org', phone: '081234567890' }, '09:32'),
  ev('reset.requested', {}, '09:33'),
  ev('reset.confirmed', {}, '09:34'),
  ev('receipt.issued', {}, '09:35'),
];
const input = { openedAt: at('09:30'), config: DEFAULT_CASE_CONFIG, visitStartedAt: at('09:00'), recordedChecks: true as const };

let spies: MockInstance[] = [];
/** Starts counting replays of every case machine. */
function countReplays(): () => number {
  spies = [jhtClaimMachine, bpuResignationMachine, jmoResetMachine].map((m) => vi.spyOn(m, 'getInitialSnapshot'));
  return () => spies.reduce((n, s) => n + s.mock.calls.length, 0);
}

const dbs: LoketDatabase[] = [];
afterEach(async () => {
  for (const s of spies.splice(0)) s.mockRestore();
  for (const db of dbs.splice(0)) if (!db.closed) await db.close();
});

async function journalWith(flow: CaseFlow, id: string) {
  const db = await openTestDb(uniqueName());
  dbs.push(db);
  const journal = new CaseJournal(db, await createNikHasher(TEST_KEY), 'UJI01', () => new Date(at('09:30')));
  await journal.open({ id, flow, person, input: { config: DEFAULT_CASE_CONFIG, visitStartedAt: at('09:00'), recordedChecks: true } });
  return journal;
}

describe('one case engine: replays', () => {
  it('asking whether a case can take an event replays nothing', async () => {
    const journal = await journalWith('jht-claim', 'CASE-UJI-ENG-1');
    for (const e of jhtJourney.slice(0, 3)) expect((await journal.append('CASE-UJI-ENG-1', e)).ok).toBe(true);
    const doc = (await journal.get('CASE-UJI-ENG-1'))!;
    const replays = countReplays();
    expect(tryEvent(doc, jhtJourney[3]!).accepted).toBe(true);
    expect(tryEvent(doc, jhtJourney[5]!).accepted).toBe(false);
    expect(tryEvent(doc, ev('refusal.requested', { code: 'DOCUMENT_MISSING' }, '09:40')).accepted).toBe(true);
    expect(tryEvent(doc, ev('case.withdrawn', {}, '09:40')).value).toBe('withdrawn');
    expect(replays()).toBe(0);
  });

  it('each append replays the journal once', async () => {
    const journal = await journalWith('jht-claim', 'CASE-UJI-ENG-2');
    const replays = countReplays();
    for (const [i, e] of jhtJourney.entries()) {
      const r = await journal.append('CASE-UJI-ENG-2', e);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(replays()).toBe(i + 1);
    }
    const refused = await journal.append('CASE-UJI-ENG-2', ev('case.withdrawn', {}, '09:45'));
    expect(refused.ok).toBe(false);
    expect(replays()).toBe(jhtJourney.length);
  });
});

/** What a full replay of journal + event says, as the desk showed it before the engine. */
function fullReplayVerdict(flow: CaseFlow, caseInput: Record<string, unknown>, events: unknown[], event: unknown) {
  const r = replay(CASE_MACHINES[flow], caseInput as never, [...events, event]);
  return { accepted: r.rejected === null, value: r.snapshot.value as unknown, detail: r.rejected ? `${r.rejected.reason}: ${r.rejected.detail}` : null };
}

describe('one case engine: the answer from the stored snapshot is the replay\'s answer', () => {
  const candidates = (journey: Record<string, unknown>[], last: string) => [
    ...journey,
    ...journey.map((e) => ({ ...e, at: at(last) })),
    ...journey.map((e) => ({ ...e, actor: security, at: at(last) })),
    { ...journey[0]!, at: at('09:00') }, // before the previous event
    { type: 'identity.checked', at: at(last), actor: officer }, // fails the event schema
    ev('refusal.requested', { code: 'DOCUMENT_MISSING' }, last),
    ev('refusal.requested', { code: 'INVENTED' }, last),
    ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '09:00' } }, last),
    ev('transfer.requested', { targetBranch: 'SBY01', reason: 'PERSON_REQUESTED', slaDeadline: wib('2026-03-03', '15:00') }, last),
    ev('transfer.requested', { targetBranch: 'SBY01', reason: 'OFFICER_WANTS', slaDeadline: wib('2026-03-03', '15:00') }, last),
    ev('case.withdrawn', {}, last),
    ev('case.withdrawn', {}, last, security),
  ];
  it.each([
    { flow: 'jht-claim' as const, journey: jhtJourney },
    { flow: 'jmo-reset' as const, journey: resetJourney },
  ])('$flow: every prefix of the journey, every candidate event', ({ flow, journey }) => {
    const caseInput = { ...input, caseId: 'CASE-UJI-EQ', nik: NIK };
    for (let n = 0; n <= journey.length; n++) {
      const events = journey.slice(0, n);
      const r = replay(CASE_MACHINES[flow], caseInput as never, events);
      const doc = { id: 'CASE-UJI-EQ', flow, input: caseInput, events, snapshot: storedSnapshot(r.snapshot as never), journalLength: n } as unknown as CaseDoc;
      for (const e of candidates(journey, '09:50')) {
        const mine = tryEvent(doc, e);
        expect({ accepted: mine.accepted, value: mine.value, detail: mine.detail }, `${n} events, then ${JSON.stringify(e)}`).toEqual(fullReplayVerdict(flow, caseInput, events, e));
      }
    }
  });
});
