import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256Hex } from '../../hq/validate';
import { appendEntry, type AuditEntry } from '@shared/audit/chain';
import { fingerprint } from '@shared/sync/fingerprint';
import { ticket } from './helpers';
import { branchWithHub, fresh } from './hub-helpers';
import type { Branch } from './hub-helpers';

// Issue 17 pt 7: a record the hub relayed but HQ refused (kept in HQ's quarantine) must not stay
// "shared in the branch" on the PC for ever. The hub keeps HQ's refusal and reason per record
// version; when the PC asks which of its records HQ holds (POST /v1/hub/at-hq) the hub answers that
// version as refused, with HQ's reason, and never as held by HQ. An edit is new content: not refused.

let br: Branch;
beforeAll(async () => {
  br = await branchWithHub('hub_refused_relay');
}, 180_000);
afterAll(async () => {
  await br?.close();
});

const fpOf = (doc: Record<string, unknown>) => fingerprint({ ...doc, _deleted: false });
const ask = (collection: string, records: { id: string; fp: string }[]) => br.atHub(br.pc1, 'POST', '/v1/hub/at-hq', { collection, records });

async function brokenAuditEntry(deviceId: string): Promise<Record<string, unknown>> {
  const out: AuditEntry[] = [];
  for (let i = 0; i < 3; i++) {
    out.push(
      await appendEntry(nodeSha256Hex, out.at(-1) ?? null, {
        deviceId,
        at: `2026-03-02T09:1${i}:00+07:00`,
        actor: { staffId: 'officer01', role: 'officer' },
        action: 'case.event',
        subject: { kind: 'case', id: `CASE-A-${i}` },
        details: { type: 'identity.checked', journalLength: i + 1 },
      }),
    );
  }
  // Only the third entry: a gap in the chain (the hub checks the shape; HQ checks the chain).
  const e = out[2]!;
  return { id: `${e.deviceId}:${String(e.seq).padStart(10, '0')}`, ...e };
}

describe('a record HQ refused after the hub relayed it', () => {
  it('is answered as refused by HQ with HQ’s reason, not as held by HQ; an accepted one as held by HQ', async () => {
    const entry = await brokenAuditEntry(br.pc1.deviceId);
    const good = ticket(br.a);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/audit/push', [fresh(entry)])).status).toBe(200);
    expect((await br.atHub(br.pc1, 'POST', '/v1/sync/tickets/push', [fresh(good)])).status).toBe(200);
    // Before HQ answered: neither held nor refused.
    expect((await ask('audit', [{ id: entry.id as string, fp: fpOf(entry) }])).json).toEqual({ atHq: [] });
    const status = await br.hub.upstream.syncOnce();
    expect(status).toMatchObject({ hq: 'ok', refused: 1 });

    const answer = await ask('audit', [{ id: entry.id as string, fp: fpOf(entry) }]);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ atHq: [], refused: [{ id: entry.id, reason: expect.stringMatching(/^audit: gap in seq/) as unknown }] });
    expect((await ask('tickets', [{ id: good.id as string, fp: fpOf(good) }])).json).toEqual({ atHq: [good.id] });
  });

  it('another version of the record (an edit) is not the refused one', async () => {
    const entry = await brokenAuditEntry(br.pc1.deviceId);
    const other = { ...entry, at: '2026-03-02T09:30:00+07:00' };
    expect((await ask('audit', [{ id: entry.id as string, fp: fpOf(other) }])).json).toEqual({ atHq: [] });
  });

  it('is told only to PCs of the branch (another branch’s PC is refused by the hub)', async () => {
    const entry = await brokenAuditEntry(br.pc1.deviceId);
    const res = await br.atHub(br.pcB, 'POST', '/v1/hub/at-hq', { collection: 'audit', records: [{ id: entry.id, fp: fpOf(entry) }] });
    expect(res.status).toBe(401);
  });
});
