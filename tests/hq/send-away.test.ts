import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqErrorBody } from '@shared/sync/protocol';
import { CASE_MACHINES, replay, storedSnapshot } from '@state-machines';
import { K3, makeNik, officer, wib } from '../unit/machines/fixtures';
import { branchCaseConfig, branchNikHash, ticket, twoBranches } from './helpers';
import type { Hq, TestDevice } from './helpers';

// Issue 16, points 1, 2 and 11, at HQ on real PostgreSQL: a journal that breaks the rule is refused
// by replay (the device's snapshot says "refused", HQ's replay through the same machine does not),
// and a case on a NIK that fails validation cannot start. Generated people only.

let hq: Hq;
let a: string;
let devA: TestDevice;
const NIK = makeNik('1966-04-12', 'male', 61);

beforeAll(async () => {
  ({ hq, a, devA } = await twoBranches('send-away'));
});
afterAll(async () => {
  await hq.close();
});

type Doc = Record<string, unknown>;
const DAY = '2026-03-02'; // Monday, default hours 08:00–15:00
const ev = (type: string, payload: object, time: string) => ({ type, at: wib(DAY, time), actor: officer, ...payload });

/**
 * A case as a device builds it; `forgeFrom` is the input the (dishonest or outdated) device replayed
 * to get the snapshot it pushes, while the stored input is `input`.
 */
async function caseDoc(
  flow: 'jht-claim' | 'jmo-reset',
  o: { openedAt: string; extra?: Doc; events: Array<Doc & { at: string }>; forgeFrom?: Doc; nik?: string; ticketId?: string },
): Promise<Doc> {
  const id = `${a}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const nik = o.nik ?? NIK;
  const input: Doc = { openedAt: o.openedAt, caseId: id, nik, config: branchCaseConfig(a), ...o.extra };
  const r = replay(CASE_MACHINES[flow], { ...input, ...o.forgeFrom }, o.events);
  if (r.rejected) throw new Error(`fixture does not replay: ${r.rejected.reason} ${r.rejected.detail}`);
  const snapshot = storedSnapshot(r.snapshot as never) as unknown as Doc;
  return {
    id,
    branchCode: a,
    flow,
    ...(o.ticketId !== undefined ? { ticketId: o.ticketId } : {}),
    status: (snapshot.status as string) === 'done' ? 'closed' : 'open',
    nikHash: await branchNikHash(hq.db, a, o.nik ?? NIK),
    person: { nik, name: 'Peserta Uji Kunjungan' },
    input,
    events: o.events,
    snapshot,
    journalLength: o.events.length,
    openedAt: o.openedAt,
    updatedAt: o.events.at(-1)?.at ?? o.openedAt,
  };
}

async function push(doc: Doc): Promise<{ status: number; reason?: string }> {
  const res = await hq.app.inject({ method: 'POST', url: '/v1/sync/cases/push', headers: devA.auth, payload: [{ assumedMasterState: null, newDocumentState: doc }] });
  if (res.statusCode === 200) return { status: 200 };
  const body = HqErrorBody.parse(res.json());
  return { status: res.statusCode, reason: (body.error.details as { rejected: { reason: string }[] }).rejected[0]?.reason };
}

const outsideHours = (time: string) => ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-03', time: '09:00' } }, time);

describe('HQ replays issue 16’s rules', () => {
  it('refuses an OUTSIDE_SERVICE_HOURS refusal for a ticket taken at 14:57 and called at 15:02; accepts one for a visit begun at 15:01', async () => {
    const forged = await caseDoc('jmo-reset', {
      openedAt: wib(DAY, '15:02'),
      extra: { visitStartedAt: wib(DAY, '14:57'), recordedChecks: true },
      forgeFrom: { visitStartedAt: undefined },
      events: [outsideHours('15:03')],
    });
    expect((forged.snapshot as { value: string }).value).toBe('refused');
    const r = await push(forged);
    expect(r.status).toBe(422);
    expect(r.reason).toMatch(/^snapshot: differs from the replay of the journal/);

    const late = await caseDoc('jmo-reset', { openedAt: wib(DAY, '15:05'), extra: { visitStartedAt: wib(DAY, '15:01'), recordedChecks: true }, events: [outsideHours('15:06')] });
    expect((late.snapshot as { value: string }).value).toBe('refused');
    expect((await push(late)).status).toBe(200);
  });

  it('refuses a DOCUMENT_MISSING refusal made the moment the documents step opened (nothing recorded as not presented)', async () => {
    const toDocuments = [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, '09:12'),
      ev('cause.selected', { cause: 'resignation', effectiveDate: '2026-01-15' }, '09:13'),
      ev('kpj.searched', { results: [K3] }, '09:14'),
      ev('kpj.listConfirmed', {}, '09:15'),
    ];
    const extra = { visitStartedAt: wib(DAY, '09:00'), recordedChecks: true };
    const presumed = await caseDoc('jht-claim', {
      openedAt: wib(DAY, '09:10'),
      extra,
      forgeFrom: { recordedChecks: undefined },
      events: [...toDocuments, ev('refusal.requested', { code: 'DOCUMENT_MISSING' }, '09:16')],
    });
    expect((presumed.snapshot as { value: string }).value).toBe('refused');
    const r = await push(presumed);
    expect(r.status).toBe(422);
    expect(r.reason).toMatch(/^snapshot: differs from the replay of the journal/);

    const recorded = await caseDoc('jht-claim', {
      openedAt: wib(DAY, '09:10'),
      extra,
      events: [...toDocuments, ev('document.notPresented', { documents: ['terminationProof'] }, '09:16'), ev('refusal.requested', { code: 'DOCUMENT_MISSING' }, '09:17')],
    });
    expect((recorded.snapshot as { value: string }).value).toBe('refused');
    expect((await push(recorded)).status).toBe(200);
  });

  it.each([
    { nik: '3171013202660001', label: '32 February' },
    { nik: '9971011204660001', label: 'unknown province' },
    { nik: '3171011204660000', label: 'serial 0000' },
  ])('refuses a case on a NIK that fails validation ($label): the machine cannot start', async ({ nik }) => {
    const doc = await caseDoc('jmo-reset', { openedAt: wib(DAY, '09:10'), events: [], forgeFrom: { nik: NIK } });
    doc.person = { nik, name: 'Peserta Uji Kunjungan' };
    doc.input = { ...(doc.input as Doc), nik };
    doc.nikHash = await branchNikHash(hq.db, a, nik);
    (doc.snapshot as { context: Doc }).context.nik = nik;
    const r = await push(doc);
    expect(r.status).toBe(422);
    expect(r.reason).toBe('journal: the machine cannot start from this input (InvalidNikError)');
  });

  describe('the visit start a case claims (input.visitStartedAt)', () => {
    const iso = (time: string) => new Date(wib(DAY, time)).toISOString();
    async function pushTicket(issuedAt: string): Promise<string> {
      const id = randomUUID();
      const res = await hq.app.inject({
        method: 'POST',
        url: '/v1/sync/tickets/push',
        headers: devA.auth,
        payload: [{ assumedMasterState: null, newDocumentState: ticket(a, id, { day: DAY, issuedAt, updatedAt: issuedAt, history: [{ status: 'waiting', at: issuedAt }] }) }],
      });
      expect(res.statusCode).toBe(200);
      return id;
    }
    const visit = (time: string) => ({ visitStartedAt: wib(DAY, time), recordedChecks: true });

    it('refuses a visit start earlier than its ticket was issued (an arrival moved back into service hours)', async () => {
      const ticketId = await pushTicket(iso('15:01'));
      const doc = await caseDoc('jmo-reset', { openedAt: wib(DAY, '15:05'), extra: visit('14:59'), ticketId, events: [] });
      const r = await push(doc);
      expect(r.status).toBe(422);
      expect(r.reason).toBe("visitStartedAt: earlier than its ticket's issuedAt (the visit began when the ticket was taken)");
    });

    it('refuses a visit start after the case was opened', async () => {
      const doc = await caseDoc('jmo-reset', { openedAt: wib(DAY, '09:10'), extra: visit('09:11'), events: [] });
      const r = await push(doc);
      expect(r.status).toBe(422);
      expect(r.reason).toBe('visitStartedAt: after the case was opened (openedAt)');
    });

    it("accepts the ticket's own issue time, and a visit start whose ticket HQ does not hold yet", async () => {
      const ticketId = await pushTicket(iso('14:57'));
      const exact = await caseDoc('jmo-reset', { openedAt: wib(DAY, '15:02'), extra: { ...visit('14:57'), visitStartedAt: iso('14:57') }, ticketId, events: [] });
      expect((await push(exact)).status).toBe(200);
      const unknownTicket = await caseDoc('jmo-reset', { openedAt: wib(DAY, '15:02'), extra: visit('14:57'), ticketId: randomUUID(), events: [] });
      expect((await push(unknownTicket)).status).toBe(200);
    });
  });
});
