// What the updater trusts, fixed when the app is built (issue 18 pt 1): nothing on the PC (settings,
// app-update.yml beside the exe) can point the app at another feed or make it accept another signer.

// Replaced by electron-vite at build time (electron.vite.config.ts `define`) with the release job's
// LOKET_UPDATE_URL; undefined in tests and unbundled runs.
declare const __LOKET_UPDATE_URL__: string | undefined;

/** The update feed's base URL baked into this build; null (no update checks) for a build without one. */
export const UPDATE_FEED_URL: string | null =
  typeof __LOKET_UPDATE_URL__ === 'string' && __LOKET_UPDATE_URL__ !== '' ? __LOKET_UPDATE_URL__ : null;

// Replaced at build time with the release job's LOKET_UPDATE_PUBLISHER (scripts/release-config.mjs: a
// release build without a real one fails); '' in tests, unbundled runs and builds without a feed.
declare const __LOKET_UPDATE_PUBLISHER__: string | undefined;

/** The publishers to trust for a build-time value: none when it is empty. */
export function publishersFrom(value: string | undefined): string[] {
  return typeof value === 'string' && value.trim() !== '' ? [value.trim()] : [];
}

/**
 * The certificate subject our installers are signed with: the one value the release job also passes to
 * electron-builder as `azureSignOptions.publisherName`. It must equal the subject of the Trusted Signing
 * certificate exactly; an installer signed by anyone else is refused, and with none every update is.
 */
export const UPDATE_PUBLISHERS: readonly string[] = publishersFrom(typeof __LOKET_UPDATE_PUBLISHER__ === 'string' ? __LOKET_UPDATE_PUBLISHER__ : undefined);
