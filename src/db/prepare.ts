import type { Logger } from 'pino';
import { seedIfEmpty } from '../kb/seed.js';
import { migrate } from './migrate.js';
import { openDatabase, type Database } from './open.js';

/** Opens the database named by DATABASE_URL, applies pending migrations and loads sample data if empty. */
export async function prepareDatabase(url: string, opts: { seed: boolean; log?: Logger }): Promise<Database> {
  const db = await openDatabase(url);
  try {
    const applied = await migrate(db.sql);
    if (applied.length) opts.log?.info({ applied }, 'applied database migrations');
    if (opts.seed && (await seedIfEmpty(db.prisma))) opts.log?.info('loaded the sample knowledge base (verify before deployment)');
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}
