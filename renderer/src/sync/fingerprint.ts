// The fingerprint lives in shared/sync (the hub compares it too); the renderer's modules import it from here.
export { comparableText, fingerprint, FingerprintMemo, sameContent } from '@shared/sync/fingerprint';
