import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createUser } from '../src/console/auth.js';
import { importNational } from '../src/console/imports/national.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { builtServerArgs, rssMb, spawnNode, stop, waitReady } from '../test/helpers/processes.js';

// `npm run bench:edit-stall`: with the whole national catalogue loaded (2,647 procedures), how long an official's
// edit holds up the bot's other replies. A client asks the bot ("try it", the whole turn: NLU and answer)
// back to back; meanwhile an official edits an FAQ answer (the NLU does not read it: no rebuild) and a
// procedure's aliases (the NLU reads them: rebuilt). Reported: the probe's latency before and during each edit
// (the worst probe during an edit minus the median before = how much the edit delayed a reply), and the same
// for a window as long as the alias edit's with no edit at all ('quiet'); aboveQuietMs is an edit's worst probe
// above the quiet window's worst, the delay the edit itself caused. Target ≤ 50 ms.
// Embedded database by default; `-- --database postgres` for the server of TEST_PG_URL. Prints one JSON object,
// with the bot's start (ready) and RSS with the catalogue loaded, before and after the edits. DEBUG_STALL=1 also
// prints each probe over 50 ms and when it came; BENCH_NODE_ARGS go to the bot's node.

const PASSWORD = 'bench-password-123';
const PORT = 3311;
const postgres = process.argv.includes('postgres');

async function api(token: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${PORT}${p}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, any>>;
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] * 10) / 10;
};

/** Asks the bot back to back until `until` resolves; returns each answer's latency. */
async function probe(token: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => { done = true; });
  const times: number[] = [];
  const questions = ['làm giấy khai sinh cho con cần giấy tờ gì', 'đăng ký kết hôn mất bao lâu', 'xin cấp lại sổ hộ khẩu ở đâu'];
  for (let i = 0; !done; i++) {
    const t0 = performance.now();
    await api(token, 'POST', '/api/try', { text: questions[i % questions.length] });
    times.push(performance.now() - t0);
    if (process.env.DEBUG_STALL && performance.now() - t0 > 50) console.error(`slow probe: ${Math.round(performance.now() - t0)} ms, ${Math.round(t0 - editAt)} ms after the edit began`);
  }
  return times;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let editAt = Number.NaN;

/** The probes while `edit` runs and `settleMs` after, and how long the official waited for the edit's answer. */
async function editWindow(token: string, edit: () => Promise<unknown>, settleMs: number) {
  let editMs = 0;
  const during = await probe(token, (async () => {
    await sleep(200);
    editAt = performance.now();
    await edit();
    editMs = Math.round(performance.now() - editAt);
    await sleep(settleMs);
  })());
  return { during, editMs };
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-edit-stall-'));
let child: ChildProcess | undefined;
let dropPg: (() => Promise<void>) | undefined;
try {
  let url = `file:${dir}/db`;
  if (postgres) {
    const { createPgDatabase } = await import('../test/helpers/db.js');
    const pg = await createPgDatabase();
    url = pg.url;
    dropPg = pg.drop;
  }
  const db = await prepareDatabase(url, { seed: true });
  await createUser(db.prisma, { username: 'bench-editor', password: PASSWORD, role: 'editor' });
  await importNational(db.prisma, { levels: ['bo', 'tinh', 'xa'], dryRun: false });
  const proceduresLoaded = await db.prisma.procedure.count();
  const procedureId = (await db.prisma.procedure.findFirstOrThrow({ where: { code: { not: null } }, orderBy: { id: 'desc' } })).id;
  await db.close();
  // The bot as `npm start` runs it (compiled, its young generation capped), not under tsx.
  child = spawnNode(builtServerArgs(),
    { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: url, LOG_LEVEL: 'warn', KB_POLL_MS: '1000' },
    (chunk) => process.stderr.write(chunk));
  const startedAt = performance.now();
  await waitReady(`http://127.0.0.1:${PORT}/readyz`, child);
  const readyMs = Math.round(performance.now() - startedAt);
  const login = await fetch(`http://127.0.0.1:${PORT}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-editor', password: PASSWORD }) });
  const token = ((await login.json()) as { token: string }).token;
  const faq = await api(token, 'POST', '/api/faqs', { questions: ['bộ phận một cửa có làm việc ngày chủ nhật không'], answer: 'Dạ, bản đầu.' });
  await sleep(3000); // the rebuild the new FAQ's question caused
  await probe(token, sleep(1000)); // warm-up
  const before = await probe(token, sleep(3000));
  const base = q(before, 0.5);
  const rssBeforeEditsMb = rssMb(child);
  const row = (times: number[]) => ({ probes: times.length, p50Ms: q(times, 0.5), p99Ms: q(times, 0.99), maxMs: q(times, 1), delayMs: Math.round(q(times, 1) - base) });
  const faqEdit = await editWindow(token, () => api(token, 'PATCH', `/api/faqs/${faq.id}`, { answer: `Dạ, bản ${Date.now()}.` }), 3000);
  const aliasStarted = performance.now();
  const aliasEdit = await editWindow(token, () => api(token, 'PATCH', `/api/procedures/${procedureId}`, { aliases: [`bí danh ${Date.now()}`] }), 6000);
  // As long as the alias edit's window, with no edit: on a shared 2-core machine a reply is sometimes 50-100 ms
  // late with no edit at all, and the longer the window the likelier. An edit's own delay is its worst reply
  // above this window's worst.
  const quiet = await probe(token, sleep(performance.now() - aliasStarted));
  const quietMax = q(quiet, 1);
  const withQuiet = ({ during, editMs }: { during: number[]; editMs: number }) => ({ editMs, ...row(during), aboveQuietMs: Math.max(0, Math.round(q(during, 1) - quietMax)) });
  console.log(JSON.stringify({ database: postgres ? 'postgres' : 'embedded', procedures: proceduresLoaded, readyMs, rssBeforeEditsMb, rssAfterEditsMb: rssMb(child),
    before: row(before), quiet: row(quiet), faqAnswerEdit: withQuiet(faqEdit), procedureAliasEdit: withQuiet(aliasEdit), targetDelayMs: 50 }));
} finally {
  if (child) await stop(child);
  await dropPg?.().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
