import { describe, expect, it } from 'vitest';
import { DEFAULT_CASE_CONFIG } from '@shared/cases/config';
import { jmoResetMachine } from '@state-machines/jmo-reset.machine';
import { replay } from '@state-machines/replay';
import { ev, makeNik, officer, security, wib } from './fixtures';

/**
 * JMO reset: identity is verified in person (e-KTP presented, matching the NIK, KPJ of the NIK),
 * each answer is recorded as given (never presumed), and the receipt names where the link went.
 */
const input = (extra: Record<string, unknown> = {}) => ({ caseId: 'JMO-9', nik: makeNik('1991-08-17', 'female', 4), config: DEFAULT_CASE_CONFIG, ...extra });
const run = (events: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => replay(jmoResetMachine, input(extra), events);
const check = (answers: { ektpPresented: boolean; ektpMatchesNik: boolean; kpjMatchesNik?: boolean }, at = wib('2026-03-02', '09:00')) =>
  ev('identity.checked', answers, officer, at);
const contact = ev('contact.updated', { email: 'peserta.jmo@example.com', phone: '081298765432' }, officer, wib('2026-03-02', '09:05'));

describe('JMO reset: identity in person', () => {
  it.each([
    { answers: { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, next: 'contact' },
    { answers: { ektpPresented: false, ektpMatchesNik: true, kpjMatchesNik: true }, next: 'identity' },
    { answers: { ektpPresented: true, ektpMatchesNik: false, kpjMatchesNik: true }, next: 'identity' },
    { answers: { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false }, next: 'identity' },
    { answers: { ektpPresented: true, ektpMatchesNik: true }, next: 'identity' },
    { answers: { ektpPresented: false, ektpMatchesNik: false, kpjMatchesNik: false }, next: 'identity' },
  ])('$answers → $next', ({ answers, next }) => {
    const r = run([check(answers)]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe(next);
  });

  it('with recorded checks each answer is kept as given; an unanswered KPJ check stays unanswered', () => {
    const rc = { recordedChecks: true };
    expect(run([check({ ektpPresented: true, ektpMatchesNik: false, kpjMatchesNik: true })], rc).snapshot.context.identity).toStrictEqual({
      ektpPresented: true,
      ektpMatchesNik: false,
      kpjMatchesNik: true,
    });
    expect(run([check({ ektpPresented: false, ektpMatchesNik: true, kpjMatchesNik: false })], rc).snapshot.context.identity).toStrictEqual({
      ektpPresented: false,
      ektpMatchesNik: true,
      kpjMatchesNik: false,
    });
    expect(run([check({ ektpPresented: true, ektpMatchesNik: true })], rc).snapshot.context.identity).toStrictEqual({ ektpPresented: true, ektpMatchesNik: true });
  });

  it('cases opened before recorded checks replay as they did: an unanswered KPJ check counted as failed', () => {
    expect(run([check({ ektpPresented: true, ektpMatchesNik: true })]).snapshot.context.identity).toStrictEqual({ ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: false });
    expect(run([check({ ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true })]).snapshot.context.identity).toStrictEqual({
      ektpPresented: true,
      ektpMatchesNik: true,
      kpjMatchesNik: true,
    });
  });

  it('an identity refusal carries the identity as recorded, and the flow’s own facts', () => {
    const at = wib('2026-03-02', '09:10');
    const r = run([check({ ektpPresented: true, ektpMatchesNik: false, kpjMatchesNik: true }), ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' }, officer, at)], { recordedChecks: true });
    expect(r.snapshot.value).toBe('refused');
    expect(r.snapshot.context.refusal?.facts).toStrictEqual({
      flow: 'jmo-reset',
      at,
      serviceHours: DEFAULT_CASE_CONFIG.serviceHours,
      zone: undefined,
      identity: { ektpPresented: true, ektpMatchesNik: false, kpjMatchesNik: true },
      participantFound: null,
      firstClaimDate: null,
      missingDocuments: null,
      kpjs: [],
    });
  });

  it('with recorded checks, an unanswered KPJ check is not a failure to refuse on', () => {
    const r = run([check({ ektpPresented: true, ektpMatchesNik: true }), ev('refusal.requested', { code: 'IDENTITY_NOT_VERIFIED' })], { recordedChecks: true });
    expect(r.snapshot.value).toBe('identity');
    expect(r.snapshot.context.invalidRefusals.map((a) => a.why)).toEqual(['GUARD_NOT_HELD']);
  });

  it('the door does not check identity for a reset', () => {
    expect(run([ev('identity.checked', { ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true }, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
  });
});

describe('JMO reset: contact, reset and receipt', () => {
  const verified = check({ ektpPresented: true, ektpMatchesNik: true, kpjMatchesNik: true });
  const requested = ev('reset.requested', {}, officer, wib('2026-03-02', '09:06'));
  const confirmed = ev('reset.confirmed', {}, officer, wib('2026-03-02', '09:08'));
  const issued = ev('receipt.issued', {}, officer, wib('2026-03-02', '09:09'));

  it('records the contact, when the reset was asked and confirmed, and a receipt naming where the link went', () => {
    const r = run([verified, contact, requested, confirmed, issued]);
    expect(r.rejected).toBeNull();
    expect(r.snapshot.value).toBe('closed');
    const c = r.snapshot.context;
    expect(c.contact).toStrictEqual({ email: 'peserta.jmo@example.com', phone: '081298765432' });
    expect(c.resetRequestedAt).toBe(requested.at);
    expect(c.resetConfirmedAt).toBe(confirmed.at);
    expect(c.receipt).toMatchObject({ caseId: 'JMO-9', flow: 'jmo-reset', kind: 'completion', issuedAt: issued.at, issuedBy: officer.staffId });
    expect(c.receipt?.nextStep).toStrictEqual({
      id: 'Akun JMO Anda telah direset. Tautan masuk dikirim ke peserta.jmo@example.com dan 081298765432.',
      en: 'Your JMO account was reset. The sign-in link was sent to peserta.jmo@example.com and 081298765432.',
    });
    expect(c.receipt?.complaintChannels).toEqual(DEFAULT_CASE_CONFIG.receipt.complaintChannels);
  });

  it('each step is the case worker’s and in order', () => {
    expect(run([verified, ev('contact.updated', { email: 'peserta.jmo@example.com', phone: '081298765432' }, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([verified, contact, ev('reset.requested', {}, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([verified, contact, requested, ev('reset.confirmed', {}, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([verified, contact, requested, confirmed, ev('receipt.issued', {}, security)]).rejected?.reason).toBe('ROLE_NOT_ALLOWED');
    expect(run([verified, contact, confirmed]).rejected?.reason).toBe('NOT_EXPECTED_IN_STATE');
    const before = run([verified, contact, requested, confirmed]);
    expect(before.snapshot.value).toBe('receiptPending');
    expect(before.snapshot.context.receipt).toBeNull();
  });
});
