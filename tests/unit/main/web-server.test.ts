import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_CLIENTS, startWebServer, type WebServer } from '../../../main/web/http-server';
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

  describe('client ids (issue 18 pt 11)', () => {
    async function startClock(clients?: { max?: number; idleMs?: number; maxAgeMs?: number }) {
      const h = makeCore();
      const rendererDir = tempDir();
      fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Loket</title>');
      let t = 1_000_000;
      const forgotten: string[] = [];
      const forget = h.core.forget.bind(h.core);
      h.core.forget = (id: string) => {
        forgotten.push(id);
        forget(id);
      };
      server = await startWebServer({ core: h.core, rendererDir, log: h.log, port: 0, now: () => t, ...(clients ? { clients } : {}) });
      const url = server.url;
      const load = async (cookie = '') => {
        const r = await fetch(`${url}/`, { headers: cookie ? { cookie } : {} });
        await r.text();
        return { setCookie: r.headers.get('set-cookie'), cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]! };
      };
      const call = async (cookie: string, channel = 'app.info') => {
        const r = await fetch(`${url}/api/call`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url, cookie }, body: JSON.stringify({ channel }) });
        return (await r.json()) as { ok: boolean; error?: { code: string } };
      };
      return { url, load, call, forgotten, advance: (ms: number) => (t += ms) };
    }

    it('keeps at most the cap of client ids: a new page evicts the one seen longest ago, and its session is forgotten', async () => {
      const { load, call, forgotten, advance } = await startClock();
      const pages = [];
      for (let i = 0; i < BROWSER_CLIENTS.max; i++) {
        pages.push((await load()).cookie);
        advance(1_000);
      }
      // The first page is used again: now the second is the one seen longest ago.
      expect((await call(pages[0]!)).ok).toBe(true);
      advance(1_000);
      const extra = (await load()).cookie;
      expect((await call(extra)).ok).toBe(true);
      expect(await call(pages[1]!)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect(forgotten).toEqual([pages[1]!.split('=')[1]]);
      for (const c of [pages[0]!, ...pages.slice(2)]) expect((await call(c)).ok).toBe(true);
    });

    it('ends a session left idle, and a page reload gets a new id', async () => {
      const { load, call, advance, forgotten } = await startClock();
      const { cookie } = await load();
      advance(BROWSER_CLIENTS.idleMs - 1);
      expect((await call(cookie)).ok).toBe(true);
      advance(BROWSER_CLIENTS.idleMs);
      expect(await call(cookie)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect(forgotten).toEqual([cookie.split('=')[1]]);
      const again = await load(cookie);
      expect(again.cookie).toMatch(/^loket_client=/);
      expect(again.cookie).not.toBe(cookie);
      expect((await call(again.cookie)).ok).toBe(true);
    });

    it('ends a session at its maximum age even while in use, and closes its event stream', async () => {
      const { url, load, call, advance } = await startClock({ maxAgeMs: 10_000, idleMs: 5_000 });
      const { cookie, setCookie } = await load();
      // The browser drops the cookie at the same age.
      expect(setCookie).toContain('Max-Age=10');
      const events = await fetch(`${url}/api/events`, { headers: { cookie } });
      const reader = events.body!.getReader();
      await reader.read();
      // An open event stream counts as use (a waiting-room display only listens).
      advance(6_000);
      expect((await call(cookie)).ok).toBe(true);
      advance(4_000);
      expect(await call(cookie)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      for (;;) if ((await reader.read()).done) break;
      const refused = await fetch(`${url}/api/events`, { headers: { cookie } });
      expect(refused.status).toBe(403);
    });
  });
});

