// The import command HQ uses for hand-carry files (docs/handcarry-format.md).
//
//   LOKET_HANDCARRY_PASSPHRASE=… npx tsx scripts/handcarry-import.ts <file> --branch JKT01 \
//       [--out records.json] [--json]
//
// Checks the file (shape, version, branch, signature, sender, decryption, content) and prints a
// summary, or the error code and message. Exit codes: 0 imported, 1 rejected or unreadable, 2 usage
// error or HQ's database unavailable. Record contents are never printed (they hold personal data);
// `--out` writes them, owner-readable only, for the ingest step.
//
// The sender (issue 18 pt 7): the file must be signed by a device key HQ registered for the branch and
// has not revoked, read from HQ's own database (DATABASE_URL, or HQ_DATA_DIR / .hq-data/ as HQ itself
// opens it) through branchDeviceKeys. There is no trust list an operator can hand in.

import { webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, pgliteDataDir } from '../hq/db';
import { branchDeviceKeys, revokedBranchDeviceKeys } from '../hq/device-audit';
import { handcarryCrypto } from '@shared/handcarry/crypto';
import { MIN_KDF_ITERATIONS, type HandcarryErrorCode, type Jwk } from '@shared/handcarry/format';
import { redactIdentifiers } from '@shared/log/redact';

// The format and crypto the app writes with (shared/handcarry/), over Node's WebCrypto.
const { importHandcarry } = handcarryCrypto(webcrypto);

const PASSPHRASE_ENV = 'LOKET_HANDCARRY_PASSPHRASE';
const USAGE = `usage: ${PASSPHRASE_ENV}=… [DATABASE_URL=… | HQ_DATA_DIR=…] npx tsx scripts/handcarry-import.ts <file> --branch <CODE> [--out <records.json>] [--json]`;

type CliErrorCode = HandcarryErrorCode | 'USAGE' | 'MISSING_PASSPHRASE' | 'FILE_NOT_READABLE' | 'HQ_DATABASE_UNAVAILABLE' | 'REVOKED_DEVICE' | 'DEVICE_MISMATCH' | 'OUTPUT_NOT_WRITABLE';

interface RegisteredKey {
  deviceId: string;
  publicKey: Jwk;
}

/** The branch's registered device keys, and its revoked ones, from HQ's database (closed again before the import). */
async function hqDeviceKeys(branch: string): Promise<{ trusted: RegisteredKey[]; revoked: (RegisteredKey & { revokedAt: string })[] } | string> {
  const dataDir = pgliteDataDir(process.env);
  // Opening a missing PGlite folder would create an empty HQ: say where HQ's database should be instead.
  if (dataDir !== null && !existsSync(join(dataDir, 'PG_VERSION'))) {
    return `No HQ database in ${dataDir}. Set DATABASE_URL (HQ's PostgreSQL) or HQ_DATA_DIR (HQ's data folder), as HQ itself runs.`;
  }
  let db: Awaited<ReturnType<typeof openDatabase>>;
  try {
    db = await openDatabase(process.env);
  } catch (e) {
    return `Cannot open HQ's database: ${e instanceof Error ? e.message : String(e)}.`;
  }
  try {
    return { trusted: await branchDeviceKeys(db, branch), revoked: await revokedBranchDeviceKeys(db, branch) };
  } catch (e) {
    return `Cannot read the device keys HQ registered: ${e instanceof Error ? e.message : String(e)}.`;
  } finally {
    await db.close().catch(() => undefined);
  }
}

const sameKey = (a: Jwk, b: Jwk | undefined) => b !== undefined && a.crv === b.crv && a.x === b.x && a.y === b.y;

/** The public key a file says it is signed with (only read after importHandcarry checked the shape). */
function envelopeKey(text: string): Jwk | undefined {
  try {
    return (JSON.parse(text) as { publicKey?: Jwk }).publicKey;
  } catch {
    return undefined;
  }
}

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
    const message = e instanceof Error ? e.message : String(e);
    const gone = message.includes('--trusted-keys') ? ' There is no --trusted-keys: only the device keys HQ registered for the branch are trusted.' : '';
    return report(false, 'USAGE', `${message}${gone}\n${USAGE}`, 2);
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

  const keys = await hqDeviceKeys(branch);
  if (typeof keys === 'string') return report(json, 'HQ_DATABASE_UNAVAILABLE', keys, 2);

  const result = await importHandcarry(text, { passphrase, expectedBranchCode: branch, trustedPublicKeys: keys.trusted.map((k) => k.publicKey) });
  if (!result.ok) {
    if (result.error.code === 'UNTRUSTED_DEVICE') {
      const signer = envelopeKey(text);
      const revoked = keys.revoked.find((k) => signer !== undefined && sameKey(k.publicKey, signer));
      if (revoked) {
        return report(json, 'REVOKED_DEVICE', `The file is signed by device "${revoked.deviceId}" of branch ${branch}, which HQ revoked on ${revoked.revokedAt}: files from a revoked device are refused.`, 1);
      }
      const none = keys.trusted.length === 0 ? ` HQ has no registered device for branch ${branch}.` : '';
      return report(json, 'UNTRUSTED_DEVICE', `${result.error.message}${none} Only a device HQ registered for the branch (its key is registered with its first audit upload after enrolment) can send a hand-carry file.`, 1);
    }
    return report(json, result.error.code, result.error.message, 1);
  }

  const { meta, records } = result;
  // The signing key is registered: it must be the device the file names (the key holder cannot speak for another PC).
  const sender = keys.trusted.find((k) => sameKey(k.publicKey, envelopeKey(text)));
  if (sender === undefined || sender.deviceId !== meta.deviceId) {
    return report(json, 'DEVICE_MISMATCH', `The file names device "${meta.deviceId}" but is signed with the key HQ registered for device "${sender?.deviceId ?? 'unknown'}".`, 1);
  }
  const byCollection: Record<string, number> = {};
  for (const r of records) byCollection[r.collection] = (byCollection[r.collection] ?? 0) + 1;
  const warnings: string[] = [];
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
    `  signing key: ${meta.keyThumbprint} (registered at HQ for this device of the branch)`,
    ...(out !== undefined ? [`  written to:  ${out}`] : []),
    ...warnings.map((w) => `warning: ${w}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
