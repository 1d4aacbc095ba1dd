import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

// Offline `prisma migrate diff`: Prisma's schema engine compiled to WebAssembly, with an in-memory
// PGlite as the shadow database (see shared notes: the native engine cannot be downloaded here).

const require = createRequire(import.meta.url);

export const PRISMA_DIR = path.resolve(import.meta.dirname, '../../prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
export const SCHEMA_FILE = path.join(PRISMA_DIR, 'schema.prisma');
const LOCKFILE = 'provider = "postgresql"\n';

interface WasmEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

async function loadEngineClass(): Promise<{ new: (o: unknown, cb: unknown, a: unknown) => Promise<WasmEngine> }> {
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const dir = path.dirname(bgPath);
  const bg = await import(pathToFileURL(bgPath).href);
  const { instance } = await WebAssembly.instantiate(readFileSync(path.join(dir, 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': bg,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return bg.SchemaEngine;
}

export function migrationDirectories(dir = MIGRATIONS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

/** SQL that would bring the migrations folder up to schema.prisma; empty when they agree. */
export async function pendingMigrationSql(schemaFile = SCHEMA_FILE, dir = MIGRATIONS_DIR): Promise<string> {
  const SchemaEngine = await loadEngineClass();
  const shadow = new PGlite();
  const factory = new PrismaPGlite(shadow);
  // Each shadow connection is a fresh in-memory database.
  const adapterFactory = bindMigrationAwareSqlAdapterFactory({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    connectToShadowDb: () => new PrismaPGlite(new PGlite()).connect(),
  });
  const schema = readFileSync(schemaFile, 'utf8');
  const engine = await SchemaEngine.new({ datamodels: [[schemaFile, schema]] }, () => {}, adapterFactory);
  try {
    const result = await engine.diff({
      from: {
        tag: 'migrations',
        baseDir: dir,
        lockfile: { path: 'migration_lock.toml', content: LOCKFILE },
        shadowDbInitScript: '',
        migrationDirectories: migrationDirectories(dir).map((name) => ({
          path: name,
          migrationFile: {
            path: 'migration.sql',
            content: { tag: 'ok', value: readFileSync(path.join(dir, name, 'migration.sql'), 'utf8') },
          },
        })),
      },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaFile, content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = (result.stdout ?? '').trim();
    return /^-- This is an empty migration\.?$/.test(sql) ? '' : sql;
  } finally {
    engine.free();
    await shadow.close();
  }
}
