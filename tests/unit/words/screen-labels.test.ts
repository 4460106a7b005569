import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { RejectionReason } from '@state-machines';
import { bpuResignationMachine, jhtClaimMachine, jmoResetMachine } from '@state-machines';
import '../../../renderer/src/i18n';
import { EVENT_SCHEMAS } from '@shared/cases/schema';
import { eventLabel, rejectionText, stateLabel } from '../../../renderer/src/screens/desk/labels';

// Issue 16 pt 14: no raw codes on the desk. The label functions fall back to the raw code when a
// label is missing, so every state a case can be in and every reason the journal can give must have
// words, in both languages.

const REJECTIONS: Record<RejectionReason, true> = {
  INVALID_EVENT: true,
  OUT_OF_ORDER: true,
  CASE_FINISHED: true,
  NOT_EXPECTED_IN_STATE: true,
  ROLE_NOT_ALLOWED: true,
  GUARD_FAILED: true,
};

const topStates = [jhtClaimMachine, bpuResignationMachine, jmoResetMachine].flatMap((m) => Object.keys(m.root.states));
const caseEventTypes = [
  ...new Set((['jht-claim', 'bpu-resignation', 'jmo-reset'] as const).flatMap((f) => EVENT_SCHEMAS[f].options.map((o) => o.shape.type.value as string))),
];
const SCREAMING = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;

describe.each(['id', 'en'])('desk labels in %s', (lang) => {
  const t = i18next.getFixedT(lang);

  it.each([...new Set(topStates)])('the step "%s" has words', (state) => {
    const label = stateLabel(t, state);
    expect(label).not.toBe(state);
    expect(label.length).toBeGreaterThan(2);
  });

  // The case's journal on the desk lists its steps: "Identitas diperiksa", not `identity.checked`.
  it.each(caseEventTypes)('the journal step %s is said in words', (type) => {
    const label = eventLabel(t, type);
    expect(label).not.toBe(type);
    expect(label).not.toMatch(/\b[a-z]+\.[a-z]+[A-Za-z]*\b/);
  });

  it.each(Object.keys(REJECTIONS))('the rejection %s is said in words', (reason) => {
    const text = rejectionText(t, { reason, detail: 'x' });
    expect(text).not.toContain(reason);
    expect(text).not.toMatch(SCREAMING);
  });
});
