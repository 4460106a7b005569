import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../main/log';

// A log line that cannot be written must never take main down: the e2e teardown removes a PC's data
// directory while its HQ link is still stopping, and the link's last "disconnected" line crashed the
// process with ENOENT.
describe("main's logger when its file is gone", () => {
  afterEach(() => vi.restoreAllMocks());

  it('keeps running, says once on the console that the file cannot be written, and writes again when it can', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-log-'));
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = createLogger(dir, false);
    log.info('before');
    fs.rmSync(dir, { recursive: true, force: true });

    expect(() => log.warn('hq link: disconnected')).not.toThrow();
    expect(() => log.warn('again')).not.toThrow();
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(String(consoleError.mock.calls[0]?.[0])).toContain('main.log');

    fs.mkdirSync(dir, { recursive: true });
    log.info('after');
    expect(fs.readFileSync(path.join(dir, 'main.log'), 'utf8')).toContain('"after"');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
