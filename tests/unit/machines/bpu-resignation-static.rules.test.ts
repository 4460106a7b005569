import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { bpuResignationMachine } from '@state-machines/bpu-resignation.machine';
import { replay } from '@state-machines/replay';
import { K3, ev, makeNik, officer, wib } from './fixtures';
import { runLive } from './static-rules-helpers';

// Boundary tests for the BPU resignation's module-load configuration (Stryker's static mutants,
// issue 16): the words the receipt gives each billing channel, in each language; the completion
// receipt printed once and the case closed for good; the case rules the case was opened with.
// Through the machine's public interface (a live actor or a replayed journal).

const at = (time: string) => wib('2026-03-02', time);
const input = { caseId: 'BPU-STATIC-1', nik: makeNik('1987-09-21', 'male', 6), config: DEFAULT_CASE_CONFIG };

describe('BPU resignation: each billing channel by name on the receipt (static mutants)', () => {
  it('auto-debit, payment app and other channel, each with its instruction, in Indonesian and English', () => {
    const r = replay(bpuResignationMachine, input, [
      ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, officer, at('09:00')),
      ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels: ['autoDebit', 'paymentApp', 'other'] }, officer, at('09:02')),
      ev('stop.recorded', { stopDate: '2026-03-02' }, officer, at('09:04')),
      ev('billingStop.recorded', { channel: 'paymentApp', instruction: 'langganan dibatalkan' }, officer, at('09:05')),
      ev('billingStop.recorded', { channel: 'autoDebit', instruction: 'mandat dicabut' }, officer, at('09:06')),
      ev('billingStop.recorded', { channel: 'other', instruction: 'surat ke bank' }, officer, at('09:07')),
      ev('jht.declined', {}, officer, at('09:10')),
      ev('receipt.issued', {}, officer, at('09:20')),
    ]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('closed');
    const next = r.snapshot.context.receipt!.nextStep;
    expect(next.id).toContain('Tagihan dihentikan: aplikasi pembayaran (langganan dibatalkan), autodebet (mandat dicabut), kanal lain (surat ke bank).');
    expect(next.en).toContain('Billing stopped: payment app (langganan dibatalkan), auto-debit (mandat dicabut), other channel (surat ke bank).');
  });
});

describe('BPU resignation: the completion (static mutants)', () => {
  const steps = [
    ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true }, officer, at('09:00')),
    ev('bpu.membershipConfirmed', { kpj: K3.kpj, billingChannels: [] }, officer, at('09:02')),
    ev('stop.recorded', { stopDate: '2026-03-02' }, officer, at('09:04')),
    ev('jht.declined', {}, officer, at('09:10')),
  ];
  const issued = ev('receipt.issued', {}, officer, at('09:20'));

  /** Runs the events on a live actor, counting the receipt prints. */
  const live = (events: Array<Record<string, unknown>>) => runLive((printReceipt) => createActor(bpuResignationMachine.provide({ actions: { printReceipt } }), { input }), events);

  it('the receipt is printed once, when it is issued, and closes the case', () => {
    expect(live(steps)).toMatchObject({ value: 'receiptPending', status: 'active', printed: 0 });
    const r = live([...steps, issued]);
    expect(r).toMatchObject({ value: 'closed', status: 'done', printed: 1 });
    expect(r.receipt).toMatchObject({ kind: 'completion' });
  });

  it('a closed case takes nothing more', () => {
    const r = replay(bpuResignationMachine, input, [...steps, issued, ev('jht.continued', {}, officer, at('09:30'))]);
    expect(r.snapshot.status).toBe('done');
    expect(r.rejected).toMatchObject({ index: 5, reason: 'CASE_FINISHED' });
  });
});

describe('BPU resignation: the branch’s case rules (static mutants)', () => {
  const saturday = wib('2026-03-07', '10:00');
  const refuse = ev('refusal.requested', { code: 'OUTSIDE_SERVICE_HOURS', appointment: { date: '2026-03-09', time: '10:00' } }, officer, saturday);

  it('a case opened with the branch’s config is judged on it: a branch open on Saturday cannot refuse on Saturday', () => {
    const config = { ...DEFAULT_CASE_CONFIG, serviceHours: { ...DEFAULT_CASE_CONFIG.serviceHours, sat: { open: '08:00', close: '12:00' } } };
    const r = replay(bpuResignationMachine, { ...input, config }, [refuse]);
    expect(r.snapshot.value).toBe('identity');
    expect(r.snapshot.context.config).toBe(config);
  });

  it('a case opened without a config takes the default rules: closed on Saturday', () => {
    const r = replay(bpuResignationMachine, { caseId: input.caseId, nik: input.nik }, [refuse]);
    expect(r.snapshot.value).toBe('refused');
    expect(r.snapshot.context.config).toStrictEqual(DEFAULT_CASE_CONFIG);
  });
});
