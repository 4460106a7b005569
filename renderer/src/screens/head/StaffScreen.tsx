import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../../bridge';
import type { IpcError } from '@shared/ipc/result';
import { NewStaff, ResetPin, ROLES, type Role, type Session, type StaffSummary } from '@shared/staff/schema';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { NewPinFields, SelectField, TextField } from '../../components/Field';
import { confirmPin, failureOf, parseForm, useFormSubmit } from '../../components/useFormSubmit';
import { useApp } from '../../app/AppContext';
import { errorMessage } from '../../app/errors';
import { formatHm, parseIso } from '../../app/time';
import { useNow } from '../../app/useNow';
import { useData } from '../../data/DataProvider';
import { TableOrEmpty } from '../../components/TableOrEmpty';

/** Staff management for the branch head and admins: the list, activation, and a form to add staff. */
export function StaffScreen({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { handleSessionError } = useApp();
  const now = useNow(30_000);
  const [staff, setStaff] = useState<StaffSummary[] | null>(null);
  const [listError, setListError] = useState<IpcError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  // Deactivation asks first; a PIN reset opens its own small form (one at a time).
  const [confirming, setConfirming] = useState<StaffSummary | null>(null);
  const [resetting, setResetting] = useState<StaffSummary | null>(null);
  const data = useData();
  const audit = data.phase === 'ready' ? data.audit : null;

  /** Staff changes go into this device's audit chain (it syncs to HQ): who did what to whom, never a PIN. */
  const record = useCallback(
    async (action: `staff.${string}`, staffId: string) => {
      await audit?.append({ at: new Date().toISOString(), actor: { staffId: session.staffId, role: session.role }, action, subject: { kind: 'staff', id: staffId }, details: {} });
    },
    [audit, session.staffId, session.role],
  );

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
    await record(active ? 'staff.activated' : 'staff.deactivated', member.staffId);
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
            {confirming ? (
              <ConfirmDeactivate
                member={confirming}
                busy={pending === confirming.staffId}
                onConfirm={() => {
                  const member = confirming;
                  setConfirming(null);
                  void setActive(member, false);
                }}
                onCancel={() => setConfirming(null)}
              />
            ) : null}
            {resetting ? (
              <ResetPinForm
                member={resetting}
                onDone={(member) => {
                  setResetting(null);
                  setStaff((list) => list?.map((s) => (s.staffId === member.staffId ? member : s)) ?? null);
                  setNotice(t('staff.pinResetDone', { name: member.name, staffId: member.staffId }));
                  setListError(null);
                  void record('staff.pinReset', member.staffId);
                }}
                onCancel={() => setResetting(null)}
              />
            ) : null}
          </div>
          {staff === null ? (
            <p className="card__padded card__hint">{t('staff.loading')}</p>
          ) : <TableOrEmpty empty={staff.length === 0} message={t('staff.empty')} className="card__padded card__hint">
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
                            <>
                              {member.active ? (
                                <button
                                  type="button"
                                  className="button button--small button--ghost"
                                  aria-label={t('staff.resetPinFor', { staffId: member.staffId })}
                                  onClick={() => {
                                    setConfirming(null);
                                    setResetting(member);
                                  }}
                                >
                                  {t('staff.resetPin')}
                                </button>
                              ) : null}{' '}
                              <button
                                type="button"
                                className={member.active ? 'button button--small button--danger-ghost' : 'button button--small'}
                                aria-label={t(member.active ? 'staff.deactivateFor' : 'staff.activateFor', { staffId: member.staffId })}
                                disabled={pending === member.staffId}
                                onClick={() => {
                                  setResetting(null);
                                  if (member.active) setConfirming(member);
                                  else void setActive(member, true);
                                }}
                              >
                                {t(member.active ? 'staff.deactivate' : 'staff.activate')}
                              </button>
                            </>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableOrEmpty>
          }
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

/** "Deactivate X?": a deactivated member cannot sign in and their open session ends. */
function ConfirmDeactivate({ member, busy, onConfirm, onCancel }: { member: StaffSummary; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [member.staffId]);
  return (
    <section
      className="card staff-confirm"
      role="alertdialog"
      aria-labelledby="staff-confirm-title"
      aria-describedby="staff-confirm-text"
      data-testid="staff-confirm-deactivate"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h3 id="staff-confirm-title" className="card__title" tabIndex={-1} ref={heading}>
        {t('staff.confirmDeactivateTitle', { name: member.name, staffId: member.staffId })}
      </h3>
      <p id="staff-confirm-text" className="card__hint">
        {t('staff.confirmDeactivateText')}
      </p>
      <p className="form__actions">
        <button type="button" className="button button--danger" disabled={busy} onClick={onConfirm}>
          {t('staff.confirmDeactivate')}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('staff.cancel')}
        </button>
      </p>
    </section>
  );
}

/** The head gives a member a temporary PIN; the member must set their own at the next sign-in. */
function ResetPinForm({ member, onDone, onCancel }: { member: StaffSummary; onDone: (member: StaffSummary) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { handleSessionError } = useApp();
  const [pin, setPin] = useState('');
  const [pinConfirm, setPinConfirm] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [member.staffId]);

  const { formRef, errors, alert, busy, onSubmit } = useFormSubmit({
    validate: () => confirmPin(t, parseForm(t, ResetPin, { staffId: member.staffId, pin }), pin, pinConfirm),
    call: (data) => loket().staff.resetPin(data),
    onSuccess: onDone,
    onFailure: (error) => (handleSessionError(error) ? 'handled' : failureOf(t, error)),
  });

  return (
    <section
      className="card staff-reset"
      aria-labelledby="staff-reset-title"
      data-testid="staff-reset-pin"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) onCancel();
      }}
    >
      <h3 id="staff-reset-title" className="card__title" tabIndex={-1} ref={heading}>
        {t('staff.resetPinTitle', { name: member.name, staffId: member.staffId })}
      </h3>
      <p className="card__hint">{t('staff.resetPinIntro')}</p>
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <ErrorAlert>{alert}</ErrorAlert>
        <NewPinFields id="staff-reset-pin-field" pin={pin} pinConfirm={pinConfirm} onPinChange={setPin} onPinConfirmChange={setPinConfirm} errors={errors} />
        <p className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('staff.resetPinSubmit')}
          </button>
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t('staff.cancel')}
          </button>
        </p>
      </form>
    </section>
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
