import fs from 'node:fs/promises';
import path from 'node:path';

/** The renderer's Content-Security-Policy: our own scripts and styles only, no eval, no inline code. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

export interface StaticFile {
  status: number;
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * Reads a file of the built renderer for a URL path. Paths that escape `root` are refused; unknown
 * paths without an extension fall back to index.html (client-side routes).
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return notFound();
  }
  const rootAbs = path.resolve(root);
  const wanted = path.resolve(rootAbs, '.' + (decoded === '/' ? '/index.html' : decoded));
  if (wanted !== rootAbs && !wanted.startsWith(rootAbs + path.sep)) return notFound();
  const file = path.extname(wanted) ? wanted : path.join(rootAbs, 'index.html');
  try {
    const body = await fs.readFile(file);
    return {
      status: 200,
      body,
      headers: { ...SECURITY_HEADERS, 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' },
    };
  } catch {
    return notFound();
  }
}

function notFound(): StaticFile {
  return { status: 404, body: Buffer.from('Not found'), headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain' } };
}
