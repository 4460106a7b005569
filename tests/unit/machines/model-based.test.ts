import { describe, expect, it } from 'vitest';
import { POLICY_CATALOG } from '../../../shared/policy/catalog';
import { checkPath, type Violation } from '../../../state-machines/invariants';
import { officer } from './fixtures';
import { MODELS } from './models';
import { walk } from './walk';

/**
 * Model-based tests: walk every simple path (bounded by each model's abstraction) of every machine
 * and check DESIGN.md §2 on every reachable state:
 * (a) refused only with a catalog code whose guard held, (b) security never reaches a refusal or a
 * transfer, (c) every final case state has a receipt, (d) a JHT claim never closes with an
 * unresolved KPJ, (e) no non-reason is accepted (fed in every state), (f) replay == live.
 */
describe('every path of every machine keeps the invariants', () => {
  const reachedCodes = new Map<string, Set<string>>();
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
      for (const p of paths) {
        const res = checkPath(model.flow, model.machine, p.input as never, p.events, { nonReasons: true, nonReasonActor: officer, seen });
        violations.push(...res.violations);
        const last = res.snapshots[res.snapshots.length - 1] as { status: string; value: unknown };
        if (last.status === 'done') finals.add(JSON.stringify(last.value));
        const refusal = (last as { context?: { refusal?: { code: string } | null } }).context?.refusal;
        if (refusal) refusedCodes.add(refusal.code);
      }
      expect(violations.slice(0, 5)).toEqual([]);
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
