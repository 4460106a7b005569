import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../main/web/http-server';
import { makeCore, setupPayload, tempDir } from './helpers';

let server: WebServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start() {
  const h = makeCore();
  const rendererDir = tempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Loket</title>');
  server = await startWebServer({ core: h.core, rendererDir, log: h.log, port: 0 });
  const page = await fetch(`${server.url}/`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const call = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server!.url}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server!.url, cookie, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));
  return { ...h, page, cookie, call, url: server.url };
}

describe('browser mode server', () => {
  it('listens on 127.0.0.1 and serves the app with the CSP and a client cookie', async () => {
    const { page, cookie, url } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(cookie).toMatch(/^loket_client=[\w-]{20,}$/);
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('runs the same handlers: setup, sign-in, session per page', async () => {
    const { call } = await start();
    expect((await call({ channel: 'branch.setup', request: setupPayload })).body).toMatchObject({ ok: true, value: { role: 'head' } });
    expect((await call({ channel: 'staff.session' })).body).toMatchObject({ ok: true, value: { staffId: 'kepala.uji' } });
  });

  it('refuses calls without the page cookie or from another origin', async () => {
    const { call } = await start();
    expect((await call({ channel: 'app.info' }, { cookie: '' })).body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect((await call({ channel: 'app.info' }, { cookie: 'loket_client=forged' })).body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect((await call({ channel: 'app.info' }, { origin: 'https://evil.example' })).body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { url } = await start();
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const u = new URL(url);
      http.get({ host: u.hostname, port: u.port, path: '/', headers: { host: 'evil.example' } }, (r) => resolve(r.statusCode ?? 0));
    });
    expect(status).toBe(421);
  });

  it('bad bodies get typed errors and lose nothing', async () => {
    const { call } = await start();
    expect((await call('{not json')).body).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect((await call('42')).body).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect((await call({ channel: 'nope.nope' })).body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect((await call({ channel: 'staff.signIn', request: { staffId: 1 } })).body).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const huge = JSON.stringify({ channel: 'app.info', request: 'x'.repeat(100_000) });
    expect((await call(huge)).status).toBe(413);
    // The server still answers afterwards.
    expect((await call({ channel: 'app.info' })).body).toMatchObject({ ok: true, value: { mode: 'browser' } });
  });

  it('pushes session events over SSE to the page that owns the session', async () => {
    const { call, cookie, url } = await start();
    const controller = new AbortController();
    const res = await fetch(`${url}/api/events`, { headers: { cookie }, signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await call({ channel: 'branch.setup', request: setupPayload });
    let text = '';
    while (!text.includes('event: session.changed')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"staffId":"kepala.uji"');
    controller.abort();
  });

  it('carries the branch hub: hub.status answers and hub.changed reaches the signed-in page (issue 17)', async () => {
    const { call, cookie, url, core } = await start();
    const controller = new AbortController();
    const res = await fetch(`${url}/api/events`, { headers: { cookie }, signal: controller.signal });
    const reader = res.body!.getReader();
    await call({ channel: 'branch.setup', request: setupPayload });
    expect(await call({ channel: 'hub.status' })).toMatchObject({ status: 200, body: { ok: true, value: { role: 'none', hub: null, connected: false } } });
    core.hub.pin({ url: 'https://10.0.0.7:47600', fingerprint: 'AB:'.repeat(31) + 'AB', source: 'manual' });
    let text = '';
    while (!text.includes('event: hub.changed')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"url":"https://10.0.0.7:47600"');
    expect(await call({ channel: 'hub.status' })).toMatchObject({ body: { ok: true, value: { role: 'client', hub: { source: 'manual' } } } });
    controller.abort();
    await core.hub.stop();
  });
});
