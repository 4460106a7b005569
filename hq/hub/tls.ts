import { webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AgentOptions, RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { join } from 'node:path';
// @peculiar/x509 (v2) resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { z } from 'zod';

// TLS on the branch LAN. The hub makes its own certificate (ECDSA P-256, self-signed, kept in its
// data folder so its fingerprint stays the same across restarts); no CA vouches for it, so the
// PCs pin its SHA-256 fingerprint (learnt through HQ, or from the hub's screen at pairing) and a
// client connects only when the certificate presented is exactly that one.

export interface HubCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate, as `AB:CD:…` (what node's X509Certificate.fingerprint256 gives). */
  fingerprint: string;
}

const VALID_DAYS = 3650;

export async function generateHubCertificate(commonName: string, now = new Date()): Promise<HubCertificate> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']));
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
      name: `CN=${commonName.replace(/[,=+<>#;"\\]/g, ' ')}`,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + VALID_DAYS * 86_400_000),
      signingAlgorithm: alg,
      keys,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    },
    // The default provider: Node's global WebCrypto (the same object as node:crypto's webcrypto).
  );
  const certPem = cert.toString('pem');
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return { certPem, keyPem, fingerprint: fingerprintOf(certPem) };
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** `AB:CD:…`, `abcd…` or with spaces: the same fingerprint. */
export function normalizeFingerprint(f: string): string {
  return f.replace(/[\s:]/g, '').toUpperCase();
}

const Stored = z.strictObject({ certPem: z.string(), keyPem: z.string() });
const FILE = 'hub-tls.json';

/** The hub's certificate from its data folder, made on first start (written whole, mode 0600). */
export async function loadOrCreateHubCertificate(dataDir: string, commonName: string): Promise<HubCertificate> {
  const file = join(dataDir, FILE);
  if (existsSync(file)) {
    const stored = Stored.parse(JSON.parse(readFileSync(file, 'utf8')));
    return { ...stored, fingerprint: fingerprintOf(stored.certPem) };
  }
  const made = await generateHubCertificate(commonName);
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, JSON.stringify({ certPem: made.certPem, keyPem: made.keyPem }), { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
  return made;
}

/** The hub presented another certificate than the pinned one: nothing was sent. */
export class HubFingerprintMismatch extends Error {
  override name = 'HubFingerprintMismatch';
  constructor(readonly presented: string | null) {
    super('The hub presented a certificate other than the pinned one');
  }
}

/**
 * An HTTPS agent that talks to a hub only when its certificate's SHA-256 is `fingerprint`. The
 * socket is handed to the request only after the handshake is checked, so not a byte of the request
 * (the device token) is written to a server that is not the pinned hub.
 */
export function pinnedHubAgent(fingerprint: string, options: AgentOptions = {}): HttpsAgent {
  const pinned = normalizeFingerprint(fingerprint);
  const agent = new HttpsAgent({ keepAlive: true, ...options });
  const create = (opts: ConnectionOptions, done: (err: Error | null, socket?: Duplex) => void): undefined => {
    // No CA signs a hub's certificate: chain checks are replaced by the exact fingerprint.
    const socket = tlsConnect({ ...opts, rejectUnauthorized: false, servername: undefined, minVersion: 'TLSv1.2' });
    const onError = (err: Error) => done(err);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      socket.off('error', onError);
      const presented = socket.getPeerCertificate()?.fingerprint256 ?? null;
      if (!presented || normalizeFingerprint(presented) !== pinned) {
        socket.destroy();
        done(new HubFingerprintMismatch(presented));
        return;
      }
      done(null, socket);
    });
    return undefined;
  };
  (agent as unknown as { createConnection: typeof create }).createConnection = create;
  return agent;
}

/** One JSON request to a pinned hub (for main's hub link and tests). */
export function hubRequest(
  url: string,
  fingerprint: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: unknown; timeoutMs?: number; agent?: HttpsAgent } = {},
): Promise<{ status: number; json: unknown }> {
  const u = new URL(url);
  if (u.protocol !== 'https:') return Promise.reject(new Error('a hub is reached over https only'));
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const agent = init.agent ?? pinnedHubAgent(fingerprint, { keepAlive: false });
  const options: RequestOptions = {
    method: init.method ?? 'GET',
    agent,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    timeout: init.timeoutMs ?? 10_000,
  };
  return new Promise((resolve, reject) => {
    const req = httpsRequest(u, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('hub request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
