// Issue 18 pt 11: HQ's admin CLI (npm run hq:admin, and the running HQ's admin endpoint, which runs
// the same commands) prints through the one identifier-redaction function every logger uses
// (shared/log/redact.ts) wherever its output can hold a NIK or a KPJ number: a device's name, a
// refused record's id and reason, an audit flag's wording, an error. An enrolment code is the
// output's purpose and is printed whole. Generated numbers only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminErrorText, createEnrolCode, runAdminCommand } from '../../hq/admin';
import { REDACTED_ID } from '@shared/log/redact';
import { makeBranch, startHq, type Hq } from './helpers';

const NIK = '3171011506850041';
const GROUPED_NIK = '3171 0115 0685 0041';
const KPJ = '12345678901';

let hq: Hq;
let branch: string;
let token: string;
beforeAll(async () => {
  hq = await startHq('admin_redaction');
  branch = await makeBranch(hq.db);
  const { code } = await createEnrolCode(hq.db, branch);
  const res = await hq.app.inject({ method: 'POST', url: '/v1/enrol', payload: { code, deviceId: randomUUID(), deviceName: `PC Budi NIK ${GROUPED_NIK}` } });
  expect(res.statusCode, res.body).toBe(200);
  token = res.json<{ token: string }>().token;
});
afterAll(async () => hq.close());

const holdsNoIdentifier = (out: string) => {
  for (const id of [NIK, GROUPED_NIK, KPJ, '0115 0685']) expect(out).not.toContain(id);
  expect(out).toContain(REDACTED_ID);
};

describe('hq:admin prints no NIK or KPJ number (issue 18 pt 11)', () => {
  it('list-devices: a device name holding a NIK', async () => {
    const out = await runAdminCommand(hq.db, ['list-devices', branch]);
    expect(out).toContain('PC Budi NIK');
    holdsNoIdentifier(out);
  });

  it("quarantine: a refused record's id glued to a NIK", async () => {
    const res = await hq.app.inject({
      method: 'POST',
      url: '/v1/sync/tickets/push',
      headers: { authorization: `Bearer ${token}` },
      payload: [{ assumedMasterState: null, newDocumentState: { id: `NIK${NIK}`, branchCode: branch, status: 'nonsense' } }],
    });
    expect(res.statusCode).toBe(422);
    const out = await runAdminCommand(hq.db, ['quarantine', branch]);
    expect(out).toContain('tickets/NIK');
    holdsNoIdentifier(out);
  });

  it("audit-flags: HQ's wording holding a KPJ", async () => {
    const { rows } = await hq.db.query<{ device_id: string }>('SELECT device_id::text FROM devices WHERE branch_code = $1', [branch]);
    await hq.db.query(`INSERT INTO audit_flags (branch_code, device_id, chain, seq, reason, flagged_at) VALUES ($1, $2, 'renderer', 1, $3, now())`, [
      branch,
      rows[0]!.device_id,
      `pending KPJ follow-up of kpj${KPJ} and ${NIK}`,
    ]);
    const out = await runAdminCommand(hq.db, ['audit-flags', branch]);
    expect(out).toContain('pending KPJ follow-up of kpj');
    holdsNoIdentifier(out);
  });

  it('an error the CLI prints (a database error can quote a value)', () => {
    const text = adminErrorText(new Error(`duplicate key value violates unique constraint: (nik)=(${NIK}), kpj ${KPJ}`));
    expect(text).toContain('duplicate key');
    holdsNoIdentifier(text);
    expect(adminErrorText('plain')).toBe('plain');
  });

  it('enrol-code prints the code whole, digits and all', async () => {
    const out = await runAdminCommand(hq.db, ['enrol-code', branch]);
    expect(out.split('\n')[0]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(out).not.toContain(REDACTED_ID);
  });
});
