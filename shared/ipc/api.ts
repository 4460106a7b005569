import type { IpcResult } from './result';
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from './contract';

type DomainOf<C extends string> = C extends `${infer D}.${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}.${infer V}` ? V : never;

type Call<C extends Channel> = undefined extends RequestOf<C>
  ? (request?: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>
  : (request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;

/** `window.loket`: one method per channel, grouped by domain, e.g. `loket.staff.signIn({...})`. */
export type LoketApi = {
  readonly [D in DomainOf<Channel>]: {
    readonly [V in VerbOf<Channel, D>]: Call<`${D}.${V}` & Channel>;
  };
} & {
  /** Subscribes to an event from main; returns the unsubscribe function. */
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

export type Invoke = (channel: string, request: unknown) => Promise<unknown>;
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;

/**
 * Builds the frozen API object from the channel names. Both transports use it: the preload (IPC)
 * and the browser-mode client (HTTP + SSE), so the renderer cannot tell them apart.
 */
export function buildLoketApi(channels: readonly string[], invoke: Invoke, subscribe: Subscribe): LoketApi {
  const domains: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const name of channels) {
    const [domain, verb] = name.split('.') as [string, string];
    (domains[domain] ??= {})[verb] = (request?: unknown) => invoke(name, request);
  }
  const api: Record<string, unknown> = {};
  for (const [domain, verbs] of Object.entries(domains)) api[domain] = Object.freeze(verbs);
  api.on = (event: string, listener: (payload: unknown) => void) => subscribe(event, listener);
  return Object.freeze(api) as unknown as LoketApi;
}

/** Browser mode's HTTP bridge takes request bodies of at most this many bytes (Electron's IPC has no such cap). */
export const BROWSER_BRIDGE_MAX_BODY = 64 * 1024;
