import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BranchProfile } from '../shared/branch/schema';
import { DEFAULT_SETTINGS, Settings, type SettingsPatch } from '../shared/settings';
import { JsonFile } from './store';

const DeviceFile = z.object({ deviceId: z.uuid(), createdAt: z.string(), slot: z.number().int().min(1).max(9).optional() });

/** Device identity, branch profile and settings, each a JSON file in the user-data dir. */
export class AppState {
  private readonly device: JsonFile<typeof DeviceFile>;
  private readonly branchFile: JsonFile<typeof BranchProfile>;
  private readonly settingsFile: JsonFile<typeof Settings>;
  readonly deviceId: string;

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.device = new JsonFile(path.join(dir, 'device.json'), DeviceFile);
    this.branchFile = new JsonFile(path.join(dir, 'branch.json'), BranchProfile);
    this.settingsFile = new JsonFile(path.join(dir, 'settings.json'), Settings);
    const existing = this.device.read();
    if (existing) {
      this.deviceId = existing.deviceId;
    } else {
      this.deviceId = randomUUID();
      this.device.write({ deviceId: this.deviceId, createdAt: new Date().toISOString() });
    }
  }

  deviceSlot(): number | null {
    return this.device.read()?.slot ?? null;
  }

  setDeviceSlot(slot: number): void {
    const current = this.device.read();
    if (!current) throw new Error('device.json is missing');
    this.device.write({ ...current, slot });
  }

  branch(): BranchProfile | null {
    return this.branchFile.read();
  }

  setBranch(profile: BranchProfile): void {
    this.branchFile.write(profile);
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
