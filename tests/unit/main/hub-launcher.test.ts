import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronSpawner, HubLauncher } from '../../../main/hub/launcher';
import type { HubChild, HubConfig, SpawnHub, UtilityProcessLike } from '../../../main/hub/launcher';

// main/hub/launcher.ts (issue 17): the hub's process is started again after a crash, on the port it
// had (LOKET_HUB_PORT=0 included), so PCs that pinned its address find it again; across app restarts
// too (`<userData>/hub-port.json`). The hub gives the port up for a free one only when another
// program holds it (hq/hub/server.ts `anyPortIfTaken`; tests/hq/hub-pglite-template.test.ts).

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

class FakeChild implements HubChild {
  readonly pid = 4242;
  readonly sent: unknown[] = [];
  private readonly events = new EventEmitter();
  send(m: unknown): void {
    this.sent.push(m);
    if ((m as { type?: string }).type === 'stop') queueMicrotask(() => this.crash(0)); // the hub stops when asked
  }
  onMessage(l: (m: unknown) => void): void {
    this.events.on('message', l);
  }
  onExit(l: (code: number | null) => void): void {
    this.events.on('exit', l);
  }
  kill(): void {
    this.crash(null);
  }
  ready(port: number): void {
    this.events.emit('message', { type: 'ready', url: `https://127.0.0.1:${port}`, port, fingerprint: 'AB:CD' });
  }
  crash(code: number | null = 1): void {
    this.events.emit('exit', code);
  }
  /** The port and fallback the launcher asked the hub to start on. */
  get asked(): { port: number; anyPortIfTaken: boolean } {
    const m = this.sent[0] as { type: string; config: { port: number; anyPortIfTaken: boolean } };
    expect(m.type).toBe('start');
    return { port: m.config.port, anyPortIfTaken: m.config.anyPortIfTaken };
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(port: number, userData = mkdtempSync(join(tmpdir(), 'loket-launcher-'))) {
  dirs.push(userData);
  const children: FakeChild[] = [];
  const spawn: SpawnHub = () => {
    const c = new FakeChild();
    children.push(c);
    return c;
  };
  const config: HubConfig = { branchCode: 'JKT01', hqUrl: 'https://hq.example', deviceToken: 't'.repeat(20), host: '0.0.0.0', port };
  const launcher = new HubLauncher({ entry: 'hub-child.js', userDataDir: userData, config, spawn, log: quiet, restart: { minMs: 1, maxMs: 1 } });
  return { launcher, children, userData };
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(what()).toBe(true);
};

describe('the hub keeps its port across restarts', () => {
  it('LOKET_HUB_PORT=0: any free port the first time, then the same one after a crash and after an app restart', async () => {
    const { launcher, children, userData } = setup(0);
    const started = launcher.start();
    expect(children[0]!.asked).toEqual({ port: 0, anyPortIfTaken: true });
    children[0]!.ready(51_234);
    expect((await started).port).toBe(51_234);
    expect(JSON.parse(readFileSync(join(userData, 'hub-port.json'), 'utf8'))).toEqual({ port: 51_234 });

    children[0]!.crash();
    await until(() => children.length === 2);
    expect(children[1]!.asked).toEqual({ port: 51_234, anyPortIfTaken: true });
    children[1]!.ready(51_234);
    await until(() => launcher.status().state === 'running');
    await launcher.stop();

    // The app started again: a new launcher on the same user data.
    const again = setup(0, userData);
    const ready = again.launcher.start();
    expect(again.children[0]!.asked).toEqual({ port: 51_234, anyPortIfTaken: true });
    // Another program held it: the hub took a free one, which is kept from now on.
    again.children[0]!.ready(52_000);
    expect((await ready).port).toBe(52_000);
    expect(JSON.parse(readFileSync(join(userData, 'hub-port.json'), 'utf8'))).toEqual({ port: 52_000 });
    again.children[0]!.crash();
    await until(() => again.children.length === 2);
    expect(again.children[1]!.asked.port).toBe(52_000);
    await again.launcher.stop();
  });

  it('a port set in LOKET_HUB_PORT is asked for every time, whatever was kept', async () => {
    const { launcher, children, userData } = setup(47_600);
    writeFileSync(join(userData, 'hub-port.json'), JSON.stringify({ port: 51_234 }));
    void launcher.start().catch(() => undefined);
    expect(children[0]!.asked).toEqual({ port: 47_600, anyPortIfTaken: true });
    await launcher.stop();
  });

  it('a kept port file that is not valid is set aside: any free port', async () => {
    const { launcher, children, userData } = setup(0);
    writeFileSync(join(userData, 'hub-port.json'), '{"port": "x"}');
    void launcher.start().catch(() => undefined);
    expect(children[0]!.asked.port).toBe(0);
    await launcher.stop();
  });
});

describe('electronSpawner: the hub in an Electron utilityProcess', () => {
  it('forks the entry as a named service, and wires messages, exit and kill', async () => {
    const forked: { path: string; args: string[]; options: unknown }[] = [];
    const proc = new (class extends EventEmitter {
      pid: number | undefined = undefined;
      readonly posted: unknown[] = [];
      killed = 0;
      postMessage(m: unknown): void {
        this.posted.push(m);
      }
      kill(): boolean {
        this.killed++;
        return true;
      }
    })();
    const fake: UtilityProcessLike = {
      fork: (path, args, options) => {
        forked.push({ path, args, options });
        return proc;
      },
    };
    const spawn = await electronSpawner(fake);
    const child = spawn('/app/out/main/hub-child.js');
    expect(forked).toEqual([{ path: '/app/out/main/hub-child.js', args: [], options: { serviceName: 'Loket branch hub', stdio: 'inherit' } }]);
    // The pid is known only once Electron spawned the process: read when asked, not at fork.
    expect(child.pid).toBeUndefined();
    proc.pid = 777;
    expect(child.pid).toBe(777);

    child.send({ type: 'start' });
    expect(proc.posted).toEqual([{ type: 'start' }]);
    const got: unknown[] = [];
    child.onMessage((m) => got.push(m));
    proc.emit('message', { type: 'ready', port: 1 });
    expect(got).toEqual([{ type: 'ready', port: 1 }]);
    const exits: (number | null)[] = [];
    child.onExit((c) => exits.push(c));
    proc.emit('exit', 3);
    expect(exits).toEqual([3]);
    child.kill();
    expect(proc.killed).toBe(1);
  });

  it('drives the launcher: a utilityProcess that exits is forked again and asked for the same port', async () => {
    const procs: (EventEmitter & { pid: number; postMessage(m: unknown): void; kill(): boolean; posted: unknown[] })[] = [];
    const fake: UtilityProcessLike = {
      fork: () => {
        const p = Object.assign(new EventEmitter(), {
          pid: 100 + procs.length,
          posted: [] as unknown[],
          postMessage(m: unknown) {
            p.posted.push(m);
          },
          kill: () => true,
        });
        procs.push(p);
        return p;
      },
    };
    const userData = mkdtempSync(join(tmpdir(), 'loket-launcher-'));
    dirs.push(userData);
    const launcher = new HubLauncher({
      entry: 'hub-child.js',
      userDataDir: userData,
      config: { branchCode: 'JKT01', hqUrl: 'https://hq.example', deviceToken: 't'.repeat(20), host: '0.0.0.0', port: 0 },
      spawn: await electronSpawner(fake),
      log: quiet,
      restart: { minMs: 1, maxMs: 1 },
    });
    const ready = launcher.start();
    expect(launcher.childPid()).toBe(100);
    procs[0]!.emit('message', { type: 'ready', url: 'https://127.0.0.1:50001', port: 50_001, fingerprint: 'AB' });
    expect(await ready).toEqual({ url: 'https://127.0.0.1:50001', port: 50_001, fingerprint: 'AB' });
    procs[0]!.emit('exit', 9);
    await until(() => procs.length === 2);
    expect(launcher.status()).toMatchObject({ crashes: 1, lastExitCode: 9 });
    expect((procs[1]!.posted[0] as { config: { port: number } }).config.port).toBe(50_001);
    // Stopping asks the process to stop and waits for its exit.
    const stopped = launcher.stop();
    expect(procs[1]!.posted.at(-1)).toEqual({ type: 'stop' });
    procs[1]!.emit('exit', 0);
    await stopped;
    expect(launcher.status().state).toBe('stopped');
  });
});
