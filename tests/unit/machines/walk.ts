import { getSimplePaths } from 'xstate/graph';
import type { AnyStateMachine } from 'xstate';
import type { Actor } from '@shared/cases/schema';
import type { Model } from './models';

export type WalkedPath = { input: Record<string, unknown>; events: Array<{ type: string; at: string; actor: Actor } & Record<string, unknown>> };

/** Every simple path (bounded by the model's abstraction) from the initial state. */
export function walk(model: Model, machine: AnyStateMachine = model.machine): WalkedPath[] {
  const out: WalkedPath[] = [];
  for (const input of model.inputs) {
    const paths = getSimplePaths(machine, {
      input,
      events: (s: { status: string }) => (s.status === 'active' ? model.events : []),
      ...(model.filter ? { filterEvents: model.filter } : {}),
      serializeState: (s: unknown) => JSON.stringify(model.abstract(s as never)),
    } as never);
    for (const p of paths) {
      const events = p.steps.map((s) => s.event as WalkedPath['events'][number]).filter((e) => !e.type.startsWith('xstate.'));
      out.push({ input, events });
    }
  }
  return out;
}
