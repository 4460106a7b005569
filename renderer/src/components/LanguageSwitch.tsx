import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '@shared/settings';
import { useApp } from '../app/AppContext';
import { currentLanguage } from '../i18n';

const SHORT = { id: 'language.idShort', en: 'language.enShort' } as const;

/** ID / EN toggle. Each button names its language in that language for the person who needs it. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { changeLanguage } = useApp();
  const active = currentLanguage();
  return (
    <div role="group" aria-label={t('language.switchLabel')} className="lang-switch">
      {LANGUAGES.map((language: Language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="lang-switch__button"
          aria-pressed={active === language}
          title={t(`language.${language}`)}
          onClick={() => void changeLanguage(language)}
        >
          {t(SHORT[language])}
        </button>
      ))}
    </div>
  );
}
