import { useRef, useState, type FormEvent, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { loket } from '../../bridge';
import { useApp } from '../../app/AppContext';
import { errorMessage } from '../../app/errors';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { useData } from '../../data/DataProvider';
import { exportHandcarry, jwkThumbprint, MIN_PASSPHRASE_LENGTH, normalizePublicJwk } from '../../data/handcarry';
import { mainSigner } from '../../data/handcarry-sign';
import { collectPendingFrom } from '../../data/hooks/handcarry';
import { syncStatus } from '../../sync/status';
import { useSyncStatus } from '../../sync/useSyncStatus';

type Strength = 'weak' | 'fair' | 'strong';

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

/**
 * The head's hand-carry export (docs/handcarry-format.md): every record HQ has not acknowledged, in
 * one file encrypted with a passphrase and signed with this device's key (kept by main). The
 * passphrase never leaves this form and is cleared after each export.
 */
export function HandcarryExport() {
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
        <PassphraseField
          id="handcarry-passphrase"
          ref={first}
          label={t('handcarry.passphrase')}
          value={passphrase}
          onChange={setPassphrase}
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
        <PassphraseField id="handcarry-again" ref={second} label={t('handcarry.passphraseAgain')} value={again} onChange={setAgain} error={errors.again} disabled={step !== null} />
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

/** A new passphrase, typed twice: never autofilled from a saved password. */
function PassphraseField(props: { id: string; ref: Ref<HTMLInputElement>; label: string; value: string; onChange: (v: string) => void; error: string | undefined; hint?: ReactNode; disabled: boolean }) {
  const { onChange, ...rest } = props;
  return <TextField {...rest} type="password" autoComplete="new-password" onChange={(e) => onChange(e.target.value)} />;
}
