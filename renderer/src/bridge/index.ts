import type { LoketApi } from '@shared/ipc/api';
import { createBrowserLoket } from './browser-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    readonly loket?: LoketApi;
  }
}

let api: LoketApi | null = null;

/** The typed bridge to main: the preload's object in Electron, the HTTP client in browser mode. */
export function loket(): LoketApi {
  api ??= window.loket ?? createBrowserLoket();
  return api;
}
