import { describe, expect, it } from 'vitest';
import { POLICY_CATALOG } from '@shared/policy/catalog';
import { checkPath, type Violation } from '@state-machines/invariants';
import { AT, officer, security } from './fixtures';
import { MODELS } from './models';
import { compareWithOracle, type OracleDisagreement } from './refusal-oracle';
import { walk } from './walk';

/**
 * Model-based tests: walk every simple path (bounded by each model's abstraction) of every machine
 * and check DESIGN.md §2 on every reachable state:
 * (a) refused only with a catalog code whose guard held, (b) security never reaches a refusal or a
 * transfer, (c) every final case state has a receipt, (d) a JHT claim never closes with an
 * unresolved KPJ, (e) no non-reason is accepted (fed in every state), (f) replay == live.
 * And, judged by an oracle of the walks' own (refusal-oracle.ts, a table written from DOMAIN.md,
 * not from the catalog code): in every reached state of a case flow, the refusals the machine
 * accepts are exactly those the table says hold.
 */
describe('every path of every machine keeps the invariants', () => {
  const reachedCodes = new Map<string, Set<string>>();
  // The oracle must see each of these hold somewhere in the walk, or its "must hold" side proves nothing.
  const reachedByOracle: Record<string, string[]> = {
    'jht-claim': ['IDENTITY_NOT_VERIFIED', 'WAITING_PERIOD_NOT_ELAPSED', 'DOCUMENT_MISSING', 'NOT_A_PARTICIPANT'],
    'jht-claim (after hours, paid before)': ['IDENTITY_NOT_VERIFIED', 'ALREADY_PAID', 'OUTSIDE_SERVICE_HOURS'],
    'jht-claim (recorded checks, ticket taken in hours)': ['IDENTITY_NOT_VERIFIED', 'DOCUMENT_MISSING'],
    'jht-claim (age not reached, pending KPJ)': ['AGE_NOT_REACHED'],
    'bpu-resignation': ['IDENTITY_NOT_VERIFIED', 'NOT_A_PARTICIPANT', 'OUTSIDE_SERVICE_HOURS'],
    'jmo-reset': ['IDENTITY_NOT_VERIFIED', 'OUTSIDE_SERVICE_HOURS'],
  };
  for (const model of MODELS) {
    const name = model.name ?? model.flow;
    it(`${name}: all walked paths hold`, () => {
      const paths = walk(model);
      console.log(`paths walked: ${name} ${paths.length}`);
      expect(paths.length).toBeGreaterThan(model.flow === 'refusal-review' ? 2 : 10);
      const seen = new Set<string>();
      const violations: Violation[] = [];
      const finals = new Set<string>();
      const refusedCodes = new Set<string>();
      const oracleSeen = new Set<string>();
      const disagreements: OracleDisagreement[] = [];
      const held = new Set<string>();
      const isCase = ['jht-claim', 'bpu-resignation', 'jmo-reset'].includes(model.flow);
      for (const p of paths) {
        const res = checkPath(model.flow, model.machine, p.input as never, p.events, { nonReasons: true, nonReasonActor: officer, seen });
        violations.push(...res.violations);
        if (isCase) {
          for (const [i, snap] of res.snapshots.entries()) {
            const at = p.events[Math.max(0, i - 1)]?.at ?? AT;
            const { value, context } = snap as { value: unknown; context: Record<string, unknown> };
            const key = JSON.stringify({ at, value, context: { ...context, invalidRefusals: null } });
            if (oracleSeen.has(key)) continue;
            oracleSeen.add(key);
            disagreements.push(...compareWithOracle(model.flow as 'jht-claim', model.machine, snap, at, officer, security, held));
          }
        }
        const last = res.snapshots[res.snapshots.length - 1] as { status: string; value: unknown };
        if (last.status === 'done') finals.add(JSON.stringify(last.value));
        const refusal = (last as { context?: { refusal?: { code: string } | null } }).context?.refusal;
        if (refusal) refusedCodes.add(refusal.code);
      }
      expect(violations.slice(0, 5)).toEqual([]);
      if (isCase) console.log(`oracle states judged: ${name} ${oracleSeen.size}; codes that held: ${[...held].sort().join(' ')}`);
      expect(disagreements.slice(0, 5)).toEqual([]);
      if (isCase) for (const code of reachedByOracle[name] ?? []) expect(held).toContain(code);
      // The walk must actually reach the final states, or it proves nothing.
      const expectedFinals: Record<string, string[]> = {
        triage: ['ticketIssued', 'appointmentBooked', 'checkedIn', 'answered', 'declined'],
        // A no-show is not final: the person may return the same day (ticket.rules.test.ts).
        ticket: ['done', 'transferred'],
        'jht-claim': ['closed', 'refused', 'transferred', 'withdrawn'],
        'bpu-resignation': ['closed', 'refused', 'transferred', 'withdrawn'],
        'jmo-reset': ['closed', 'refused', 'transferred', 'withdrawn'],
        'refusal-review': ['upheld', 'overturned'],
      };
      for (const f of model.name ? [] : (expectedFinals[model.flow] ?? [])) expect(finals).toContain(JSON.stringify(f));
      if (model.flow !== 'refusal-review') for (const c of refusedCodes) (reachedCodes.get(model.flow) ?? reachedCodes.set(model.flow, new Set()).get(model.flow)!).add(c);
      // The jht-claim walk takes ~7 s alone and ~40 s on a loaded 2-core machine; a walk, not a timing.
    }, 180_000);
  }

  // Runs after the walks above (tests in a file run in order).
  it('every catalog code of each case flow is reached as a valid refusal on some walked path', () => {
    for (const flow of ['jht-claim', 'bpu-resignation', 'jmo-reset']) {
      const applicable = POLICY_CATALOG.filter((r) => (r.flows as readonly string[]).includes(flow)).map((r) => r.code);
      const reached = [...(reachedCodes.get(flow) ?? [])].sort();
      console.log(`refusal codes reached: ${flow} ${reached.join(' ')}`);
      expect(reached).toEqual([...applicable].sort());
    }
  });
});
