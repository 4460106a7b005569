import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { REDACTED_ID, redactIdentifiers } from '@shared/log/redact';

// Logs never hold a NIK, a token or an enrolment code. Field names are redacted by pino; values
// anywhere (messages, nested objects, error messages) are scrubbed by pattern as a second net.

const TOKEN_LIKE = /\blkt_[A-Za-z0-9_-]+/g;
const BEARER = /\bBearer\s+\S+/gi;
// Personal data travels in case and ticket documents (person, input, events, snapshot: the NIK,
// names, phone numbers, e-mail addresses): whole documents and those fields are never logged.
const SECRET_KEYS =
  /^(authorization|cookie|set-cookie|token|code|enrolcode|pin|nik|person|name|phone|email|input|events|snapshot|newDocumentState|assumedMasterState|password|secret)$/i;
const ERROR_CODE = /^(\d{5}|[A-Z][A-Z0-9]*(_[A-Z0-9]+)+)$/; // ours, Fastify's, SQLSTATE: never an enrolment code
const MAX_DEPTH = 8;

export function scrubString(s: string): string {
  // NIK and KPJ numbers, plain, grouped or glued: the one function every logger uses.
  return redactIdentifiers(s.replace(BEARER, 'Bearer [REDACTED]').replace(TOKEN_LIKE, '[TOKEN]'));
}

export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  // A number as long as a KPJ or NIK is taken for one.
  if (typeof value === 'number') return redactIdentifiers(String(value)) === String(value) ? value : REDACTED_ID;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[DEPTH]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrub(v, depth + 1));
  if (value instanceof Error) return errorJson(value);
  // Class instances (Fastify's request/reply) are left to their serializers below, which scrub.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // `code` is secret (enrolment code) unless it looks like an error code (INVALID_PAYLOAD, FST_ERR_…).
    out[k] = SECRET_KEYS.test(k) && !(k === 'code' && typeof v === 'string' && ERROR_CODE.test(v)) ? '[REDACTED]' : scrub(v, depth + 1);
  }
  return out;
}

function errorJson(err: Error): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: scrubString(err.message),
    code: typeof code === 'string' && !ERROR_CODE.test(code) ? '[REDACTED]' : code,
    stack: err.stack === undefined ? undefined : scrubString(err.stack),
  };
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: 'loket-hq' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.token', 'token', 'body'],
        censor: '[REDACTED]',
      },
      formatters: {
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      serializers: {
        // No headers, no body, no client address: method, scrubbed URL, and the status.
        req: (req: { method?: string; url?: string }) => ({ method: req.method, url: scrubString(String(req.url ?? '')) }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: (err: unknown) => (err instanceof Error ? errorJson(err) : err),
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    options.destination,
  );
}
