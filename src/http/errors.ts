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

/** The answer to an error a request ended with: an HttpError as it says, body-parser's and raw-body's by their type. */
export interface ErrorAnswer { status: number; body: Record<string, unknown>; retryAfterS?: number }
export function errorAnswer(err: unknown): ErrorAnswer {
  if (err instanceof HttpError) return { status: err.status, body: err.body, retryAfterS: err.retryAfterS };
  const e = err as { status?: number; type?: string; message?: string } | undefined;
  const status = e?.status ?? 500;
  if (e?.type === 'entity.too.large') return { status: 413, body: { error: 'payload too large' } };
  if (e?.type === 'entity.parse.failed') return { status: 400, body: { error: 'body is not JSON' } };
  return { status, body: { error: status >= 500 ? 'internal error' : String(e?.message) } };
}

/** Whether an error is the server's own fault, to be logged (an HttpError says what it answers on purpose). */
export const serverFault = (err: unknown, answer: ErrorAnswer): boolean => answer.status >= 500 && !(err instanceof HttpError);

/** A route parameter that must be a row id: a positive whole number of at most 9 digits, else undefined. */
export function idParam(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  return n > 0 ? n : undefined;
}
