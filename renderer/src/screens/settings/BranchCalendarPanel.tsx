import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../app/AppContext';
import { loket } from '../../bridge';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Field';
import { useData } from '../../data/DataProvider';
import { branchClosures } from '../../data/branch-closures';
import { useBranchHqClosures } from '../../data/hooks/branch';
import { BRANCH_ZONES, DEFAULT_BRANCH_ZONE, type BranchZone } from '@shared/dates';
import { LocalClosure, HOLIDAY_DECREES } from '@shared/calendar';
import type { Settings } from '@shared/settings';

/**
 * Branch time and closed days in Settings (issue 16, 9 and 10): the branch's zone (WIB/WITA/WIT)
 * in its profile, and the local closures the head adds on top of the shipped national calendar.
 * Every change is written to the device's audit chain (who, when, what). The closures go to HQ,
 * into the branch's case rules, and from there to the branch's other PCs; with HQ away they wait
 * on this PC (main) and the panel says they are not sent yet.
 */
export function BranchCalendarPanel({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const { info, session, refreshInfo, setSettings, handleSessionError } = useApp();
  const data = useData();
  const [zone, setZone] = useState<BranchZone>(info?.branch?.zone ?? DEFAULT_BRANCH_ZONE);
  const [date, setDate] = useState('');
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hqClosures = useBranchHqClosures(data, info?.branch?.code);
  const [sendStatus, setSendStatus] = useState<{ pending: boolean; refused: string | null } | null>(null);
  // While a list waits for HQ, this PC's list is the newest; otherwise HQ's (sent from any head PC) with this PC's notes.
  const closures = branchClosures(settings.localClosures, sendStatus?.pending ? undefined : hqClosures, t('settings.calendar.fromHq'));

  useEffect(() => {
    let live = true;
    const read = () =>
      void loket()
        .branch.localClosuresStatus()
        .then((r) => {
          if (live && r.ok) setSendStatus(r.value);
        });
    read();
    // HQ coming back sends the waiting list (main): read the status again then.
    const off = loket().on('hq.changed', read);
    return () => {
      live = false;
      off();
    };
  }, []);

  const audit = async (action: string, details: Record<string, string>) => {
    if (data.phase !== 'ready' || !session) return;
    await data.audit.append({ at: new Date().toISOString(), actor: { staffId: session.staffId, role: session.role }, action: action as `${string}.${string}`, subject: { kind: 'branch', id: info?.branch?.code ?? 'branch' }, details });
  };

  const run = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      const done = await work();
      if (done) setNotice(done);
    } finally {
      setBusy(false);
    }
  };

  const saveZone = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const before = info?.branch?.zone ?? DEFAULT_BRANCH_ZONE;
      const r = await loket().branch.setZone({ zone });
      if (!r.ok) {
        if (!handleSessionError(r.error)) setError(r.error.message);
        return null;
      }
      await audit('branch.zoneChanged', { from: before, to: zone });
      await refreshInfo();
      return t('settings.calendar.zoneSaved', { zone: t(`settings.calendar.zones.${zone}`) });
    });
  };

  const saveClosures = (next: LocalClosure[], action: string, changed: LocalClosure) =>
    run(async () => {
      const r = await loket().branch.setLocalClosures({ localClosures: next });
      if (!r.ok) {
        if (!handleSessionError(r.error)) setError(r.error.message);
        return null;
      }
      setSettings(r.value.settings);
      setSendStatus({ pending: !r.value.sentToHq, refused: null });
      await audit(action, { date: changed.date, note: changed.note });
      return t(r.value.sentToHq ? 'settings.calendar.closuresSent' : 'settings.calendar.closuresSaved');
    });

  const addClosure = (e: FormEvent) => {
    e.preventDefault();
    const parsed = LocalClosure.safeParse({ date, note });
    if (!parsed.success) return setError(t('settings.calendar.closureInvalid'));
    if (closures.some((c) => c.date === parsed.data.date)) return setError(t('settings.calendar.closureDuplicate'));
    void saveClosures([...closures, parsed.data].sort((a, b) => a.date.localeCompare(b.date)), 'settings.localClosureAdded', parsed.data).then(() => {
      setDate('');
      setNote('');
    });
  };

  return (
    <section className="card form" aria-labelledby="branch-calendar-title" data-testid="branch-calendar">
      <h2 id="branch-calendar-title" className="card__title">
        {t('settings.calendar.title')}
      </h2>
      <ErrorAlert>{error}</ErrorAlert>
      <SuccessNotice>{notice}</SuccessNotice>
      <form onSubmit={saveZone} noValidate>
        <SelectField id="settings-zone" field="zone" label={t('settings.calendar.zone')} hint={t('settings.calendar.zoneHint')} value={zone} onChange={(e) => setZone(e.target.value as BranchZone)}>
          {BRANCH_ZONES.map((z) => (
            <option key={z} value={z}>
              {t(`settings.calendar.zones.${z}`)}
            </option>
          ))}
        </SelectField>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {t('settings.calendar.zoneSubmit')}
          </button>
        </div>
      </form>
      <p className="field__hint">{t('settings.calendar.national', { sources: HOLIDAY_DECREES.map((d) => `${d.year}: ${d.source}`).join(' · ') })}</p>
      {sendStatus?.pending ? (
        <p className="alert alert--warn" role="status" data-testid="local-closures-pending">
          {t('settings.calendar.closuresPending')}
        </p>
      ) : null}
      {sendStatus?.refused ? (
        <p className="alert alert--error" role="alert" data-testid="local-closures-refused">
          {t('settings.calendar.closuresRefused')}
        </p>
      ) : null}
      <table className="table" data-testid="local-closures">
        <caption>{t('settings.calendar.closures')}</caption>
        <tbody>
          {closures.length === 0 ? (
            <tr>
              <td>{t('settings.calendar.noClosures')}</td>
            </tr>
          ) : (
            closures.map((c) => (
              <tr key={c.date}>
                <td>{c.date}</td>
                <td>{c.note}</td>
                <td>
                  <button
                    type="button"
                    className="button button--small"
                    disabled={busy}
                    onClick={() => void saveClosures(closures.filter((x) => x.date !== c.date), 'settings.localClosureRemoved', c)}
                  >
                    {t('settings.calendar.remove', { date: c.date })}
                  </button>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <form onSubmit={addClosure} noValidate>
        <TextField id="settings-closure-date" field="closureDate" label={t('settings.calendar.closureDate')} type="date" value={date} onChange={(e) => setDate(e.target.value)} className="field--short" />
        <TextField id="settings-closure-note" field="closureNote" label={t('settings.calendar.closureNote')} value={note} maxLength={120} onChange={(e) => setNote(e.target.value)} />
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {t('settings.calendar.add')}
          </button>
        </div>
      </form>
    </section>
  );
}
