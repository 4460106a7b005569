import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPersonKeyFile } from '../../hq/person-crypto';

// `npm run hq` on PostgreSQL needs HQ_PERSON_KEYS_FILE (issue 18 pt 8, hq/person-crypto.ts): tests
// and benches that start hq/main.ts as a process get one fresh key file per test process.

let path: string | undefined;

/** A key file (one fresh key), made once per process and removed when it exits. */
export function testPersonKeysFile(): string {
  if (path) return path;
  const dir = mkdtempSync(join(tmpdir(), 'loket-hq-keys-'));
  path = join(dir, 'person-keys.json');
  writeFileSync(path, newPersonKeyFile(), { mode: 0o600 });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return path;
}
