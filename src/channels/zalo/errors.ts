import { SendError } from '../types.js';

// How a Zalo failure is retried: the job queue backs off on 'retry' and 'token', gives up on 'permanent', and
// 'window' means the citizen must write first (or the notice goes through ZNS).

/** -216 invalid token, -220 expired token: refresh once and repeat the call. */
export const TOKEN_ERRORS: ReadonlySet<number> = new Set([-216, -220]);
const RETRY_ERRORS: ReadonlySet<number> = new Set([-32]);
/** -213 the user does not follow the OA; -230/-232 no interaction in the last 7 days. */
const WINDOW_ERRORS: ReadonlySet<number> = new Set([-213, -230, -232]);

export function zaloKind(code: number): SendError['kind'] {
  if (RETRY_ERRORS.has(code)) return 'retry';
  if (TOKEN_ERRORS.has(code)) return 'token';
  if (WINDOW_ERRORS.has(code)) return 'window';
  return 'permanent';
}

/** A Zalo API answer with error < 0, e.g. "Zalo sendCs to user 123 failed: error -230 (User has not interacted...)". */
export function zaloApiError(what: string, code: number, message: string | undefined): SendError {
  const hint = TOKEN_ERRORS.has(code)
    ? '; still rejected after a token refresh: check ZALO_APP_ID and that the OA is still authorised' : '';
  return new SendError(`Zalo ${what} failed: error ${code} (${message ?? 'no message'})${hint}`, zaloKind(code), code);
}

/** The request never got a usable answer: network error, timeout, HTTP 5xx or 429. */
export function zaloTransportError(what: string, detail: string, status?: number): SendError {
  return new SendError(`Zalo ${what} failed: ${detail}`, 'retry', status);
}

/** An answer the client cannot use (HTTP 4xx, not JSON, unexpected shape): repeating it would not help. */
export function zaloProtocolError(what: string, detail: string, status?: number): SendError {
  return new SendError(`Zalo ${what} failed: ${detail}`, 'permanent', status);
}

/** A reply of several messages failed part-way: `messageIds` were delivered, so a retry should not repeat them. */
export class ZaloPartialSendError extends SendError {
  constructor(cause: SendError, readonly messageIds: string[], total: number) {
    super(`${cause.message} (after ${messageIds.length} of ${total} messages of the reply were sent)`, cause.kind, cause.code);
  }
}
