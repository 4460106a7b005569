// Browser mode entry (`npm run web`, and `npm start` where the Electron binary is missing):
// the same handlers as the Electron app, served to a browser on 127.0.0.1.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from './core';
import { createLogger } from './log';
import { fileVault } from './secrets';
import { fileCredentials } from './hq/credentials';
import { rendererDirFrom } from './security';
import { startWebServer } from './web/http-server';
import pkg from '../package.json';

const DEFAULT_PORT = 4780;

async function main(): Promise<void> {
  const userDataDir = process.env.LOKET_USER_DATA ?? path.join(os.homedir(), '.config', 'loket-browser');
  const port = process.env.LOKET_PORT ? Number(process.env.LOKET_PORT) : DEFAULT_PORT;
  const log = createLogger(path.join(userDataDir, 'logs'), process.env.LOKET_QUIET !== '1');
  const core = createCore({
    userDataDir,
    mode: 'browser',
    version: pkg.version,
    log,
    vault: fileVault(path.join(userDataDir, 'secrets'), log),
    hqCredentials: fileCredentials(path.join(userDataDir, 'secrets'), log),
  });
  core.hq.start();
  const mainDir = path.dirname(fileURLToPath(import.meta.url));
  const server = await startWebServer({ core, rendererDir: rendererDirFrom(mainDir), log, port });
  console.log(`Loket (browser mode) is running at ${server.url}  — data in ${userDataDir}`);
  const stop = () => void Promise.all([server.close(), core.hq.stop()]).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') {
    console.error(`Port in use: another Loket may already be running. Set LOKET_PORT to use another port.`);
  } else {
    console.error(`Loket could not start: ${err.message}`);
  }
  process.exit(1);
});
