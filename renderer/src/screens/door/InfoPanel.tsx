import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { JHT_CAUSES, type JhtCause, type Service } from '@shared/cases/schema';
import { INFO_TOPIC_IDS, INFO_TOPICS, type InfoTopic } from '@shared/policy/info';
import { documentsFor, INFO_SERVICES, pick, SERVICE_TOPIC } from './door-info';

/**
 * "What do I need to bring?": the documents per service (and JHT cause) from the catalog with their
 * legal basis, and the common questions with the catalog's answers. Every answer shown is recorded
 * as `info.asked` on the visit; nothing here can turn anyone away.
 */
export function InfoPanel({ onAsked }: { onAsked: (topic: InfoTopic) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [service, setService] = useState<Service | null>(null);
  const [cause, setCause] = useState<JhtCause>('resignation');
  const [topic, setTopic] = useState<InfoTopic | null>(null);
  const answer = service ? documentsFor(service, cause) : null;

  const chooseService = (s: Service) => {
    setService(s);
    onAsked(SERVICE_TOPIC[s]);
  };

  return (
    <div className="door-info" data-testid="door-info">
      <fieldset className="fieldset">
        <legend className="card__title">{t('door.info.documentsTitle')}</legend>
        <div className="door-info__services" role="group">
          {INFO_SERVICES.map((s) => (
            <button key={s} type="button" className="button button--large door-choice" aria-pressed={service === s} onClick={() => chooseService(s)}>
              {t(`door.services.${s}.title`)}
            </button>
          ))}
        </div>
      </fieldset>
      {service === 'jht-claim' ? (
        <div className="field">
          <label htmlFor="door-info-cause" className="field__label">
            {t('door.info.cause')}
          </label>
          <select id="door-info-cause" className="input select door-info__cause" value={cause} onChange={(e) => setCause(e.target.value as JhtCause)}>
            {JHT_CAUSES.map((c) => (
              <option key={c} value={c}>
                {t(`door.causes.${c}`)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {answer && service ? (
        <section className="card door-info__answer" aria-live="polite" data-testid="door-documents">
          <h3 className="card__title">{t('door.info.bring', { service: t(`door.services.${service}.title`) })}</h3>
          <ul className="door-info__list">
            {answer.documents.map((d) => (
              <li key={d.id}>{pick(d, lang)}</li>
            ))}
            {answer.conditional.map((d) => (
              <li key={d.id}>
                {pick(d, lang)} <span className="muted">{t('door.info.onlyIf')}</span>
              </li>
            ))}
          </ul>
          {answer.notes.map((n) => (
            <p key={n.id} className="door-info__note">
              {pick(n, lang)}
            </p>
          ))}
          <h4 className="door-info__basis-title">{t('door.info.legalBasis')}</h4>
          <ul className="door-info__basis" data-testid="door-legal-basis">
            {answer.legalBasis.map((b) => (
              <li key={b.id}>{pick(b, lang)}</li>
            ))}
          </ul>
        </section>
      ) : (
        <p className="muted">{t('door.info.pickService')}</p>
      )}
      <fieldset className="fieldset">
        <legend className="card__title">{t('door.info.questionsTitle')}</legend>
        <div className="door-info__questions">
          {INFO_TOPIC_IDS.map((q) => (
            <button
              key={q}
              type="button"
              className="button door-info__question"
              aria-pressed={topic === q}
              aria-controls="door-info-answer"
              onClick={() => {
                setTopic(q);
                onAsked(q);
              }}
            >
              {pick(INFO_TOPICS[q].question, lang)}
            </button>
          ))}
        </div>
        <p id="door-info-answer" className="door-info__answer-text" aria-live="polite">
          {topic ? pick(INFO_TOPICS[topic].answer, lang) : null}
        </p>
      </fieldset>
    </div>
  );
}
