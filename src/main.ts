import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startRuntime, type Runtime } from './runtime.js';

// The entry file: reads the environment (and .env), listens, and shuts down cleanly on SIGINT/SIGTERM.

const started = performance.now();
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(78);
}
const log = createLogger(config.LOG_LEVEL);

/**
 * Stops taking requests, lets those in flight and the running jobs finish, then closes the database (which
 * releases the embedded lock). Past `timeoutMs` it exits anyway: unfinished jobs are taken up at the next start.
 */
async function shutdown(server: Server, runtime: Runtime, signal: string, timeoutMs: number): Promise<never> {
  log.info({ signal, timeoutMs }, 'shutting down: finishing in-flight requests and jobs');
  setTimeout(() => {
    log.error({ timeoutMs }, 'shutdown took too long: exiting with work unfinished (it resumes at the next start)');
    process.exit(1);
  }, timeoutMs);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.race([closed, new Promise((r) => setTimeout(r, timeoutMs / 2))]);
  server.closeAllConnections();
  try {
    await runtime.close();
    log.info('stopped');
    process.exit(0);
  } catch (err) {
    log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
}

function listen(config: Config, runtime: Runtime): Server {
  const app = createApp(runtime.deps);
  // A burst of webhooks opens a connection each: past Node's default accept queue (511) the kernel drops the
  // connections, and the platforms retry them 1, 3, 7 s later. The kernel caps this at net.core.somaxconn.
  const server: Server = app.listen({ port: config.PORT, host: config.HOST, backlog: 4096 }, () => {
    log.info({ port: config.PORT, db: runtime.deps.db.describe, channels: Object.keys(runtime.deps.channels), startupMs: Math.round(performance.now() - started) },
      `bot ready: open http://localhost:${config.PORT}/chat`);
  });
  server.on('error', (err) => {
    log.fatal({ err }, `cannot listen on port ${config.PORT}`);
    void runtime.close().finally(() => process.exit(1));
  });
  return server;
}

let runtime: Runtime | undefined;
let server: Server | undefined;
let stopping = false;
const onSignal = (signal: NodeJS.Signals) => {
  if (stopping || !runtime || !server) {
    // A second signal, or one during start-up: exit now (the embedded lock is released on exit).
    log.warn({ signal }, stopping ? 'second signal: exiting now' : 'signal during start-up: exiting');
    process.exit(1);
  }
  stopping = true;
  void shutdown(server, runtime, signal, config.SHUTDOWN_TIMEOUT_MS);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  runtime = await startRuntime(config, log);
  server = listen(config, runtime);
  // Without its database the bot can neither record an event nor answer one: stop now (exit 1) and let the
  // supervisor start it again, rather than answer 500 to every webhook with /readyz the only sign.
  void runtime.deps.db.lost?.then((err) => {
    if (stopping) return;
    log.fatal({ err: { message: err.message } }, `database lost: ${err.message}; exiting`);
    process.exit(1);
  });
} catch (err) {
  log.fatal({ err: err instanceof Error ? { message: err.message } : err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
