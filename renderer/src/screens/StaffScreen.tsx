import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../bridge';
import type { IpcError } from '../../../shared/ipc/result';
import { NewStaff, ROLES, type Role, type Session, type StaffSummary } from '../../../shared/staff/schema';
import { ErrorAlert, SuccessNotice } from '../components/Alert';
import { NewPinFields, SelectField, TextField } from '../components/Field';
import { confirmPin, failureOf, parseForm, useFormSubmit } from '../components/useFormSubmit';
import { useApp } from '../app/AppContext';
import { errorMessage } from '../app/errors';
import { formatHm, parseIso } from '../app/time';
import { useNow } from '../app/useNow';

/** Staff management for the branch head and admins: the list, activation, and a form to add staff. */
export function StaffScreen({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { handleSessionError } = useApp();
  const now = useNow(30_000);
  const [staff, setStaff] = useState<StaffSummary[] | null>(null);
  const [listError, setListError] = useState<IpcError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await loket().staff.list();
    if (result.ok) {
      setStaff(result.value);
      setListError(null);
    } else if (!handleSessionError(result.error)) {
      setListError(result.error);
    }
  }, [handleSessionError]);

  useEffect(() => {
    void load();
  }, [load]);

  async function setActive(member: StaffSummary, active: boolean): Promise<void> {
    setPending(member.staffId);
    setNotice(null);
    const result = await loket().staff.setActive({ staffId: member.staffId, active });
    setPending(null);
    if (!result.ok) {
      if (!handleSessionError(result.error)) setListError(result.error);
      return;
    }
    setListError(null);
    setStaff((list) => list?.map((s) => (s.staffId === result.value.staffId ? result.value : s)) ?? null);
    setNotice(t(active ? 'staff.activated' : 'staff.deactivated', { staffId: member.staffId }));
  }

  function statusOf(member: StaffSummary): { label: string; tone: string } {
    const lockedUntil = parseIso(member.lockedUntil);
    if (!member.active) return { label: t('staff.inactive'), tone: 'inactive' };
    if (lockedUntil && lockedUntil > now) return { label: t('staff.lockedUntil', { time: formatHm(lockedUntil) }), tone: 'locked' };
    return { label: t('staff.active'), tone: 'active' };
  }

  return (
    <div className="page">
      <h1 className="page__title">{t('staff.title')}</h1>
      <p className="page__intro">{t('staff.intro')}</p>
      <div className="staff-layout">
        <section className="card card--flush" aria-labelledby="staff-list-title">
          <h2 id="staff-list-title" className="card__title card__title--padded">
            {t('staff.tableCaption')}
          </h2>
          <div className="card__padded">
            <ErrorAlert>{listError ? errorMessage(t, listError) : null}</ErrorAlert>
            <SuccessNotice>{notice}</SuccessNotice>
          </div>
          {staff === null ? (
            <p className="card__padded card__hint">{t('staff.loading')}</p>
          ) : staff.length === 0 ? (
            <p className="card__padded card__hint">{t('staff.empty')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="staff-table">
                <thead>
                  <tr>
                    <th scope="col">{t('staff.colId')}</th>
                    <th scope="col">{t('staff.colName')}</th>
                    <th scope="col">{t('staff.colRole')}</th>
                    <th scope="col">{t('staff.colStatus')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('staff.colActions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {staff.map((member) => {
                    const status = statusOf(member);
                    const self = member.staffId === session.staffId;
                    return (
                      <tr key={member.staffId} data-staff-id={member.staffId}>
                        <td className="mono nowrap">{member.staffId}</td>
                        <td>
                          {member.name} {self ? <span className="muted">{t('staff.you')}</span> : null}
                        </td>
                        <td className="nowrap">
                          <span className={`role-badge role-badge--${member.role}`}>{t(`roles.${member.role}`)}</span>
                        </td>
                        <td className="nowrap">
                          <span className={`status-pill status-pill--${status.tone}`}>{status.label}</span>
                        </td>
                        <td className="table__actions">
                          {self ? null : (
                            <button
                              type="button"
                              className={member.active ? 'button button--small button--danger-ghost' : 'button button--small'}
                              aria-label={t(member.active ? 'staff.deactivateFor' : 'staff.activateFor', { staffId: member.staffId })}
                              disabled={pending === member.staffId}
                              onClick={() => void setActive(member, !member.active)}
                            >
                              {t(member.active ? 'staff.deactivate' : 'staff.activate')}
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <AddStaffForm
          onAdded={(member) => {
            setStaff((list) => [...(list ?? []).filter((s) => s.staffId !== member.staffId), member]);
            setNotice(t('staff.added', { name: member.name, staffId: member.staffId }));
            setListError(null);
          }}
        />
      </div>
    </div>
  );
}

function AddStaffForm({ onAdded }: { onAdded: (member: StaffSummary) => void }) {
  const { t } = useTranslation();
  const { handleSessionError } = useApp();
  const firstRef = useRef<HTMLInputElement>(null);
  const [staffId, setStaffId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [pin, setPin] = useState('');
  const [pinConfirm, setPinConfirm] = useState('');

  const { formRef, errors, alert, busy, onSubmit } = useFormSubmit({
    validate: () => confirmPin(t, parseForm(t, NewStaff, { staffId, name, role, pin }), pin, pinConfirm),
    call: (data) => loket().staff.add(data),
    onSuccess: (member) => {
      onAdded(member);
      setStaffId('');
      setName('');
      setRole('');
      setPin('');
      setPinConfirm('');
      firstRef.current?.focus();
    },
    onFailure: (error) => {
      if (handleSessionError(error)) return 'handled';
      if (error.code === 'CONFLICT') return { errors: { staffId: t('errorDetail.staffIdTaken') }, alert: t('errorDetail.staffIdTaken') };
      return failureOf(t, error);
    },
  });

  return (
    <section className="card" aria-labelledby="staff-add-title">
      <h2 id="staff-add-title" className="card__title">
        {t('staff.addTitle')}
      </h2>
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <ErrorAlert>{alert}</ErrorAlert>
        <TextField
          ref={firstRef}
          id="staff-id"
          field="staffId"
          label={t('fields.staffId')}
          hint={t('fields.staffIdHint')}
          value={staffId}
          onChange={(e) => setStaffId(e.target.value)}
          error={errors.staffId}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
        />
        <TextField
          id="staff-name"
          field="name"
          label={t('fields.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          autoComplete="off"
          maxLength={80}
        />
        <SelectField
          id="staff-role"
          field="role"
          label={t('fields.role')}
          value={role}
          onChange={(e) => setRole(e.target.value as Role | '')}
          error={errors.role}
        >
          <option value="">{t('staff.chooseRole')}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <NewPinFields
          id="staff-pin"
          pin={pin}
          pinConfirm={pinConfirm}
          onPinChange={setPin}
          onPinConfirmChange={setPinConfirm}
          errors={errors}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('staff.addSubmit')}
        </button>
      </form>
    </section>
  );
}
