import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { BranchProfile } from '@shared/branch/schema';
import { CASE_FLOWS, type CaseFlow } from '@shared/cases/schema';
import { localDateOf } from '@shared/dates';
import { NIK_INPUT_MAX, normalizeNik, parseNik } from '@shared/identity/nik';
import type { Role } from '@shared/staff/schema';
import { SelectField, TextField } from '../../components/Field';
import { ErrorAlert } from '../../components/Alert';
import type { LocalData } from '../../data/DataProvider';
import type { TicketDoc } from '../../data/db/schemas';
import type { TicketCalls } from '../../data/db/ticket-calls';
import type { NikHasher } from '../../data/nik-hash';
import { currentLanguage } from '../../i18n';
import { caseRulesFor } from '../../data/hooks/branch';
import { branchZone } from '../../data/branch-zone';

const Name = z.string().trim().min(2).max(120);

/** A readable case number: branch, day, ticket number, and a short random tail (two PCs never collide). */
function newCaseId(branchCode: string, ticket: TicketDoc, at: string): string {
  const day = localDateOf(at, branchZone()).replaceAll('-', '');
  const tail = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(3)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${branchCode}-${day}-${ticket.number}-${tail}`.toUpperCase();
}

/**
 * Opens the case for the called ticket: the flow (the ticket's service preselected), the person's
 * NIK and name. The NIK must be the one the ticket was issued to (same keyed hash): tickets are
 * personal, so a number cannot be passed on or sold.
 */
export function OpenCaseForm({
  ticket,
  hasher,
  branch,
  data,
  calls,
  by,
  onOpened,
}: {
  ticket: TicketDoc;
  hasher: NikHasher | null;
  branch: BranchProfile | null;
  data: LocalData;
  calls: TicketCalls;
  by: { staffId: string; role: Role };
  onOpened: (caseId: string) => void;
}) {
  const { t } = useTranslation();
  const preselected = (CASE_FLOWS as readonly string[]).includes(ticket.service) ? (ticket.service as CaseFlow) : 'jht-claim';
  const [flow, setFlow] = useState<CaseFlow>(preselected);
  const [nik, setNik] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<{ nik?: string; name?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    const at = new Date().toISOString();
    const next: { nik?: string; name?: string } = {};
    const cleanNik = normalizeNik(nik); // a pasted `3171-0115-…` or `3171 0115 …` is the same NIK
    const parsed = parseNik(cleanNik, localDateOf(at, branchZone()));
    if (!parsed.ok) next.nik = parsed.error.message[currentLanguage()];
    if (!Name.safeParse(name).success) next.name = t('desk.open.nameInvalid');
    if (!next.nik && hasher && (await hasher(cleanNik)) !== ticket.nikHash) next.nik = t('desk.open.nikMismatch', { number: ticket.number });
    setErrors(next);
    if (next.nik || next.name) return;
    if (!hasher || !branch) {
      setFailure(t('desk.open.notReady'));
      return;
    }
    setBusy(true);
    try {
      // The ticket moves to "serving" first (through its machine); a crash after that resumes here.
      if (ticket.status === 'called') {
        const started = await calls.startServing(ticket.id, by);
        if (!started.ok) {
          setFailure(t('desk.ticketRejected', { detail: started.detail }));
          return;
        }
      }
      const id = newCaseId(branch.code, ticket, at);
      await data.cases.open({
        id,
        flow,
        person: { nik: cleanNik, name: name.trim() },
        ticketId: ticket.id,
        // `openedBy` lets the workbench list this officer's open cases; the machines ignore it.
        // The visit began when the ticket was taken: service hours are judged then, not when the
        // person is called; and checks are recorded, never presumed (issue 16).
        input: { config: await caseRulesFor(data, branch, at), openedBy: by.staffId, visitStartedAt: ticket.issuedAt, recordedChecks: true },
        openedBy: by,
      });
      onOpened(id);
    } catch (err) {
      setFailure(t('desk.unexpected', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form desk__open" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="desk-open-title">
      <h3 id="desk-open-title" className="desk__subtitle">
        {t('desk.open.title', { number: ticket.number })}
      </h3>
      <ErrorAlert>{failure}</ErrorAlert>
      <SelectField id="desk-open-flow" label={t('desk.open.flow')} value={flow} onChange={(e) => setFlow(e.target.value as CaseFlow)}>
        {CASE_FLOWS.map((f) => (
          <option key={f} value={f}>
            {t(`desk.service.${f}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        id="desk-open-nik"
        label={t('desk.open.nik')}
        hint={t('desk.open.nikHint')}
        inputMode="numeric"
        autoComplete="off"
        maxLength={NIK_INPUT_MAX}
        value={nik}
        onChange={(e) => setNik(e.target.value)}
        error={errors.nik}
      />
      <TextField id="desk-open-name" label={t('desk.open.name')} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('desk.open.opening') : t('desk.open.submit')}
        </button>
      </div>
    </form>
  );
}
