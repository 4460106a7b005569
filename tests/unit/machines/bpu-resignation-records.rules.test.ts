import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { bpuResignationMachine, jhtClaimAfterBpu } from '@state-machines/bpu-resignation.machine';
import { replay } from '@state-machines/replay';
import { K3, ev, makeNik, officer, security, wib } from './fixtures';

/**
 * BPU resignation: identity in person, the membership as found, the stop on the day asked, every
 * billing channel stopped once with the instruction sent, and a receipt that is the person's proof.
 */
const NIK = makeNik('1988-02-14', 'female', 5);
const input = (extra: Record<string, unknown> = {}) => ({ caseId: 'BPU-7', nik: NIK, config: DEFAULT_CASE_CONFIG, ...extra });
const run = (events: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => replay(bpuResignationMachine, input(extra), events);
const at = (time: string) => wib('2026-03-02', time);
const identity = (ektpPresented: boolean, ektpMatchesNik: boolean) => ev('identity.checked', { ektpPresented, ektpMatchesNik }, officer, at('09:00'));
const member = (billingChannels: string[]) => ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels }, officer, at('09:02'));
const stop = ev('stop.recorded', { stopDate: '2026-03-02' }, officer, at('09:04'));
const billing = (channel: string, instruction: string, time = '09:06') => ev('billingStop.recorded', { channel, instruction }, officer, at(time));

describe('BPU resignation: identity in person', () => {
  it.each([
    { p: true, m: true, next: 'membership' },
    { p: false, m: true, next: 'identity' },
    { p: true, m: false, next: 'identity' },
  ])('e-KTP presented $p, matching $m → $next; the answers are recorded as given', ({ p, m, next }) => {
    const r = run([identity(p, m)]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe(next);
    expect(r.snapshot.context.identity).toStrictEqual({ ektpPresented: p, ektpMatchesNik: m });
  });

  it('the door does not check identity or membership', () => {
    expect(run([ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([identity(true, true), ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels: [] }, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([identity(true, true), ev('bpu.membershipNotFound', {}, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('BPU resignation: membership', () => {
  it('found: the KPJ and each billing channel once; not found: recorded, and the refusal facts say so', () => {
    const found = run([identity(true, true), member(['autoDebit', 'paymentApp', 'autoDebit'])]);
    expect(found.snapshot.value).toBe('stopDate');
    expect(found.snapshot.context.participantFound).toBe(true);
    expect(found.snapshot.context.membership).toStrictEqual({ kpj: K3.kpj, billingChannels: ['autoDebit', 'paymentApp'] });

    const refusalAt = at('09:05');
    const notFound = run([identity(true, true), ev('bpu.membershipNotFound', {}, officer, at('09:02')), ev('refusal.requested', { code: 'NOT_A_PARTICIPANT' }, officer, refusalAt)]);
    expect(notFound.snapshot.value).toBe('refused');
    expect(notFound.snapshot.context.refusal?.facts).toStrictEqual({
      flow: 'bpu-resignation',
      at: refusalAt,
      serviceHours: DEFAULT_CASE_CONFIG.serviceHours,
      zone: undefined,
      identity: { ektpPresented: true, ektpMatchesNik: true },
      participantFound: false,
      firstClaimDate: null,
      missingDocuments: null,
      kpjs: [],
    });
  });

  it('the stop date recorded is the request day', () => {
    const r = run([identity(true, true), member(['autoDebit']), stop]);
    expect(r.snapshot.value).toBe('billing');
    expect(r.snapshot.context.stopDate).toBe('2026-03-02');
    expect(run([identity(true, true), member(['autoDebit']), { ...stop, actor: security }]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('BPU resignation: billing channels', () => {
  const started = [identity(true, true), member(['autoDebit', 'paymentApp']), stop];

  it('each channel of the membership is stopped once, with the instruction sent and when', () => {
    const first = billing('autoDebit', 'mandat dicabut', '09:06');
    const r = run([...started, first]);
    expect(r.snapshot.value).toBe('billing');
    expect(r.snapshot.context.billingStops).toStrictEqual([{ channel: 'autoDebit', instruction: 'mandat dicabut', at: first.at }]);
    expect(run([...started, first, billing('autoDebit', 'lagi', '09:07')]).rejected?.reason).toBe('GUARD_FAILED');
    expect(run([...started, first, { ...billing('paymentApp', 'tagihan dihentikan', '09:07'), actor: security }]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    const both = run([...started, first, billing('paymentApp', 'tagihan dihentikan', '09:08')]);
    expect(both.snapshot.value).toBe('continuation');
    expect(both.snapshot.context.billingStops.map((s) => s.channel)).toEqual(['autoDebit', 'paymentApp']);
  });

  it('a membership with one channel goes on once that channel is stopped', () => {
    const r = run([identity(true, true), member(['paymentApp']), stop, billing('paymentApp', 'tagihan dihentikan')]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('continuation');
  });

  it('with no billing channel there is nothing to stop', () => {
    expect(run([identity(true, true), member([]), stop]).snapshot.value).toBe('continuation');
  });
});

describe('BPU resignation: the receipt', () => {
  const receipt = (events: Array<Record<string, unknown>>) => {
    const r = run(events);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('closed');
    return r.snapshot.context.receipt!;
  };
  const issued = ev('receipt.issued', {}, officer, at('09:20'));

  it('without billing channels: the KPJ, the stop date, no channel, and no JHT claim when declined', () => {
    const r = receipt([identity(true, true), member([]), stop, ev('jht.declined', {}, officer, at('09:10')), issued]);
    expect(r).toMatchObject({ caseId: 'BPU-7', flow: 'bpu-resignation', kind: 'completion', issuedAt: issued.at, issuedBy: officer.staffId });
    expect(r.nextStep.id).toBe(
      `Kepesertaan BPU (KPJ ${K3.kpj}) berhenti per 2026-03-02. Tagihan dihentikan: -. Tagihan setelah tanggal ini adalah kesalahan BPJS Ketenagakerjaan dan akan dikembalikan; laporkan lewat kanal pengaduan.`,
    );
    expect(r.nextStep.en).toBe(
      `BPU membership (KPJ ${K3.kpj}) stopped as of 2026-03-02. Billing stopped: -. Any billing after this date is the agency's error and will be refunded; report it through a complaint channel.`,
    );
  });

  it('with channels stopped and the claim continued: each channel with its instruction, and the claim today', () => {
    const events = [identity(true, true), member(['autoDebit', 'other']), stop, billing('autoDebit', 'mandat dicabut', '09:06'), billing('other', 'surat ke bank', '09:07')];
    const r = receipt([...events, ev('jht.continued', {}, officer, at('09:10')), issued]);
    expect(r.nextStep.id).toContain('Tagihan dihentikan: autodebet (mandat dicabut), kanal lain (surat ke bank).');
    expect(r.nextStep.id.endsWith(' Klaim JHT Anda dilanjutkan hari ini.')).toBe(true);
    expect(r.nextStep.en).toContain('Billing stopped: auto-debit (mandat dicabut), other channel (surat ke bank).');
    expect(r.nextStep.en.endsWith(' Your JHT claim continues today.')).toBe(true);
  });

  it('is issued by a case worker only, after the continuation is decided', () => {
    const ready = [identity(true, true), member([]), stop, ev('jht.declined', {}, officer, at('09:10'))];
    expect(run([...ready, { ...issued, actor: security }]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([identity(true, true), member([]), stop, ev('jht.continued', {}, security, at('09:10'))]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([identity(true, true), member([]), stop, ev('jht.declined', {}, security, at('09:10'))]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    const declined = run(ready);
    expect(declined.snapshot.value).toBe('receiptPending');
    expect(declined.snapshot.context.continueIntoJht).toBe(false);
    expect(run([identity(true, true), member([]), stop, ev('jht.continued', {}, officer, at('09:10'))]).snapshot.context.continueIntoJht).toBe(true);
  });
});

describe('BPU resignation → JHT claim in the same visit (jhtClaimAfterBpu)', () => {
  it('carries the visit start, the recorded-checks mark and the verified identity', () => {
    const visitStartedAt = at('08:50');
    const r = run([identity(true, true), member([]), stop], { visitStartedAt, recordedChecks: true });
    const next = jhtClaimAfterBpu(r.snapshot.context, 'JHT-8', at('09:30'));
    expect(next).toStrictEqual({
      input: {
        caseId: 'JHT-8',
        nik: NIK,
        openedAt: at('09:30'),
        config: DEFAULT_CASE_CONFIG,
        visitStartedAt,
        recordedChecks: true,
        prefill: { identity: { ektpPresented: true, ektpMatchesNik: true } },
      },
      cause: { cause: 'bpuStoppedWorking', effectiveDate: '2026-03-02' },
    });
  });

  it('adds none of them to a case that did not have them', () => {
    const fresh = run([]).snapshot.context;
    expect(jhtClaimAfterBpu(fresh, 'JHT-9', at('09:30'))).toStrictEqual({
      input: { caseId: 'JHT-9', nik: NIK, openedAt: at('09:30'), config: DEFAULT_CASE_CONFIG },
      cause: { cause: 'bpuStoppedWorking', effectiveDate: null },
    });
  });
});

describe('BPU resignation: the receipt of a case opened under recorded checks', () => {
  it('gives the stop date in words, in each language', () => {
    const r = run(
      [identity(true, true), member([]), stop, ev('jht.declined', {}, officer, at('09:10')), ev('receipt.issued', {}, officer, at('09:20'))],
      { recordedChecks: true },
    );
    expect(r.snapshot.value).toBe('closed');
    expect(r.snapshot.context.receipt?.nextStep.id).toContain('berhenti per Senin, 2 Maret 2026. Tagihan');
    expect(r.snapshot.context.receipt?.nextStep.en).toContain('stopped as of Monday 2 March 2026. Billing');
  });
});
