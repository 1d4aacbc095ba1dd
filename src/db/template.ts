import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncAdminUnits } from '../places/dataset/load-db.js';
import { adminDatasetHash } from '../places/dataset/read-files.js';
import { migrate, migrationScripts } from './migrate.js';
import { eachEntry, openDatabase } from './open.js';

// A new embedded database starts as a copy of a template: a database already created, migrated and holding the
// administrative map, made once by `npm run build` (scripts/build.mjs). Without it a first start runs initdb
// (3.5-5 s), the migrations (about 1 s) and loads the map (1-1.5 s); with it, it copies a directory (about 0.3 s)
// and finds nothing left to do. Its name is a hash of what it holds (PGlite's version, each migration, the map's
// files): after any of them changes it is not found, and a start falls back to the long way, never to a stale copy.

export const TEMPLATE_ROOT = path.resolve(import.meta.dirname, '../../node_modules/.cache/cchc-embedded-template');

function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const manifest = path.join(path.dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The directory the template of the current PGlite, migrations and map has (whether or not it exists). */
export function templateDir(root = TEMPLATE_ROOT): string {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\n`);
  for (const { name, checksum } of migrationScripts()) hash.update(`${name} ${checksum}\n`);
  hash.update(`admin ${adminDatasetHash()}\n`);
  return path.join(root, hash.digest('hex').slice(0, 24));
}

function readableByAll(dir: string): void {
  chmodSync(dir, 0o755);
  eachEntry(dir, (file, isDir) => chmodSync(file, isDir ? 0o755 : 0o644));
}

/** Makes the template unless it exists, and removes any other in `root`. */
export async function ensureTemplate(root = TEMPLATE_ROOT): Promise<{ dir: string; made: boolean }> {
  const dir = templateDir(root);
  const made = !existsSync(dir);
  if (made) {
    const partial = `${dir}.${process.pid}.partial`; // a build stopped half-way leaves nothing under the real name
    rmSync(partial, { recursive: true, force: true });
    const db = await openDatabase(`file:${partial}`);
    try {
      await migrate(db.sql);
      await syncAdminUnits(db.sql);
      await db.sql.query('CHECKPOINT');
    } finally {
      await db.close();
    }
    readableByAll(partial); // the build may run as another user than the bot (a container's root)
    try {
      renameSync(partial, dir);
    } catch (err) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(dir)) throw err; // else another build made it meanwhile
    }
  }
  // Older templates, and what builds that were stopped left (another build may be writing one now).
  for (const name of readdirSync(root)) {
    const other = path.join(root, name);
    const abandoned = name.endsWith('.partial') && Date.now() - statSync(other).mtimeMs > 3_600_000;
    if (name !== path.basename(dir) && (!name.endsWith('.partial') || abandoned)) rmSync(other, { recursive: true, force: true });
  }
  return { dir, made };
}
