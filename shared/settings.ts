import { z } from 'zod';
import { Service } from './cases/schema';
import { LocalClosure } from './calendar/types';

export const LANGUAGES = ['id', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

const HttpUrl = z.url({ protocol: /^https?$/ });

/**
 * Tickets per service per day set by the head (DOMAIN "Queue", config): at least 1. A capacity of
 * 0 would turn everyone away without an appointment (issue 16), so it cannot be saved.
 */
export const DailyCapacity = z.partialRecord(Service, z.number().int().min(1, 'daily capacity: at least 1').max(10_000));
export type DailyCapacity = z.infer<typeof DailyCapacity>;

/** Settings stored before that rule may hold a 0: it is dropped on reading (the default applies). */
const StoredDailyCapacity = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, n]) => n !== 0)) : v),
  DailyCapacity,
);

export const Settings = z.object({
  language: Language,
  /** Minutes of inactivity before the screen locks and asks for the PIN again. */
  autoLockMinutes: z.number().int().min(1).max(120),
  /** HQ sync endpoint; null until the device is enrolled. */
  hqUrl: HttpUrl.nullable(),
  /** Tickets per service per day set by the head; absent = the default. */
  dailyCapacity: StoredDailyCapacity.optional(),
  /**
   * Local closures the head adds (DOMAIN "Time and calendar"), on top of the national holidays and
   * joint leave days shipped in shared/calendar: no appointment is proposed on them. One per date.
   */
  localClosures: z
    .array(LocalClosure)
    .max(200)
    .refine((list) => new Set(list.map((c) => c.date)).size === list.length, { message: 'local closures: one per date' })
    .optional(),
});
export type Settings = z.infer<typeof Settings>;

/** What `settings.set` accepts (the IPC request): a capacity of 0 is refused here, not dropped. */
export const SettingsPatch = Settings.extend({ dailyCapacity: DailyCapacity }).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = {
  language: 'id',
  autoLockMinutes: 5,
  hqUrl: null,
};
