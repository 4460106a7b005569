import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HANDCARRY_SIGN_PART_CHARS, type HqQuarantinePage } from '../../../../shared/ipc/contract';
import { loket } from '../../bridge';
import { useApp } from '../../app/AppContext';
import { errorMessage } from '../../app/errors';
import { formatHm, parseIso } from '../../app/time';
import { useNow } from '../../app/useNow';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { useData } from '../../data/DataProvider';
import { exportHandcarry, jwkThumbprint, type RemoteSigner, MIN_PASSPHRASE_LENGTH, normalizePublicJwk } from '../../data/handcarry';
import { collectPendingFrom } from '../../data/hooks/handcarry';
import { syncStatus, type SyncLevel } from '../../sync/status';
import { ageParts, useSyncStatus } from '../../sync/useSyncStatus';
import { doubleCallWords } from '../../sync/double-calls';

type Strength = 'weak' | 'fair' | 'strong';

/**
 * What HQ refused from any device of this branch (the branch head's view of HQ's quarantine): what,
 * from which device, when, how often and why. The refused documents stay at HQ.
 */
function HqQuarantine() {
  const { t } = useTranslation();
  const { session, handleSessionError } = useApp();
  const sync = useSyncStatus();
  const [entries, setEntries] = useState<HqQuarantinePage['entries'] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!session || (session.role !== 'head' && session.role !== 'admin') || !sync.link?.enrolled) return null;

  const load = async (older: boolean) => {
    if (loading) return;
    setLoading(true);
    setFailure(null);
    const r = await loket().hq.quarantine(older && next !== null ? { before: next } : {});
    setLoading(false);
    if (!r.ok) {
      if (!handleSessionError(r.error)) setFailure(t('sync.quarantineFailed', { message: errorMessage(t, r.error) }));
      return;
    }
    setEntries((before) => (older && before ? [...before, ...r.value.entries] : r.value.entries));
    setNext(r.value.next);
  };

  return (
    <section className="card" aria-labelledby="sync-quarantine" data-testid="sync-quarantine">
      <h2 id="sync-quarantine" className="card__heading card__padded">
        {t('sync.quarantineTitle')}
      </h2>
      <p className="card__padded card__hint">{t('sync.quarantineIntro')}</p>
      <p className="card__padded form__actions">
        <button type="button" className="button" onClick={() => void load(false)} disabled={loading} aria-busy={loading}>
          {loading ? t('sync.quarantineLoading') : t('sync.quarantineLoad')}
        </button>
      </p>
      {failure ? <ErrorAlert>{failure}</ErrorAlert> : null}
      {entries === null ? (
        <p className="card__padded card__hint">{t('sync.quarantineNotLoaded')}</p>
      ) : entries.length === 0 ? (
        <p className="card__padded card__hint" role="status">
          {t('sync.quarantineNone')}
        </p>
      ) : (
        <>
          <p className="card__padded card__hint" role="status">
            {t('sync.quarantineCount', { count: entries.length })}
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="sync-quarantine-table">
              <thead>
                <tr>
                  <th scope="col">{t('sync.when')}</th>
                  <th scope="col">{t('sync.collection')}</th>
                  <th scope="col">{t('sync.id')}</th>
                  <th scope="col">{t('sync.quarantineDevice')}</th>
                  <th scope="col">{t('sync.quarantineAttempts')}</th>
                  <th scope="col">{t('sync.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((q) => (
                  <tr key={q.qid} data-qid={q.qid}>
                    <td className="nowrap">{formatHm(new Date(q.lastReceivedAt))}</td>
                    <td className="nowrap">{q.collection}</td>
                    <td className="mono">{q.id}</td>
                    <td className="mono">{q.deviceId.slice(0, 8)}</td>
                    <td>{q.attempts}</td>
                    <td>{q.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next !== null ? (
            <p className="card__padded form__actions">
              <button type="button" className="button" onClick={() => void load(true)} disabled={loading}>
                {t('sync.quarantineMore')}
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

/** A rough hint, not a gate (the gate is the minimum length): long phrases of several words are strong. */
export function passphraseStrength(p: string): Strength {
  const chars = [...p];
  if (chars.length < MIN_PASSPHRASE_LENGTH || new Set(chars).size < 6) return 'weak';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/].filter((r) => r.test(p)).length;
  const words = p.trim().split(/\s+/).length;
  if (chars.length >= 20 || (words >= 4 && chars.length >= 16) || (chars.length >= 16 && classes >= 3)) return 'strong';
  return chars.length >= 14 || classes >= 3 ? 'fair' : 'weak';
}

type Step = { kind: 'key' } | { kind: 'collect'; done: number; total: number } | { kind: 'encrypt'; count: number };

/** Signs in main: the text goes in parts (the browser bridge's 64 KB), the last part answers the signature. */
function mainSigner(publicKey: RemoteSigner['publicKey'], recordCount: number): RemoteSigner {
  return {
    publicKey,
    sign: async (text) => {
      const exportId = crypto.randomUUID();
      for (let at = 0; ; at += HANDCARRY_SIGN_PART_CHARS) {
        const part = text.slice(at, at + HANDCARRY_SIGN_PART_CHARS);
        const last = at + HANDCARRY_SIGN_PART_CHARS >= text.length;
        const r = await loket().handcarry.sign({ exportId, part, last, recordCount });
        if (!r.ok) throw new Error(r.error.message);
        if (last) {
          if (r.value.signature === null) throw new Error('main did not sign the file');
          return r.value.signature;
        }
      }
    },
  };
}

/**
 * The head's hand-carry export (docs/handcarry-format.md): every record HQ has not acknowledged, in
 * one file encrypted with a passphrase and signed with this device's key (kept by main). The
 * passphrase never leaves this form and is cleared after each export.
 */
function HandcarryExport() {
  const { t } = useTranslation();
  const { info, session, handleSessionError } = useApp();
  const data = useData();
  const sync = useSyncStatus();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<{ passphrase?: string; again?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [step, setStep] = useState<Step | null>(null);
  const [done, setDone] = useState<{ count: number; file: string; print: string } | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);
  if (!session || (session.role !== 'head' && session.role !== 'admin')) return null;
  const branchCode = info?.branch?.code ?? null;
  const strength = passphraseStrength(passphrase);
  const length = [...passphrase.normalize('NFC')].length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (step) return;
    setFailure(null);
    setDone(null);
    const next: { passphrase?: string; again?: string } = {};
    if (length < MIN_PASSPHRASE_LENGTH) next.passphrase = t('handcarry.tooShort', { min: MIN_PASSPHRASE_LENGTH, count: length });
    else if (again !== passphrase) next.again = t('handcarry.mismatch');
    setErrors(next);
    if (next.passphrase) return first.current?.focus();
    if (next.again) return second.current?.focus();
    if (!branchCode || !info) return setFailure(t('handcarry.noBranch'));
    if (data.phase !== 'ready') return setFailure(t('handcarry.notReady'));
    try {
      setStep({ kind: 'key' });
      // Main keeps the device key and signs (issue 18 pt 7): only the public key comes here.
      const key = await loket().handcarry.publicKey();
      if (!key.ok) {
        if (!handleSessionError(key.error)) setFailure(t('handcarry.keyFailed', { message: errorMessage(t, key.error) }));
        return;
      }
      const print = await jwkThumbprint(normalizePublicJwk(key.value));
      const keys = syncStatus.pendingKeys();
      setStep({ kind: 'collect', done: 0, total: keys.length });
      const records = await collectPendingFrom(data, keys, (n, total) => setStep({ kind: 'collect', done: n, total }));
      setStep({ kind: 'encrypt', count: records.length });
      const now = new Date();
      const signingKey = mainSigner(key.value, records.length);
      const text = await exportHandcarry({ records, branchCode, deviceId: info.deviceId, passphrase, signingKey, now: () => now });
      // A Blob and <a download>: works in Electron and in browser mode under the app's CSP (no navigation).
      const file = `${branchCode}-${now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}.loket`;
      const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setPassphrase('');
      setAgain('');
      setDone({ count: records.length, file, print });
    } catch (err) {
      setFailure(t('handcarry.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setStep(null);
    }
  };

  const progress =
    step?.kind === 'key'
      ? t('handcarry.stepKey')
      : step?.kind === 'collect'
        ? t('handcarry.stepCollect', { done: step.done, total: step.total })
        : step?.kind === 'encrypt'
          ? t('handcarry.stepEncrypt', { count: step.count })
          : '';
  return (
    <section className="card handcarry" aria-labelledby="sync-handcarry" data-testid="handcarry">
      <h2 id="sync-handcarry" className="card__heading card__padded">
        {t('handcarry.title')}
      </h2>
      <form className="form card__padded" onSubmit={(e) => void submit(e)} noValidate aria-busy={step ? true : undefined}>
        <p className="card__hint">{t('handcarry.intro')}</p>
        <p data-testid="handcarry-count">
          <strong>{t('handcarry.pending', { count: sync.pendingCount })}</strong>
          {sync.pendingCount === 0 ? <> · {t('handcarry.nothingPending')}</> : null}
        </p>
        <TextField
          id="handcarry-passphrase"
          ref={first}
          label={t('handcarry.passphrase')}
          type="password"
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          error={errors.passphrase}
          hint={
            <>
              {t('handcarry.passphraseHint', { min: MIN_PASSPHRASE_LENGTH })}{' '}
              <span data-testid="handcarry-strength" data-strength={passphrase ? strength : undefined}>
                {passphrase ? t('handcarry.strength', { level: t(`handcarry.strength${strength === 'weak' ? 'Weak' : strength === 'fair' ? 'Fair' : 'Strong'}`) }) : ''}
              </span>
            </>
          }
          disabled={step !== null}
        />
        <TextField
          id="handcarry-again"
          ref={second}
          label={t('handcarry.passphraseAgain')}
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          error={errors.again}
          disabled={step !== null}
        />
        <p className="form__actions">
          <button type="submit" className="button button--primary" disabled={step !== null}>
            {t('handcarry.submit')}
          </button>
        </p>
        <p role="status" aria-live="polite" className="card__hint" data-testid="handcarry-progress">
          {progress}
        </p>
        <ErrorAlert>{failure}</ErrorAlert>
        <SuccessNotice>
          {done ? (
            <>
              {t('handcarry.done', { count: done.count, file: done.file })}
              <br />
              <span className="mono">{t('handcarry.keyPrint', { print: done.print })}</span>
            </>
          ) : null}
        </SuccessNotice>
      </form>
    </section>
  );
}

/** The words for each level of a record (issue 17). */
const LEVEL_TEXT = {
  local: { name: 'sync.levelLocal', help: 'sync.levelLocalHelp' },
  branch: { name: 'sync.levelBranch', help: 'sync.levelBranchHelp' },
  hq: { name: 'sync.levelHq', help: 'sync.levelHqHelp' },
} as const satisfies Record<SyncLevel, { name: string; help: string }>;

/** This PC's link to the branch hub (issue 17); a PC without a hub says it sends straight to HQ. */
function HubLinkCard() {
  const { t } = useTranslation();
  const hub = useSyncStatus().hub;
  const contact = parseIso(hub?.lastContactAt ?? null);
  return (
    <section className="card" aria-labelledby="sync-hub" data-testid="sync-hub">
      <h2 id="sync-hub" className="card__heading card__padded">
        {t('sync.hubTitle')}
      </h2>
      {!hub || hub.role === 'none' ? (
        <p className="card__padded card__hint">{t('sync.hubNone')}</p>
      ) : (
        <dl className="facts card__padded">
          {hub.role === 'host' ? (
            <div>
              <dt>{t('sync.hubTitle')}</dt>
              <dd>{t('sync.hubThisPc')}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('sync.hubAddress')}</dt>
            <dd className="mono">{hub.hub?.url ?? t('sync.none')}</dd>
          </div>
          <div>
            <dt>{t('sync.link')}</dt>
            <dd>{hub.connected ? t('sync.connected') : t('sync.disconnected')}</dd>
          </div>
          <div>
            <dt>{t('sync.lastContact')}</dt>
            <dd>{contact ? formatHm(contact) : t('sync.never')}</dd>
          </div>
          <div>
            <dt>{t('sync.lastError')}</dt>
            <dd>{hub.lastError ? `${formatHm(new Date(hub.lastError.at))} ${hub.lastError.message}` : t('sync.none')}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

/**
 * The flight recorder for the branch head: the HQ link, records HQ has not acknowledged yet,
 * conflicts to review, and recent errors. Only kind, id, age and the problem: no personal data.
 */
export function SyncScreen() {
  const { t } = useTranslation();
  const sync = useSyncStatus();
  const now = useNow(15_000);
  const link = sync.link;
  const contact = parseIso(link?.lastContactAt ?? null);
  const age = (since: number) => {
    const a = ageParts(since, now.getTime());
    return t(a.key, { count: a.count });
  };
  const more = sync.pendingCount - sync.pending.length;
  // Not enrolled, or enrolled without a successful contact yet: nothing is known to be at HQ.
  const neverReachedHq = !link?.enrolled || !contact;
  const exportReport = () => {
    // The flight recorder as a file: no document content, so no personal data.
    const report = {
      exportedAt: new Date().toISOString(),
      link: link ? { url: link.url, branchCode: link.branchCode, connected: link.connected, lastContactAt: link.lastContactAt, lastError: link.lastError } : null,
      pendingCount: sync.pendingCount,
      levels: sync.levels,
      upstream: sync.upstream,
      pending: sync.pending.map((p) => ({ collection: p.collection, id: p.id, level: p.level, since: new Date(p.since).toISOString(), error: p.error })),
      conflicts: sync.conflicts,
      errors: sync.errors.map((e) => ({ at: new Date(e.at).toISOString(), collection: e.collection, message: e.message })),
    };
    const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `loket-sync-${link?.branchCode ?? 'device'}-${report.exportedAt.slice(0, 19).replace(/[:T]/g, '')}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="page" data-testid="sync-page">
      <h1 className="page__title">{t('sync.title')}</h1>
      <p className="page__intro">{t('sync.intro')}</p>
      <p className="form__actions">
        <button type="button" className="button" onClick={exportReport} title={t('sync.exportHint')}>
          {t('sync.export')}
        </button>
      </p>

      <HandcarryExport />

      <HqQuarantine />

      <section className="card" aria-labelledby="sync-link">
        <h2 id="sync-link" className="card__heading card__padded">
          {t('sync.link')}
        </h2>
        <dl className="facts card__padded" data-testid="sync-link">
          <div>
            <dt>{t('hqConnect.url')}</dt>
            <dd>{link?.enrolled ? `${link.url ?? ''} · ${link.branchCode ?? ''}` : t('sync.notEnrolled')}</dd>
          </div>
          <div>
            <dt>{t('sync.link')}</dt>
            <dd>{link?.connected ? t('sync.connected') : t('sync.disconnected')}</dd>
          </div>
          <div>
            <dt>{t('sync.lastContact')}</dt>
            <dd>{contact ? formatHm(contact) : t('sync.never')}</dd>
          </div>
          <div>
            <dt>{t('sync.lastError')}</dt>
            <dd>{link?.lastError ? `${formatHm(new Date(link.lastError.at))} ${link.lastError.code}: ${link.lastError.message}` : t('sync.none')}</dd>
          </div>
          <div>
            <dt>{t('sync.route')}</dt>
            <dd data-testid="sync-route">{sync.upstream === 'hub' ? t('sync.routeHub') : sync.upstream === 'hq' ? t('sync.routeHq') : t('sync.routeNone')}</dd>
          </div>
        </dl>
      </section>

      <HubLinkCard />

      <section className="card" aria-labelledby="sync-levels" data-testid="sync-levels">
        <h2 id="sync-levels" className="card__heading card__padded">
          {t('sync.levelsTitle')}
        </h2>
        <p className="card__padded card__hint">{t('sync.levelsIntro')}</p>
        <dl className="facts card__padded">
          {(['local', 'branch', 'hq'] as const).map((level) => (
            <div key={level} data-level={level}>
              <dt>
                {t(LEVEL_TEXT[level].name)} <strong data-testid={`sync-level-${level}`}>({sync.levels[level]})</strong>
              </dt>
              <dd>{t(LEVEL_TEXT[level].help)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="card" aria-labelledby="sync-pending">
        <h2 id="sync-pending" className="card__heading card__padded">
          {t('sync.pendingTitle')} ({sync.pendingCount})
        </h2>
        {sync.refusedCount > 0 ? (
          <p className="card__padded card__hint" role="status" data-testid="sync-refused">
            {t('sync.refusedSummary', { count: sync.refusedCount })}
          </p>
        ) : null}
        {/* Never "all received by HQ" from a device that has not reached HQ: say why nothing was sent. */}
        {neverReachedHq ? (
          <p className="card__padded card__hint" data-testid="sync-never-sent">
            {link?.enrolled ? t('sync.noContactYet') : t('sync.notSentNotConnected')}
          </p>
        ) : null}
        {sync.pendingCount === 0 ? (
          neverReachedHq ? null : <p className="card__padded card__hint">{t('sync.pendingNone')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="sync-pending-table">
              <thead>
                <tr>
                  <th scope="col">{t('sync.collection')}</th>
                  <th scope="col">{t('sync.id')}</th>
                  <th scope="col">{t('sync.level')}</th>
                  <th scope="col">{t('sync.age')}</th>
                  <th scope="col">{t('sync.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {sync.pending.map((p) => (
                  <tr key={`${p.collection}/${p.id}`} data-id={p.id} data-level={p.level} data-refused={p.error ? 'true' : undefined}>
                    <td className="nowrap">{p.collection}</td>
                    <td className="mono">{p.id}</td>
                    <td className="nowrap">{t(LEVEL_TEXT[p.level].name)}</td>
                    <td className="nowrap">{age(p.since)}</td>
                    <td>{p.error ? t('sync.rejected', { reason: p.error }) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {more > 0 ? <p className="card__padded card__hint">{t('sync.pendingMore', { count: more })}</p> : null}
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="sync-conflicts">
        <h2 id="sync-conflicts" className="card__heading card__padded">
          {t('sync.conflictsTitle')} ({sync.conflicts.length})
        </h2>
        {sync.conflicts.length === 0 ? (
          <p className="card__padded card__hint">{t('sync.conflictsNone')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="sync-conflicts-table">
              <tbody>
                {sync.conflicts.map((c) => (
                  <tr key={`${c.collection}/${c.id}`}>
                    <td className="nowrap">{c.collection}</td>
                    <td className="mono">{c.id}</td>
                    <td className="nowrap">{formatHm(new Date(c.at))}</td>
                    <td>{doubleCallWords(c.reason, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="sync-errors">
        <h2 id="sync-errors" className="card__heading card__padded">
          {t('sync.errorsTitle')}
        </h2>
        {sync.errors.length === 0 ? (
          <p className="card__padded card__hint">{t('sync.errorsNone')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="sync-errors-table">
              <thead>
                <tr>
                  <th scope="col">{t('sync.when')}</th>
                  <th scope="col">{t('sync.collection')}</th>
                  <th scope="col">{t('sync.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {sync.errors.map((e, i) => (
                  <tr key={`${e.at}-${i}`}>
                    <td className="nowrap">{formatHm(new Date(e.at))}</td>
                    <td className="nowrap">{e.collection ?? ''}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
