import { z } from 'zod';

// Every environment variable the application reads, parsed once at start-up (documented in .env.example).

const optionalSecret = z.string().trim().min(1).optional()
  .or(z.literal('').transform(() => undefined));
const url = (fallback: string) => z.string().url().default(fallback).transform((u) => u.replace(/\/+$/, ''));
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

  MESSENGER_APP_SECRET: optionalSecret,
  MESSENGER_PAGE_ACCESS_TOKEN: optionalSecret,
  MESSENGER_VERIFY_TOKEN: optionalSecret,
  MESSENGER_GRAPH_BASE_URL: url('https://graph.facebook.com'),
  MESSENGER_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),

  BOT_PAUSE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  HANDOFF_ESCALATE_MINUTES: z.coerce.number().int().min(1).default(15),
  LOOKUP_LIMIT_PER_10_MIN: z.coerce.number().int().min(1).default(10),
  NLU_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
  KB_POLL_MS: z.coerce.number().int().min(100).max(60000).default(1000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  COOKIE_SECURE: bool.default(false),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; the error names each bad variable and what it must be. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid environment configuration:\n${lines.join('\n')}\nFix the variable(s) above (see .env.example).`);
}
