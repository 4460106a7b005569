// What the updater trusts, fixed when the app is built (issue 18 pt 1): nothing on the PC (settings,
// app-update.yml beside the exe) can point the app at another feed or make it accept another signer.

// Replaced by electron-vite at build time (electron.vite.config.ts `define`) with the release job's
// LOKET_UPDATE_URL; undefined in tests and unbundled runs.
declare const __LOKET_UPDATE_URL__: string | undefined;

/** The update feed's base URL baked into this build; null (no update checks) for a build without one. */
export const UPDATE_FEED_URL: string | null =
  typeof __LOKET_UPDATE_URL__ === 'string' && __LOKET_UPDATE_URL__ !== '' ? __LOKET_UPDATE_URL__ : null;

/**
 * The certificate subject(s) our installers are signed with: the same value as `azureSignOptions.publisherName`
 * in electron-builder.yml (tests/unit/updater.test.ts checks they match). It must equal the subject of
 * the Trusted Signing certificate exactly; an installer signed by anyone else is refused.
 */
export const UPDATE_PUBLISHERS: readonly string[] = ['CN=Loket team, O=Loket team, C=ID'];
