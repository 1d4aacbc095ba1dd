import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createUser } from '../src/console/auth.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { createPgDatabase } from '../test/helpers/db.js';
import { spawnNode, stop, waitReady } from '../test/helpers/processes.js';

// `npm run bench:edit`: how long after an official's PATCH the bot answers with the new text, on the embedded
// database (one instance) and with two instances sharing the PostgreSQL server (edit on A, ask B).
// Prints one JSON object; needs the PostgreSQL server of TEST_PG_URL (default the local one).

const PASSWORD = 'bench-password-123';

function start(port: number, databaseUrl: string): ChildProcess {
  return spawnNode(['--import', 'tsx', 'src/main.ts'],
    { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    (chunk) => process.stderr.write(chunk));
}

const ready = (port: number, child: ChildProcess) => waitReady(`http://127.0.0.1:${port}/readyz`, child);

async function api(port: number, token: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body ? JSON.stringify(body) : undefined });
  return res.json() as Promise<Record<string, any>>;
}

async function measure(editPort: number, askPort: number, token: string, rounds = 5): Promise<number[]> {
  const faq = await api(editPort, token, 'POST', '/api/faqs', { questions: ['bộ phận một cửa có làm việc ngày chủ nhật không'], answer: 'Dạ, bản đầu.' });
  const delays: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const answer = `Dạ, phiên bản ${i} ${Date.now()}: Bộ phận Một cửa không làm việc ngày Chủ nhật ạ.`;
    const t0 = performance.now();
    await api(editPort, token, 'PATCH', `/api/faqs/${faq.id}`, { answer });
    for (;;) {
      const r = await api(askPort, token, 'POST', '/api/try', { text: 'một cửa có làm việc chủ nhật không' });
      if (r.replies?.[0]?.text === answer) break;
      if (performance.now() - t0 > 30_000) throw new Error('the new answer never arrived');
      await new Promise((res) => setTimeout(res, 20));
    }
    delays.push(Math.round(performance.now() - t0));
  }
  return delays;
}

async function login(port: number): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-editor', password: PASSWORD }) });
  return ((await r.json()) as { token: string }).token;
}

const children: ChildProcess[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'bench-edit-'));
const pg = await createPgDatabase();
try {
  const embeddedUrl = `file:${dir}/db`;
  for (const url of [embeddedUrl, pg.url]) {
    const db = await prepareDatabase(url, { seed: true });
    await createUser(db.prisma, { username: 'bench-editor', password: PASSWORD, role: 'editor' });
    await db.close();
  }
  children.push(start(3301, embeddedUrl));
  await ready(3301, children[0]);
  const embedded = await measure(3301, 3301, await login(3301));
  await stop(children.pop());
  children.push(start(3302, pg.url), start(3303, pg.url));
  await Promise.all([ready(3302, children[0]), ready(3303, children[1])]);
  const token = await login(3302);
  const twoInstances = await measure(3302, 3303, token);
  console.log(JSON.stringify({ embeddedMs: embedded, embeddedMaxMs: Math.max(...embedded), postgresTwoInstancesMs: twoInstances, postgresTwoInstancesMaxMs: Math.max(...twoInstances), kbPollMs: 1000 }));
} finally {
  await Promise.all(children.map((c) => stop(c)));
  await pg.drop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
