import { randomUUID } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { RequestListener, Server as HttpServer } from 'node:http';
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { BranchCode } from '@shared/branch/schema';
import type { Sql } from './db';
import { newBranchKey, newDeviceToken, sha256Hex } from './crypto';
import { errorBody, HqError, installErrorHandlers, invalidPayload } from './errors';
import { enrolAttempt, type EnrolRateLimit } from './enrol-limit';
import { loadMigrations, migrationsApplied } from './migrate';
import {
  BranchCollectionParams,
  CollectionParams,
  DEFAULT_PULL_LIMIT,
  EnrolRequest,
  HubAnnounce,
  HubAtHqRequest,
  isWritable,
  PullQuery,
  PushBody,
} from '@shared/sync/protocol';
import type { BranchResponse, Collection, EnrolResponse, PushResponse, PushRow, WritableCollection } from '@shared/sync/protocol';
import { listQuarantine, pull, push, pushNotices, validateIncoming } from './store';
import type { Device, QuarantinePage, Validator } from './store';
import { MAX_STREAMS_PER_DEVICE, RevocationWatch, StreamHub } from './stream';
import { ChangeFeed } from './notify';
import { Admission, busy, BUSY_RETRY_AFTER_S, DEFAULT_MAX_PUSHES_IN_FLIGHT } from './admission';
import { createMetrics, standbys } from './metrics';
import { atHq } from './hub/at-hq';
import { callNext, CallNextBody } from './hub/calls';
import { announceHub, claimHubRole, hubDeviceList, HubRoleClaim, originDevice, requireBranchHub, ORIGIN_DEVICE_HEADER } from './hub/hq-side';
import { LocalClosuresBody, setLocalClosures } from './branch-rules';
import { validateAtHub } from './hub/validate-hub';
import { signedRoster } from './hub/roster';
import { DeviceAuditUpload, receiveDeviceAudit } from './device-audit';
import { withPersonKeys, type PersonKeys } from './person-crypto';
import { branchAuditFlags } from './audit-flags';

/**
 * `hq`: the HQ service. `hub`: the same service in branch mode, on one PC of the branch (hq/hub/):
 * it serves only `branchCode`'s devices (the device list it learns from HQ), has no enrolment,
 * checks pushes for scope and record shape only (HQ validates everything again when the hub
 * relays), and decides ticket calls (`POST /v1/hub/calls/next`).
 */
export type HqMode = { kind: 'hq' } | { kind: 'hub'; branchCode: string };

export interface HqOptions {
  db: Sql;
  log: Logger;
  now?: () => Date;
  /** Largest accepted request body in bytes (default 4 MiB: a push of 200 documents). */
  bodyLimit?: number;
  /** Replaces the per-document check on push (the lead plugs zod/replay/audit checks in here). */
  validate?: Validator;
  /**
   * How often the devices of open streams are checked for revocation, in ms (default 30 s): the
   * safety net behind the revocation notice, which ends them at once (hq/stream.ts).
   */
  revocationRecheckMs?: number;
  /** Enrolment attempts per client address (default 10 per 60 s); over it: 429 `RATE_LIMITED` with Retry-After. */
  enrolRateLimit?: Partial<EnrolRateLimit>;
  /** Default: HQ. */
  mode?: HqMode;
  /** Serve HTTPS with this key and certificate (PEM): the hub on the LAN. */
  https?: { key: string; cert: string };
  /** The live change notices (passed in when something else writes too: the hub's upstream sync). */
  streams?: StreamHub;
  /** Called after a push wrote documents (the hub relays them to HQ at once). */
  onWritten?: (collection: WritableCollection) => void;
  /** Pushes in flight in this process (default 64); one more is answered 503 HQ_BUSY with Retry-After (hq/admission.ts). */
  maxPushesInFlight?: number;
  /**
   * Keys that seal person fields before they reach the database (hq/person-crypto.ts; `npm run hq`
   * requires them, main.ts). Without: written in clear, as the branch hub does (hq/README.md).
   */
  personKeys?: PersonKeys;
  /** How long a record may be held without an author before it is flagged for the branch (default 3 days, hq/audit-flags.ts). */
  authorlessFlagAfterMs?: number;
}

export type { EnrolRateLimit } from './enrol-limit';
export const DEFAULT_ENROL_RATE_LIMIT: EnrolRateLimit = { max: 10, windowMs: 60_000 };

declare module 'fastify' {
  interface FastifyRequest {
    device: Device | null;
  }
}

const ENROL_BODY_LIMIT = 4 * 1024;
const BEARER = /^Bearer ([A-Za-z0-9_-]{10,200})$/;

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query' | 'params'): T {
  const r = schema.safeParse(value);
  if (!r.success) throw invalidPayload(where, r.error);
  return r.data;
}

function deviceOf(req: FastifyRequest): Device {
  if (!req.device) throw new HqError(401, 'UNAUTHENTICATED', 'Device token required');
  return req.device;
}

export function buildHq(options: HqOptions) {
  const { log } = options;
  // Every read and write of documents goes through this handle: it carries the person keys.
  const db = options.personKeys ? withPersonKeys(options.db, options.personKeys) : options.db;
  const now = options.now ?? (() => new Date());
  const mode: HqMode = options.mode ?? { kind: 'hq' };
  const hubBranch = mode.kind === 'hub' ? mode.branchCode : null;
  const validate = options.validate ?? (mode.kind === 'hub' ? validateAtHub : validateIncoming);
  const migrations = loadMigrations();
  const hub = options.streams ?? new StreamHub();
  const revocations = new RevocationWatch(db, hub, log, options.revocationRecheckMs);
  // Writes made through any HQ process on this database reach this process's streams (hq/notify.ts).
  const feed = new ChangeFeed(db, hub, log);
  const pushes = new Admission(options.maxPushesInFlight ?? DEFAULT_MAX_PUSHES_IN_FLIGHT);
  const enrolLimit = { ...DEFAULT_ENROL_RATE_LIMIT, ...options.enrolRateLimit };

  const metrics = createMetrics({ db, streams: () => hub.size });
  let shuttingDown = false;

  const logger: FastifyBaseLogger = log; // widen pino's Logger to what Fastify's default instance type expects
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
    requestIdHeader: false, // ids are ours, not the client's
    // Unique across HQ processes (Fastify's default counts from 1 in each): every log line of a
    // request carries it as reqId, and the answer as x-request-id.
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 120 },
    ...(options.https ? { serverFactory: httpsFactory(options.https) } : {}),
  });
  // JSON only: text/plain would otherwise reach handlers as a string.
  app.removeContentTypeParser(['text/plain']);
  app.decorateRequest('device', null);
  installErrorHandlers(app);
  // Every 503 (HQ busy, not ready) says when to come back.
  app.addHook('onSend', async (req, reply, payload) => {
    void reply.header('x-request-id', req.id);
    // Shutting down: the answer to a request in flight closes its connection, else a keep-alive
    // connection would hold close() open after the last push finished.
    if (shuttingDown) void reply.header('connection', 'close');
    if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', String(BUSY_RETRY_AFTER_S));
    return payload;
  });
  app.addHook('onReady', async () => {
    await revocations.start();
    await feed.start();
  });
  // Graceful shutdown (SIGTERM, hq/main.ts): no new connections, the pushes in flight finish, every
  // stream ends telling its device to reconnect (hq/stream.ts closeAll).
  app.addHook('preClose', async () => {
    shuttingDown = true;
    await revocations.stop();
    await feed.stop();
    hub.closeAll();
  });

  // Latency by route pattern (never the URL: no ids in labels); hijacked streams are not answers.
  app.addHook('onResponse', async (req, reply) => {
    metrics.requestSeconds.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/healthz', () => ({ status: 'ok' }));

  // Prometheus text format (hq/metrics.ts): latency, pushes, quarantine, streams, pool, replication
  // lag. HQ only (the hub listens on the branch LAN); the reverse proxy does not pass it on.
  if (mode.kind === 'hq') app.get('/metrics', async (_req, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  app.get('/readyz', async () => {
    try {
      await db.query('SELECT 1');
      if (await migrationsApplied(db, migrations)) {
        // The standbys' replay lag (null without a standby: writes are durable on the primary only).
        const lags = (await standbys(db)).map((s) => s.lag ?? 0);
        return { status: 'ready', migrations: migrations.length, standbys: lags.length, replicationLagSeconds: lags.length > 0 ? Math.max(...lags) : null };
      }
    } catch {
      // answered below
    }
    throw new HqError(503, 'NOT_READY', 'Database not reachable or migrations not applied');
  });

  // Enrolment is the one route open to anyone: attempts are limited per client address (Fastify's
  // req.ip: the socket's address, as no proxy is trusted), counted in the database so every HQ
  // process shares the count (hq/enrol-limit.ts). Only HQ enrols.
  if (mode.kind === 'hq') void app.register((scope, _opts, done) => {
    scope.post(
      '/v1/enrol',
      {
        bodyLimit: ENROL_BODY_LIMIT,
        onRequest: async (req, reply) => {
          const seconds = await enrolAttempt(db, req.ip, enrolLimit, now());
          if (seconds === null) return;
          const body = errorBody('RATE_LIMITED', `Too many enrolment attempts from this address; retry in ${seconds} s`, { retryAfterSeconds: seconds });
          return reply.code(429).header('retry-after', String(seconds)).send(body);
        },
      },
      async (req): Promise<EnrolResponse> => {
        const body = parseWith(EnrolRequest, req.body, 'body');
        const token = newDeviceToken();
        const at = now().toISOString();
        return db.transaction(async (tx) => {
          // Consuming the code and creating the device commit together: a code works exactly once.
          const { rows } = await tx.query<{ branch_code: string }>(
            `UPDATE enrol_codes SET used_at = $2, used_by_device = $3
              WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING branch_code`,
            [sha256Hex(body.code), at, body.deviceId],
          );
          const branchCode = rows[0]?.branch_code;
          if (!branchCode) throw new HqError(400, 'ENROL_CODE_INVALID', 'Enrolment code unknown, used or expired');
          const inserted = await tx.query(
            `INSERT INTO devices (device_id, branch_code, name, token_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (device_id) DO NOTHING RETURNING device_id`,
            [body.deviceId, branchCode, body.deviceName, sha256Hex(token), at],
          );
          // Throwing rolls back the code's use too, so the code stays valid for a fresh device id.
          if (inserted.rows.length === 0) throw new HqError(409, 'DEVICE_EXISTS', 'This device id is already enrolled');
          // The branch-wide key of the NIK's keyed hash: made on the branch's first enrolment, then the same for every PC.
          const key = await tx.query<{ nik_key: string }>(
            'UPDATE branches SET nik_key = COALESCE(nik_key, $2) WHERE code = $1 RETURNING nik_key',
            [branchCode, newBranchKey()],
          );
          req.log.info({ deviceId: body.deviceId, branchCode }, 'device enrolled');
          return { token, branchCode, deviceId: body.deviceId, nikKey: key.rows[0]!.nik_key };
        });
      },
    );
    done();
  });

  // Every other /v1 route: a device token, and the device's branch scopes everything.
  void app.register(
    (v1, _opts, done) => {
      v1.addHook('onRequest', async (req, reply) => {
        if (req.method === 'POST' && req.routeOptions.url?.endsWith('/push')) {
          // Admission before any work (body, token lookup): over the bound, 503 at once.
          const leave = pushes.enter();
          if (!leave) {
            metrics.pushes.inc({ collection: 'any', outcome: 'busy' });
            throw busy('too many pushes in flight');
          }
          reply.raw.once('close', leave);
          reply.raw.once('finish', leave);
        }
        req.device = await authenticate(db, req.headers.authorization, hubBranch);
        checkParams(req);
      });

      /** A push written as `device`'s (the pushing device, or the author of records a hub relays). */
      const pushAs = async (req: FastifyRequest, device: Device, collection: WritableCollection, rows: PushRow[]): Promise<PushResponse> => {
        // A row a PC marks as pulled is not its write, at a hub or at HQ (hq/store.ts `PushOptions`).
        const result = await push(db, collection, device, rows, now(), validate, { pulledUnattributed: true });
        feed.wrote(pushNotices(collection, result));
        const outcome = result.deferred.length > 0 ? 'deferred' : result.rejected.length > 0 ? 'refused' : result.conflicts.length > 0 ? 'conflict' : 'ok';
        metrics.pushes.inc({ collection, outcome });
        if (result.rejected.length > 0) metrics.quarantined.inc({ collection }, result.rejected.length);
        if (result.written.length > 0) options.onWritten?.(collection);
        req.log.info(
          { collection, rows: rows.length, written: result.written.length, conflicts: result.conflicts.length, rejected: result.rejected.length },
          'push',
        );
        if (result.deferred.length > 0) {
          // Nothing refused for good: these wait for what they point at (their case). The device
          // retries the call; rows HQ stored are no-ops then, refused ones are quarantined again.
          throw new HqError(409, 'NOT_YET_RECEIVED', 'Documents point at records HQ has not received yet; retry later', {
            deferred: result.deferred,
          });
        }
        if (result.rejected.length > 0) {
          // The rest of the batch is stored; these are in quarantine. Say so, never a silent 200.
          const branch = result.rejected.some((r) => r.kind === 'branch');
          throw new HqError(
            branch ? 403 : 422,
            branch ? 'FORBIDDEN_BRANCH' : 'DOCUMENT_REFUSED',
            branch ? 'Documents of another branch were refused' : 'Documents were refused',
            { rejected: result.rejected.map(({ id, reason }) => ({ id, reason })), conflicts: result.conflicts },
          );
        }
        return result.conflicts;
      };

      if (mode.kind === 'hq') {
        // The branch's hub learns who may connect to it: the devices of its branch with their token
        // hashes and revocations (hq/hub/hq-side.ts).
        v1.get('/hub/devices', async (req) => {
          const device = deviceOf(req);
          parseWith(NoQuery, req.query, 'query');
          await requireBranchHub(db, device);
          return { ...(await hubDeviceList(db, device.branchCode)), issuedAt: new Date().toISOString() };
        });
        // Every PC of the branch keeps the latest roster (devices, token hashes, revocations) signed
        // by HQ: a hub started while HQ is unreachable takes it from its own PC (hq/hub/roster.ts).
        v1.get('/hub/roster', async (req) => {
          const device = deviceOf(req);
          parseWith(NoQuery, req.query, 'query');
          return signedRoster(db, device.branchCode, now());
        });
        // What a hub received from a PC of its branch, pushed on as that PC's: HQ validates it as if
        // the PC had pushed it (journal replay, that device's audit chain), and a retry is a no-op.
        v1.post('/hub/relay/:collection/push', async (req, reply): Promise<PushResponse> => {
          const device = deviceOf(req);
          await requireBranchHub(db, device);
          const collection = (req.params as { collection: Collection }).collection;
          if (!isWritable(collection)) throw new HqError(403, 'READ_ONLY_COLLECTION', `${collection} comes from HQ only`);
          const author = await originDevice(db, device, req.headers[ORIGIN_DEVICE_HEADER]);
          const rows = parseWith(PushBody, req.body, 'body');
          void reply.code(200);
          return pushAs(req, author, collection, rows);
        });
        // The hub says where it listens and which certificate it shows; the branch's PCs read it
        // in /v1/branch and pin the fingerprint.
        v1.put('/hub/announce', async (req) => {
          const device = deviceOf(req);
          await requireBranchHub(db, device);
          const body = parseWith(HubAnnounce, req.body, 'body');
          // The branch's PCs switch to it within seconds (the stream), not at their next poll.
          if (await announceHub(db, device, body)) hub.publish(device.branchCode, { type: 'hub' });
          return { ok: true };
        });
        // The head makes this PC its branch's hub (Settings on that PC): HQ takes it as the hub from
        // now on and refuses the previous one (hq/hub/hq-side.ts). The head's staff id is logged.
        v1.put('/hub/role', async (req) => {
          const device = deviceOf(req);
          const body = parseWith(HubRoleClaim, req.body, 'body');
          await claimHubRole(db, device);
          hub.publish(device.branchCode, { type: 'hub' });
          req.log.info({ branchCode: device.branchCode, deviceId: device.deviceId, staffId: body.staffId }, 'branch hub role claimed');
          return { ok: true };
        });
        // Main's signed audit chain of the PC (issue 18 pt 7): checked link by link and against the
        // device key registered on its first upload (hq/device-audit.ts); answers the head HQ holds.
        v1.post('/audit/device', async (req) => receiveDeviceAudit(db, deviceOf(req), parseWith(DeviceAuditUpload, req.body, 'body'), now()));
        // What HQ flagged for the branch's review (hq/audit-flags.ts), newest first: for the head's
        // review on a PC. HQ knows devices, not who signs in on them: main lets only a head or an
        // admin session ask (shared/ipc/contract.ts `hq.auditFlags`), as for the quarantine.
        v1.get('/audit/flags', async (req) => {
          const device = deviceOf(req);
          const q = parseWith(QuarantineQuery, req.query, 'query'); // the same paging: limit, before
          return branchAuditFlags(db, device.branchCode, {
            now: now(),
            ...q,
            ...(options.authorlessFlagAfterMs !== undefined ? { authorlessAfterMs: options.authorlessFlagAfterMs } : {}),
          });
        });
        // The head's local closures from Settings on a PC (issue 16 pt 10): a version of the branch's
        // case rules from today on, published to every PC of the branch; who, from where, in HQ's log.
        v1.put('/branch/local-closures', async (req) => {
          const device = deviceOf(req);
          const body = parseWith(LocalClosuresBody, req.body, 'body');
          if (body.actor.role !== 'head') throw new HqError(403, 'FORBIDDEN_ROLE', 'Only the branch head sets local closures');
          const { seq, ...result } = await setLocalClosures(db, device.branchCode, body.closures, now());
          req.log.info({ branchCode: device.branchCode, deviceId: device.deviceId, staffId: body.actor.staffId, role: body.actor.role, ...result }, 'branch local closures set');
          if (seq !== null) hub.publish(device.branchCode, { type: 'changed', collection: 'config', seq });
          return result;
        });
      } else {
        // Calls are decided here, in one transaction of the hub's database: two counters never
        // call the same ticket (hq/hub/calls.ts).
        v1.post('/hub/calls/next', async (req) => {
          const device = deviceOf(req);
          const body = parseWith(CallNextBody, req.body, 'body');
          const result = await callNext(db, device, body, now());
          if (result.written) {
            hub.publish(device.branchCode, { type: 'changed', collection: 'tickets', seq: result.written.seq });
            options.onWritten?.('tickets');
          }
          return { ticket: result.ticket };
        });
        // Which of a PC's records HQ holds in the PC's version, as HQ told the hub (hq/hub/at-hq.ts).
        v1.post('/hub/at-hq', async (req) => atHq(db, deviceOf(req).branchCode, parseWith(HubAtHqRequest, req.body, 'body')));
      }

      const branchRoute = async (req: FastifyRequest): Promise<BranchResponse> => {
        const device = deviceOf(req);
        parseWith(NoQuery, req.query, 'query');
        return branchInfo(db, device.branchCode);
      };
      v1.get('/branch', branchRoute);
      v1.get('/branches/:branchCode', branchRoute);

      // What HQ refused from this branch's devices, with the reason: for the branch head.
      const quarantineRoute = async (req: FastifyRequest): Promise<QuarantinePage> => {
        const device = deviceOf(req);
        const q = parseWith(QuarantineQuery, req.query, 'query');
        return listQuarantine(db, { branchCode: device.branchCode, limit: q.limit ?? DEFAULT_QUARANTINE_LIMIT, ...(q.before !== undefined ? { before: q.before } : {}) });
      };
      v1.get('/quarantine', quarantineRoute);
      v1.get('/branches/:branchCode/quarantine', quarantineRoute);

      for (const prefix of ['/sync', '/branches/:branchCode/sync']) {
        // The answer is a PullResponse, written as JSON text by store.ts `pull`.
        v1.get(`${prefix}/:collection/pull`, async (req, reply): Promise<Buffer> => {
          const device = deviceOf(req);
          const collection = (req.params as { collection: Collection }).collection;
          const q = parseWith(PullQuery, req.query, 'query');
          const after = q.id !== undefined && q.seq !== undefined ? { id: q.id, seq: q.seq } : null;
          const page = await pull(db, collection, device.branchCode, after, q.limit ?? DEFAULT_PULL_LIMIT);
          void reply.type('application/json; charset=utf-8');
          return Buffer.from(page.json, 'utf8'); // a string would be measured (byteLength) and encoded separately
        });

        v1.post(`${prefix}/:collection/push`, async (req, reply): Promise<PushResponse> => {
          const device = deviceOf(req);
          const collection = (req.params as { collection: Collection }).collection;
          if (!isWritable(collection)) throw new HqError(403, 'READ_ONLY_COLLECTION', `${collection} comes from HQ only`);
          const rows = parseWith(PushBody, req.body, 'body');
          void reply.code(200);
          return pushAs(req, device, collection, rows);
        });


        v1.get(`${prefix}/stream`, (req, reply: FastifyReply) => {
          const device = deviceOf(req);
          parseWith(NoQuery, req.query, 'query');
          if (hub.count(device.deviceId) >= MAX_STREAMS_PER_DEVICE) {
            throw new HqError(429, 'TOO_MANY_STREAMS', `At most ${MAX_STREAMS_PER_DEVICE} streams per device`);
          }
          reply.hijack();
          hub.open(device.branchCode, device.deviceId, reply.raw);
        });
      }
      done();
    },
    { prefix: '/v1' },
  );

  return app;
}

export type HqApp = ReturnType<typeof buildHq>;

const DEFAULT_QUARANTINE_LIMIT = 50;
const MAX_QUARANTINE_LIMIT = 200;
/** `GET /v1/quarantine?limit=&before=`: a page of at most `limit`, older than the `before` cursor (a `qid`). */
const QuarantineQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^[1-9]\d{0,2}$/, 'limit is a positive integer')
    .transform(Number)
    .refine((n) => n <= MAX_QUARANTINE_LIMIT, `limit is at most ${MAX_QUARANTINE_LIMIT}`)
    .optional(),
  before: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'before is a positive integer')
    .transform(Number)
    .refine(Number.isSafeInteger)
    .optional(),
});

/** The stream takes no query at all. */
const NoQuery = z.strictObject({});

/** The device of a bearer token; a hub (`onlyBranch`) knows only its branch's devices and refuses any other. */
async function authenticate(db: Sql, header: string | undefined, onlyBranch: string | null): Promise<Device> {
  const m = header ? BEARER.exec(header) : null;
  if (!m) throw new HqError(401, 'UNAUTHENTICATED', 'Device token required');
  const { rows } = await db.query<{ device_id: string; branch_code: string; name: string }>(
    'SELECT device_id, branch_code, name FROM devices WHERE token_hash = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR branch_code = $2)',
    [sha256Hex(m[1]!), onlyBranch],
  );
  const row = rows[0];
  if (!row) throw new HqError(401, 'UNAUTHENTICATED', 'Unknown or revoked device token');
  return { deviceId: row.device_id, branchCode: row.branch_code, name: row.name };
}

/** Path parameters: a branch in the path must be the device's own; collections must exist. */
function checkParams(req: FastifyRequest): void {
  const params = (req.params ?? {}) as Record<string, unknown>;
  if ('branchCode' in params) {
    const code = BranchCode.safeParse(params.branchCode);
    if (!code.success) throw invalidPayload('params', code.error);
    if (code.data !== req.device?.branchCode) throw new HqError(403, 'FORBIDDEN_BRANCH', 'Another branch');
  }
  if ('collection' in params) {
    const schema = 'branchCode' in params ? BranchCollectionParams : CollectionParams;
    const r = schema.safeParse(params);
    if (!r.success) throw new HqError(404, 'NOT_FOUND', 'Unknown collection');
  }
}

async function branchInfo(db: Sql, code: string): Promise<BranchResponse> {
  const { rows } = await db.query<{
    code: string;
    name: string;
    config: { serviceHours: unknown; counters: number };
    hub_device_id: string | null;
    hub_fingerprint: string | null;
    hub_addresses: { host: string; port: number }[] | null;
  }>('SELECT code, name, config, hub_device_id::text AS hub_device_id, hub_fingerprint, hub_addresses FROM branches WHERE code = $1', [code]);
  const b = rows[0];
  if (!b) throw new HqError(404, 'NOT_FOUND', 'Branch not found');
  const staff = await db.query<{ data: BranchResponse['staff'][number] }>(
    `SELECT data FROM documents WHERE collection = 'staff' AND branch_code = $1 AND NOT deleted ORDER BY id`,
    [code],
  );
  return {
    branch: { code: b.code, name: b.name, serviceHours: b.config.serviceHours, counters: b.config.counters },
    staff: staff.rows.map((r) => r.data),
    pulledMarks: true, // push rows marked `pulled` are taken (main sends the mark only to one that says so)
    hub: b.hub_device_id ? { deviceId: b.hub_device_id, fingerprint: b.hub_fingerprint, addresses: b.hub_addresses ?? [] } : null,
  };
}

/** Fastify's server as an HTTPS server (the hub on the LAN): the same handler, TLS in front. */
function httpsFactory(tls: { key: string; cert: string }) {
  return (handler: RequestListener) => createHttpsServer({ key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' }, handler) as unknown as HttpServer;
}
