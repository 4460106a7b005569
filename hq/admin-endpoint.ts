import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Sql } from './db';
import { ADMIN_ENDPOINT_FILE, AdminError, runAdminCommand } from './admin';
import type { AdminEndpointInfo } from './admin';

// PGlite is single-process: while HQ runs on it, the admin CLI cannot open the data folder. So a
// running HQ on PGlite takes admin commands itself, on 127.0.0.1 only, from whoever can read the
// secret token it writes into its data folder (mode 0600: HQ's own user, who could read the
// database files anyway). `npm run hq:admin` uses it on its own when the folder is in use.

const HOST = '127.0.0.1';
const MAX_ARGS = 64;
const CommandBody = z.strictObject({ argv: z.array(z.string().max(1000)).min(1).max(MAX_ARGS) });

const digest = (s: string) => createHash('sha256').update(s).digest();

export interface AdminEndpoint {
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (`port` 0: any free one) and writes host, port and token to `<dataDir>/admin-endpoint.json`, mode 0600. */
export async function startAdminEndpoint(options: { db: Sql; dataDir: string; log: Logger; port?: number }): Promise<AdminEndpoint> {
  const { db, dataDir } = options;
  const token = randomBytes(32).toString('base64url');
  const expected = digest(`Bearer ${token}`);
  const logger: FastifyBaseLogger = options.log.child({ component: 'admin-endpoint' });
  const app = Fastify({ loggerInstance: logger, bodyLimit: 64 * 1024, requestIdHeader: false });
  app.removeContentTypeParser(['text/plain']);

  app.addHook('onRequest', async (req, reply) => {
    // Compared as digests: equal length, constant time.
    if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      return reply.code(401).send({ error: 'admin token required' });
    }
  });
  app.post('/admin/command', async (req, reply) => {
    const body = CommandBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'body: { argv: string[] }' });
    try {
      const output = await runAdminCommand(db, body.data.argv);
      req.log.info({ command: body.data.argv[0] }, 'admin command');
      return { output };
    } catch (err) {
      if (err instanceof AdminError) return reply.code(400).send({ error: err.message });
      req.log.error({ err }, 'admin command failed');
      return reply.code(500).send({ error: 'admin command failed (see the HQ log)' });
    }
  });

  await app.listen({ host: HOST, port: options.port ?? 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('admin endpoint: no address');
  const file = join(dataDir, ADMIN_ENDPOINT_FILE);
  const info: AdminEndpointInfo = { host: HOST, port: addr.port, token, pid: process.pid };
  // Written whole under another name with mode 0600, then renamed: never readable half-written or by others.
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, JSON.stringify(info), { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
  options.log.info({ host: HOST, port: addr.port }, 'admin endpoint listening (token in the data folder)');
  return {
    port: addr.port,
    close: async () => {
      rmSync(file, { force: true });
      await app.close();
    },
  };
}
