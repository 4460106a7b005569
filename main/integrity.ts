import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Logger } from './log';
import type { SecretVault } from './secrets';

/**
 * Issue 18: the state files that carry power (roles, PIN hashes, lockout counters, the branch
 * profile, the device slot, settings) are sealed with an HMAC whose key is kept in the vault with
 * the database key (safeStorage in the desktop app). A file whose seal does not match, that cannot
 * be read, or that is missing after first run is refused: never trusted, never "repaired" by
 * reopening setup.
 */

export type RefusalReason = 'edited' | 'corrupt' | 'missing';

export class StateRefused extends Error {
  constructor(
    readonly file: string,
    readonly reason: RefusalReason,
  ) {
    const what = { edited: 'was changed outside the app', corrupt: 'cannot be read', missing: 'is missing' }[reason];
    super(`${file} ${what}; this PC's state is refused until IT support restores it from a backup.`);
  }
}

export interface StateSeal {
  /** The seal of one file's body (bound to the file name, so files cannot be swapped). */
  mac(name: string, body: string): string;
  check(name: string, body: string, seal: string): boolean;
  /** True only while an install from before the seals is sealed, once: a plain file is then sealed as it is. */
  acceptPlain(): boolean;
}

export interface StateGuard {
  seal: StateSeal;
  /** The key PIN hashes are peppered with (main/pin.ts). */
  pepper(): Buffer;
  /** First run completed on this vault: a missing branch profile is then refused, not set up again. */
  wasSetUp(): boolean;
  markSetUp(at: string): void;
  /** Seals the plain files of an install from before the seals, once: `readers` read each sealed file. */
  migrate(readers: (() => unknown)[], setUp: boolean, now: () => Date): void;
  /** Reports a refused file (log and audit), once per file and reason. */
  refused(e: StateRefused): void;
}

function derived(stateKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(stateKey, 'base64'), Buffer.alloc(0), `loket/${purpose}/v1`, 32));
}

export function stateGuard(vault: SecretVault, log: Logger): StateGuard {
  let migrating = false;
  const reported = new Set<string>();
  const refused = (e: StateRefused) => {
    const id = `${e.file}:${e.reason}`;
    if (reported.has(id)) return;
    reported.add(id);
    auditIntegrity(log, e);
  };
  let macKey: Buffer | null = null;
  let pepperKey: Buffer | null = null;
  const key = () => (macKey ??= derived(vault.state().stateKey, 'state-seal'));
  const mac = (name: string, body: string) => `hmac-sha256:${createHmac('sha256', key()).update(`${name}\n${body}`, 'utf8').digest('base64')}`;
  return {
    seal: {
      mac,
      check(name, body, seal) {
        const want = Buffer.from(mac(name, body));
        const got = Buffer.from(seal);
        return want.length === got.length && timingSafeEqual(want, got);
      },
      acceptPlain: () => migrating,
    },
    pepper: () => (pepperKey ??= derived(vault.state().stateKey, 'pin-pepper')),
    wasSetUp: () => vault.state().setUpAt !== null,
    markSetUp: (at) => vault.setState({ setUpAt: at }),
    migrate(readers, setUp, now) {
      if (vault.state().sealing !== 'pending') return;
      // Decided by the vault, not by the files: only a vault from before the seals (its record had
      // no state key) is 'pending', and it stops being so here. Deleting the vault to get back
      // here loses the database key with it, so an edited file can never be sealed this way later.
      migrating = true;
      try {
        for (const read of readers) {
          try {
            read();
          } catch (e) {
            if (!(e instanceof StateRefused)) throw e;
            refused(e);
          }
        }
      } finally {
        migrating = false;
      }
      vault.setState({ sealing: 'done', ...(setUp && !vault.state().setUpAt ? { setUpAt: now().toISOString() } : {}) });
      log.info('state files of an install from before issue 18 sealed');
    },
    refused,
  };
}

/**
 * AUDIT HOOK (issue 18 pt 7): a refused state file. Main has no audit chain of its own yet
 * (main/audit/ is being built); until it does, the entry goes to main's log. When main/audit
 * lands, append `{ kind: 'state.refused', file, reason }` to its chain here.
 */
export function auditIntegrity(log: Logger, e: StateRefused): void {
  log.error(`audit: state file refused: ${e.file} (${e.reason})`, { file: e.file, reason: e.reason });
}
