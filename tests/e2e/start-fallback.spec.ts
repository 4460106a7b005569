import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { electronBinary } from '../../scripts/electron-binary.mjs';

// `npm start` on a host without the Electron binary: one line saying so, then browser mode.
const binary = electronBinary();

test('npm start falls back to browser mode in one line and serves the app', async ({ page }) => {
  // Where Electron exists, npm start launches it and there is no fallback to check (electron-launch.spec covers that host).
  test.skip(!('missing' in binary), 'the Electron binary exists here, so npm start launches Electron instead of falling back');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-start-'));
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, LOKET_PORT: '0', LOKET_USER_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 45_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${out}`)));
    });
    const fallbackLines = out.split('\n').filter((l) => /Electron not available here/.test(l));
    expect(fallbackLines).toHaveLength(1);
    expect(fallbackLines[0]).toMatch(/starting browser mode instead/);
    await page.goto(url);
    await expect(page.getByRole('button', { name: 'Simpan dan mulai' })).toBeVisible();
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
