import { z } from 'zod';
import { Service } from './cases/schema';

export const LANGUAGES = ['id', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

const HttpUrl = z.url({ protocol: /^https?$/ });

export const Settings = z.object({
  language: Language,
  /** Minutes of inactivity before the screen locks and asks for the PIN again. */
  autoLockMinutes: z.number().int().min(1).max(120),
  /** Base URL of the update feed (electron-updater generic provider); null = no update checks. */
  updateUrl: HttpUrl.nullable(),
  /** HQ sync endpoint; null until the device is enrolled. */
  hqUrl: HttpUrl.nullable(),
  /** Tickets per service per day set by the head (DOMAIN "Queue", config); absent = the default. */
  dailyCapacity: z.partialRecord(Service, z.number().int().min(0).max(10_000)).optional(),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = Settings.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = {
  language: 'id',
  autoLockMinutes: 5,
  updateUrl: null,
  hqUrl: null,
};
