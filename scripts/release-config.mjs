// What a release build must be told (issue 18 pt 1): the update feed and the publisher the updater
// trusts, each one value from the release job's environment (repository variables LOKET_UPDATE_URL
// and LOKET_UPDATE_PUBLISHER). electron.vite.config.ts bakes both into main; the release job passes the
// same publisher to electron-builder (-c.win.azureSignOptions.publisherName), whose yml holds only
// PUBLISHER_PLACEHOLDER. A build with a feed (a release build) and no real publisher fails here, with
// the reason, instead of shipping an app that refuses every update or trusts a made-up signer.
//
//   node scripts/release-config.mjs   → exit 0, or 1 with one line per problem (the release job runs it)

/** The value electron-builder.yml names until the release job overrides it. */
export const PUBLISHER_PLACEHOLDER = 'CN=set LOKET_UPDATE_PUBLISHER in the release job';

/** The publisher to bake into main: '' (trust no installer) when unset or still the placeholder. */
export function bakedPublisher(env) {
  const value = (env.LOKET_UPDATE_PUBLISHER ?? '').trim();
  return value === PUBLISHER_PLACEHOLDER ? '' : value;
}

/** A build with an update feed is a release build. */
export function isReleaseBuild(env) {
  return (env.LOKET_UPDATE_URL ?? '').trim() !== '';
}

/** Why the environment cannot make a release build; [] when it can. */
export function releaseConfigProblems(env) {
  const problems = [];
  const url = (env.LOKET_UPDATE_URL ?? '').trim();
  if (!url.startsWith('https://')) problems.push('Set LOKET_UPDATE_URL to the https:// base URL of the update feed.');
  const publisher = (env.LOKET_UPDATE_PUBLISHER ?? '').trim();
  if (publisher === '' || publisher === PUBLISHER_PLACEHOLDER) {
    problems.push('Set LOKET_UPDATE_PUBLISHER to the exact subject of the code-signing certificate (CN=…); the updater trusts only installers signed by it.');
  } else if (!publisher.startsWith('CN=')) {
    problems.push(`LOKET_UPDATE_PUBLISHER must be a certificate subject starting with CN= (got "${publisher}").`);
  }
  return problems;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const problems = releaseConfigProblems(process.env);
  for (const p of problems) process.stderr.write(`release config: ${p}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}
