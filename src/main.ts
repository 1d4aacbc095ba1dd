import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startRuntime } from './runtime.js';

// The entry file: reads the environment, listens, and shuts down cleanly on SIGINT/SIGTERM.

const started = performance.now();
let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(78);
}
const log = createLogger(config.LOG_LEVEL);

try {
  const runtime = await startRuntime(config, log);
  const app = createApp(runtime.deps);
  const server: Server = app.listen(config.PORT, config.HOST, () => {
    log.info({ port: config.PORT, db: runtime.deps.db.describe, channels: Object.keys(runtime.deps.channels), startupMs: Math.round(performance.now() - started) },
      `bot ready: open http://localhost:${config.PORT}/chat`);
  });
  server.on('error', (err) => {
    log.fatal({ err }, `cannot listen on port ${config.PORT}`);
    void runtime.close().finally(() => process.exit(1));
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    runtime.close().then(() => process.exit(0), (err) => { log.error({ err }, 'shutdown failed'); process.exit(1); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  log.fatal({ err: err instanceof Error ? { message: err.message } : err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
