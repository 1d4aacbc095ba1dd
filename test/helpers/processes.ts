import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

// Child processes for tests and benchmarks that need a real server process (restarts, SIGKILL, load).

export const ROOT = path.resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `node <args>` from the repository, its output handed to `onOutput`. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv, onOutput: (chunk: string) => void): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => onOutput(d.toString()));
  child.stderr?.on('data', (d: Buffer) => onOutput(d.toString()));
  return child;
}

/**
 * The node arguments that run the bot as `npm start` does (its young generation capped, README "Memory"):
 * dist/main.js, built first when stale. Benchmarks run
 * this (tsx transforms the sources in the process: about 100 MB more and a slower start than production).
 * BENCH_NODE_ARGS adds node options to the bot's command line, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (node
 * refuses those in NODE_OPTIONS).
 */
export function builtServerArgs(): string[] {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  return ['--max-semi-space-size=6', ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'dist/main.js'];
}

/** Polls `url` until it answers 2xx; fails early when the process exits. */
export async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/** The process's resident memory in MB (Linux /proc), or null when it cannot be read (gone, another OS). */
export function rssMb(child: ChildProcess): number | null {
  try { return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024); } catch { return null; }
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends `signal`, then SIGKILL if the process is still there after 10 s. */
export async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  child.kill(signal);
  await exited(child);
  clearTimeout(t);
}

/**
 * The server (`node --import tsx src/main.ts` directly, not npx, so the pid killed is the server's own) on a free
 * port with `env` added; its output goes to `log` (shown if it never gets ready) and the child to `children`.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv, log: string[], children: ChildProcess[]): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawnNode(['--import', 'tsx', 'src/main.ts'], {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env,
  }, (chunk) => log.push(`[pid ${child.pid}] ${chunk}`));
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  // A loaded machine (several test suites at once) can take minutes to migrate, seed and train.
  await waitReady(`${url}/readyz`, child, 180_000).catch((err) => { throw new Error(`${(err as Error).message}:\n${log.join('')}`); });
  return { child, url };
}
