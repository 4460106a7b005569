import { pbkdf2Sync } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import { z } from 'zod';
import { IpcFailure } from '@shared/ipc/result';
import { hubUrl } from './discovery';
import { normalizeFingerprint } from './pinned';

// Pairing with the branch hub when HQ cannot vouch for it (the WAN is down, issue 17 pt 3). The hub
// PC's Settings shows a short code derived from its certificate's fingerprint; the head types it on
// this PC; main reads the certificate the address presents (TLS handshake only, nothing sent),
// checks that its code is the one typed, then asks the hub (pinned to that certificate, with this
// PC's HQ credentials) which branch it serves, and only then pins it. The code is a slow hash of
// the fingerprint, so forging a certificate whose code collides costs years of computing.

export { normalizeFingerprint };

const CODE_SALT = 'loket-hub-pairing-v1';
const CODE_ITERATIONS = 100_000;
const codes = new Map<string, string>();

/**
 * The pairing code of a hub certificate: 8 digits, `1234-5678`. Derived (PBKDF2-SHA-256 of the
 * fingerprint), never random, so matching it proves which certificate the head saw on the hub's
 * screen. Remembered per fingerprint (the hash takes tens of milliseconds on purpose).
 */
export function shortCodeOf(fingerprint: string): string {
  const fp = normalizeFingerprint(fingerprint);
  const known = codes.get(fp);
  if (known) return known;
  const digest = pbkdf2Sync(fp, CODE_SALT, CODE_ITERATIONS, 8, 'sha256');
  const digits = (digest.readBigUInt64BE(0) % 100_000_000n).toString().padStart(8, '0');
  const code = `${digits.slice(0, 4)}-${digits.slice(4)}`;
  codes.set(fp, code);
  return code;
}

/** A code as typed: digits only (spaces and dashes ignored). */
export const PairingCode = z
  .string()
  .max(20)
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{8}$/, 'the pairing code is 8 digits'));

export function sameCode(typed: string, code: string): boolean {
  return typed.replace(/[\s-]/g, '') === code.replace(/[\s-]/g, '');
}

/** The SHA-256 fingerprint of the certificate `host:port` presents (`AB:CD:…`). Sends no data. */
export function presentedFingerprint(host: string, port: number, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    // The certificate is self-signed: it is read here and judged by its code, not by a CA.
    const socket = tlsConnect({ host, port, rejectUnauthorized: false, minVersion: 'TLSv1.2', timeout: timeoutMs });
    const done = (err: Error | null, fp?: string) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(fp!);
    };
    socket.once('timeout', () => done(new Error('timed out')));
    socket.once('error', (e: Error) => done(e));
    socket.once('secureConnect', () => {
      const fp = socket.getPeerCertificate()?.fingerprint256;
      if (fp) done(null, fp);
      else done(new Error('no certificate'));
    });
  });
}

export interface PairDeps {
  /** This PC's branch. */
  branchCode: string | null;
  /** GET /v1/branch at the hub, pinned to `fingerprint`, with this PC's HQ credentials. */
  branchAt(url: string, fingerprint: string): Promise<{ status: number; json: unknown }>;
  timeoutMs?: number;
}

const BranchAnswer = z.object({ branch: z.object({ code: z.string() }) });

/**
 * Checks a hub at `host:port` against the code the head typed and this PC's branch. Resolves with
 * what to pin; throws an IpcFailure that says what to do, having pinned nothing.
 */
export async function pairWithHub(input: { host: string; port: number; code: string }, deps: PairDeps): Promise<{ url: string; fingerprint: string }> {
  if (!deps.branchCode) throw new IpcFailure('SETUP_REQUIRED', 'Set up the branch first.');
  const code = PairingCode.safeParse(input.code);
  if (!code.success) throw new IpcFailure('HUB_CODE_WRONG', 'The pairing code is 8 digits, as shown on the hub PC.');
  const url = hubUrl(input.host, input.port);
  let fingerprint: string;
  try {
    fingerprint = await presentedFingerprint(input.host, input.port, deps.timeoutMs);
  } catch (e) {
    throw new IpcFailure('HUB_UNREACHABLE', `No hub answered at ${input.host}:${input.port} (${e instanceof Error ? e.message : String(e)}). Check the address and that the hub PC is on.`, {
      hq: { status: 0 },
    });
  }
  if (!sameCode(code.data, shortCodeOf(fingerprint))) {
    throw new IpcFailure('HUB_CODE_WRONG', 'The code does not match the hub at this address. Read the code again on the hub PC (Settings → Branch hub), or check the address.');
  }
  let answer: { status: number; json: unknown };
  try {
    answer = await deps.branchAt(url, fingerprint);
  } catch (e) {
    throw new IpcFailure('HUB_UNREACHABLE', `The hub at ${input.host}:${input.port} did not answer (${e instanceof Error ? e.message : String(e)}).`, { hq: { status: 0 } });
  }
  if (answer.status === 401 || answer.status === 403) {
    throw new IpcFailure(
      'HUB_REJECTED',
      'That hub does not know this PC: it serves another branch, or it has not heard from HQ since this PC was enrolled.',
      { hq: { status: answer.status, code: 'UNKNOWN_DEVICE' } },
    );
  }
  const branch = BranchAnswer.safeParse(answer.json);
  if (answer.status !== 200 || !branch.success) {
    throw new IpcFailure('HUB_UNREACHABLE', `The hub at ${input.host}:${input.port} gave no usable answer (status ${answer.status}).`, { hq: { status: answer.status } });
  }
  if (branch.data.branch.code !== deps.branchCode) {
    throw new IpcFailure('HUB_REJECTED', `That hub serves branch ${branch.data.branch.code}, this PC belongs to ${deps.branchCode}.`, {
      hq: { status: answer.status, code: 'OTHER_BRANCH', details: { hubBranch: branch.data.branch.code } },
    });
  }
  return { url, fingerprint };
}

/**
 * A manual address (LANs that block multicast): used only when the hub there presents the
 * certificate this PC already pinned; any other certificate needs pairing with its code first.
 */
export async function checkManualAddress(input: { host: string; port: number }, pinned: string | null, timeoutMs?: number): Promise<{ url: string; fingerprint: string }> {
  let fingerprint: string;
  try {
    fingerprint = await presentedFingerprint(input.host, input.port, timeoutMs);
  } catch (e) {
    throw new IpcFailure('HUB_UNREACHABLE', `No hub answered at ${input.host}:${input.port} (${e instanceof Error ? e.message : String(e)}). Check the address and that the hub PC is on.`, {
      hq: { status: 0 },
    });
  }
  if (pinned === null || normalizeFingerprint(pinned) !== normalizeFingerprint(fingerprint)) {
    throw new IpcFailure('HUB_REJECTED', 'This PC has not paired with the hub at that address: enter the code shown on the hub PC to pair.', { hq: { status: 0, code: 'NOT_PAIRED' } });
  }
  return { url: hubUrl(input.host, input.port), fingerprint };
}
