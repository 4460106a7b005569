import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Logger } from 'pino';
import { pgliteSql } from '../db';
import type { Sql } from '../db';

// A new hub's database starts as a copy of an empty, already initialised PGlite data folder (the
// template), not from initdb: initdb in WASM takes 30–45 s on a busy branch PC, a copy of the
// template a few seconds. The template is made once, by the first hub on this PC that has to run
// initdb (kept under the user data, beside the hub's folder, so deleting the hub's data keeps it).
// It is checked before use (every file as listed when it was made, same size) and once opened
// (a catalog query); a damaged or missing template is made again. The hub's migrations run on the
// copy as on any database (hq/migrate.ts): the template is PostgreSQL's empty cluster only.

/** Lists the template's files and their sizes, written last: a template without it is incomplete. */
const MARKER = 'loket-template.json';
/** hq/db.ts's lock file: never part of a template. */
const LOCK = '.loket-hq.lock';

export type HubDatabaseOrigin = 'existing' | 'template' | 'initdb';

/** Where the template lives for a hub folder: `<userData>/hub` → `<userData>/hub-template`. */
export function defaultTemplateDir(hubDataDir: string): string {
  return join(dirname(hubDataDir), 'hub-template');
}

/** Opens the hub's PGlite database in `dbDir`; a new one starts from the template (made first if needed). */
export async function openHubDatabase(dbDir: string, templateDir: string, log: Logger): Promise<{ db: Sql; origin: HubDatabaseOrigin }> {
  if (existsSync(join(dbDir, 'PG_VERSION'))) return { db: await pgliteSql(dbDir), origin: 'existing' };
  // A folder without PG_VERSION holds no database (a first start, or initdb cut short): start it afresh,
  // unless another process holds it (pgliteSql then says which).
  if (!existsSync(join(dbDir, LOCK))) rmSync(dbDir, { recursive: true, force: true });
  if (templateIntact(templateDir)) {
    cpSync(templateDir, dbDir, { recursive: true, filter: (src) => !src.endsWith(MARKER) });
    let db: Sql | null = null;
    try {
      db = await pgliteSql(dbDir);
      await db.query('SELECT count(*) FROM pg_catalog.pg_class');
      return { db, origin: 'template' };
    } catch (err) {
      await db?.close().catch(() => undefined);
      log.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'hub: the empty database template does not open; making it again');
      rmSync(dbDir, { recursive: true, force: true });
    }
  } else if (existsSync(templateDir)) {
    log.warn('hub: the empty database template is incomplete or damaged; making it again');
  }
  rmSync(templateDir, { recursive: true, force: true });
  await makeTemplate(templateDir);
  cpSync(templateDir, dbDir, { recursive: true, filter: (src) => !src.endsWith(MARKER) });
  return { db: await pgliteSql(dbDir), origin: 'initdb' };
}

/** initdb once, into a folder of its own, then moved into place whole (another hub may be making one too). */
async function makeTemplate(templateDir: string): Promise<void> {
  mkdirSync(dirname(templateDir), { recursive: true });
  const tmp = `${templateDir}.making-${process.pid}-${Date.now()}`;
  try {
    const fresh = await pgliteSql(tmp);
    await fresh.close(); // a clean shutdown: the files are a consistent cluster
    writeFileSync(join(tmp, MARKER), JSON.stringify({ files: filesOf(tmp) }));
    try {
      renameSync(tmp, templateDir);
    } catch (err) {
      // Another process put its template in place meanwhile: keep that one, if whole.
      if (!templateIntact(templateDir)) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Every file under `dir` (but the marker and the lock) with its size. */
function filesOf(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== MARKER && e.name !== LOCK) out[relative(dir, p)] = statSync(p).size;
    }
  };
  walk(dir);
  return out;
}

/** The template is whole: its marker lists exactly its files, at their sizes. */
export function templateIntact(templateDir: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(templateDir, MARKER), 'utf8')) as { files?: unknown };
    const listed = marker.files;
    if (typeof listed !== 'object' || listed === null || !('PG_VERSION' in listed)) return false;
    const actual = filesOf(templateDir);
    const names = Object.keys(listed);
    return names.length === Object.keys(actual).length && names.every((n) => actual[n] === (listed as Record<string, unknown>)[n]);
  } catch {
    return false;
  }
}
