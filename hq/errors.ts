import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodError } from 'zod';
import type { HqErrorBody, HqErrorCode } from '@shared/sync/protocol';

/** Thrown by handlers and hooks; the error handler turns it into the uniform body. */
export class HqError extends Error {
  constructor(
    readonly status: number,
    readonly code: HqErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HqError';
  }
}

export function errorBody(code: HqErrorCode, message: string, details?: Record<string, unknown>): HqErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

const MAX_ISSUES = 10;

/** zod issues as {path, message}, capped so a huge malformed body cannot produce a huge answer. */
export function invalidPayload(where: 'body' | 'query' | 'params', err: ZodError): HqError {
  const issues = err.issues.slice(0, MAX_ISSUES).map((i) => ({
    path: [where, ...i.path.map(String)].join('.').slice(0, 200),
    message: i.message.slice(0, 200),
  }));
  return new HqError(400, 'INVALID_PAYLOAD', `Invalid ${where}`, { issues });
}

/** Fastify's own client errors (bad JSON, media type, size, …) mapped to our codes. */
function fromFastify(err: FastifyError): HqError | null {
  const status = err.statusCode;
  if (status === undefined || status < 400 || status >= 500) return null;
  if (status === 413) return new HqError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large');
  if (status === 415) return new HqError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
  if (status === 404) return new HqError(404, 'NOT_FOUND', 'Not found');
  if (status === 405) return new HqError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
  // Everything else Fastify refuses before our code runs is a malformed request.
  return new HqError(400, 'INVALID_PAYLOAD', 'Malformed request', { reason: err.code ?? 'FST_ERR' });
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send(errorBody('NOT_FOUND', 'Not found'));
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const hq = err instanceof HqError ? err : fromFastify(err);
    if (hq) {
      // Busy is the answer HQ gives by design under load: a warn line, not an error with a stack
      // (a bench's overload run wrote ~82,000 stack traces in minutes).
      if (hq.status === 503) req.log.warn({ code: hq.code, status: hq.status }, 'request refused: busy');
      else if (hq.status >= 500) req.log.error({ err }, 'request failed');
      else req.log.info({ code: hq.code, status: hq.status }, 'request refused');
      void reply.code(hq.status).send(errorBody(hq.code, hq.message, hq.details));
      return;
    }
    // Never leak internals: the log has the error (scrubbed), the client a generic message.
    req.log.error({ err }, 'unhandled error');
    void reply.code(500).send(errorBody('INTERNAL', 'Internal error'));
  });
}
