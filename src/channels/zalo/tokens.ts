import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/open.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { SendError } from '../types.js';
import { zaloTransportError } from './errors.js';

// Zalo access tokens live ~25 h; refresh tokens are single-use. Losing the new pair (or refreshing twice with the
// same refresh token) means an official must re-authorise the OA, so every refresh runs under one database lock
// shared by all processes, and the new pair is saved before anything uses it.

export const ZALO_TOKENS_KEY = 'zalo.tokens';
/** Advisory-lock key for refreshes: fixed, so every process serialises on the same lock ("ZALO" in ASCII). */
export const ZALO_REFRESH_LOCK = 0x5a414c4f;
const REFRESH_AHEAD_MS = 60 * 60 * 1000;
const TIMEOUT_MS = 15_000;

const storedSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** ISO time; null when unknown (a pair copied from the environment). */
  expiresAt: z.string().nullable(),
  /** Fingerprints of environment pairs already copied in, so a restart never puts back a used refresh token.
   * Absent when something else (e.g. a console re-authorisation) wrote the row: then the row always wins. */
  configPairs: z.array(z.string()).optional(),
  /** Set when the OAuth server refused `refreshToken` (used up, revoked, or our secret is wrong): nothing retries
   * it; an official must re-authorise the OA. Fingerprint of the refused token, why, and when. */
  refused: z.object({ token: z.string(), reason: z.string(), at: z.string() }).optional(),
});
export type StoredZaloTokens = z.infer<typeof storedSchema>;

const REAUTHORISE = 're-authorise the OA and set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN (then restart)';

const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/** The refusal recorded for the refresh token stored now (a new pair clears it). */
function refusedNow(tokens: StoredZaloTokens): StoredZaloTokens['refused'] {
  return tokens.refused && tokens.refused.token === fingerprint(tokens.refreshToken) ? tokens.refused : undefined;
}

const oauthOk = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.string().trim().regex(/^\d+$/), z.number().int().positive()]).transform(Number),
});
const oauthError = z.looseObject({
  error: z.coerce.number(),
  message: z.string().optional(),
  error_name: z.string().optional(),
  error_description: z.string().optional(),
});

export interface TokenStoreDeps { config: Config; db: Database; log: Logger; fetch: typeof fetch; now: () => number }

export class ZaloTokenStore {
  private cached: StoredZaloTokens | undefined;
  private refreshing: Promise<string> | undefined;
  private loading: Promise<StoredZaloTokens> | undefined;

  constructor(private readonly deps: TokenStoreDeps) {}

  /** Degraded while the stored refresh token is one the OAuth server refused. */
  async health(): Promise<{ status: 'ok' | 'degraded'; reason?: string; since?: string }> {
    const tokens = this.cached ?? (await this.readRow().catch(() => undefined));
    const dead = tokens && refusedNow(tokens);
    return dead ? { status: 'degraded', reason: dead.reason, since: dead.at } : { status: 'ok' };
  }

  /** An access token to use now; refreshed first when it expires within the hour. */
  async accessToken(): Promise<string> {
    const tokens = this.cached ?? (await this.load());
    const expiresAt = tokens.expiresAt ? Date.parse(tokens.expiresAt) : Number.POSITIVE_INFINITY;
    if (expiresAt - this.deps.now() > REFRESH_AHEAD_MS) return tokens.accessToken;
    try {
      return await this.refresh(tokens.accessToken);
    } catch (err) {
      // The current token still works for a while: a send beats a failure caused by a refresh hiccup.
      if (expiresAt <= this.deps.now() || !tokens.accessToken) throw err;
      this.deps.log.warn({ err, expiresAt: tokens.expiresAt }, 'proactive Zalo token refresh failed; using the current token');
      return tokens.accessToken;
    }
  }

  /**
   * Replaces `stale` with a new pair unless another process already has; returns the access token to use.
   * One refresh at a time per process: waiters share it, so at most one pooled connection per process ever waits
   * on the database lock (many waiters each holding one could exhaust the pool).
   */
  async refresh(stale: string): Promise<string> {
    this.refreshing ??= this.deps.db.sql.withLock(ZALO_REFRESH_LOCK, () => this.refreshLocked(stale))
      .finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async refreshLocked(stale: string): Promise<string> {
    const current = await this.loadLocked();
    if (current.accessToken !== stale) return current.accessToken;
    if (!current.refreshToken) {
      throw new SendError('Zalo access token rejected and no refresh token is stored: set ZALO_REFRESH_TOKEN '
        + '(or re-authorise the OA and set both ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN)', 'token');
    }
    const dead = refusedNow(current);
    // Already refused once: asking again cannot work and only hammers the OAuth server.
    if (dead) throw new SendError(`Zalo refresh token refused on ${dead.at} (${dead.reason}): ${REAUTHORISE}`, 'token');
    const fresh = await this.exchange(current.refreshToken).catch((err) => this.noteRefusal(current, err));
    const next: StoredZaloTokens = { ...current, ...fresh };
    await this.save(next);
    this.cached = next;
    this.deps.log.info({ expiresAt: next.expiresAt }, 'refreshed the Zalo access token');
    return next.accessToken;
  }

  /** An OAuth answer refusing the refresh token marks it dead once, with an alert; a network failure does not. */
  private async noteRefusal(current: StoredZaloTokens, err: unknown): Promise<never> {
    if (err instanceof SendError && err.kind === 'token' && err.code !== undefined) {
      const reason = err.message.slice(0, 300);
      const next: StoredZaloTokens = { ...current, refused: { token: fingerprint(current.refreshToken), reason, at: new Date(this.deps.now()).toISOString() } };
      await this.save(next);
      this.cached = next;
      this.deps.log.error({ alert: 'zalo_token_refused', reason }, `ALERT: the Zalo channel is degraded, the OAuth server refused the refresh token; ${REAUTHORISE}`);
    }
    throw err;
  }

  /** The stored pair as it is in the database now (initialised from the environment when absent). */
  async read(): Promise<StoredZaloTokens> {
    return this.load();
  }

  private async load(): Promise<StoredZaloTokens> {
    const row = await this.readRow();
    if (row && !this.envPairIsNew(row)) return (this.cached = row);
    // One seeding at a time per process, like refresh(): the first sends after a start all get here, and each
    // waiting on the lock with its own pooled connection left none for the holder (all sends stuck for good).
    this.loading ??= this.deps.db.sql.withLock(ZALO_REFRESH_LOCK, () => this.loadLocked())
      .finally(() => { this.loading = undefined; });
    return this.loading;
  }

  /** Call only while holding the lock: seeds the row from the environment when it is absent or the env pair is new. */
  private async loadLocked(): Promise<StoredZaloTokens> {
    const row = await this.readRow();
    if (row && !this.envPairIsNew(row)) return (this.cached = row);
    const { ZALO_ACCESS_TOKEN: access, ZALO_REFRESH_TOKEN: refresh } = this.deps.config;
    if (!access && !refresh) {
      throw new SendError('No Zalo tokens stored and none in the environment: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN', 'token');
    }
    const seeded: StoredZaloTokens = {
      accessToken: access ?? '',
      refreshToken: refresh ?? '',
      // Without an access token, an expiry in the past makes the first use refresh.
      expiresAt: access ? null : new Date(0).toISOString(),
      configPairs: [...(row?.configPairs ?? []), this.envFingerprint()].slice(-20),
    };
    await this.save(seeded);
    this.deps.log.info(row ? 'replaced the stored Zalo tokens with the new pair from the environment'
      : 'stored the Zalo tokens from the environment');
    return (this.cached = seeded);
  }

  private async readRow(): Promise<StoredZaloTokens | undefined> {
    const row = await this.deps.db.prisma.setting.findUnique({ where: { key: ZALO_TOKENS_KEY } });
    if (!row) return undefined;
    const parsed = storedSchema.safeParse(row.value);
    if (parsed.success) return parsed.data;
    this.deps.log.warn({ key: ZALO_TOKENS_KEY }, 'stored Zalo tokens are unreadable; using the environment pair');
    return undefined;
  }

  private envFingerprint(): string {
    const { ZALO_ACCESS_TOKEN: a = '', ZALO_REFRESH_TOKEN: r = '' } = this.deps.config;
    return fingerprint(`${a}\n${r}`);
  }

  /** An operator who re-authorised the OA puts the new pair in the environment; it must win over the stored one. */
  private envPairIsNew(row: StoredZaloTokens): boolean {
    const { ZALO_ACCESS_TOKEN, ZALO_REFRESH_TOKEN } = this.deps.config;
    if (!row.configPairs || !(ZALO_ACCESS_TOKEN || ZALO_REFRESH_TOKEN)) return false;
    return !row.configPairs.includes(this.envFingerprint());
  }

  private async save(tokens: StoredZaloTokens): Promise<void> {
    const value = tokens as Prisma.InputJsonValue;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.db.prisma.setting.upsert({
          where: { key: ZALO_TOKENS_KEY }, create: { key: ZALO_TOKENS_KEY, value }, update: { value },
        });
        return;
      } catch (err) {
        // After a refresh the old refresh token is already dead: this write is the only copy of the new one.
        if (attempt >= 3) {
          this.deps.log.error({ err }, 'could not save the Zalo tokens; if they were just refreshed the OA may need re-authorising');
          throw err;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  private async exchange(refreshToken: string): Promise<Pick<StoredZaloTokens, 'accessToken' | 'refreshToken' | 'expiresAt'>> {
    const { config, fetch, now } = this.deps;
    if (!config.ZALO_APP_SECRET || !config.ZALO_APP_ID) {
      throw new SendError('Cannot refresh the Zalo access token: set ZALO_APP_ID and ZALO_APP_SECRET', 'token');
    }
    let res: Response;
    let body: unknown;
    try {
      res = await fetch(`${config.ZALO_OAUTH_BASE_URL}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: config.ZALO_APP_SECRET },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, app_id: config.ZALO_APP_ID }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      body = await res.json().catch(() => undefined);
    } catch (err) {
      // Zalo may have consumed the refresh token although its answer was lost; a later -14014 would say so.
      throw zaloTransportError('token refresh', `no answer from ${config.ZALO_OAUTH_BASE_URL} (${(err as Error).message})`);
    }
    if (res.status >= 500) throw zaloTransportError('token refresh', `HTTP ${res.status}`, res.status);
    const ok = oauthOk.safeParse(body);
    if (ok.success) {
      const { access_token, refresh_token, expires_in } = ok.data;
      return { accessToken: access_token, refreshToken: refresh_token, expiresAt: new Date(now() + expires_in * 1000).toISOString() };
    }
    const failed = oauthError.safeParse(body);
    const code = failed.success ? failed.data.error : res.status;
    const why = failed.success
      ? (failed.data.error_description ?? failed.data.message ?? failed.data.error_name ?? 'no message') : `HTTP ${res.status}, unexpected answer`;
    throw new SendError(`Zalo token refresh failed: error ${code} (${why}); if the refresh token is invalid, `
      + 're-authorise the OA and set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN', 'token', code);
  }
}
