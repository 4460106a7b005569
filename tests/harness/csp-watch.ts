// Imported first by harness.ts, so it runs before the data layer's modules are evaluated: any CSP
// violation (an `eval`, an inline script, a blocked fetch) while loading or running is recorded.
import { z } from 'zod';

export const cspViolations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => {
  cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline/eval)'} at ${e.sourceFile}:${e.lineNumber}`);
});

// zod 4 probes for eval with `new Function("")` (in a try/catch) the first time it parses an
// object, to pick its JIT parser. Under the app's CSP the probe is blocked and reported, and zod
// falls back to its plain parser. jitless skips the probe; the renderer should set the same (see
// the report for issue 5). With it, any violation left comes from the code under test.
z.config({ jitless: true });
