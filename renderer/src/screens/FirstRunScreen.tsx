import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import { DEFAULT_SERVICE_HOURS, WEEKDAYS, normaliseTime, type ServiceHours } from '@shared/branch/schema';
import { BranchSetup } from '@shared/ipc/contract';
import { ErrorAlert } from '../components/Alert';
import { NewPinFields, TextField } from '../components/Field';
import { confirmPin, failureOf, parseForm, useFormSubmit } from '../components/useFormSubmit';
import { useApp } from '../app/AppContext';

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

interface TimeCellProps {
  id: string;
  label: string;
  value: string;
  disabled: boolean;
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (value: string) => void;
}

/** One opening or closing time ("08:00") of the service-hours table, with its hidden label. */
function TimeCell({ id, label, value, disabled, invalid, describedBy, onChange }: TimeCellProps) {
  return (
    <td>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        placeholder="08:00"
        maxLength={5}
        autoComplete="off"
        className="input input--time"
        value={value}
        disabled={disabled}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
        // "08.00" is how times are written in Indonesia: shown back as the stored "08:00".
        onBlur={(e) => onChange(normaliseTime(e.target.value))}
      />
    </td>
  );
}

export function FirstRunScreen() {
  const { t } = useTranslation();
  const { setSession, refreshInfo } = useApp();
  const [code, setCode] = useState('');
  const [branchName, setBranchName] = useState('');
  const [counters, setCounters] = useState('4');
  const [slot, setSlot] = useState('1');
  const [hours, setHours] = useState(initialHours);
  const [staffId, setStaffId] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pinConfirm, setPinConfirm] = useState('');

  function setDay(day: Weekday, patch: Partial<DayRow>): void {
    setHours((h) => ({ ...h, [day]: { ...h[day], ...patch } }));
  }

  const { formRef, errors, alert, busy, onSubmit } = useFormSubmit({
    validate: () => {
      const serviceHours = Object.fromEntries(
        WEEKDAYS.map((d) => [d, hours[d].closed ? null : { open: hours[d].open, close: hours[d].close }]),
      ) as ServiceHours;
      const candidate = {
        branch: { code: code.trim(), name: branchName.trim(), serviceHours, counters: counters.trim() === '' ? Number.NaN : Number(counters) },
        deviceSlot: slot.trim() === '' ? Number.NaN : Number(slot),
        head: { staffId, name, pin },
      };
      return confirmPin(t, parseForm(t, BranchSetup, candidate), pin, pinConfirm, 'head.');
    },
    call: (data) => loket().branch.setup(data),
    onSuccess: async (session) => {
      await refreshInfo();
      setSession(session);
    },
    onFailure: async (error) => {
      if (error.code !== 'ALREADY_SET_UP') return failureOf(t, error);
      await refreshInfo();
      return 'handled';
    },
  });

  const dayError = (day: Weekday): string | undefined =>
    errors[`branch.serviceHours.${day}`] ?? errors[`branch.serviceHours.${day}.open`] ?? errors[`branch.serviceHours.${day}.close`];

  return (
    <div className="page page--narrow">
      <h1 className="page__title">{t('firstRun.title')}</h1>
      <p className="page__intro">{t('firstRun.intro')}</p>
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={busy}>
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
          <TextField
            id="device-slot"
            field="deviceSlot"
            label={t('fields.deviceSlot')}
            hint={t('fields.deviceSlotHint')}
            type="number"
            inputMode="numeric"
            min={1}
            max={9}
            step={1}
            value={slot}
            onChange={(e) => setSlot(e.target.value)}
            error={errors.deviceSlot}
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
                    <TimeCell
                      id={`hours-${day}-open`}
                      label={t('firstRun.openFor', { day: dayName })}
                      value={row.open}
                      disabled={row.closed}
                      invalid={Boolean(errors[`branch.serviceHours.${day}.open`] || errors[`branch.serviceHours.${day}`])}
                      describedBy={errorId}
                      onChange={(open) => setDay(day, { open })}
                    />
                    <TimeCell
                      id={`hours-${day}-close`}
                      label={t('firstRun.closeFor', { day: dayName })}
                      value={row.close}
                      disabled={row.closed}
                      invalid={Boolean(errors[`branch.serviceHours.${day}.close`])}
                      describedBy={errorId}
                      onChange={(close) => setDay(day, { close })}
                    />
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
            <NewPinFields
              id="head-pin"
              prefix="head."
              pin={pin}
              pinConfirm={pinConfirm}
              onPinChange={setPin}
              onPinConfirmChange={setPinConfirm}
              errors={errors}
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
