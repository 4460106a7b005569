import { describe, expect, it } from 'vitest';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import { checkRecord } from '@shared/records';

describe('withoutBookkeeping', () => {
  const stored = {
    id: 'a-1', deviceId: 'PC-1', seq: 1, at: '2026-03-01T01:00:00.000Z', actor: { staffId: 's1', role: 'officer', _note: 'nested stays' },
    action: 'ticket.issue', subject: { kind: 'ticket', id: 't-1' }, details: {}, prevHash: '0'.repeat(64), hash: '1'.repeat(64),
    _deleted: false, _rev: '1-abc', _meta: { lwt: 1 }, _attachments: {},
  };

  it("drops RxDB's four fields and nothing else, nested objects untouched", () => {
    const content = withoutBookkeeping(stored);
    expect(Object.keys(content).sort()).toEqual(['action', 'actor', 'at', 'details', 'deviceId', 'hash', 'id', 'prevHash', 'seq', 'subject']);
    expect(content.actor).toBe(stored.actor);
    expect(stored).toHaveProperty('_rev');
  });

  it('copies a parsed "__proto__" key as a field, never as the copy\'s prototype (as HQ validated it before)', () => {
    const parsed = JSON.parse('{"id":"t-1","__proto__":{"polluted":true},"_rev":"1-a"}') as Record<string, unknown>;
    const content = withoutBookkeeping(parsed);
    expect(Object.keys(content)).toEqual(['id', '__proto__']);
    expect(Object.getPrototypeOf(content)).toBe(Object.prototype);
    expect((content as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('leaves a record the schema accepts (which refuses the bookkeeping fields)', () => {
    expect(checkRecord('audit', stored).ok).toBe(false);
    expect(checkRecord('audit', withoutBookkeeping(stored))).toEqual({ ok: true });
  });
});
