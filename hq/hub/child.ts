import { z } from 'zod';
import { createLogger } from '../log';
import { startHub } from './server';
import type { Hub } from './server';

// The hub's process (issue 17: a hub crash never takes the PC's own screens down). Started by
// main/hub/launcher.ts as an Electron utilityProcess, or a Node child process in browser mode.
// Its configuration, the device token included, comes as the first message (never in argv or the
// environment, where other processes could read it); it answers `ready` with its address and
// certificate fingerprint, and stops on `stop` or when its parent goes away.

const Config = z.strictObject({
  dataDir: z.string().min(1),
  branchCode: z.string().min(1).max(8),
  hqUrl: z.url(),
  deviceToken: z.string().min(10).max(200),
  host: z.string().min(1),
  port: z.number().int().min(0).max(65_535),
  /** `port` is the one the hub had before: when taken by another program, any free one (hq/hub/server.ts). */
  anyPortIfTaken: z.boolean().optional(),
  intervalMs: z.number().int().positive().optional(),
  /** The branch's roster signed by HQ, as this PC kept it (checked by the hub: hq/hub/roster.ts). */
  roster: z.unknown().optional(),
});
const Incoming = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('start'), config: Config }), z.strictObject({ type: z.literal('stop') })]);

export type HubChildMessage =
  | { type: 'ready'; url: string; port: number; fingerprint: string }
  | { type: 'failed'; message: string }
  | { type: 'status'; hq: string; lastContactAt: string | null };

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

// Electron's utilityProcess has process.parentPort; a Node child has process.send.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const post = (m: HubChildMessage) => (parentPort ? parentPort.postMessage(m) : process.send?.(m));
const onMessage = (fn: (m: unknown) => void) => (parentPort ? parentPort.on('message', (e) => fn(e.data)) : process.on('message', fn));

const log = createLogger({ level: process.env.LOG_LEVEL ?? 'info' }).child({ component: 'hub' });
let hub: Hub | null = null;
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(code || 1), 10_000);
  timer.unref();
  await hub?.close().catch((err: unknown) => log.error({ err }, 'hub close failed'));
  process.exit(code);
}

onMessage((raw) => {
  const m = Incoming.safeParse(raw);
  if (!m.success) {
    log.warn('hub: ignored a malformed message from the parent');
    return;
  }
  if (m.data.type === 'stop') {
    void stop(0);
    return;
  }
  if (hub) return;
  const c = m.data.config;
  startHub({
    dataDir: c.dataDir,
    branchCode: c.branchCode,
    upstream: { url: c.hqUrl, deviceToken: c.deviceToken, ...(c.intervalMs ? { intervalMs: c.intervalMs } : {}) },
    log,
    host: c.host,
    port: c.port,
    ...(c.anyPortIfTaken ? { anyPortIfTaken: true } : {}),
    ...(c.roster !== undefined ? { roster: c.roster } : {}),
  }).then(
    (h) => {
      hub = h;
      post({ type: 'ready', url: h.url, port: h.port, fingerprint: h.fingerprint });
      // The hub's link to HQ, told to main when it changes: 'refused' means another PC is the hub now.
      let last = '';
      const report = setInterval(() => {
        const s = h.status();
        if (s.hq === last) return;
        last = s.hq;
        post({ type: 'status', hq: s.hq, lastContactAt: s.lastContactAt });
      }, 500);
      report.unref();
    },
    (err: unknown) => {
      post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
      void stop(1);
    },
  );
});

// The parent went away (a Node child's IPC channel closed): nobody is left to restart or stop us.
process.on('disconnect', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
