import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './helpers';
import { testPersonKeysFile } from './person-keys-file';

// `npm run hq` and `npm run hq:admin` as real processes: start, answer, stop cleanly on SIGTERM.

const ROOT = new URL('../../', import.meta.url).pathname;
let db: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  db = await freshDatabase('process');
});
afterAll(async () => {
  await db.drop();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function admin(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'hq/admin.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('hq processes', () => {
  it('admin CLI creates a branch and prints a one-time code', () => {
    expect(admin(['create-branch', 'PRC01', 'Cabang', 'Proses']).status).toBe(0);
    const code = admin(['enrol-code', 'PRC01']);
    expect(code.status).toBe(0);
    expect(code.out).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\n/);
    const bad = admin(['enrol-code', 'NOPE1']);
    expect(bad.status).toBe(1);
    expect(bad.out).toContain('unknown branch');
  });

  it('main listens on 127.0.0.1, becomes ready, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'hq/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, HQ_PORT: String(port), LOG_LEVEL: 'info', HQ_PERSON_KEYS_FILE: testPersonKeysFile() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      let ready = false;
      for (let i = 0; i < 100 && !ready; i++) {
        await new Promise((r) => setTimeout(r, 150));
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      }
      expect(ready, out).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code, out).toBe(0);
      const lines = out.split('\n').filter((l) => l.startsWith('{'));
      expect(lines.some((l) => l.includes('shutting down'))).toBe(true);
      expect(lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
