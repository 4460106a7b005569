import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BILLING_CHANNELS, type BillingChannel } from '@shared/cases/schema';
import { localDateOf } from '@shared/dates';
import { parseKpj } from '@shared/identity/kpj';
import type { BpuResignationContext } from '@state-machines';
import { TextField } from '../../../components/Field';
import { useScans } from '../../../data/scanner-hook';
import { currentLanguage } from '../../../i18n';
import { stateOf } from '../case-machines';
import type { FlowProps } from '../flow-props';
import { IdentityStep, StepButton } from './steps';
import { branchZone } from '../../../data/branch-zone';

/**
 * BPU resignation: identity, membership (with the billing channels the person pays through), the
 * stop date (the day they ask: the machine accepts no other), a billing stop per channel, and
 * whether a JHT claim follows today. Each step offers only events the machine can take now.
 */
export function BpuResignationFlow(props: FlowProps) {
  const { t } = useTranslation();
  const state = stateOf(props.caseDoc);
  const c = props.caseDoc.snapshot.context as BpuResignationContext;
  return (
    <div className="flow" data-flow="bpu-resignation" data-case={props.caseDoc.id} data-state={state}>
      <ol className="flow__steps">
        <li className={`flow__step flow__step--${state === 'identity' ? 'now' : 'done'}`}>
          <h3 className="desk__subtitle">{t('desk.flow.identity')}</h3>
          {state === 'identity' ? <IdentityStep {...props} /> : <p className="muted">{t('desk.flow.identityDone')}</p>}
        </li>
        <li className={`flow__step flow__step--${state === 'membership' ? 'now' : c.membership ? 'done' : 'later'}`}>
          <h3 className="desk__subtitle">{t('desk.bpu.membership')}</h3>
          {state === 'membership' ? (
            <MembershipStep {...props} />
          ) : c.membership ? (
            <p className="muted">{t('desk.bpu.membershipDone', { kpj: c.membership.kpj, channels: c.membership.billingChannels.map((ch) => t(`desk.bpu.channels.${ch}`)).join(', ') || '–' })}</p>
          ) : null}
        </li>
        <li className={`flow__step flow__step--${state === 'stopDate' ? 'now' : c.stopDate ? 'done' : 'later'}`}>
          <h3 className="desk__subtitle">{t('desk.bpu.stopDate')}</h3>
          {state === 'stopDate' ? <StopStep {...props} /> : c.stopDate ? <p className="muted">{t('desk.bpu.stopDone', { date: c.stopDate })}</p> : null}
        </li>
        <li className={`flow__step flow__step--${state === 'billing' ? 'now' : c.stopDate && state !== 'billing' ? 'done' : 'later'}`}>
          <h3 className="desk__subtitle">{t('desk.bpu.billing')}</h3>
          {state === 'billing' ? <BillingStep {...props} /> : null}
          {c.billingStops.length ? (
            <ul className="flow__done-list" data-testid="billing-stops">
              {c.billingStops.map((s) => (
                <li key={s.channel}>{t('desk.bpu.billingStopped', { channel: t(`desk.bpu.channels.${s.channel}`), instruction: s.instruction })}</li>
              ))}
            </ul>
          ) : c.membership && state !== 'billing' ? (
            <p className="muted">{t('desk.bpu.noBilling')}</p>
          ) : null}
        </li>
        <li className={`flow__step flow__step--${state === 'continuation' ? 'now' : c.continueIntoJht !== null ? 'done' : 'later'}`}>
          <h3 className="desk__subtitle">{t('desk.bpu.continuation')}</h3>
          {state === 'continuation' ? (
            <div className="desk__actions--row">
              <StepButton {...props} event={{ type: 'jht.declined' }} label={t('desk.bpu.jhtDeclined')} />
              <StepButton {...props} event={{ type: 'jht.continued' }} label={t('desk.bpu.jhtContinued')} />
            </div>
          ) : c.continueIntoJht !== null ? (
            <p className="muted">{c.continueIntoJht ? t('desk.bpu.jhtContinuedDone') : t('desk.bpu.jhtDeclinedDone')}</p>
          ) : null}
        </li>
      </ol>
    </div>
  );
}

function MembershipStep(props: FlowProps) {
  const { t } = useTranslation();
  const [kpj, setKpj] = useState('');
  const [channels, setChannels] = useState<BillingChannel[]>([]);
  const [error, setError] = useState<string | undefined>();
  // Issue 21: a KPJ card's barcode scanned at the counter fills the KPJ field.
  useScans((scan) => {
    if (scan.kind !== 'kpj') return;
    setKpj(scan.kpj);
    setError(undefined);
  });
  const parsed = parseKpj(kpj);
  const event = parsed.ok ? { type: 'bpu.membershipConfirmed', kpj: parsed.value, billingChannels: channels } : null;
  return (
    <div className="form">
      <TextField
        id="bpu-kpj"
        label={t('desk.bpu.kpj')}
        hint={t('desk.bpu.kpjHint')}
        inputMode="numeric"
        autoComplete="off"
        value={kpj}
        onChange={(e) => {
          setKpj(e.target.value);
          setError(undefined);
        }}
        error={error}
      />
      <fieldset className="desk-refusal__set">
        <legend className="field__label">{t('desk.bpu.channelsLegend')}</legend>
        {BILLING_CHANNELS.map((ch) => (
          <label key={ch} className="desk-check">
            <input
              type="checkbox"
              className="checkbox"
              checked={channels.includes(ch)}
              onChange={(e) => setChannels(e.target.checked ? [...channels, ch] : channels.filter((x) => x !== ch))}
            />{' '}
            {t(`desk.bpu.channels.${ch}`)}
          </label>
        ))}
      </fieldset>
      <div className="desk__actions--row">
        <StepButton
          {...props}
          event={event}
          label={t('desk.bpu.confirmMembership')}
          primary
          onInvalid={() => setError(parsed.ok ? undefined : parsed.error.message[currentLanguage()])}
        />
        <StepButton {...props} event={{ type: 'bpu.membershipNotFound' }} label={t('desk.bpu.notFound')} />
      </div>
    </div>
  );
}

function StopStep(props: FlowProps) {
  const { t } = useTranslation();
  // The stop date is the day the person asks (DOMAIN.md): shown, not chosen.
  const today = localDateOf(props.now(), branchZone());
  return (
    <div className="form">
      <p>{t('desk.bpu.stopToday', { date: today })}</p>
      <StepButton {...props} event={{ type: 'stop.recorded', stopDate: today }} label={t('desk.bpu.recordStop')} primary />
    </div>
  );
}

function BillingStep(props: FlowProps) {
  const c = props.caseDoc.snapshot.context as BpuResignationContext;
  const open = (c.membership?.billingChannels ?? []).filter((ch) => !c.billingStops.some((s) => s.channel === ch));
  return (
    <div className="form">
      {open.map((ch) => (
        <ChannelStop key={ch} channel={ch} {...props} />
      ))}
    </div>
  );
}

function ChannelStop(props: FlowProps & { channel: BillingChannel }) {
  const { t } = useTranslation();
  const [instruction, setInstruction] = useState('');
  const [error, setError] = useState<string | undefined>();
  const valid = instruction.trim().length >= 3;
  const id = `bpu-stop-${props.channel}`;
  return (
    <div className="desk-channel" data-channel={props.channel}>
      <TextField
        id={id}
        label={t('desk.bpu.instruction', { channel: t(`desk.bpu.channels.${props.channel}`) })}
        hint={t('desk.bpu.instructionHint')}
        value={instruction}
        maxLength={200}
        onChange={(e) => {
          setInstruction(e.target.value);
          setError(undefined);
        }}
        error={error}
      />
      <StepButton
        {...props}
        event={valid ? { type: 'billingStop.recorded', channel: props.channel, instruction: instruction.trim() } : null}
        label={t('desk.bpu.stopBilling', { channel: t(`desk.bpu.channels.${props.channel}`) })}
        primary
        onInvalid={() => setError(t('desk.bpu.instructionInvalid'))}
      />
    </div>
  );
}
