import { describe, expect, it } from 'vitest';
import { isSecureRemoteUrl, SecureUrl } from '@shared/net/secure-url';

describe('only https off the PC (issue 18 pt 5)', () => {
  it.each(['https://hq.loket.example/', 'https://hq.loket.example:8443/v1', 'https://10.0.0.5/'])('accepts %s', (url) => {
    expect(isSecureRemoteUrl(url)).toBe(true);
    expect(SecureUrl.safeParse(url).success).toBe(true);
  });

  it.each(['http://127.0.0.1:4100', 'http://localhost:4100/', 'http://[::1]:4100', 'http://127.8.0.1/'])('accepts loopback http %s (development, tests)', (url) => {
    expect(isSecureRemoteUrl(url)).toBe(true);
  });

  it.each([
    'http://hq.loket.example/',
    'http://10.0.0.5:4100/',
    'http://127.0.0.1.evil.example/',
    'http://localhost.evil.example/',
    'ftp://hq.loket.example/',
    'file:///C:/loket/',
    'https://user:secret@hq.loket.example/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isSecureRemoteUrl(url)).toBe(false);
    expect(SecureUrl.safeParse(url).success).toBe(false);
  });
});
