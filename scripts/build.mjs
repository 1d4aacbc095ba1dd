// `npm run build`: src/**/*.ts -> dist/**/*.js, one file per module, so every `import.meta.dirname` path
// (intents/, datasets/, public/, prisma/) resolves from dist/ exactly as it does from src/.
// Plain JavaScript on purpose: it runs after `npm ci --omit=dev`, where tsx and typescript are absent.
// `--if-stale` (used before `npm start` and the CLI scripts) does nothing when dist/ is newer than every source.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const out = path.join(root, 'dist');
const stampFile = path.join(out, '.build-stamp.json');

const entryPoints = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
  .map((e) => path.join(e.parentPath, e.name));
if (!entryPoints.some((f) => f.endsWith(path.join('generated', 'prisma', 'client.ts')))) {
  console.error('src/generated/prisma is missing: run `npm install` (its postinstall generates the Prisma client).');
  process.exit(1);
}

// What the output was built from: the sources (names and times) and this script.
const inputs = [...entryPoints, import.meta.filename];
const stamp = JSON.stringify({ files: inputs.length, newest: Math.max(...inputs.map((f) => statSync(f).mtimeMs)) });
const previous = (() => { try { return readFileSync(stampFile, 'utf8'); } catch { return ''; } })();
if (process.argv.includes('--if-stale') && previous === stamp) {
  await template();
  process.exit(0);
}

const started = performance.now();
rmSync(out, { recursive: true, force: true });
const { build } = await import('esbuild'); // only when there is something to build
await build({ entryPoints, outdir: out, outbase: src, platform: 'node', format: 'esm', target: 'node20.19', logLevel: 'warning' });
writeFileSync(stampFile, stamp);
if (process.argv.includes('--verbose')) console.error(`built ${entryPoints.length} files into dist/ in ${Math.round(performance.now() - started)} ms`);
await template();

// The database a new embedded one starts from (src/db/template.ts): made when missing, named by what it holds, so
// a change of migrations or map makes a new one. Optional: without it a first start runs initdb, a few seconds more.
async function template() {
  const t = performance.now();
  try {
    const { ensureTemplate } = await import(path.join(out, 'db', 'template.js'));
    const { made } = await ensureTemplate();
    if (made) console.error(`prepared the template of a new embedded database in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`warning: no template for a new embedded database (a first start takes a few seconds more): ${err.message}`);
  }
}
