import type { TFunction } from 'i18next';

/** i18next with a key built at run time (machine state names, rejection reasons), with a fallback. */
function tDynamic(t: TFunction, key: string, fallback: string, values: Record<string, unknown> = {}): string {
  return (t as unknown as (k: string, o: Record<string, unknown>) => string)(key, { defaultValue: fallback, ...values });
}

/** The officer's name for a machine state (the raw name when no label exists yet). */
export function stateLabel(t: TFunction, state: string): string {
  return tDynamic(t, `desk.states.${state}`, state);
}

/** Why the journal did not take an event, in words. */
export function rejectionText(t: TFunction, rejection: { reason: string; detail: string }): string {
  return tDynamic(t, `desk.rejections.${rejection.reason}`, rejection.reason, { detail: rejection.detail });
}

/** A journal step in words ("Identitas diperiksa" for `identity.checked`); the raw name only when no label exists yet. */
export function eventLabel(t: TFunction, type: string): string {
  return tDynamic(t, `desk.journalEvents.${type}`, type);
}
