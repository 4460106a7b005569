import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CALL, IPC_EVENT } from '@shared/ipc/names';
import { fail } from '@shared/ipc/result';
import type { Core } from '../core';
import type { Logger } from '../log';
import { isAppUrl } from '../security';

type SenderInfo = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender: Pick<WebContents, 'id' | 'mainFrame'> };

/** Only the top frame of our own app page may call main; iframes and foreign pages may not. */
export function isTrustedSender(event: SenderInfo): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame === event.sender.mainFrame && isAppUrl(frame.url);
}

export const clientIdOf = (contents: Pick<WebContents, 'id'>) => `window:${contents.id}`;

/** Wires the core's dispatch to `ipcMain` and its events to the windows that own the sessions. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  core: Core,
  findContents: (id: number) => Pick<WebContents, 'send' | 'isDestroyed'> | undefined,
  log: Logger,
): void {
  ipcMain.handle(IPC_CALL, (event, channel: unknown, request: unknown) => {
    if (!isTrustedSender(event)) {
      log.warn('IPC call from an untrusted frame refused', { channel: String(channel).slice(0, 64) });
      return fail('FORBIDDEN_SENDER', 'Calls are accepted only from the Loket app page.');
    }
    return core.dispatch(clientIdOf(event.sender), channel, request);
  });
  core.onEvent((clientId, name, payload) => {
    const id = Number(clientId.replace('window:', ''));
    const contents = findContents(id);
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT, name, payload);
  });
}
