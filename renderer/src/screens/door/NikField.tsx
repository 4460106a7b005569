import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NIK_INPUT_MAX, normalizeNik, parseNik } from '@shared/identity/nik';
import type { CalendarDate } from '@shared/dates';
import { pick } from './door-info';

export const NIK_LENGTH = 16;

/** "•••• •••• •••• 1234": what the screen shows of a NIK (the last 4 digits only). */
export function maskNik(nik: string): string {
  return `•••• •••• •••• ${nik.slice(-4)}`;
}

/**
 * What the field keeps of what was typed or pasted: `3171 0115 …` and `3171-0115-…` are
 * normalised (normalizeNik) before any length limit, so a pasted NIK is never cut short; other
 * non-digits are dropped as typed. More than 16 digits stay and are reported, never silently cut.
 */
export function nikFromInput(raw: string): string {
  return normalizeNik(raw).replace(/\D/g, '').slice(0, NIK_INPUT_MAX);
}

/** The message for a NIK as typed so far: null while it is still being typed or when it is valid. */
export function nikProblem(nik: string, today: CalendarDate, lang: string, submitted: boolean): string | null {
  if (nik.length < NIK_LENGTH && !submitted) return null;
  const parsed = parseNik(nik, today);
  return parsed.ok ? null : pick(parsed.error.message, lang);
}

/**
 * The NIK, validated live (shape and embedded birth date) and masked on screen as it is typed, so
 * people queueing behind cannot read it; the guard holds "Lihat" to check the digits. The value
 * lives only in this form's memory: never in the URL, storage or logs.
 */
export function NikField({ id, value, onChange, today, submitted, autoFocus }: { id: string; value: string; onChange: (nik: string) => void; today: CalendarDate; submitted: boolean; autoFocus?: boolean }) {
  const { t, i18n } = useTranslation();
  const [reveal, setReveal] = useState(false);
  const problem = nikProblem(value, today, i18n.language, submitted);
  const complete = value.length === NIK_LENGTH && problem === null;
  const statusId = `${id}-status`;
  const hintId = `${id}-hint`;
  const hold = (e: KeyboardEvent<HTMLButtonElement>, on: boolean) => {
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      setReveal(on);
    }
  };
  return (
    <div className={['field', 'door-nik', problem ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field__label">
        {t('door.nik.label')}
      </label>
      <div className="door-nik__row">
        <input
          id={id}
          name="nik"
          className={['input', 'door-nik__input', reveal ? '' : 'is-masked'].filter(Boolean).join(' ')}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          maxLength={NIK_INPUT_MAX}
          value={value}
          onChange={(e) => onChange(nikFromInput(e.target.value))}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${statusId} ${hintId}`}
          autoFocus={autoFocus}
        />
        <button
          type="button"
          className="button button--large door-nik__reveal"
          aria-pressed={reveal}
          onPointerDown={() => setReveal(true)}
          onPointerUp={() => setReveal(false)}
          onPointerLeave={() => setReveal(false)}
          onPointerCancel={() => setReveal(false)}
          onKeyDown={(e) => hold(e, true)}
          onKeyUp={(e) => hold(e, false)}
          onBlur={() => setReveal(false)}
        >
          {t('door.nik.reveal')}
        </button>
      </div>
      <p id={hintId} className="field__hint">
        {t('door.nik.hint')}
      </p>
      <p id={statusId} className={problem ? 'field__error' : 'door-nik__status'} aria-live="polite" data-testid="door-nik-status">
        {problem ?? (complete ? t('door.nik.valid', { masked: maskNik(value) }) : t('door.nik.progress', { count: value.length, total: NIK_LENGTH }))}
      </p>
    </div>
  );
}
