import { access } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config.js';
import { IMPORT_KINDS, type ImportKind } from '../console/imports/columns.js';
import { importFile, type ImportSummary } from '../console/imports/import.js';
import { importNational, type NationalSummary } from '../console/imports/national.js';
import type { FileFormat } from '../console/imports/parse.js';
import { DatabaseInUseError } from '../db/embedded-lock.js';
import { DatabaseUrlError, type Database } from '../db/open.js';
import { prepareDatabase } from '../db/prepare.js';
import { parseLevels, type LevelKey } from '../kb/national/levels.js';

// Imports a spreadsheet, or the national catalogue, on the same DATABASE_URL as the server:
//   npm run import -- procedures <file.csv|file.xlsx> [--dry-run]      (also faqs, dossiers)
//   npm run import -- national [file.jsonl[.gz]] [--levels xa,tinh,bo|all] [--dry-run]
// Progress goes to stderr (a bar on a terminal, a line every 10% otherwise); the summary to stdout.
// Exit 1 when any row is invalid (each printed as "row N, column X: reason"): nothing is imported then.

const USAGE = `Usage: npm run import -- <${IMPORT_KINDS.join('|')}> <file.csv|file.xlsx> [--dry-run]
       npm run import -- national [file.jsonl.gz] [--levels xa,tinh,bo|all] [--dry-run]
         (default: the shipped catalogue, levels tinh,xa; "Cơ quan khác" counts as xa)`;

class UsageError extends Error {}

function formatOf(file: string): FileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  throw new UsageError(`"${file}": the file must end in .csv or .xlsx (save .xls files as .xlsx first).\n${USAGE}`);
}

type Progress = (done: number, total?: number, phase?: 'read' | 'write') => void;
const READING = 'Đọc và kiểm tra tệp';
const WRITING = 'Ghi vào cơ sở dữ liệu';

/**
 * Reading counts rows (the total is not known until the end); writing shows a bar on a terminal, and
 * elsewhere (CI, logs) one line each time it passes another 10%.
 */
function progressReporter(): { update: Progress; stop: () => void } {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | undefined;
  let lastRead = -1;
  let lastStep = -1;
  const update: Progress = (done, total, phase = 'write') => {
    if (phase === 'read') {
      if (tty) process.stderr.write(`\r${READING}: ${done} dòng`);
      else if (done > 0 && Math.floor(done / 1000) > Math.floor(lastRead / 1000)) process.stderr.write(`${READING}: ${done} dòng\n`);
      lastRead = done;
      return;
    }
    if (!total) return;
    if (tty) {
      if (!bar) {
        process.stderr.write('\n');
        bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${WRITING} [{bar}] {percentage}% | {value}/{total} dòng`, hideCursor: true },
          cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(Math.min(done, total));
      return;
    }
    const step = Math.floor((Math.min(done, total) / total) * 10) * 10;
    if (step > lastStep) process.stderr.write(`${WRITING}: ${step}%\n`);
    lastStep = step;
  };
  const stop = () => {
    if (bar) bar.stop();
    else if (tty && lastRead >= 0) process.stderr.write('\n');
    if (!tty && lastRead >= 0 && lastRead % 1000 !== 0) process.stderr.write(`${READING}: ${lastRead} dòng\n`);
  };
  return { update, stop };
}

const LEVEL_NAMES: Record<LevelKey, string> = { bo: 'bộ', tinh: 'tỉnh', xa: 'xã' };

function reportNational(s: NationalSummary): string[] {
  if (!s.ok) {
    const lines = [`${s.file}: ${s.errors.length} lỗi, chưa nhập bản ghi nào.`];
    for (const e of s.errors) lines.push(e.row ? `line ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.reason}` : e.reason);
    return lines;
  }
  const what = s.dryRun ? 'Chạy thử (chưa ghi gì)' : 'Đã nhập';
  const kept = s.records - s.skipped;
  const levels = s.levels.map((l) => LEVEL_NAMES[l]).join(', ');
  const lines = [`${what}: ${kept} thủ tục cấp ${levels} (bỏ qua ${s.skipped}/${s.records} bản ghi cấp khác), `
    + `${s.created} mới, ${s.updated} cập nhật, ${s.unchanged} không đổi.`];
  if (s.renamed) lines.push(`${s.renamed} thủ tục trùng tên với thủ tục khác: đã thêm cấp thực hiện hoặc mã vào tên để phân biệt.`);
  lines.push(`Thời gian: ${s.seconds.toLocaleString('vi-VN')} giây.`);
  return lines;
}

async function runNational(db: Database, file: string | undefined, dryRun: boolean, levels: LevelKey[] | undefined): Promise<number> {
  const progress = progressReporter();
  let summary: NationalSummary;
  try {
    summary = await importNational(db.prisma, { file, levels, dryRun, actor: 'cli', onProgress: progress.update });
  } finally {
    progress.stop();
  }
  process.stdout.write(`${reportNational(summary).join('\n')}\n`);
  return summary.ok ? 0 : 1;
}

function report(summary: ImportSummary, file: string): string[] {
  const lines = summary.warnings.map((w) => `Lưu ý: ${w}`);
  if (!summary.ok) {
    lines.push(`${file}: ${summary.errors.length} lỗi, chưa nhập dòng nào.`);
    for (const e of summary.errors) lines.push(e.column ? `row ${e.row}, column ${e.column}: ${e.reason}` : `row ${e.row}: ${e.reason}`);
    return lines;
  }
  const what = summary.dryRun ? 'Chạy thử (chưa ghi gì)' : 'Đã nhập';
  lines.push(`${what}: ${summary.rows} dòng, ${summary.created} mới, ${summary.updated} cập nhật, ${summary.unchanged} không đổi.`);
  return lines;
}

async function main(): Promise<number> {
  let db: Database | undefined;
  try {
    const { positionals, values } = parseArgs({
      allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false }, levels: { type: 'string' } },
    });
    const [kind, file] = positionals;
    if (kind === 'national') {
      if (positionals.length > 2) throw new UsageError(USAGE);
      const levels = values.levels === undefined ? undefined : parseLevels(values.levels);
      if (values.levels !== undefined && !levels) throw new UsageError(`--levels "${values.levels}": use xa, tinh, bo (comma-separated) or all.\n${USAGE}`);
      if (file) await access(file).catch(() => { throw new UsageError(`Cannot read "${file}": check the path.`); });
      const config = loadConfig();
      db = await prepareDatabase(config.DATABASE_URL, { seed: config.SEED_SAMPLE_DATA });
      return await runNational(db, file, values['dry-run'] ?? false, levels);
    }
    if (values.levels !== undefined) throw new UsageError(`--levels is for "national" only.\n${USAGE}`);
    if (!IMPORT_KINDS.includes(kind as ImportKind) || !file || positionals.length > 2) throw new UsageError(USAGE);
    const format = formatOf(file);
    await access(file).catch(() => { throw new UsageError(`Cannot read "${file}": check the path.`); });
    const config = loadConfig();
    db = await prepareDatabase(config.DATABASE_URL, { seed: config.SEED_SAMPLE_DATA });
    const progress = progressReporter();
    let summary: ImportSummary;
    try {
      summary = await importFile(db.prisma, kind as ImportKind, { path: file, format },
        { dryRun: values['dry-run'] ?? false, actor: 'cli', source: path.basename(file), onProgress: progress.update });
    } finally {
      progress.stop();
    }
    const lines = report(summary, file);
    process.stdout.write(`${lines.join('\n')}\n`);
    return summary.ok ? 0 : 1;
  } catch (err) {
    const known = [UsageError, ConfigError, DatabaseInUseError, DatabaseUrlError].some((E) => err instanceof E)
      || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (err instanceof DatabaseInUseError) {
      const hint = process.argv.slice(2).includes('national')
        ? 'Stop the server, load the catalogue, then start it again (or use a PostgreSQL server both can share).'
        : 'While the server runs on the embedded database, import through the console instead (Nhập dữ liệu).';
      process.stderr.write(`${err.message}\n${hint}\n`);
    } else {
      process.stderr.write(known ? `${(err as Error).message}\n` : `${(err as Error).stack ?? String(err)}\n`);
    }
    return 1;
  } finally {
    await db?.close();
  }
}

process.exitCode = await main();
