import fs from 'node:fs';
import path from 'node:path';
import { redactIdentifiers } from '@shared/log/redact';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// A NIK is 16 digits; KPJ 11. Logs must never hold either, whatever a caller passes in, however
// it is written (grouped, glued): the one shared function decides (shared/log/redact.ts).
export const redact = redactIdentifiers;

/** JSON-lines logger to `<dir>/main.log` and the console, with identifiers redacted. */
export function createLogger(dir: string | null, echo = true): Logger {
  let file: string | null = null;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    file = path.join(dir, 'main.log');
  }
  // A line that cannot be written (disk full, data directory removed) must not take main down: say so
  // once on the console and keep trying, so the file picks up again when it can be written.
  let fileFailing = false;
  const append = (line: string) => {
    if (!file) return;
    try {
      fs.appendFileSync(file, line + '\n', { mode: 0o600 });
      fileFailing = false;
    } catch (e) {
      if (!fileFailing) console.error(`cannot write ${file}: ${(e as Error).message}`);
      fileFailing = true;
    }
  };
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const line = redact(JSON.stringify({ at: new Date().toISOString(), level, message, ...fields }));
    append(line);
    if (echo) (level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
