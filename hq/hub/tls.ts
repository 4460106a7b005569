import { webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @peculiar/x509 (v2) resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { z } from 'zod';

// TLS on the branch LAN. The hub makes its own certificate (ECDSA P-256, self-signed, kept in its
// data folder so its fingerprint stays the same across restarts); no CA vouches for it, so the
// PCs pin its SHA-256 fingerprint (learnt through HQ, or from the hub's screen at pairing) and a
// client connects only when the certificate presented is exactly that one (main/hub/pinned.ts).

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

// The client side (pinning the fingerprint, requests to a hub) is main's: main/hub/pinned.ts.
