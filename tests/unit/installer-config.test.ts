import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { bakedPublisher, PUBLISHER_PLACEHOLDER, releaseConfigProblems } from '../../scripts/release-config.mjs';
import { publishersFrom } from '../../main/update-trust';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Json = Record<string, unknown>;

const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Json;
const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as Json;
// The schema is draft-07 and uses union types and keywords Ajv's strict mode refuses.
const validate = new Ajv({ strict: false, allowUnionTypes: true, allErrors: true }).compile(schema);

function errorsOf(candidate: unknown): string {
  return validate(candidate) ? '' : JSON.stringify(validate.errors, null, 1);
}

function obj(value: unknown, what: string): Json {
  expect(value, what).toBeTypeOf('object');
  return value as Json;
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature').toBe(true);
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own schema', () => {
    expect(errorsOf(config)).toBe('');
  });

  it('rejects a config with a wrongly typed or unknown option (the validation can fail)', () => {
    const wrongType = structuredClone(config);
    obj(wrongType.nsis, 'nsis').perMachine = 'yes';
    expect(errorsOf(wrongType)).toContain('perMachine');

    const unknownKey = { ...structuredClone(config), autoUpdateUrl: 'https://example.test/' };
    expect(errorsOf(unknownKey)).toContain('autoUpdateUrl');

    const noUrl = structuredClone(config);
    delete obj(noUrl.publish, 'publish').url;
    expect(validate(noUrl)).toBe(false);
  });

  it('identifies the app as Loket', () => {
    expect(config.appId).toBe('id.loket.frontdesk');
    expect(config.productName).toBe('Loket');
  });

  it('builds a per-machine x64 NSIS installer into Program Files (the directory cannot be changed)', () => {
    const win = obj(config.win, 'win');
    expect(win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(win.icon).toBe('build/icon.ico');
    const nsis = obj(config.nsis, 'nsis');
    expect(nsis.perMachine).toBe(true);
    expect(nsis.oneClick).toBe(false);
    expect(nsis.deleteAppDataOnUninstall).toBe(false);
    // Issue 18 pt 11: installed under Program Files (admin-writable only), not in a folder users can write to.
    expect(nsis.allowToChangeInstallationDirectory).toBe(false);
  });

  it('packs only the electron-vite output into an asar, with versioned artifact names', () => {
    expect(config.files).toEqual(['out/**', '!out/main/web-server.js', 'package.json']);
    expect(config.asar).toBe(true);
    expect(config.directories).toEqual({ buildResources: 'build', output: 'dist' });
    expect(config.artifactName).toMatch(/\$\{version\}/);
    expect(config.artifactName).not.toMatch(/\s/);
  });

  it('publishes a generic update feed whose URL comes from the environment', () => {
    expect(config.publish).toEqual({ provider: 'generic', url: '${env.LOKET_UPDATE_URL}' });
  });
});

describe('updates only from us (issue 18 pt 1): code signing', () => {
  const release = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8');
  const azure = () => obj(obj(config.win, 'win').azureSignOptions, 'win.azureSignOptions');
  const ACCOUNT_FIELDS = ['endpoint', 'codeSigningAccountName', 'certificateProfileName'] as const;

  it('signs with Azure Trusted Signing and fails the build rather than ship an unsigned installer', () => {
    expect(config.forceCodeSigning).toBe(true);
    expect(azure().publisherName).toMatch(/^CN=/);
    expect(obj(config.win, 'win').signtoolOptions).toBeUndefined(); // no certificate file or password in the repository
  });

  it('holds no signing account values in the repository: the release job passes them from its secrets', () => {
    for (const field of ACCOUNT_FIELDS) {
      expect(azure()[field], field).toBe('');
      // -c.win.azureSignOptions.<field>="$VAR" with VAR: ${{ secrets.… }} in the job's env.
      const passed = new RegExp(`-c\\.win\\.azureSignOptions\\.${field}="\\$(\\w+)"`).exec(release);
      expect(passed, `release.yml passes ${field}`).not.toBeNull();
      expect(release).toMatch(new RegExp(`${passed?.[1]}: \\$\\{\\{ secrets\\.\\w+ \\}\\}`));
    }
    // Entra ID credentials for Trusted Signing (EnvironmentCredential) come from secrets too.
    for (const name of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']) {
      expect(release).toMatch(new RegExp(`${name}: \\$\\{\\{ secrets\\.${name} \\}\\}`));
    }
    // Nothing that looks like a hard-coded endpoint, secret or certificate.
    expect(release).not.toMatch(/codesigning\.azure\.net|CSC_LINK|CSC_KEY_PASSWORD|\.pfx/i);
  });

  it('is valid against the schema with the values the release job passes', () => {
    const signed = structuredClone(config);
    const options = obj(obj(signed.win, 'win').azureSignOptions, 'azureSignOptions');
    for (const field of ACCOUNT_FIELDS) options[field] = `value-of-${field}`;
    expect(errorsOf(signed)).toBe('');
    delete options.publisherName;
    expect(errorsOf(signed)).toContain('publisherName');
  });
});

describe('the trusted publisher is one build-time value (issue 18 pt 1)', () => {
  const release = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8');
  const viteConfig = readFileSync(join(root, 'electron.vite.config.ts'), 'utf8');
  const REAL = 'CN=PT Contoh Penerbit, O=PT Contoh Penerbit, L=Jakarta, C=ID';
  const FEED = 'https://updates.example.test/loket';

  it('electron-builder.yml holds only the placeholder; the release job passes LOKET_UPDATE_PUBLISHER to electron-builder and the build', () => {
    const publisherName = obj(obj(config.win, 'win').azureSignOptions, 'azureSignOptions').publisherName;
    expect(publisherName).toBe(PUBLISHER_PLACEHOLDER);
    expect(release).toContain('-c.win.azureSignOptions.publisherName="$LOKET_UPDATE_PUBLISHER"');
    expect(release).toMatch(/LOKET_UPDATE_PUBLISHER: \$\{\{ vars\.LOKET_UPDATE_PUBLISHER \}\}/);
    // Checked before the build, and the build bakes the same value into main.
    expect(release.indexOf('node scripts/release-config.mjs')).toBeGreaterThan(-1);
    expect(release.indexOf('node scripts/release-config.mjs')).toBeLessThan(release.indexOf('npm run build'));
    expect(viteConfig).toContain('__LOKET_UPDATE_PUBLISHER__: JSON.stringify(bakedPublisher(process.env))');
    expect(viteConfig).toMatch(/if \(isReleaseBuild\(process\.env\)\) \{\s+const problems = releaseConfigProblems\(process\.env\);\s+if \(problems\.length > 0\) throw/);
  });

  it('a release build refuses the placeholder, an empty or malformed publisher and a non-https feed', () => {
    expect(releaseConfigProblems({ LOKET_UPDATE_URL: FEED, LOKET_UPDATE_PUBLISHER: REAL })).toEqual([]);
    for (const publisher of [undefined, '', '  ', PUBLISHER_PLACEHOLDER]) {
      const problems = releaseConfigProblems({ LOKET_UPDATE_URL: FEED, LOKET_UPDATE_PUBLISHER: publisher });
      expect(problems, String(publisher)).toEqual([expect.stringContaining('Set LOKET_UPDATE_PUBLISHER to the exact subject')]);
    }
    expect(releaseConfigProblems({ LOKET_UPDATE_URL: FEED, LOKET_UPDATE_PUBLISHER: 'Loket team' })).toEqual([expect.stringContaining('starting with CN=')]);
    expect(releaseConfigProblems({ LOKET_UPDATE_URL: 'http://updates.example.test', LOKET_UPDATE_PUBLISHER: REAL })).toEqual([expect.stringContaining('https://')]);
  });

  it('the check the release job runs fails with the reason on the placeholder, and passes with a real publisher', async () => {
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, [join(root, 'scripts/release-config.mjs')], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const refused = await run({ LOKET_UPDATE_URL: FEED, LOKET_UPDATE_PUBLISHER: PUBLISHER_PLACEHOLDER });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('release config: Set LOKET_UPDATE_PUBLISHER');
    expect(await run({ LOKET_UPDATE_URL: FEED, LOKET_UPDATE_PUBLISHER: REAL })).toEqual({ code: 0, stderr: '' });
  });

  it('what main bakes in: the real publisher, or none (every update refused) for the placeholder or no value', () => {
    expect(publishersFrom(bakedPublisher({ LOKET_UPDATE_PUBLISHER: REAL }))).toEqual([REAL]);
    expect(publishersFrom(bakedPublisher({ LOKET_UPDATE_PUBLISHER: PUBLISHER_PLACEHOLDER }))).toEqual([]);
    expect(publishersFrom(bakedPublisher({}))).toEqual([]);
  });
});

describe('no Node back doors in the packaged app (issue 18 pt 2): Electron fuses', () => {
  const fuses = () => obj(config.electronFuses, 'electronFuses');

  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on cookie encryption, asar integrity and only-asar', () => {
    expect(fuses()).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names only fuses electron-builder knows (the schema refuses a misspelt one)', () => {
    const misspelt = structuredClone(config);
    obj(misspelt.electronFuses, 'electronFuses').runAsNodeX = false;
    expect(errorsOf(misspelt)).toContain('runAsNodeX');
  });

  it('keeps the hub child inside the asar: it is plain JS (no native module) that utilityProcess loads from app.asar', () => {
    // Only-asar and integrity validation cover what is in app.asar; an unpacked hub child would escape both.
    expect(config.asarUnpack).toBeUndefined();
    expect(config.asar).toBe(true);
  });
});

describe('icons in build/', () => {
  it('has a 512×512 PNG', () => {
    const path = join(root, 'build/icon.png');
    expect(existsSync(path)).toBe(true);
    expect(pngSize(readFileSync(path))).toEqual({ width: 512, height: 512 });
  });

  it('has an ICO whose entries are PNG images of the declared sizes, including 256', () => {
    const path = join(root, 'build/icon.ico');
    expect(existsSync(path)).toBe(true);
    const ico = readFileSync(path);
    expect(ico.readUInt16LE(0)).toBe(0); // reserved
    expect(ico.readUInt16LE(2)).toBe(1); // type: icon
    const count = ico.readUInt16LE(4);
    expect(count).toBeGreaterThanOrEqual(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const declared = ico[entry] === 0 ? 256 : (ico[entry] ?? -1);
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      expect(pngSize(ico.subarray(offset, offset + length))).toEqual({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });
});
