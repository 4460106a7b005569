// Browser mode entry (`npm run web`, and `npm start` where the Electron binary is missing):
// the same handlers as the Electron app, served to a browser on 127.0.0.1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from './core';
import { createLogger } from './log';
import { redactIdentifiers } from '@shared/log/redact';
import { fileVault } from './secrets';
import { fileCredentials } from './hq/credentials';
import { rendererDirFrom } from './security';
import { startWebServer } from './web/http-server';
import { scheduleLocalPurge } from './retention';
import { nodeSpawner } from './hub/launcher';
import { hubListenFromEnv } from './hub/hosting';
import { mdnsFromEnv } from './hub/discovery';
import pkg from '../package.json';

const DEFAULT_PORT = 4780;

/**
 * The branch hub's entry: built next to this file (out/main/hub-child.js), or, run from the sources
 * (tests, development), hq/hub/child.ts through tsx.
 */
function hubEntry(mainDir: string): { entry: string; execArgv: string[] } {
  const built = path.join(mainDir, 'hub-child.js');
  if (fs.existsSync(built)) return { entry: built, execArgv: [] };
  return { entry: path.resolve(mainDir, '..', 'hq', 'hub', 'child.ts'), execArgv: ['--import', 'tsx'] };
}

async function main(): Promise<void> {
  const mainDir = path.dirname(fileURLToPath(import.meta.url));
  const hub = hubEntry(mainDir);
  const userDataDir = process.env.LOKET_USER_DATA ?? path.join(os.homedir(), '.config', 'loket-browser');
  const port = process.env.LOKET_PORT ? Number(process.env.LOKET_PORT) : DEFAULT_PORT;
  const log = createLogger(path.join(userDataDir, 'logs'), process.env.LOKET_QUIET !== '1');
  // Retention (README "Retention"): old logs, PDF copies, quarantined bytes and damaged-database copies go, daily.
  const stopPurge = scheduleLocalPurge({ userDataDir, log });
  const core = createCore({
    userDataDir,
    mode: 'browser',
    version: pkg.version,
    log,
    vault: fileVault(path.join(userDataDir, 'secrets'), log),
    hqCredentials: fileCredentials(path.join(userDataDir, 'secrets'), log),
    // The branch hub runs in a child process: a hub crash never takes this PC's screens down.
    hub: { hosting: { entry: hub.entry, spawn: () => nodeSpawner(hub.execArgv), ...hubListenFromEnv() } },
    // Finding the hub on the LAN, and announcing this PC's (LOKET_MDNS=0: off).
    mdns: mdnsFromEnv(log),
  });
  core.hq.start();
  core.hub.start();
  core.hubFinder.start();
  const server = await startWebServer({ core, rendererDir: rendererDirFrom(mainDir), log, port });
  console.log(`Loket (browser mode) is running at ${server.url}  — data in ${userDataDir}`);
  const stop = () => {
    core.hubFinder.stop();
    stopPurge();
    void Promise.all([server.close(), core.hq.stop(), core.hub.stop()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') {
    console.error(`Port in use: another Loket may already be running. Set LOKET_PORT to use another port.`);
  } else {
    console.error(`Loket could not start: ${redactIdentifiers(err.message)}`);
  }
  process.exit(1);
});
