import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Email, MobilePhone } from '@shared/cases/schema';
import type { JmoResetContext } from '@state-machines';
import { TextField } from '../../../components/Field';
import { stateOf } from '../case-machines';
import type { FlowProps } from '../flow-props';
import { IdentityStep, StepButton } from './steps';

const ORDER = ['identity', 'contact', 'resetPending', 'awaitingConfirmation', 'receiptPending'] as const;

/**
 * JMO account reset: identity in person (e-KTP, NIK, KPJ), the new email and phone, the reset and
 * its confirmation. Served in any service hour: there is no other time rule, so none is shown.
 */
export function JmoResetFlow(props: FlowProps) {
  const { t } = useTranslation();
  const state = stateOf(props.caseDoc);
  const c = props.caseDoc.snapshot.context as JmoResetContext;
  const at = ORDER.indexOf(state as (typeof ORDER)[number]);
  const phase = (step: (typeof ORDER)[number]) => {
    const i = ORDER.indexOf(step);
    return at === i ? 'now' : at > i || at === -1 ? 'done' : 'later';
  };
  return (
    <div className="flow" data-flow="jmo-reset" data-case={props.caseDoc.id} data-state={state}>
      <ol className="flow__steps">
        <li className={`flow__step flow__step--${phase('identity')}`}>
          <h3 className="desk__subtitle">{t('desk.flow.identity')}</h3>
          {state === 'identity' ? <IdentityStep {...props} withKpj /> : <p className="muted">{t('desk.flow.identityDone')}</p>}
        </li>
        <li className={`flow__step flow__step--${phase('contact')}`}>
          <h3 className="desk__subtitle">{t('desk.jmo.contact')}</h3>
          {state === 'contact' ? <ContactStep {...props} /> : c.contact ? <p className="muted">{t('desk.jmo.contactDone', c.contact)}</p> : null}
        </li>
        <li className={`flow__step flow__step--${phase('resetPending')}`}>
          <h3 className="desk__subtitle">{t('desk.jmo.reset')}</h3>
          {state === 'resetPending' ? <StepButton {...props} event={{ type: 'reset.requested' }} label={t('desk.jmo.requestReset')} primary /> : null}
          {c.resetRequestedAt ? <p className="muted">{t('desk.jmo.resetRequested')}</p> : null}
        </li>
        <li className={`flow__step flow__step--${phase('awaitingConfirmation')}`}>
          <h3 className="desk__subtitle">{t('desk.jmo.confirm')}</h3>
          {state === 'awaitingConfirmation' ? (
            <>
              <p className="field__hint">{t('desk.jmo.confirmHint')}</p>
              <StepButton {...props} event={{ type: 'reset.confirmed' }} label={t('desk.jmo.confirmReset')} primary />
            </>
          ) : c.resetConfirmedAt ? (
            <p className="muted">{t('desk.jmo.confirmed')}</p>
          ) : null}
        </li>
      </ol>
    </div>
  );
}

function ContactStep(props: FlowProps) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<{ email?: string; phone?: string }>({});
  const emailOk = Email.safeParse(email.trim()).success;
  const phoneOk = MobilePhone.safeParse(phone.trim()).success;
  return (
    <div className="form">
      <TextField
        id="jmo-email"
        type="email"
        label={t('desk.jmo.email')}
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <TextField
        id="jmo-phone"
        type="tel"
        label={t('desk.jmo.phone')}
        hint={t('desk.jmo.phoneHint')}
        autoComplete="off"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        error={errors.phone}
      />
      <StepButton
        {...props}
        event={emailOk && phoneOk ? { type: 'contact.updated', email: email.trim(), phone: phone.trim() } : null}
        label={t('desk.jmo.saveContact')}
        primary
        onInvalid={() => setErrors({ ...(emailOk ? {} : { email: t('desk.jmo.emailInvalid') }), ...(phoneOk ? {} : { phone: t('desk.jmo.phoneInvalid') }) })}
      />
    </div>
  );
}
