// Main signs a renderer audit entry only at or after the last position it signed, and after a
// restart only at or after the last renderer head its own chain anchored (issue 18 pt 7): a
// restart of main does not reopen older positions of the chain for signing.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendEntry, type AuditEntry } from '@shared/audit/chain';
import { DeviceAuditLog } from '../../../main/audit/device-log';
import { nodeSha256Hex } from '../../../main/audit/device-key';
import { AuditEntrySigner } from '../../../main/audit/entry-signer';
import { fileVault } from '../../../main/secrets';
import { handcarrySigningKey } from '../../../main/storage/handcarry-key';
import { memoryLog, tempDir } from './helpers';

const DEVICE = 'dev-signer-1';
const actor = { staffId: 'kepala.uji', role: 'head' as const };
const session = { ...actor, name: 'Kepala Uji', locked: false, signedInAt: '2026-03-02T00:00:00.000Z', mustChangePin: false };

/** The renderer chain's entries 1..n (each on the one before). */
async function chain(n: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let i = 1; i <= n; i++) {
    out.push(await appendEntry(nodeSha256Hex, out.at(-1) ?? null, { deviceId: DEVICE, at: `2026-03-02T0${i % 10}:00:00.000Z`, actor, action: 'case.event', subject: { kind: 'case', id: `c${i}` }, details: {} }));
  }
  return out;
}

function setUp() {
  const dir = tempDir();
  const vault = fileVault(path.join(dir, 'secrets'), memoryLog());
  const key = () => handcarrySigningKey(vault);
  const openLog = () => new DeviceAuditLog({ dir: path.join(dir, 'audit'), deviceId: DEVICE, key, now: () => new Date() });
  const signerOver = (log: DeviceAuditLog) => new AuditEntrySigner({ deviceId: () => DEVICE, key, anchoredSeq: () => log.rendererAnchoredSeq() });
  return { openLog, signerOver };
}

describe('main signs renderer audit entries only forward', () => {
  it('refuses an entry behind the last it signed; the same position again is fine', async () => {
    const { openLog, signerOver } = setUp();
    const signer = signerOver(openLog());
    const [e1, e2, e3] = await chain(3);
    await expect(signer.sign(e1!, session)).resolves.toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(signer.sign(e3!, session)).resolves.toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(signer.sign(e3!, session)).resolves.toMatch(/^[A-Za-z0-9_-]+$/); // a retry of the same seq
    await expect(signer.sign(e2!, session)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('after a restart, refuses an entry behind the renderer head main’s chain anchored', async () => {
    const { openLog, signerOver } = setUp();
    const entries = await chain(8);
    const before = openLog();
    expect(before.rendererAnchoredSeq()).toBe(0);
    for (const seq of [5, 7]) await before.record('renderer.anchored', actor, { seq, hash: entries[seq - 1]!.hash });
    await before.record('staff.signOut', actor);
    expect(before.rendererAnchoredSeq()).toBe(7);

    // Main starts again: a new log over the same file, a new signer.
    const restarted = signerOver(openLog());
    await expect(restarted.sign(entries[5]!, session)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(restarted.sign(entries[5]!, session)).rejects.toThrow(/behind .* \(7\)/);
    await expect(restarted.sign(entries[6]!, session)).resolves.toBeTypeOf('string'); // seq 7: the anchored head, signed again
    await expect(restarted.sign(entries[7]!, session)).resolves.toBeTypeOf('string');
  });

  it('a chain with no anchor (a new PC) signs from the first entry', async () => {
    const { openLog, signerOver } = setUp();
    const [e1] = await chain(1);
    await expect(signerOver(openLog()).sign(e1!, session)).resolves.toBeTypeOf('string');
  });
});
