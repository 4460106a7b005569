// The page of audit flags a PC reads from HQ (shared/sync/audit-flags.ts) across versions: a kind
// a newer HQ added is read as 'other' with HQ's wording, so an older PC still shows the page; any
// other malformed field still refuses it.
import { describe, expect, it } from 'vitest';
import { AuditFlagPage } from '@shared/sync/audit-flags';

const flag = (over: Record<string, unknown> = {}) => ({
  flagId: 7,
  kind: 'notStaff',
  deviceId: '11111111-1111-4111-8111-111111111111',
  chain: 'renderer',
  seq: 3,
  subject: 'orang.lain',
  date: null,
  reason: 'actor orang.lain is not staff of branch X01',
  flaggedAt: '2026-03-02T04:00:00.000Z',
  ...over,
});

describe('a page of audit flags from HQ', () => {
  it('keeps the kinds this version knows', () => {
    expect(AuditFlagPage.parse({ flags: [flag()], next: null }).flags[0]!.kind).toBe('notStaff');
  });

  it('reads a kind it does not know as other, keeping HQ’s wording and the rest of the page', () => {
    const page = AuditFlagPage.parse({ flags: [flag({ kind: 'staleSignature', reason: 'a newer check' }), flag({ flagId: 6 })], next: 6 });
    expect(page.flags.map((f) => [f.kind, f.reason])).toEqual([
      ['other', 'a newer check'],
      ['notStaff', 'actor orang.lain is not staff of branch X01'],
    ]);
  });

  it('still refuses a page whose other fields are wrong', () => {
    expect(AuditFlagPage.safeParse({ flags: [flag({ seq: 'three' })], next: null }).success).toBe(false);
    expect(AuditFlagPage.safeParse({ flags: [flag({ chain: 'elsewhere' })], next: null }).success).toBe(false);
  });
});
