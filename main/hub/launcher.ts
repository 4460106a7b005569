import { fork } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log';
import { JsonFile } from '../store';

// Runs this PC's branch hub (issue 17) in a process of its own, so a hub crash never takes the
// PC's own screens down: an Electron utilityProcess in the app, a Node child process in browser
// mode (and tests). The hub's data lives under the PC's user data (`<userData>/hub`). A hub that
// exits without being asked is started again after a pause that grows with each crash in a row.
// The child is hq/hub/child.ts (main never imports hq/: it only runs it).
// The port it listened on is kept (`<userData>/hub-port.json`): with LOKET_HUB_PORT=0 a restart, after
// a crash or of the app, listens on the same port, so PCs that pinned the address find the hub again.
// Only when another program holds that port does the hub take a free one (announced to HQ and on the LAN).

/** What the launcher needs of a child process, whichever kind. */
export interface HubChild {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnHub = (entry: string) => HubChild;

/** A Node child process (browser mode, tests). `execArgv`: e.g. ['--import', 'tsx'] to run the TypeScript entry. */
export function nodeSpawner(execArgv: readonly string[] = []): SpawnHub {
  return (entry) => {
    const child = fork(entry, [], { execArgv: [...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    return {
      pid: child.pid,
      send: (m) => void child.send(m as object),
      onMessage: (l) => void child.on('message', l),
      onExit: (l) => void child.on('exit', (code) => l(code)),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}

/** What the launcher uses of Electron's `utilityProcess` (a fake in tests/unit/main/hub-launcher.test.ts). */
export interface UtilityProcessLike {
  fork(
    modulePath: string,
    args: string[],
    options: { serviceName: string; stdio: 'inherit' },
  ): {
    readonly pid: number | undefined;
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: unknown) => void): unknown;
    on(event: 'exit', listener: (code: number) => void): unknown;
    kill(): boolean;
  };
}

/** An Electron utilityProcess: the app's seam (`utilityProcess` given: tests). */
export async function electronSpawner(given?: UtilityProcessLike): Promise<SpawnHub> {
  const utilityProcess: UtilityProcessLike = given ?? (await import('electron')).utilityProcess;
  return (entry) => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Loket branch hub', stdio: 'inherit' });
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => child.postMessage(m),
      onMessage: (l) => void child.on('message', l),
      onExit: (l) => void child.on('exit', (code) => l(code)),
      kill: () => void child.kill(),
    };
  };
}

const RememberedPort = z.strictObject({ port: z.number().int().min(1).max(65_535) });

export interface HubConfig {
  branchCode: string;
  hqUrl: string;
  /** This PC's own device token (HQ made this PC the branch's hub). */
  deviceToken: string;
  /** The LAN address to listen on (tests: 127.0.0.1) and port (0: any free one). */
  host: string;
  port: number;
  intervalMs?: number;
  /** The branch's roster signed by HQ, as this PC kept it: whom the hub admits when it starts without HQ. */
  roster?: unknown;
}

export interface HubInfo {
  url: string;
  port: number;
  fingerprint: string;
}

export type HubState = 'stopped' | 'starting' | 'running' | 'restarting';

export interface HubStatus {
  state: HubState;
  info: HubInfo | null;
  /** Exits nobody asked for, since start. */
  crashes: number;
  lastExitCode: number | null;
  /** The hub's own link to HQ, as the hub reports it: 'unknown' | 'ok' | 'unreachable' | 'refused' (HQ no longer takes it as the hub). */
  hqLink: string;
}

interface Restart {
  minMs: number;
  maxMs: number;
}

export class HubLauncher {
  private child: HubChild | null = null;
  private readonly st: HubStatus = { state: 'stopped', info: null, crashes: 0, lastExitCode: null, hqLink: 'unknown' };
  private crashesInARow = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: { resolve: (i: HubInfo) => void; reject: (e: Error) => void }[] = [];
  private readonly listeners = new Set<(s: HubStatus) => void>();
  private readonly portFile: JsonFile<typeof RememberedPort>;

  constructor(
    private readonly o: {
      /** The hub's entry script (hq/hub/child.ts, or its build). */
      entry: string;
      userDataDir: string;
      config: HubConfig;
      spawn: SpawnHub;
      log: Logger;
      restart?: Partial<Restart>;
    },
  ) {
    this.portFile = new JsonFile(join(o.userDataDir, 'hub-port.json'), RememberedPort);
  }

  get dataDir(): string {
    return join(this.o.userDataDir, 'hub');
  }

  /** The running hub process's id (the status page; a test kills it). */
  childPid(): number | undefined {
    return this.child?.pid;
  }

  status(): HubStatus {
    return { ...this.st, info: this.st.info ? { ...this.st.info } : null };
  }

  /** Called on every change of state (the status bar, the settings page). */
  onStatus(listener: (s: HubStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the hub; resolves when it listens (its address and fingerprint). */
  start(): Promise<HubInfo> {
    if (this.st.state === 'running' && this.st.info) return Promise.resolve(this.st.info);
    const ready = this.nextReady();
    if (this.st.state === 'stopped') this.spawn();
    return ready;
  }

  /** Resolves the next time the hub is ready (after a restart, say). */
  nextReady(): Promise<HubInfo> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    const child = this.child;
    this.set({ state: 'stopped', info: null, hqLink: 'unknown' });
    this.child = null;
    for (const w of this.waiters.splice(0)) w.reject(new Error('hub stopped'));
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
    child.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private set(patch: Partial<HubStatus>): void {
    Object.assign(this.st, patch);
    const s = this.status();
    for (const l of this.listeners) l(s);
  }

  /** The port the hub listened on last (null: none yet, or the file is unreadable: any free port). */
  private rememberedPort(): number | null {
    try {
      return this.portFile.read()?.port ?? null;
    } catch {
      return null;
    }
  }

  private spawn(): void {
    this.set({ state: this.st.crashes > 0 ? 'restarting' : 'starting', info: null });
    const child = this.o.spawn(this.o.entry);
    this.child = child;
    child.onMessage((m) => {
      if (this.child !== child) return;
      const msg = m as { type?: string; url?: string; port?: number; fingerprint?: string; message?: string; hq?: unknown };
      if (msg.type === 'ready' && typeof msg.url === 'string' && typeof msg.port === 'number' && typeof msg.fingerprint === 'string') {
        this.crashesInARow = 0;
        const info = { url: msg.url, port: msg.port, fingerprint: msg.fingerprint };
        if (msg.port > 0 && msg.port !== this.rememberedPort()) {
          try {
            this.portFile.write({ port: msg.port });
          } catch (e) {
            this.o.log.warn(`hub: could not keep its port: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        this.set({ state: 'running', info });
        for (const w of this.waiters.splice(0)) w.resolve(info);
      } else if (msg.type === 'status' && typeof msg.hq === 'string' && msg.hq !== this.st.hqLink) {
        this.set({ hqLink: msg.hq });
      } else if (msg.type === 'failed') {
        this.o.log.error(`hub failed to start: ${String(msg.message)}`);
      }
    });
    child.onExit((code) => {
      if (this.child !== child) return; // stopped on purpose, or an older child
      this.child = null;
      this.crashesInARow++;
      this.set({ state: 'restarting', info: null, crashes: this.st.crashes + 1, lastExitCode: code });
      const min = this.o.restart?.minMs ?? 1_000;
      const max = this.o.restart?.maxMs ?? 60_000;
      const wait = Math.min(max, min * 2 ** (this.crashesInARow - 1));
      this.o.log.warn(`hub process exited (code ${String(code)}); starting it again in ${wait} ms`);
      this.timer = setTimeout(() => this.spawn(), wait);
      this.timer.unref();
    });
    // LOKET_HUB_PORT=0: the port it had before, if any. Either way a port taken by another program
    // is given up for a free one rather than failing to start again and again.
    const port = this.o.config.port !== 0 ? this.o.config.port : (this.rememberedPort() ?? 0);
    child.send({ type: 'start', config: { ...this.o.config, port, anyPortIfTaken: true, dataDir: this.dataDir } });
  }
}
