import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialStore } from '../../../main/hq/credentials';
import { HubHosting } from '../../../main/hub/hosting';
import type { HubChild } from '../../../main/hub/launcher';
import type { HubLink } from '../../../main/hub/link';
import { HubSettingsStore } from '../../../main/hub/settings';

// Issue 17 pt 8, seen in hub-faults.spec: the hub PC keeps the latest roster HQ signed (PCs enrolled
// since the hub first started are on it). When the hub's process dies and is started again while
// the WAN is down, it must be given that latest roster, not the one it was given at its first start.

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

class FakeChild implements HubChild {
  readonly pid = 4242;
  readonly sent: { type: string; config?: { roster?: unknown } }[] = [];
  private readonly events = new EventEmitter();
  send(m: unknown): void {
    this.sent.push(m as { type: string });
    if ((m as { type?: string }).type === 'stop') queueMicrotask(() => this.events.emit('exit', 0));
  }
  onMessage(l: (m: unknown) => void): void {
    this.events.on('message', l);
  }
  onExit(l: (code: number | null) => void): void {
    this.events.on('exit', l);
  }
  kill(): void {
    this.events.emit('exit', null);
  }
  ready(): void {
    this.events.emit('message', { type: 'ready', url: 'https://127.0.0.1:47600', port: 47_600, fingerprint: 'AB:CD' });
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('hub hosting: the roster given at each start', () => {
  it('a hub restarted after a crash gets the roster this PC holds now', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'loket-hosting-roster-'));
    dirs.push(userDataDir);
    const children: FakeChild[] = [];
    let kept: unknown = { roster: 1 };
    const credentials = { read: () => ({ url: 'https://hq.test', token: 't'.repeat(20), branchCode: 'JKT01', deviceId: crypto.randomUUID() }) } as unknown as CredentialStore;
    const link = { setHosting: () => undefined, setTarget: () => undefined, target: () => null } as unknown as HubLink;
    const hosting = new HubHosting({
      userDataDir,
      entry: 'hub-child.js',
      spawn: () => () => {
        const c = new FakeChild();
        children.push(c);
        queueMicrotask(() => c.ready());
        return c;
      },
      host: '127.0.0.1',
      port: 47_600,
      credentials,
      settings: new HubSettingsStore(userDataDir),
      link,
      claim: () => Promise.resolve(),
      log: quiet,
      restart: { minMs: 1, maxMs: 1 },
      roster: () => kept,
    });
    await hosting.become('kepala-1');
    expect(children[0]!.sent[0]).toMatchObject({ type: 'start', config: { roster: { roster: 1 } } });

    kept = { roster: 2 }; // HQ signed a newer roster since (a PC enrolled)
    children[0]!.kill();
    for (let i = 0; i < 200 && children.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(children[1]?.sent[0]).toMatchObject({ type: 'start', config: { roster: { roster: 2 } } });
    await hosting.stop();
  });
});
