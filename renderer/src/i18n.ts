import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from '@shared/i18n/en';
import { id } from '@shared/i18n/id';
import { Language, type Language as LanguageCode } from '@shared/settings';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof id };
  }
}

const STORAGE_KEY = 'loket.language';

/**
 * The language a screen shows: the signed-in member's own choice (it follows them from PC to
 * session), else this PC's default (the sign-in screen's last choice, else the branch settings').
 */
export function languageFor(session: { language?: LanguageCode | null | undefined } | null, pcDefault: LanguageCode): LanguageCode {
  return session?.language ?? pcDefault;
}

/** This PC's default language: the last choice made on the sign-in screen (nobody signed in). */
export function storedLanguage(): LanguageCode | null {
  try {
    const parsed = Language.safeParse(window.localStorage.getItem(STORAGE_KEY));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function storeLanguage(language: LanguageCode): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this window only.
  }
}

/** Applies a language to i18next and to `<html lang>` (screen readers pick their voice from it). */
export async function applyLanguage(language: LanguageCode): Promise<void> {
  document.documentElement.lang = language;
  if (i18next.language !== language) await i18next.changeLanguage(language);
}

export function currentLanguage(): LanguageCode {
  const parsed = Language.safeParse(i18next.language);
  return parsed.success ? parsed.data : 'id';
}

export const i18nReady = i18next.use(initReactI18next).init({
  resources: { id: { translation: id }, en: { translation: en } },
  lng: storedLanguage() ?? 'id',
  fallbackLng: 'id',
  supportedLngs: ['id', 'en'],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
