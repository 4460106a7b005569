import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { composeNik } from '@shared/identity/nik';
import { redactIdentifiers, REDACTED_ID } from '@shared/log/redact';
import { createLogger as createMainLogger } from '../../../main/log';
import { createLogger as createHqLogger } from '../../../hq/log';

// Generated numbers only, never a real person's.
const NIK = composeNik({ regionCode: '317101', birthDate: '1985-06-15', sex: 'female', serial: 41 }); // 3171015506850041
const KPJ = '12345678901';
const g4 = (s: string, sep: string) => s.match(/.{1,4}/g)!.join(sep);

/** Identifiers as they reach logs, each of which slipped through at least one logger before. */
const SLIPPED: [string, string][] = [
  ['NIK in groups of four with spaces', `nik ${g4(NIK, ' ')} not found`],
  ['NIK in groups with dashes', `lookup ${g4(NIK, '-')}`],
  ['NIK in groups with dots', `lookup ${g4(NIK, '.')}`],
  ['NIK in its parts PPKKCC DDMMYY SSSS', `nik=${NIK.slice(0, 6)} ${NIK.slice(6, 12)} ${NIK.slice(12)}`],
  ['NIK with Unicode dashes and no-break spaces', `nik ${g4(NIK, '\u2013')} / ${g4(NIK, '\u00a0')}`],
  ['NIK with spaced dashes', `nik ${g4(NIK, ' - ')}`],
  ['NIK glued to a word', `NIK${NIK} refused`],
  ['NIK glued on both sides', `x${NIK}y`],
  ['NIK and KPJ glued together', `${NIK}${KPJ}`],
  ['KPJ alone', `kpj ${KPJ} pending`],
  ['KPJ glued to a word', `KPJ${KPJ}`],
  ['KPJ in groups', `kpj ${KPJ.slice(0, 3)} ${KPJ.slice(3, 7)} ${KPJ.slice(7)}`],
  ['KPJ with dashes', `kpj ${KPJ.slice(0, 2)}-${KPJ.slice(2, 5)}-${KPJ.slice(5)}`],
  ['NIK in a URL query', `/v1/sync/tickets/pull?id=${NIK}&seq=1`],
];

/** Text that must stay as it is: shorter numbers and device ids. */
const KEPT = [
  'pushed 1200 rows in 345 ms',
  'at 2026-12-06T17:00:00.000Z',
  'on 2026-12-06 17:05:00',
  'hub at https://10.0.0.7:47600',
  'ticket B2-017 called',
  'device 550e8400-e29b-41d4-a716-446655440000 enrolled',
  'device 12345678-1234-4234-8234-123456789012 enrolled',
];

describe('identifier redaction (issue 18 pt 11)', () => {
  it.each(SLIPPED)('cuts out %s', (_name, text) => {
    const out = redactIdentifiers(text);
    expect(out).toContain(REDACTED_ID);
    expect(out.replace(/\D/g, '')).not.toContain(NIK.slice(0, 11));
    expect(out.replace(/\D/g, '')).not.toContain(KPJ);
    expect(out.replace(/\D/g, '').length).toBeLessThan(11);
  });

  it.each(KEPT)('keeps %s', (text) => {
    expect(redactIdentifiers(text)).toBe(text);
  });

  it('main logger writes none of them to its file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-log-'));
    const log = createMainLogger(dir, false);
    for (const [name, text] of SLIPPED) log.warn(text, { name, detail: { nested: text } });
    const written = fs.readFileSync(path.join(dir, 'main.log'), 'utf8');
    expect(written.split('\n').filter(Boolean)).toHaveLength(SLIPPED.length);
    for (const [, text] of SLIPPED) expect(written).not.toContain(text);
    expect(written).not.toMatch(/\d{11}/);
    for (const line of written.split('\n').filter(Boolean)) expect(line.replace(/\D/g, '')).not.toContain(NIK.slice(4, 16));
  });

  it('HQ and branch hub logger (hq/log.ts) writes none of them, in messages, fields, URLs or errors', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createHqLogger({ destination });
    for (const [name, text] of SLIPPED) {
      log.warn({ name, detail: { nested: text }, req: { method: 'GET', url: text } }, text);
      log.error({ err: new Error(text) }, 'failed');
    }
    // pino's own `time` (ms since 1970) is the one long number a line may hold.
    const written = lines.join('').replace(/"time":\d+/g, '"time":0');
    expect(lines).toHaveLength(SLIPPED.length * 2);
    for (const [, text] of SLIPPED) expect(written).not.toContain(text);
    expect(written).not.toMatch(/\d{11}/);
  });

  it('every logger takes its redaction from the one shared function', () => {
    const root = path.resolve(__dirname, '../../..');
    const src = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
    // main (Electron and browser mode), HQ, and the branch hub (hq/log.ts in the hub's child process).
    for (const f of ['main/log.ts', 'hq/log.ts']) {
      expect(src(f), f).toMatch(/import \{[^}]*\bredactIdentifiers\b[^}]*\} from '@shared\/log\/redact'/);
    }
    expect(src('hq/hub/child.ts')).toMatch(/import \{ createLogger \} from '\.\.\/log'/);
    // Entry points that print errors outside a logger pass them through it too.
    for (const f of ['main/web-server.ts', 'hq/main.ts', 'scripts/handcarry-import.ts']) expect(src(f), f).toContain('redactIdentifiers(');
    // No other pattern of our own: the old ones are gone.
    expect(src('main/log.ts')).not.toMatch(/\\d\{11,16\}/);
    expect(src('hq/log.ts')).not.toMatch(/NIK_LIKE/);
  });
});
