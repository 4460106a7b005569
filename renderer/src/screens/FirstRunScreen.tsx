import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { DEFAULT_SERVICE_HOURS, WEEKDAYS, type ServiceHours } from '../../../shared/branch/schema';
import { BranchSetup } from '../../../shared/ipc/contract';
import { ErrorAlert } from '../components/Alert';
import { PinField, TextField } from '../components/Field';
import { useFocusOnError } from '../components/useFocusOnError';
import { useApp } from '../app/AppContext';
import { errorMessage, fieldErrors, serverFieldErrors } from '../app/errors';

type Weekday = (typeof WEEKDAYS)[number];
/** Monday first, as Indonesian office calendars are read. */
const DISPLAY_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface DayRow {
  open: string;
  close: string;
  closed: boolean;
}

function initialHours(): Record<Weekday, DayRow> {
  const rows = {} as Record<Weekday, DayRow>;
  for (const day of WEEKDAYS) {
    const hours = DEFAULT_SERVICE_HOURS[day];
    rows[day] = hours ? { open: hours.open, close: hours.close, closed: false } : { open: '08:00', close: '15:00', closed: true };
  }
  return rows;
}

export function FirstRunScreen() {
  const { t } = useTranslation();
  const { setSession, refreshInfo } = useApp();
  const formRef = useRef<HTMLFormElement>(null);
  const [code, setCode] = useState('');
  const [branchName, setBranchName] = useState('');
  const [counters, setCounters] = useState('4');
  const [hours, setHours] = useState(initialHours);
  const [staffId, setStaffId] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pinConfirm, setPinConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useFocusOnError(formRef, attempt);

  function setDay(day: Weekday, patch: Partial<DayRow>): void {
    setHours((h) => ({ ...h, [day]: { ...h[day], ...patch } }));
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const serviceHours = Object.fromEntries(
      WEEKDAYS.map((d) => [d, hours[d].closed ? null : { open: hours[d].open, close: hours[d].close }]),
    ) as ServiceHours;
    const candidate = {
      branch: { code: code.trim(), name: branchName.trim(), serviceHours, counters: counters.trim() === '' ? Number.NaN : Number(counters) },
      head: { staffId, name, pin },
    };
    const parsed = BranchSetup.safeParse(candidate);
    const next = parsed.success ? {} : fieldErrors(t, parsed.error.issues);
    if (pin !== pinConfirm && !next['head.pin']) next['head.pinConfirm'] = t('validation.pinMismatch');
    if (!parsed.success || Object.keys(next).length > 0) {
      setErrors(next);
      setAlert(t('validation.summary'));
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    setErrors({});
    setAlert(null);
    const result = await loket().branch.setup(parsed.data);
    setBusy(false);
    if (!result.ok) {
      if (result.error.code === 'ALREADY_SET_UP') {
        await refreshInfo();
        return;
      }
      setErrors(serverFieldErrors(t, result.error));
      setAlert(errorMessage(t, result.error));
      setAttempt((a) => a + 1);
      return;
    }
    await refreshInfo();
    setSession(result.value);
  }

  const dayError = (day: Weekday): string | undefined =>
    errors[`branch.serviceHours.${day}`] ?? errors[`branch.serviceHours.${day}.open`] ?? errors[`branch.serviceHours.${day}.close`];

  return (
    <div className="page page--narrow">
      <h1 className="page__title">{t('firstRun.title')}</h1>
      <p className="page__intro">{t('firstRun.intro')}</p>
      <form ref={formRef} className="form" noValidate onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <ErrorAlert>{alert}</ErrorAlert>

        <fieldset className="card">
          <legend className="card__title">{t('firstRun.branchSection')}</legend>
          <div className="grid grid--branch">
            <TextField
              id="branch-code"
              field="branch.code"
              label={t('fields.branchCode')}
              hint={t('fields.branchCodeHint')}
              value={code}
              onChange={(e) => setCode(e.target.value.toUpperCase())}
              error={errors['branch.code']}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={8}
              autoFocus
            />
            <TextField
              id="branch-name"
              field="branch.name"
              label={t('fields.branchName')}
              value={branchName}
              onChange={(e) => setBranchName(e.target.value)}
              error={errors['branch.name']}
              autoComplete="off"
              maxLength={80}
            />
          </div>
          <TextField
            id="branch-counters"
            field="branch.counters"
            label={t('fields.counters')}
            type="number"
            inputMode="numeric"
            min={1}
            max={50}
            step={1}
            value={counters}
            onChange={(e) => setCounters(e.target.value)}
            error={errors['branch.counters']}
            className="field--short"
          />
        </fieldset>

        <fieldset className="card">
          <legend className="card__title">{t('firstRun.hoursSection')}</legend>
          <p className="card__hint">{t('firstRun.hoursHint')}</p>
          <table className="hours">
            <thead>
              <tr>
                <th scope="col">{t('firstRun.day')}</th>
                <th scope="col">{t('firstRun.open')}</th>
                <th scope="col">{t('firstRun.close')}</th>
                <th scope="col">{t('firstRun.closed')}</th>
              </tr>
            </thead>
            <tbody>
              {DISPLAY_DAYS.map((day) => {
                const row = hours[day];
                const dayName = t(`weekdays.${day}`);
                const error = dayError(day);
                const errorId = error ? `hours-${day}-error` : undefined;
                return (
                  <tr key={day} className={row.closed ? 'hours__row is-closed' : 'hours__row'}>
                    <th scope="row">{dayName}</th>
                    <td>
                      <label htmlFor={`hours-${day}-open`} className="visually-hidden">
                        {t('firstRun.openFor', { day: dayName })}
                      </label>
                      <input
                        id={`hours-${day}-open`}
                        type="text"
                        inputMode="numeric"
                        placeholder="08:00"
                        maxLength={5}
                        autoComplete="off"
                        className="input input--time"
                        value={row.open}
                        disabled={row.closed}
                        aria-invalid={errors[`branch.serviceHours.${day}.open`] || errors[`branch.serviceHours.${day}`] ? true : undefined}
                        aria-describedby={errorId}
                        onChange={(e) => setDay(day, { open: e.target.value })}
                      />
                    </td>
                    <td>
                      <label htmlFor={`hours-${day}-close`} className="visually-hidden">
                        {t('firstRun.closeFor', { day: dayName })}
                      </label>
                      <input
                        id={`hours-${day}-close`}
                        type="text"
                        inputMode="numeric"
                        placeholder="08:00"
                        maxLength={5}
                        autoComplete="off"
                        className="input input--time"
                        value={row.close}
                        disabled={row.closed}
                        aria-invalid={errors[`branch.serviceHours.${day}.close`] ? true : undefined}
                        aria-describedby={errorId}
                        onChange={(e) => setDay(day, { close: e.target.value })}
                      />
                    </td>
                    <td>
                      <span className="checkbox">
                        <input
                          id={`hours-${day}-closed`}
                          type="checkbox"
                          checked={row.closed}
                          onChange={(e) => setDay(day, { closed: e.target.checked })}
                        />
                        <label htmlFor={`hours-${day}-closed`}>
                          <span className="visually-hidden">{dayName}: </span>
                          {t('firstRun.closed')}
                        </label>
                      </span>
                      {error ? (
                        <p id={errorId} className="field__error hours__error">
                          {error}
                        </p>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>

        <fieldset className="card">
          <legend className="card__title">{t('firstRun.headSection')}</legend>
          <p className="card__hint">{t('firstRun.headHint')}</p>
          <div className="grid grid--2">
            <TextField
              id="head-staff-id"
              field="head.staffId"
              label={t('fields.staffId')}
              hint={t('fields.staffIdHint')}
              value={staffId}
              onChange={(e) => setStaffId(e.target.value)}
              error={errors['head.staffId']}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
            />
            <TextField
              id="head-name"
              field="head.name"
              label={t('fields.name')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={errors['head.name']}
              autoComplete="off"
              maxLength={80}
            />
            <PinField
              id="head-pin"
              field="head.pin"
              label={t('fields.pin')}
              hint={t('fields.pinHint')}
              value={pin}
              onChange={(e) => setPin(e.target.value)}
              error={errors['head.pin']}
            />
            <PinField
              id="head-pin-confirm"
              field="head.pinConfirm"
              label={t('fields.pinConfirm')}
              value={pinConfirm}
              onChange={(e) => setPinConfirm(e.target.value)}
              error={errors['head.pinConfirm']}
            />
          </div>
        </fieldset>

        <div className="form__actions">
          <button type="submit" className="button button--primary button--large" disabled={busy}>
            {t('firstRun.submit')}
          </button>
          {busy ? <span className="form__busy">{t('firstRun.submitting')}</span> : null}
        </div>
      </form>
    </div>
  );
}
