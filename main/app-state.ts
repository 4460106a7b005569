import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BranchProfile } from '@shared/branch/schema';
import { DEFAULT_SETTINGS, Settings, type SettingsPatch } from '@shared/settings';
import { JsonFile } from './store';
import { StateRefused, type StateGuard, type StateSeal } from './integrity';

const DeviceFile = z.object({ deviceId: z.uuid(), createdAt: z.string(), slot: z.number().int().min(1).max(9).optional() });

/** The sealed files AppState keeps (also read once by the sealing of an older install). */
export function appStateFiles(dir: string, seal: StateSeal) {
  return {
    device: new JsonFile(path.join(dir, 'device.json'), DeviceFile, 0o600, seal),
    branch: new JsonFile(path.join(dir, 'branch.json'), BranchProfile, 0o600, seal),
    settings: new JsonFile(path.join(dir, 'settings.json'), Settings, 0o600, seal),
  };
}

/** Stands in for the device id while device.json is refused (every call is refused then). */
const NO_DEVICE = '00000000-0000-4000-8000-000000000000';

/**
 * Device identity, branch profile and settings, each a sealed JSON file in the user-data dir
 * (main/integrity.ts): a refused file makes every call fail with STATE_REFUSED (`check()`).
 */
export class AppState {
  private readonly device: JsonFile<typeof DeviceFile>;
  private readonly branchFile: JsonFile<typeof BranchProfile>;
  private readonly settingsFile: JsonFile<typeof Settings>;
  readonly deviceId: string;
  private readonly refusal: StateRefused | null = null;

  constructor(
    readonly dir: string,
    private readonly guard: StateGuard,
  ) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const files = appStateFiles(dir, guard.seal);
    this.device = files.device;
    this.branchFile = files.branch;
    this.settingsFile = files.settings;
    let existing: z.infer<typeof DeviceFile> | null = null;
    try {
      existing = this.device.read();
      // A new device id on a PC that was set up would be a new identity for the same data.
      if (!existing && guard.wasSetUp()) throw new StateRefused('device.json', 'missing');
    } catch (e) {
      if (!(e instanceof StateRefused)) throw e;
      this.refusal = e;
    }
    if (this.refusal) {
      this.deviceId = NO_DEVICE;
    } else if (existing) {
      this.deviceId = existing.deviceId;
    } else {
      this.deviceId = randomUUID();
      this.device.write({ deviceId: this.deviceId, createdAt: new Date().toISOString() });
    }
  }

  /** Throws the refusal found at start (device.json), if any. */
  check(): void {
    if (this.refusal) throw this.refusal;
  }


  deviceSlot(): number | null {
    return this.device.read()?.slot ?? null;
  }

  setDeviceSlot(slot: number): void {
    const current = this.device.read();
    if (!current) throw new Error('device.json is missing');
    this.device.write({ ...current, slot });
  }

  /** Null only before first run; a profile missing after it is refused (setup never reopens). */
  branch(): BranchProfile | null {
    const branch = this.branchFile.read();
    if (!branch && this.guard.wasSetUp()) throw new StateRefused('branch.json', 'missing');
    return branch;
  }

  setBranch(profile: BranchProfile): void {
    this.branchFile.write(profile);
    if (!this.guard.wasSetUp()) this.guard.markSetUp(new Date().toISOString());
  }

  settings(): Settings {
    return { ...DEFAULT_SETTINGS, ...this.settingsFile.read() };
  }

  updateSettings(patch: SettingsPatch): Settings {
    const next = Settings.parse({ ...this.settings(), ...patch });
    this.settingsFile.write(next);
    return next;
  }
}
