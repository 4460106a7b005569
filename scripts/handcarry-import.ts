// The import command HQ uses for hand-carry files (docs/handcarry-format.md).
//
//   LOKET_HANDCARRY_PASSPHRASE=… npx tsx scripts/handcarry-import.ts <file> --branch JKT01 \
//       [--trusted-keys keys.json] [--out records.json] [--json]
//
// Checks the file (shape, version, branch, signature, trusted device, decryption, content) and
// prints a summary, or the error code and message. Exit codes: 0 imported, 1 rejected or
// unreadable, 2 usage error. Record contents are never printed (they hold personal data); `--out`
// writes them, owner-readable only, for the ingest step.
//
// --trusted-keys: a JSON file holding an array of P-256 public JWKs (or { "keys": [...] }), the
// devices enrolled to the branch. Without it, the signature only proves the file is intact, not
// who made it; a warning says so.

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { importHandcarry, MIN_KDF_ITERATIONS, type HandcarryErrorCode, type Jwk } from '../renderer/src/data/handcarry';
import { redactIdentifiers } from '../shared/log/redact';

const PASSPHRASE_ENV = 'LOKET_HANDCARRY_PASSPHRASE';
const USAGE = `usage: ${PASSPHRASE_ENV}=… npx tsx scripts/handcarry-import.ts <file> --branch <CODE> [--trusted-keys <keys.json>] [--out <records.json>] [--json]`;

type CliErrorCode = HandcarryErrorCode | 'USAGE' | 'MISSING_PASSPHRASE' | 'FILE_NOT_READABLE' | 'BAD_TRUSTED_KEYS' | 'OUTPUT_NOT_WRITABLE';

function report(json: boolean, code: CliErrorCode, raw: string, exitCode: number): never {
  // A message can quote what it refused (a file's field, a path): no NIK or KPJ leaves in it.
  const message = redactIdentifiers(raw);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message } })}\n`);
  else process.stderr.write(`error ${code}: ${message}\n`);
  process.exit(exitCode);
}

const parse = () =>
  parseArgs({
    allowPositionals: true,
    options: {
      branch: { type: 'string' },
      'trusted-keys': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (e) {
    return report(false, 'USAGE', `${e instanceof Error ? e.message : String(e)}\n${USAGE}`, 2);
  }
  const json = args.values.json;
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [file, ...extra] = args.positionals;
  const branch = args.values.branch;
  if (file === undefined || extra.length > 0 || branch === undefined) return report(json, 'USAGE', USAGE, 2);

  const passphrase = process.env[PASSPHRASE_ENV];
  if (passphrase === undefined || passphrase === '') {
    return report(json, 'MISSING_PASSPHRASE', `Set the passphrase in the environment variable ${PASSPHRASE_ENV} (it is never read from the command line).`, 2);
  }

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return report(json, 'FILE_NOT_READABLE', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`, 1);
  }

  let trustedPublicKeys: Jwk[] | undefined;
  const keysFile = args.values['trusted-keys'];
  if (keysFile !== undefined) {
    try {
      const parsed = JSON.parse(await readFile(keysFile, 'utf8')) as unknown;
      const list: unknown = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
      if (!Array.isArray(list) || !list.every((k) => typeof k === 'object' && k !== null)) throw new Error('not a list of JWKs');
      trustedPublicKeys = list as Jwk[];
    } catch (e) {
      return report(json, 'BAD_TRUSTED_KEYS', `Cannot use ${keysFile} as the trusted keys: ${e instanceof Error ? e.message : 'unreadable'}.`, 2);
    }
  }

  const result = await importHandcarry(text, { passphrase, expectedBranchCode: branch, ...(trustedPublicKeys ? { trustedPublicKeys } : {}) });
  if (!result.ok) return report(json, result.error.code, result.error.message, 1);

  const { meta, records } = result;
  const byCollection: Record<string, number> = {};
  for (const r of records) byCollection[r.collection] = (byCollection[r.collection] ?? 0) + 1;
  const warnings: string[] = [];
  if (!meta.trusted) warnings.push('No --trusted-keys given: the signature proves the file is intact, not that an enrolled device made it.');
  if (meta.kdfIterations < MIN_KDF_ITERATIONS) warnings.push(`The file's key derivation is weak (${meta.kdfIterations} PBKDF2 iterations < ${MIN_KDF_ITERATIONS}).`);

  const out = args.values.out;
  if (out !== undefined) {
    try {
      await writeFile(out, `${JSON.stringify({ meta, records })}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      return report(json, 'OUTPUT_NOT_WRITABLE', `Cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? 'error'} (an existing file is never overwritten).`, 1);
    }
  }

  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: true, meta, byCollection, warnings, ...(out !== undefined ? { out } : {}) })}\n`);
    return;
  }
  const lines = [
    `OK hand-carry file ${file}`,
    `  branch:      ${meta.branchCode}`,
    `  device:      ${meta.deviceId}`,
    `  created at:  ${meta.createdAt}`,
    `  records:     ${meta.recordCount}`,
    ...Object.entries(byCollection)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([c, n]) => `    ${c}: ${n}`),
    `  signing key: ${meta.keyThumbprint} (${meta.trusted ? 'trusted: enrolled to the branch' : 'NOT checked against enrolled devices'})`,
    ...(out !== undefined ? [`  written to:  ${out}`] : []),
    ...warnings.map((w) => `warning: ${w}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
