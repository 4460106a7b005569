import { fork, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 18 pt 9, ship only what runs: what electron-builder packs is electron-builder.yml `files` (the
// electron-vite output) plus the production closure of package.json `dependencies`. This builds the app
// into a temporary folder, checks that the bundles load from node_modules exactly the `dependencies`,
// and starts the branch hub's process (hq/hub/child.ts → hub-child.js, PGlite and all) in a copy of
// the packaged layout that holds nothing but those files and that closure.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { files: string[] };

/** What the renderer bundles, and what only the HQ server or the tooling uses: none of it ships. */
const NOT_SHIPPED = ['pg', 'rxdb', 'rxjs', 'react', 'react-dom', 'recharts', 'i18next', 'react-i18next', 'z-schema', 'qrcode', 'tsx', 'vite'];

let app: string;
let closure: string[];

function listJs(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js') || f.endsWith('.cjs'))
    .map((f) => join(dir, f));
}

/** The packaged out/ files: `files` is out/** with the exclusions (`!out/…`) electron-builder applies. */
function packaged(js: string[]): string[] {
  const excluded = config.files.filter((f) => f.startsWith('!')).map((f) => join(app, f.slice(1)));
  return js.filter((f) => !excluded.includes(f));
}

/** Bare module names a bundle imports or requires (static, side-effect and dynamic imports). */
function bareImports(code: string): string[] {
  const names = new Set<string>();
  const patterns = [/\bfrom\s*["'`]([^"'`]+)["'`]/g, /\bimport\s*["'`]([^"'`]+)["'`]/g, /\bimport\(\s*["'`]([^"'`$]+)["'`]\s*\)/g, /\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      const spec = m[1] ?? '';
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      // Keep only plausible package names (a template literal's text can look like `from`…`).
      if (!/^(@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*(\/[\w./-]+)?$/.test(spec)) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
    }
  }
  return [...names];
}

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'loket-packaged-'));
  const built = spawnSync('npx', ['electron-vite', 'build', '--outDir', join(app, 'out')], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`electron-vite build failed:\n${built.stdout}\n${built.stderr}`);
  cpSync(join(root, 'package.json'), join(app, 'package.json'));
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' });
  closure = [...new Set(ls.stdout.split('\n').filter((p) => p.startsWith(join(root, 'node_modules'))))];
  for (const dir of closure) cpSync(dir, join(app, relative(root, dir)), { recursive: true });
}, 300_000);

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('the packaged app carries only what it runs (issue 18 pt 9)', () => {
  it('packs the electron-vite output and package.json, without the browser-mode web server', () => {
    expect(config.files).toEqual(['out/**', '!out/main/web-server.js', 'package.json']);
    const js = listJs(join(app, 'out'));
    expect(js).toContain(join(app, 'out/main/web-server.js'));
    const shipped = packaged(js);
    expect(shipped).not.toContain(join(app, 'out/main/web-server.js'));
    for (const entry of ['out/main/index.js', 'out/main/hub-child.js', 'out/preload/index.cjs']) expect(shipped).toContain(join(app, entry));
    // Nothing that ships imports a file that does not (web-server.js, or a chunk only it used).
    for (const file of shipped) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:from|import)\s*\(?\s*["'`](\.{1,2}\/[^"'`]+)["'`]/g)) {
        expect(shipped, `${relative(app, file)} imports ${m[1]}`).toContain(join(dirname(file), m[1] ?? ''));
      }
    }
  });

  it('loads from node_modules exactly the package.json dependencies (main, preload and the hub child)', () => {
    const used = new Set(packaged(listJs(join(app, 'out/main'))).flatMap((f) => bareImports(readFileSync(f, 'utf8'))));
    used.delete('electron'); // built into the Electron binary
    expect([...used].sort()).toEqual(Object.keys(pkg.dependencies).sort());
    // The preload is sandboxed: self-contained, only electron.
    expect(bareImports(readFileSync(join(app, 'out/preload/index.cjs'), 'utf8'))).toEqual(['electron']);
  });

  it('ships a production closure without the HQ server’s driver, the renderer’s libraries or the tooling', () => {
    const names = closure.map((p) => relative(join(root, 'node_modules'), p).split('/node_modules/').pop() ?? p);
    for (const name of NOT_SHIPPED) expect(names, name).not.toContain(name);
    const bytes = Number(spawnSync('du', ['-sbc', ...closure], { encoding: 'utf8' }).stdout.trim().split('\n').pop()?.split(/\s+/)[0]);
    // Before the split: 258 packages, 166 MB. After: about 90 packages, 43 MB (PGlite, which the hub runs, is 26 MB).
    console.info(`packaged node_modules: ${closure.length} packages, ${(bytes / 1e6).toFixed(1)} MB`);
    expect(closure.length).toBeLessThan(120);
    expect(bytes).toBeLessThan(60e6);
  });

  it('starts the branch hub (PGlite, TLS, its HTTP server) from the packaged files alone', async () => {
    const dataDir = join(app, 'hub-data');
    mkdirSync(dataDir);
    expect(existsSync(join(app, 'out/main/migrations'))).toBe(true);
    const child = fork(join(app, 'out/main/hub-child.js'), [], { cwd: app, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const answer = await new Promise<{ type?: string; url?: string }>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no answer from the hub child\n${stderr}`)), 120_000);
        child.on('message', (m: { type?: string; url?: string }) => {
          if (m.type === 'ready' || m.type === 'failed') {
            clearTimeout(timer);
            done(m);
          }
        });
        child.on('exit', (code) => fail(new Error(`hub child exited (${code})\n${stderr}`)));
        child.send({
          type: 'start',
          // HQ is not reachable here: the hub starts all the same (offline first) and keeps trying.
          config: { dataDir, branchCode: 'KC01', hqUrl: 'https://127.0.0.1:9', deviceToken: 'packaged-app-test-token', host: '127.0.0.1', port: 0 },
        });
      });
      expect(answer.type, JSON.stringify(answer)).toBe('ready');
      expect(answer.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      child.send({ type: 'stop' });
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
    }
  }, 180_000);
});
