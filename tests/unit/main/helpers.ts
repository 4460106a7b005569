import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../../main/core';
import type { Logger } from '../../../main/log';
import { fileVault } from '../../../main/secrets';
import type { BranchSetup } from '@shared/ipc/contract';
import { DEFAULT_SERVICE_HOURS } from '@shared/branch/schema';

export function tempDir(prefix = 'loket-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function memoryLog(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const push = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

/**
 * A core on a temp dir. PIN hashing runs at a low scrypt cost (test-only option) unless `realPinCost`:
 * the real N=2^17 costs ~0.3 s per hash.
 */
export function makeCore(opts: { dir?: string; now?: () => Date; realPinCost?: boolean; inputIdleMs?: () => number } = {}) {
  const dir = opts.dir ?? tempDir();
  const log = memoryLog();
  const events: { clientId: string; event: string; payload: unknown }[] = [];
  const core: Core = createCore({
    userDataDir: dir,
    mode: 'browser',
    version: '0.0.0-test',
    log,
    vault: fileVault(path.join(dir, 'secrets'), log),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.realPinCost ? {} : { testOnlyPinScryptN: 1 << 10 }),
    ...(opts.inputIdleMs ? { inputIdleMs: opts.inputIdleMs } : {}),
  });
  core.onEvent((clientId, event, payload) => events.push({ clientId, event, payload }));
  return { core, dir, log, events };
}

/** A valid first-run payload with generated (not real) names. */
export const setupPayload: BranchSetup = {
  branch: { code: 'TST01', name: 'Cabang Uji Satu', serviceHours: DEFAULT_SERVICE_HOURS, counters: 4 },
  deviceSlot: 1,
  head: { staffId: 'kepala.uji', name: 'Kepala Uji', pin: '802417' },
};
