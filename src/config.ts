import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { hostList, invalidHostPatterns } from './http/safe-fetch.js';
import { parseWorkingHours } from './services/working-hours.js';

// Every environment variable the application reads, parsed once at start-up (documented in .env.example).

const optionalSecret = z.string().trim().min(1).optional()
  .or(z.literal('').transform(() => undefined));
const url = (fallback: string) => z.string().url().default(fallback).transform((u) => u.replace(/\/+$/, ''));
const dateList = z.string().trim().default('')
  .refine((v) => v === '' || v.split(',').every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.trim())), { message: 'must be dates YYYY-MM-DD separated by commas' })
  .transform((v) => v.split(',').map((d) => d.trim()).filter(Boolean));
const hosts = z.string().trim().default('').transform(hostList)
  .refine((list) => invalidHostPatterns(list).length === 0, { message: 'must be host names or *.domain patterns separated by commas (e.g. "dichvucong.gov.vn,*.hanoi.gov.vn")' });
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().trim().default('file:./data/db')
    .refine((v) => /^(file:.+|memory:|postgres(ql)?:\/\/.+)$/.test(v), {
      message: 'must be file:<directory> (embedded), memory: (in-memory) or postgres://user@host:port/db',
    }),
  SEED_SAMPLE_DATA: bool.default(true),
  PUBLIC_BASE_URL: z.string().url().optional(),

  ZALO_APP_ID: optionalSecret,
  ZALO_APP_SECRET: optionalSecret,
  ZALO_OA_SECRET_KEY: optionalSecret,
  ZALO_ACCESS_TOKEN: optionalSecret,
  ZALO_REFRESH_TOKEN: optionalSecret,
  ZALO_API_BASE_URL: url('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE_URL: url('https://oauth.zaloapp.com'),
  ZALO_ZNS_BASE_URL: url('https://business.openapi.zalo.me'),
  ZALO_ZNS_TEMPLATE_ID: optionalSecret,
  /**
   * Zalo API calls in any 60 s from this process (Zalo: about 4,000 a minute per app; split it between instances),
   * a burst at up to four times the average pace (src/channels/pacer.ts). 0: not paced.
   */
  ZALO_CALLS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(4000),

  MESSENGER_APP_SECRET: optionalSecret,
  MESSENGER_PAGE_ACCESS_TOKEN: optionalSecret,
  MESSENGER_VERIFY_TOKEN: optionalSecret,
  /** The Meta app's id: echoes with another app_id are officials answering from the Page Inbox. */
  MESSENGER_APP_ID: z.string().regex(/^\d+$/).optional().or(z.literal('').transform(() => undefined)),
  MESSENGER_GRAPH_BASE_URL: url('https://graph.facebook.com'),
  /** Graph API versions expire about two years after release (v21.0 on 21 January 2027); v24.0 was released in October 2025. */
  MESSENGER_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v24.0').default('v24.0'),

  BOT_PAUSE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  HANDOFF_ESCALATE_MINUTES: z.coerce.number().int().min(1).default(15),
  /** The wait the citizen is told when asking for an official within working hours. */
  HANDOFF_EXPECTED_WAIT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10),
  /** Unanswered this long, a hand-off goes back to the bot with a message to the citizen. */
  HANDOFF_RETURN_MINUTES: z.coerce.number().int().min(2).max(7 * 24 * 60).default(60),
  /** A duty officer's webhook (POST JSON) told about each escalated hand-off. */
  HANDOFF_ALERT_WEBHOOK_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  /** Sent as `Authorization: Bearer <token>` to the alert webhook. */
  HANDOFF_ALERT_WEBHOOK_TOKEN: optionalSecret,
  /** An SMS gateway (POST JSON { phone, text }) for one-time codes proving a dossier is one's own, where the
   * channel has no contact form (web chat, Messenger). Unset: those channels give the coarse status only. */
  OTP_SMS_WEBHOOK_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  /** Sent as `Authorization: Bearer <token>` to the SMS gateway. */
  OTP_SMS_WEBHOOK_TOKEN: optionalSecret,
  /** Default working hours (offices may set their own): "T2-T6 07:30-11:30, 13:30-17:00; T7 07:30-11:30". */
  OFFICE_HOURS: z.string().trim().default('T2-T6 07:30-11:30, 13:30-17:00')
    .refine((v) => parseWorkingHours(v) !== null, { message: 'must look like "T2-T6 07:30-11:30, 13:30-17:00; T7 07:30-11:30"' }),
  /** Extra days off (YYYY-MM-DD, comma-separated): the annual swaps the government announces. */
  HOLIDAYS_EXTRA: dateList,
  /** Weekend days worked instead (YYYY-MM-DD, comma-separated), from the same announcements. */
  WORKDAYS_EXTRA: dateList,
  LOOKUP_LIMIT_PER_10_MIN: z.coerce.number().int().min(1).default(10),
  /** Lookups of one dossier code per hour, from all accounts together. */
  LOOKUP_LIMIT_PER_CODE_PER_HOUR: z.coerce.number().int().min(1).default(20),
  /** Lookups per hour from one web-chat client address (all its sessions together). */
  LOOKUP_LIMIT_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  /** New web-chat sessions per client address per hour. */
  WEB_SESSIONS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  /** Tickets, ratings and home-service requests (each) per web-chat client address per day. */
  WEB_FORMS_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(1).default(10),
  NLU_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
  KB_POLL_MS: z.coerce.number().int().min(100).max(60000).default(1000),
  /**
   * On a PostgreSQL server, messages are understood on a thread of their own (src/nlu/thread-client.ts) while the
   * bot's thread decides and sends: the NLU was ~30 % of that thread, the limit of replied events/s. It holds its own
   * copy of the knowledge base and NLU: RSS +~100 MB with the sample data, +130-200 MB with the national catalogue
   * (scripts/bench-edit-stall.ts on PostgreSQL: 520 -> 651-719 MB). Ignored on the embedded database (one
   * connection: its process's).
   */
  NLU_THREAD: bool.default(true),
  /**
   * Jobs in flight per instance outside the send lanes (decision batches, dossier notices, imports). A notice job
   * waits for the database most of its time: with 8, 1,000 dossier changes in a burst queued their notices (p99
   * 2.6-3.1 s PostgreSQL, 7.0 s embedded) against 0.65-1.0 s and 1.3-1.6 s with 32 (scripts/bench-notify.ts).
   * Since the embedded database runs in a thread of its own, each statement is a message each way, and with 32 the
   * embedded burst took p99 3.1-3.5 s (11 s with 8) against 1.3-1.5 s with 64; PostgreSQL 4.0 against 2.8 s (4
   * December, one run each at Zalo's pace). `npm run bench` has run with 64 since 3 December.
   */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  /**
   * Platform calls in flight per channel (each channel has its own budget: a slow platform never holds another's).
   * Only the call holds its place (its send job reads and records the message outside it, and the channel's lane
   * holds twice as many jobs), so this bounds a channel at SEND_CONCURRENCY / round trip (128 at 100 ms: about 1,200
   * sends/s). 16 made 1,000 dossier notices in a burst wait for their turn (p99 5.5-6.6 s embedded against 2.2-3.6 s
   * with 64, scripts/bench-notify.ts). With 64, a job holding its place from its read to its record, and a platform
   * answering in 100 ms, sends were the limit of replied events/s (quick benches, 4 December: PostgreSQL 492 against
   * 664-714 with 128 and the place held by the call alone; 256 gave no more). The platform's rate is kept apart:
   * Zalo's calls are paced at ZALO_CALLS_PER_MINUTE, and a rate-limit answer is backed off.
   */
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(128),
  /** One platform call longer than this counts as a timeout (its delivery is then checked, not assumed). */
  SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** First retry delay of a failed send; doubles up to 10 minutes. */
  SEND_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  /** A message not delivered this long after it was written is marked undelivered, with the last error. */
  SEND_DEADLINE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  COOKIE_SECURE: bool.default(false),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** Hosts the server may fetch form files and images from (comma-separated, "*.gov.vn" allowed); empty: any public host. */
  FETCH_ALLOWED_HOSTS: hosts,
  /** Hosts on a private network the operator trusts for such files (an intranet document server); empty by default. */
  FETCH_PRIVATE_HOSTS: hosts,
  /** On SIGTERM/SIGINT: how long in-flight requests and jobs may finish before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),

  // Limits, console sign-in, retention and metrics (README "Operations").
  /** Failed sign-ins to one account before it is locked (after 3, each try waits 1, 2, 4 … 60 s). */
  LOGIN_LOCK_AFTER_FAILURES: z.coerce.number().int().min(3).max(100).default(10),
  /** How long a locked account stays locked, unless an admin unlocks it first. */
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Failed sign-ins an hour from one address, all accounts together: high, as officials may share a proxy. */
  LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(10).default(100),
  /** Done jobs, processed inbound events, expired sessions, rate rows and delivered notices older than this are deleted. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Conversations quiet for longer than this are anonymised (names, phones, ID numbers, addresses); 0 keeps them. */
  MESSAGE_RETENTION_DAYS: z.coerce.number().int().min(0).max(36500).default(365),
  RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(10).max(100_000).default(1000),
  /** `GET /metrics` requires `Authorization: Bearer <token>`; unset, it answers only requests from this machine. */
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional().or(z.literal('').transform(() => undefined)),
  /** One JSON line per HTTP request (id, method, path without query, status, time). */
  ACCESS_LOG: bool.default(true),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/**
 * Reads `.env` from the working directory into the process environment when there is one (a variable already
 * set keeps its value: Node's loader never overrides).
 */
export function loadEnvFile(file = path.resolve('.env')): void {
  if (!existsSync(file)) return;
  try {
    process.loadEnvFile(file);
  } catch (err) {
    throw new ConfigError(`Cannot read ${file}: ${(err as Error).message}. Fix or remove the file (see .env.example).`);
  }
}

/**
 * Parses the environment; the error names each bad variable and what it must be. Without an argument it reads
 * the process environment, `.env` included.
 */
export function loadConfig(env?: NodeJS.ProcessEnv): Config {
  if (!env) {
    loadEnvFile();
    env = process.env;
  }
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid environment configuration:\n${lines.join('\n')}\nFix the variable(s) above (see .env.example).`);
}
