import type { Logger } from 'pino';
import { seedIfEmpty } from '../kb/seed.js';
import { syncAdminUnits } from '../places/dataset/load-db.js';
import { migrate } from './migrate.js';
import { openDatabase, type Database } from './open.js';
import { templateDir } from './template.js';

export interface PrepareOptions {
  seed: boolean;
  log?: Logger;
  /** The administrative-map files to load (default: datasets/admin-units-2025); tests pass a broken copy. */
  adminUnitsDir?: string;
  /** A new embedded database's template (db/template.ts); default: the one `npm run build` made, if it did. */
  template?: string;
}

/**
 * Opens the database named by DATABASE_URL, applies pending migrations, loads the administrative map when it is
 * missing or the shipped files changed, and loads sample data if empty.
 */
export async function prepareDatabase(url: string, opts: PrepareOptions): Promise<Database> {
  const db = await openDatabase(url, { template: () => opts.template ?? templateDir(), log: opts.log });
  try {
    const applied = await migrate(db.sql);
    if (applied.length) opts.log?.info({ applied }, 'applied database migrations');
    const admin = await syncAdminUnits(db.sql, opts.adminUnitsDir);
    if (admin.loaded) opts.log?.info({ ...admin.counts, version: admin.version, ms: Math.round(admin.ms) }, 'loaded the administrative map');
    if (opts.seed && (await seedIfEmpty(db.prisma))) opts.log?.info('loaded the sample knowledge base (verify before deployment)');
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}
