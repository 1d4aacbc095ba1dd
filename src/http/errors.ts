/** One field's problem, as every route reports it (`{ error: 'invalid', issues }`). */
export interface Issue { path: string; message: string }

/**
 * Thrown by a route to answer `status` with a JSON body: a message (`{ error }`), a message with field issues
 * (`{ error: 'invalid', issues }`), or a body of its own. The app's error handler sends it.
 */
export class HttpError extends Error {
  readonly body: Record<string, unknown>;
  /** Seconds for a Retry-After header (503: try again later, nothing was kept). */
  retryAfterS?: number;
  constructor(readonly status: number, body: string | Record<string, unknown>, issues?: Issue[]) {
    super(typeof body === 'string' ? body : String(body.error ?? `HTTP ${status}`));
    this.body = typeof body !== 'string' ? body : issues ? { error: 'invalid', issues } : { error: body };
  }
}

/** A route parameter that must be a row id: a positive whole number of at most 9 digits, else undefined. */
export function idParam(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  return n > 0 ? n : undefined;
}
