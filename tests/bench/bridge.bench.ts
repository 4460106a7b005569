// Browser-mode bridge round trip (`app.info` through cookie/origin checks, zod validation and the
// handler map) against a bare Node HTTP server answering the same JSON on the same machine in the
// same run: the ratio is the cost of the bridge itself and survives a noisy machine.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createCore } from '../../main/core';
import { fileVault } from '../../main/secrets';
import { startWebServer } from '../../main/web/http-server';

const ITERATIONS = 2000;
const WARMUP = 200;
const quiet = { info() {}, warn() {}, error() {} };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(call: () => Promise<unknown>): Promise<{ p50: number; p95: number; p99: number; mean: number }> {
  for (let i = 0; i < WARMUP; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r(percentile(times, 50)), p95: r(percentile(times, 95)), p99: r(percentile(times, 99)), mean: r(times.reduce((a, b) => a + b, 0) / times.length) };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-'));
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Loket</title>');
  const core = createCore({ userDataDir: dir, mode: 'browser', version: 'bench', log: quiet, vault: fileVault(dir, quiet) });
  const loket = await startWebServer({ core, rendererDir, log: quiet, port: 0 });
  const cookie = ((await fetch(`${loket.url}/`)).headers.get('set-cookie') ?? '').split(';')[0]!;
  const info = await (core.dispatch('x', 'app.info', undefined));
  const body = JSON.stringify(info);

  const bare = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

  const post = (url: string, headers: Record<string, string>) => () =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ channel: 'app.info' }) }).then((r) => r.json());

  const baseline = await measure(post(bareUrl, {}));
  const bridge = await measure(post(`${loket.url}/api/call`, { cookie, origin: loket.url }));
  await loket.close();
  await new Promise<void>((r) => bare.close(() => r()));

  const result = {
    name: 'bridge-roundtrip',
    measuredAt: new Date().toISOString(),
    iterations: ITERATIONS,
    unit: 'ms',
    bridge,
    baseline: { what: 'bare node:http server returning the same JSON', ...baseline },
    ratioP50: Math.round((bridge.p50 / baseline.p50) * 100) / 100,
    ratioP95: Math.round((bridge.p95 / baseline.p95) * 100) / 100,
  };
  fs.mkdirSync('tests/bench/results', { recursive: true });
  fs.writeFileSync('tests/bench/results/bridge-roundtrip.json', JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

void main();
