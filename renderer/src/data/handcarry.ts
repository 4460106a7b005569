// The hand-carry file in the renderer (issue 5 pt 6; docs/handcarry-format.md). Its format and
// crypto are one definition in shared/handcarry/ (HQ's import command, scripts/handcarry-import.ts,
// uses the same with Node's WebCrypto); here they are bound to the window's WebCrypto. Reading the
// pending records is ./handcarry-collect.ts, signing in main ./handcarry-sign.ts.

import { handcarryCrypto, type DeviceSigningKey as DeviceSigningKeyOf, type ExportHandcarryOptions as ExportHandcarryOptionsOf } from '@shared/handcarry/crypto';

export * from '@shared/handcarry/format';
export type { ImportHandcarryOptions, RemoteSigner } from '@shared/handcarry/crypto';

/** A WebCrypto key (CryptoKey). */
export type WebCryptoKey = CryptoKey;
export type DeviceSigningKey = DeviceSigningKeyOf<CryptoKey>;
export type ExportHandcarryOptions = ExportHandcarryOptionsOf<CryptoKey>;

export const { generateDeviceSigningKey, exportSigningKeyJwk, importSigningKeyJwk, jwkThumbprint, exportHandcarry, importHandcarry } = handcarryCrypto<CryptoKey>(globalThis.crypto);
