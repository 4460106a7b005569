// Only https leaves the PC (issue 18 pt 5): HQ and the update feed are reached over https; plain http
// is accepted only to this machine itself (loopback), where development and the tests run their HQ.
// shared/ has no URL global (pure ES): zod checks it is a URL, the patterns below check scheme and host.
import { z } from 'zod';

const ANY_URL = z.url();
const WITH_USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;
const HTTPS = /^https:\/\//i;
/** http to 127.0.0.0/8, localhost or [::1], with an optional port, then a path or nothing. */
const LOOPBACK_HTTP = /^http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?([/?#]|$)/i;

/** https anywhere; http only to loopback. Anything else (ftp:, file:, http to another host, garbage) is refused. */
export function isSecureRemoteUrl(raw: string): boolean {
  if (!ANY_URL.safeParse(raw).success) return false;
  if (WITH_USERINFO.test(raw)) return false; // no credentials in a URL that ends up in settings and logs
  return HTTPS.test(raw) || LOOPBACK_HTTP.test(raw);
}

export const SECURE_URL_MESSAGE = 'must be an https:// address (http:// only to this PC, for development)';

/** An HQ or update URL at a boundary (IPC contract, stored credentials). */
export const SecureUrl = z.url({ protocol: /^https?$/ }).refine(isSecureRemoteUrl, SECURE_URL_MESSAGE);
