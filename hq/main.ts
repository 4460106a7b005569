import { buildHq, DEFAULT_ENROL_RATE_LIMIT } from './app';
import { startAdminEndpoint } from './admin-endpoint';
import type { AdminEndpoint } from './admin-endpoint';
import { openDatabase, pgliteDataDir } from './db';
import { createLogger } from './log';
import { redactIdentifiers } from '@shared/log/redact';
import { migrate } from './migrate';
import { scheduleHqPurge } from './retention';
import { authorlessFlagAfterMs } from './audit-flags';
import { checkPersonKeys, dataDirPersonKeys, loadPersonKeys, resealPersonFieldsIfNeeded } from './person-crypto';

// `npm run hq`: PGlite in HQ_DATA_DIR (default .hq-data/) unless DATABASE_URL points at PostgreSQL.
// On PGlite it also takes admin commands on 127.0.0.1 (HQ_ADMIN_PORT, default any free port), since
// the admin CLI cannot open the folder while HQ holds it (hq/admin-endpoint.ts).
// HQ_ENROL_RATE_MAX / HQ_ENROL_RATE_WINDOW_S: enrolment attempts per address and window (10 / 60).
// HQ_PERSON_KEYS_FILE: the keys that seal person fields (hq/person-crypto.ts, README); required with
// DATABASE_URL. On PGlite without it, a key file in HQ_DATA_DIR (made once; development, one PC).

const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const log = createLogger();
  const port = Number(process.env.HQ_PORT ?? 4790);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error('HQ_PORT must be a port number');
  const adminPort = Number(process.env.HQ_ADMIN_PORT ?? 0);
  if (!Number.isInteger(adminPort) || adminPort < 0 || adminPort > 65_535) throw new Error('HQ_ADMIN_PORT must be a port number (0: any free one)');
  const enrolMax = Number(process.env.HQ_ENROL_RATE_MAX ?? DEFAULT_ENROL_RATE_LIMIT.max);
  const enrolWindowS = Number(process.env.HQ_ENROL_RATE_WINDOW_S ?? DEFAULT_ENROL_RATE_LIMIT.windowMs / 1000);
  if (!Number.isInteger(enrolMax) || enrolMax < 1) throw new Error('HQ_ENROL_RATE_MAX must be a positive integer');
  if (!Number.isInteger(enrolWindowS) || enrolWindowS < 1) throw new Error('HQ_ENROL_RATE_WINDOW_S must be a positive integer (seconds)');
  const authorlessAfterMs = authorlessFlagAfterMs(process.env); // HQ_AUTHORLESS_FLAG_AFTER_H, hq/audit-flags.ts
  // Before the database: no key file, no HQ on PostgreSQL (person fields are never stored in clear).
  const pgliteDir = pgliteDataDir(process.env);
  const keysFromFile = process.env.HQ_PERSON_KEYS_FILE || pgliteDir === null ? loadPersonKeys(process.env) : null;
  const db = await openDatabase(process.env, log);
  const personKeys = keysFromFile ?? dataDirPersonKeys(pgliteDir ?? '.hq-data', log);
  const { applied } = await migrate(db);
  log.info({ applied, database: db.kind }, 'migrations checked');
  await checkPersonKeys(db, personKeys); // a wrong key file stops HQ here
  const app = buildHq({ db, log, enrolRateLimit: { max: enrolMax, windowMs: enrolWindowS * 1000 }, personKeys, authorlessFlagAfterMs: authorlessAfterMs });
  await app.listen({ host: '127.0.0.1', port });
  const dataDir = db.kind === 'pglite' ? pgliteDataDir(process.env) : null;
  const admin: AdminEndpoint | null = dataDir === null ? null : await startAdminEndpoint({ db, dataDir, log, port: adminPort });
  // Retention (README "Retention"): records past their class's window are deleted once a day.
  // HQ_RETENTION=0 turns it off on all but one process of a multi-process HQ.
  const stopPurge = process.env.HQ_RETENTION === '0' ? () => undefined : scheduleHqPurge(db, log);
  // Rows stored in clear before sealing, or under a key no longer current: re-sealed in the background,
  // unless a complete re-seal already finished under this key and layout (then nothing is scanned).
  resealPersonFieldsIfNeeded(db, personKeys)
    .then((r) =>
      r.skipped
        ? log.info('person fields: already re-sealed under the current key (no scan)')
        : log.info({ resealed: r.resealed, retiredKeys: r.retired }, 'person fields: re-sealed under the current key'),
    )
    .catch((err: unknown) => log.error({ err }, 'person fields: re-sealing failed (retried at the next start)'));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stopPurge();
    log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // A request that never ends must not keep the process alive forever.
    const timer = setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app
      .close()
      .then(() => admin?.close())
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
  // Outside the logger: the same redaction (a config or SQL error can quote a value).
  console.error('HQ failed to start:', redactIdentifiers(err instanceof Error ? err.message : String(err)));
  process.exit(1);
});
