import path from 'node:path';
import { z } from 'zod';
import { HubTarget } from '@shared/ipc/contract';
import { JsonFile } from '../store';

// This PC's branch-hub settings (issue 17), kept across restarts in `<userData>/hub.json`: the hub
// it pinned (address + certificate fingerprint, and where it learnt them), and whether it runs the
// branch's hub itself. No secret here: the fingerprint is public, the token stays in the credentials.

export const HubSettings = z.strictObject({
  /** The hub this PC uses; null: none known. */
  pinned: HubTarget.nullable(),
  /** This PC runs the branch hub (started again at the next start of the app). */
  hosting: z.boolean(),
  /**
   * The head made this PC the hub while HQ was unreachable: HQ still has to be told (by the head
   * named here) before HQ relays for it. Null: HQ knows.
   */
  claimPendingBy: z.string().max(40).nullable(),
});
export type HubSettings = z.infer<typeof HubSettings>;

const DEFAULTS: HubSettings = { pinned: null, hosting: false, claimPendingBy: null };

export class HubSettingsStore {
  private readonly file: JsonFile<typeof HubSettings>;
  private cached: HubSettings | null = null;

  constructor(userDataDir: string) {
    this.file = new JsonFile(path.join(userDataDir, 'hub.json'), HubSettings);
  }

  read(): HubSettings {
    if (this.cached) return { ...this.cached };
    let stored: HubSettings | null;
    try {
      stored = this.file.read();
    } catch {
      stored = null; // kept aside by JsonFile; start from the defaults (the hub is learnt again)
    }
    this.cached = stored ?? { ...DEFAULTS };
    return { ...this.cached };
  }

  update(patch: Partial<HubSettings>): HubSettings {
    const next = { ...this.read(), ...patch };
    this.file.write(next);
    this.cached = next;
    return { ...next };
  }
}
