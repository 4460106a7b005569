import { buildHq } from './app';
import { openDatabase } from './db';
import { createLogger } from './log';
import { migrate } from './migrate';

// `npm run hq`: PGlite in HQ_DATA_DIR (default .hq-data/) unless DATABASE_URL points at PostgreSQL.

const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const log = createLogger();
  const port = Number(process.env.HQ_PORT ?? 4790);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error('HQ_PORT must be a port number');
  const db = await openDatabase(process.env, log);
  const { applied } = await migrate(db);
  log.info({ applied, database: db.kind }, 'migrations checked');
  const app = buildHq({ db, log });
  await app.listen({ host: '127.0.0.1', port });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // A request that never ends must not keep the process alive forever.
    const timer = setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app
      .close()
      .then(() => db.close())
      .then(() => {
        log.info('stopped');
        process.exitCode = 0;
      })
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error('HQ failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
