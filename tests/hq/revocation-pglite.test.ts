import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAdminEndpoint } from '../../hq/admin';
import { startAdminEndpoint } from '../../hq/admin-endpoint';
import { buildHq } from '../../hq/app';
import { openDatabase } from '../../hq/db';
import { createLogger } from '../../hq/log';
import { migrate } from '../../hq/migrate';
import { enrol, makeBranch } from './helpers';
import { endsWithin, openStream } from './sse-client';

// Issue 14.6 on PGlite, as an operator does it: `npm run hq` runs on embedded PGlite (one process
// owns the data folder), and `npm run hq:admin -- …` run beside it reaches the running HQ through
// its admin endpoint (127.0.0.1, a secret token in the data folder) instead of opening the folder.
// Revoking a device there ends its open stream at once; reconnecting is 401.

const ROOT = new URL('../../', import.meta.url).pathname;
const END_BOUND_MS = 2000;
const ADMIN_FILE = 'admin-endpoint.json';

let dir: string;
let hq: ChildProcess;
let base: string;
let hqOut = '';

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

/** `npm run hq:admin -- …` in the same data folder, while HQ runs (async: this process keeps reading streams). */
async function admin(args: string[]): Promise<{ status: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HQ_DATA_DIR: dir };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'hq/admin.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const [status] = (await once(child, 'exit')) as [number | null];
  return { status, out };
}

describe('revoking a device while HQ runs on PGlite (npm run hq, npm run hq:admin)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loket-hq-pglite-admin-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, HQ_DATA_DIR: dir, HQ_PORT: String(port), LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    hq = spawn(process.execPath, ['--import', 'tsx', 'hq/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    hq.stdout?.on('data', (c: Buffer) => (hqOut += c.toString()));
    hq.stderr?.on('data', (c: Buffer) => (hqOut += c.toString()));
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      if (hq.exitCode !== null) break;
      if (await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false)) {
        if (existsSync(join(dir, ADMIN_FILE))) return;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`HQ on PGlite did not become ready with an admin endpoint:\n${hqOut}`);
  });
  afterAll(async () => {
    if (hq.exitCode === null) {
      hq.kill('SIGTERM');
      await once(hq, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the admin CLI works through the running HQ, and revoke-device ends the stream within 2 s; reconnecting is 401', async () => {
    // The admin endpoint's token file is readable by HQ's user only.
    expect(statSync(join(dir, ADMIN_FILE)).mode & 0o777).toBe(0o600);

    const created = await admin(['create-branch', 'PGL01', 'Cabang', 'PGlite']);
    expect(created, hqOut).toEqual({ status: 0, out: 'branch PGL01 created\n' });
    const code = await admin(['enrol-code', 'PGL01']);
    expect(code.status, code.out).toBe(0);
    const deviceId = randomUUID();
    const enrolled = await fetch(`${base}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code.out.split('\n')[0], deviceId, deviceName: 'PC uji' }),
    });
    expect(enrolled.status).toBe(200);
    const { token } = (await enrolled.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };

    const stream = await openStream(base, auth);
    try {
      expect(stream.status).toBe(200);
      await stream.first;
      const t0 = performance.now();
      const revoked = await admin(['revoke-device', deviceId]);
      // The CLI exits once HQ has committed the revocation: the stream ends within the bound of that.
      const exited = performance.now();
      expect(revoked).toEqual({ status: 0, out: `device ${deviceId} revoked\n` });
      const afterExit = await endsWithin(stream, exited, END_BOUND_MS);
      console.log(
        `PGlite: revoke-device CLI ran ${(exited - t0).toFixed(0)} ms (process start included); the stream ended ${afterExit <= 0 ? `${(-afterExit).toFixed(0)} ms before the CLI exited` : `${afterExit.toFixed(0)} ms after the CLI exited`}`,
      );
    } finally {
      stream.close();
    }
    expect((await fetch(`${base}/v1/sync/stream`, { headers: auth })).status).toBe(401);
    const listed = await admin(['list-devices', 'PGL01']);
    expect(listed.out).toContain(`${deviceId}  REVOKED`);

    // An error from the running HQ reaches the operator as it would directly.
    const unknown = await admin(['revoke-device', randomUUID()]);
    expect(unknown.status).toBe(1);
    expect(unknown.out).toContain('unknown device');
  });

  it('the admin endpoint listens on 127.0.0.1 only and refuses a wrong token', async () => {
    const info = JSON.parse(readFileSync(join(dir, ADMIN_FILE), 'utf8')) as { host: string; port: number; token: string };
    expect(info.host).toBe('127.0.0.1');
    const call = (token: string) =>
      fetch(`http://127.0.0.1:${info.port}/admin/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ argv: ['list-devices', 'PGL01'] }),
      });
    expect((await call(`${info.token.slice(0, -1)}x`)).status).toBe(401);
    expect((await call(info.token)).status).toBe(200);
  });

  it('stopping HQ removes the endpoint file; the CLI then opens the folder itself', async () => {
    hq.kill('SIGTERM');
    const [exit] = (await once(hq, 'exit')) as [number | null];
    expect(exit, hqOut).toBe(0);
    expect(existsSync(join(dir, ADMIN_FILE))).toBe(false);
    const listed = await admin(['list-devices', 'PGL01']);
    expect(listed.status, listed.out).toBe(0);
    expect(listed.out).toContain('REVOKED');
  });
});

describe('the admin endpoint in process (PGlite)', () => {
  it('a revocation through callAdminEndpoint ends the stream within 2 s of the answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'loket-hq-pglite-admin-inproc-'));
    const log = createLogger({ level: 'silent' });
    const db = await openDatabase({ HQ_DATA_DIR: dataDir });
    try {
      await migrate(db);
      const app = buildHq({ db, log, revocationRecheckMs: 60_000 }); // only the notice can be in time
      await app.listen({ host: '127.0.0.1', port: 0 });
      const endpoint = await startAdminEndpoint({ db, dataDir, log });
      try {
        const addr = app.server.address();
        if (!addr || typeof addr === 'string') throw new Error('no address');
        const device = await enrol(app, db, await makeBranch(db));
        const stream = await openStream(`http://127.0.0.1:${addr.port}`, device.auth);
        try {
          await stream.first;
          const t0 = performance.now();
          expect(await callAdminEndpoint(dataDir, ['revoke-device', device.deviceId])).toBe(`device ${device.deviceId} revoked`);
          const took = await endsWithin(stream, t0, END_BOUND_MS);
          console.log(`PGlite in process: admin endpoint revoke-device → stream ended: ${took.toFixed(0)} ms`);
        } finally {
          stream.close();
        }
        expect((await app.inject({ url: '/v1/sync/stream', headers: device.auth })).statusCode).toBe(401);
        await expect(callAdminEndpoint(dataDir, ['enrol-code', 'NOPE9'])).rejects.toThrow(/unknown branch/);
      } finally {
        await endpoint.close();
        await app.close();
      }
      expect(existsSync(join(dataDir, ADMIN_FILE))).toBe(false);
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
