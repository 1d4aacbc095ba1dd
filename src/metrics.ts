import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppDeps } from './deps.js';

// Every Prometheus metric of the bot, defined once. Recording is one cheap call at each place (a counter
// increment, a histogram observation); what lives in the database (queue depth and age, hand-off waits,
// the knowledge base version) is read when Prometheus scrapes, so every instance reports the shared state.

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'cchc_' });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  webhookAck: new Histogram({
    name: 'cchc_webhook_ack_seconds', help: 'Time from a webhook request to its acknowledgement', labelNames: ['channel'] as const,
    buckets: SECONDS, registers: [registry],
  }),
  events: new Counter({
    name: 'cchc_inbound_events_total', help: 'Inbound webhook events: accepted, or rejected with why', labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  }),
  sends: new Counter({
    name: 'cchc_sends_total', help: 'Platform sends by outcome (sent, retry, failed, undelivered) and error kind', labelNames: ['channel', 'outcome', 'error_kind'] as const,
    registers: [registry],
  }),
  decisionBatch: new Histogram({
    name: 'cchc_decision_batch_events', help: 'Events decided in one transaction', buckets: [1, 2, 4, 8, 16, 32], registers: [registry],
  }),
  embeddedVacuum: new Histogram({
    name: 'cchc_embedded_vacuum_seconds', help: 'One pass of VACUUM (ANALYZE) over the churning tables of the embedded database',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  }),
  /** Counted where the statements leave for the database: the embedded database's client, the PostgreSQL pool's connections. */
  dbStatements: new Counter({
    name: 'cchc_db_statements_total', help: 'Statements this process sent to its database, BEGIN and COMMIT included (the bot\'s, the worker\'s and the console\'s)',
    registers: [registry],
  }),
  nlu: new Histogram({ name: 'cchc_nlu_seconds', help: 'Time to understand one message', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25], registers: [registry] }),
  nluThread: new Counter({
    name: 'cchc_nlu_thread_total', help: 'Messages the NLU thread understood ahead (used), or that the bot understood itself (own: not asked, not ready, another knowledge base); its failures',
    labelNames: ['result'] as const, registers: [registry],
  }),
  clarifications: new Counter({
    name: 'cchc_clarifications_total', help: '"Which procedure?" questions: asked, picked, abandoned', labelNames: ['event'] as const, registers: [registry],
  }),
  retention: new Counter({ name: 'cchc_retention_deleted_total', help: 'Rows deleted or anonymised by the retention job', labelNames: ['table'] as const, registers: [registry] }),
};

/** Times `fn` into a histogram (synchronous work such as the NLU). */
export function timed<T>(h: Histogram, fn: () => T): T {
  const end = h.startTimer();
  try { return fn(); } finally { end(); }
}

let source: Pick<AppDeps, 'db' | 'kb' | 'nluThread'> | undefined;
const queueDepth = new Gauge({ name: 'cchc_job_queue_depth', help: 'Jobs waiting or running, by kind', labelNames: ['kind'] as const, registers: [registry] });
const queueAge = new Gauge({ name: 'cchc_job_queue_oldest_seconds', help: 'Age of the oldest job due and not done, by kind', labelNames: ['kind'] as const, registers: [registry] });
const handoffWaiting = new Gauge({ name: 'cchc_handoff_waiting', help: 'Citizens waiting for an official now', registers: [registry] });
const handoffOldest = new Gauge({ name: 'cchc_handoff_oldest_wait_seconds', help: 'Longest current wait for an official', registers: [registry] });
const kbVersion = new Gauge({ name: 'cchc_kb_version', help: 'Knowledge base version this instance answers from', registers: [registry] });
new Gauge({
  name: 'cchc_embedded_thread_busy_seconds', help: 'Embedded database only: seconds its thread has worked since start (its CPU; the rest of process_cpu_seconds_total is mostly the bot\'s thread)',
  registers: [registry], collect() { const busy = source?.db.busySeconds; if (busy) this.set(busy()); },
});
new Gauge({
  name: 'cchc_nlu_thread_busy_seconds', help: 'PostgreSQL server with NLU_THREAD only: seconds the NLU thread has worked since start (its CPU)',
  registers: [registry], collect() { if (source?.nluThread) this.set(source.nluThread.busySeconds()); },
});

async function collectShared(): Promise<void> {
  if (!source) return;
  const { query } = source.db.sql;
  kbVersion.set(source.kb.loaded ? source.kb.snapshot.version : 0);
  const jobs = await query<{ kind: string; n: number; age: number | null }>(`
    SELECT kind, count(*)::int AS n,
      EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - min("runAt") FILTER (WHERE "runAt" <= now() AT TIME ZONE 'UTC'))::float AS age
    FROM "Job" WHERE status IN ('pending', 'running') GROUP BY kind`);
  queueDepth.reset();
  queueAge.reset();
  for (const j of jobs) {
    queueDepth.set({ kind: j.kind }, Number(j.n));
    queueAge.set({ kind: j.kind }, Math.max(0, Number(j.age ?? 0)));
  }
  const [h] = await query<{ n: number; age: number | null }>(`
    SELECT count(*)::int AS n, EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - min("requestedAt"))::float AS age FROM "Handoff" WHERE status = 'waiting'`);
  handoffWaiting.set(Number(h?.n ?? 0));
  handoffOldest.set(Math.max(0, Number(h?.age ?? 0)));
}

const sha = (s: string) => createHash('sha256').update(s).digest();
const LOCAL = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** `GET /metrics`: with METRICS_TOKEN set, `Authorization: Bearer <token>` is required; unset, only this machine. */
export function metricsHandler(deps: AppDeps): RequestHandler {
  source = deps;
  return async (req, res) => {
    const token = deps.config.METRICS_TOKEN;
    const presented = /^Bearer\s+(.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    const allowed = token ? timingSafeEqual(sha(presented), sha(token)) : LOCAL.has(req.socket.remoteAddress ?? '') && !req.get('x-forwarded-for');
    if (!allowed) return void res.status(token ? 401 : 403).json({ error: token ? 'metrics token required' : 'metrics are served to this machine only (set METRICS_TOKEN)' });
    try {
      await collectShared();
    } catch (err) {
      deps.log.warn({ err }, 'metrics: database figures unavailable');
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}
