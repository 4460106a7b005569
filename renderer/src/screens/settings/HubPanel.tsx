import { useCallback, useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useApp } from '../../app/AppContext';
import { errorMessage } from '../../app/errors';
import { formatHm } from '../../app/time';
import { loket } from '../../bridge';
import { ErrorAlert, SuccessNotice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import type { HubSeen, HubStatus } from '@shared/ipc/contract';
import type { IpcError } from '@shared/ipc/result';

/**
 * The branch hub in Settings (issue 17, head only): what this PC is (no hub, uses the hub at …, is
 * the hub), making this PC the hub (also how the role moves to another PC) or stopping it, the
 * pairing code in large type on the hub PC, the hubs of this branch seen on the LAN, and an address
 * (with the code read from the hub PC's screen) for LANs where PCs cannot find each other.
 */

const DEFAULT_PORT = '47600';

/** `host:port` of a hub URL, as people read it. */
export function addressOf(url: string): string {
  return url.replace(/^https:\/\//, '').replace(/\/$/, '');
}

/** What to tell the head when a hub call fails: what happened and what to do. */
export function hubErrorText(t: TFunction, error: IpcError, address: string): string {
  const code = error.details?.hq?.code;
  if (error.code === 'HUB_CODE_WRONG') return t('settings.hub.errors.codeWrong');
  if (error.code === 'HUB_UNREACHABLE') return t('settings.hub.errors.unreachable', { address });
  if (error.code === 'HUB_REJECTED') {
    if (code === 'OTHER_BRANCH') {
      const branch = error.details?.hq?.details?.hubBranch;
      return t('settings.hub.errors.otherBranch', { branch: typeof branch === 'string' ? branch : '?' });
    }
    if (code === 'UNKNOWN_DEVICE') return t('settings.hub.errors.unknownDevice');
    if (code === 'NOT_PAIRED') return t('settings.hub.errors.notPaired');
  }
  return errorMessage(t, error);
}

export interface HubPanelViewProps {
  status: HubStatus | null;
  discovered: HubSeen[];
  /** This PC's LAN addresses (on the hub PC: where the others reach it). */
  lanAddresses: string[];
  busy: boolean;
  confirming: 'become' | 'release' | null;
  error: string | null;
  notice: string | null;
  host: string;
  port: string;
  code: string;
  fieldErrors: { host?: string | undefined; port?: string | undefined; code?: string | undefined };
  codeRef?: RefObject<HTMLInputElement | null>;
  onHost: (v: string) => void;
  onPort: (v: string) => void;
  onCode: (v: string) => void;
  onBecome: () => void;
  onRelease: () => void;
  onConfirm: () => void;
  onCancel: () => void;
  onSearch: () => void;
  onPick: (hub: HubSeen) => void;
  onConnect: (e: FormEvent) => void;
  onForget: () => void;
}

export function HubPanelView(p: HubPanelViewProps) {
  const { t } = useTranslation();
  const s = p.status;
  const hosting = s?.hosting ?? null;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (p.confirming) heading.current?.focus();
  }, [p.confirming]);

  return (
    <section className="card form" aria-labelledby="hub-title" data-testid="hub-panel">
      <h2 id="hub-title" className="card__title">
        {t('settings.hub.title')}
      </h2>
      <p className="field__hint">{t('settings.hub.intro')}</p>
      <ErrorAlert>{p.error}</ErrorAlert>
      <SuccessNotice>{p.notice}</SuccessNotice>

      <p data-testid="hub-role" data-role={s?.role ?? 'none'}>
        {!s || s.role === 'none'
          ? t('settings.hub.role.none')
          : s.role === 'host'
            ? t('settings.hub.role.host')
            : t('settings.hub.role.client', { address: addressOf(s.hub?.url ?? ''), source: t(`settings.hub.source.${s.hub?.source ?? 'manual'}`) })}
      </p>
      {s && s.hub ? (
        <p className="field__hint" data-testid="hub-connected" data-connected={String(s.connected)}>
          {s.connected ? t('settings.hub.connected') : t('settings.hub.disconnected')}
          {s.lastContactAt ? ` ${t('settings.hub.lastContact', { time: formatHm(new Date(s.lastContactAt)) })}` : ''}
        </p>
      ) : null}

      {hosting ? (
        <div className="hub-hosting" data-testid="hub-hosting">
          {p.lanAddresses.length > 0 && s?.hub ? (
            <p data-testid="hub-own-address">
              {t('settings.hub.ownAddress', { addresses: p.lanAddresses.map((a) => `${a}:${new URL(s.hub!.url).port}`).join(', ') })}
            </p>
          ) : null}
          <p>
            {t(`settings.hub.hosting.${hosting.state}`, { count: hosting.crashes })} · {t(`settings.hub.hqLink.${hqLinkKey(hosting.hqLink)}`)}
          </p>
          {hosting.shortCode ? (
            <div className="hub-code" aria-labelledby="hub-code-title">
              <h3 id="hub-code-title" className="field__label">
                {t('settings.hub.code.title')}
              </h3>
              <p className="hub-code__value" data-testid="hub-short-code">
                {hosting.shortCode}
              </p>
              <p className="field__hint">{t('settings.hub.code.hint')}</p>
            </div>
          ) : null}
        </div>
      ) : null}

      {p.confirming ? (
        <section
          className="card staff-confirm"
          role="alertdialog"
          aria-labelledby="hub-confirm-title"
          aria-describedby="hub-confirm-text"
          data-testid="hub-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') p.onCancel();
          }}
        >
          <h3 id="hub-confirm-title" className="card__title" tabIndex={-1} ref={heading}>
            {t(p.confirming === 'become' ? 'settings.hub.become' : 'settings.hub.release')}
          </h3>
          <p id="hub-confirm-text" className="card__hint">
            {t(p.confirming === 'become' ? (s?.role === 'client' ? 'settings.hub.becomeConfirmMove' : 'settings.hub.becomeConfirm') : 'settings.hub.releaseConfirm')}
          </p>
          <p className="form__actions">
            <button type="button" className={p.confirming === 'become' ? 'button button--primary' : 'button button--danger'} disabled={p.busy} onClick={p.onConfirm}>
              {t(p.confirming === 'become' ? 'settings.hub.becomeYes' : 'settings.hub.releaseYes')}
            </button>
            <button type="button" className="button button--ghost" onClick={p.onCancel}>
              {t('settings.hub.cancel')}
            </button>
          </p>
        </section>
      ) : (
        <div className="form__actions">
          {s?.role === 'host' ? (
            <button type="button" className="button button--danger" disabled={p.busy} onClick={p.onRelease}>
              {t('settings.hub.release')}
            </button>
          ) : (
            <button type="button" className="button" disabled={p.busy} onClick={p.onBecome}>
              {t('settings.hub.become')}
            </button>
          )}
        </div>
      )}

      {s?.role !== 'host' ? (
        <>
          <table className="table" data-testid="hub-discovered">
            <caption>{t('settings.hub.discovered.title')}</caption>
            <tbody>
              {p.discovered.length === 0 ? (
                <tr>
                  <td>{t('settings.hub.discovered.none')}</td>
                </tr>
              ) : (
                p.discovered.map((h) => (
                  <tr key={h.name} data-hub={`${h.host}:${h.port}`} data-trusted={String(h.trusted)}>
                    <td>
                      {h.host}:{h.port}
                    </td>
                    <td>{h.trusted ? t('settings.hub.discovered.trusted') : t('settings.hub.discovered.untrusted')}</td>
                    <td>
                      {h.trusted ? null : (
                        <button type="button" className="button button--small" disabled={p.busy} onClick={() => p.onPick(h)}>
                          {t('settings.hub.discovered.pair', { address: `${h.host}:${h.port}` })}
                        </button>
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          <div className="form__actions">
            <button type="button" className="button button--small" disabled={p.busy} onClick={p.onSearch}>
              {t('settings.hub.discovered.search')}
            </button>
          </div>

          <form onSubmit={p.onConnect} noValidate aria-labelledby="hub-connect-title" data-testid="hub-connect">
            <h3 id="hub-connect-title" className="field__label">
              {t('settings.hub.connect.title')}
            </h3>
            <p className="field__hint">{t('settings.hub.connect.intro')}</p>
            <TextField
              id="hub-host"
              field="host"
              label={t('settings.hub.connect.host')}
              hint={t('settings.hub.connect.hostHint')}
              value={p.host}
              onChange={(e) => p.onHost(e.target.value)}
              error={p.fieldErrors.host}
              autoComplete="off"
              spellCheck={false}
              maxLength={253}
            />
            <TextField
              id="hub-port"
              field="port"
              label={t('settings.hub.connect.port')}
              type="number"
              inputMode="numeric"
              min={1}
              max={65535}
              value={p.port}
              onChange={(e) => p.onPort(e.target.value)}
              error={p.fieldErrors.port}
              className="field--short"
            />
            <TextField
              id="hub-code"
              field="code"
              label={t('settings.hub.connect.code')}
              hint={t('settings.hub.connect.codeHint')}
              inputMode="numeric"
              autoComplete="off"
              maxLength={9}
              placeholder="1234-5678"
              value={p.code}
              onChange={(e) => p.onCode(e.target.value)}
              error={p.fieldErrors.code}
              className="field--short"
              {...(p.codeRef ? { ref: p.codeRef } : {})}
            />
            <div className="form__actions">
              <button type="submit" className="button button--primary" disabled={p.busy}>
                {t('settings.hub.connect.submit')}
              </button>
              {s?.hub ? (
                <button type="button" className="button button--ghost" disabled={p.busy} onClick={p.onForget}>
                  {t('settings.hub.connect.forget')}
                </button>
              ) : null}
            </div>
          </form>
        </>
      ) : null}
    </section>
  );
}

function hqLinkKey(link: string): 'ok' | 'unreachable' | 'refused' | 'unknown' {
  return link === 'ok' || link === 'unreachable' || link === 'refused' ? link : 'unknown';
}

/** The panel with its calls: hub.status / hub.changed, hub.discovered, become, release, setAddress, pair. */
export function HubPanel() {
  const { t } = useTranslation();
  const { handleSessionError } = useApp();
  const [status, setStatus] = useState<HubStatus | null>(null);
  const [discovered, setDiscovered] = useState<HubSeen[]>([]);
  const [lanAddresses, setLanAddresses] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<'become' | 'release' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState(DEFAULT_PORT);
  const [code, setCode] = useState('');
  const [fieldErrors, setFieldErrors] = useState<HubPanelViewProps['fieldErrors']>({});
  const codeRef = useRef<HTMLInputElement>(null);

  const loadDiscovered = useCallback(async (refresh: boolean) => {
    const r = await loket().hub.discovered({ refresh });
    if (r.ok) {
      setDiscovered(r.value.hubs);
      setLanAddresses(r.value.lanAddresses);
    }
  }, []);

  useEffect(() => {
    void loket()
      .hub.status()
      .then((r) => {
        if (r.ok) setStatus(r.value);
      });
    void loadDiscovered(false);
    const off = loket().on('hub.changed', setStatus);
    // Answers on the LAN come and go: the list follows while the page is open.
    const timer = setInterval(() => void loadDiscovered(false), 5_000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [loadDiscovered]);

  const fail = (e: IpcError, address = '') => {
    if (!handleSessionError(e)) setError(hubErrorText(t, e, address));
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };

  const confirm = () =>
    void run(async () => {
      const which = confirming;
      setConfirming(null);
      const r = which === 'become' ? await loket().hub.become() : await loket().hub.release();
      if (!r.ok) return fail(r.error);
      setStatus(r.value);
      setNotice(t(which === 'become' ? 'settings.hub.becomeDone' : 'settings.hub.releaseDone'));
    });

  const connect = (e: FormEvent) => {
    e.preventDefault();
    const h = host.trim();
    const portNumber = Number(port);
    const typed = code.replace(/[\s-]/g, '');
    const errs: HubPanelViewProps['fieldErrors'] = {};
    if (!/^[A-Za-z0-9.:-]{1,253}$/.test(h)) errs.host = t('settings.hub.errors.hostInvalid');
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65_535) errs.port = t('settings.hub.errors.portInvalid');
    if (typed !== '' && !/^\d{8}$/.test(typed)) errs.code = t('settings.hub.errors.codeInvalid');
    setFieldErrors(errs);
    if (Object.keys(errs).length > 0) {
      setError(t('validation.summary'));
      return;
    }
    const address = `${h}:${portNumber}`;
    void run(async () => {
      // With a code: pair (WAN down, HQ cannot vouch). Without: only a hub this PC already trusts.
      const r = typed ? await loket().hub.pair({ host: h, port: portNumber, code: typed }) : await loket().hub.setAddress({ host: h, port: portNumber });
      if (!r.ok) return fail(r.error, address);
      setStatus(r.value);
      setCode('');
      setNotice(t('settings.hub.connect.done', { address }));
      void loadDiscovered(false);
    });
  };

  const forget = () =>
    void run(async () => {
      const r = await loket().hub.setAddress(null);
      if (!r.ok) return fail(r.error);
      setStatus(r.value);
      setNotice(t('settings.hub.connect.forgotten'));
    });

  return (
    <HubPanelView
      status={status}
      discovered={discovered}
      lanAddresses={lanAddresses}
      busy={busy}
      confirming={confirming}
      error={error}
      notice={notice}
      host={host}
      port={port}
      code={code}
      fieldErrors={fieldErrors}
      codeRef={codeRef}
      onHost={setHost}
      onPort={setPort}
      onCode={setCode}
      onBecome={() => setConfirming('become')}
      onRelease={() => setConfirming('release')}
      onConfirm={confirm}
      onCancel={() => setConfirming(null)}
      onSearch={() =>
        void run(async () => {
          await loadDiscovered(true);
          // Answers take a moment to arrive.
          await new Promise((r) => setTimeout(r, 1_500));
          await loadDiscovered(false);
        })
      }
      onPick={(h) => {
        setHost(h.host);
        setPort(String(h.port));
        setCode('');
        codeRef.current?.focus();
      }}
      onConnect={connect}
      onForget={forget}
    />
  );
}
