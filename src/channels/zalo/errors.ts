import { SendError } from '../types.js';

// How a Zalo failure is retried: the job queue backs off on 'retry' and 'token', gives up on 'permanent', and
// 'window' means the citizen must write first (or the notice goes through ZNS).

/** -216 invalid token, -220 expired token (-124 on ZNS): refresh once and repeat the call. */
export const TOKEN_ERRORS: ReadonlySet<number> = new Set([-124, -216, -220]);
/** Zalo's "rate limit exceeded" (no Retry-After comes with it). */
export const RATE_LIMITED = -32;
/** The rate limit; on ZNS -100 unknown error, -115 / -144 the OA's quota, -133 not sent at night: all pass. */
const RETRY_ERRORS: ReadonlySet<number> = new Set([RATE_LIMITED, -100, -115, -133, -144]);
/** -211 out of the consultation quota; -230/-232 no interaction in the last 7 days: the citizen must write first. */
const WINDOW_ERRORS: ReadonlySet<number> = new Set([-211, -230, -232]);
/**
 * This person cannot get it: -213 does not follow the OA; ZNS -108 bad phone, -110 Zalo version too old, -114
 * inactive / refused ZNS / old app, -118 no Zalo account or disabled, -119 account cannot receive ZNS, -139 refused
 * this template type (ZNS error table, developers.zalo.me "Bảng mã lỗi ZNS", as quoted by integrators).
 */
const RECIPIENT_ERRORS: ReadonlySet<number> = new Set([-213, -108, -110, -114, -118, -119, -139]);
/** Our setup is wrong (app, template, its data): repeating cannot help, an operator must fix it. */
const CONFIG_ERRORS: ReadonlySet<number> = new Set([-101, -102, -103, -104, -105, -109, -111, -112, -113, -116, -117, -120, -121, -122, -125, -201]);

export function zaloKind(code: number): SendError['kind'] {
  if (RETRY_ERRORS.has(code)) return 'retry';
  if (TOKEN_ERRORS.has(code)) return 'token';
  if (WINDOW_ERRORS.has(code)) return 'window';
  if (RECIPIENT_ERRORS.has(code)) return 'recipient';
  // Anything else Zalo's side says is a system error: retried until the send deadline, then marked with why.
  return CONFIG_ERRORS.has(code) ? 'permanent' : 'retry';
}

/** A Zalo API answer with error < 0, e.g. "Zalo sendCs to user 123 failed: error -230 (User has not interacted...)". */
export function zaloApiError(what: string, code: number, message: string | undefined): SendError {
  const hint = TOKEN_ERRORS.has(code)
    ? '; still rejected after a token refresh: check ZALO_APP_ID and that the OA is still authorised' : '';
  return new SendError(`Zalo ${what} failed: error ${code} (${message ?? 'no message'})${hint}`, zaloKind(code), code);
}

/** The request never got a usable answer: network error, timeout, HTTP 5xx or 429, an unreadable 2xx. */
export function zaloTransportError(what: string, detail: string, status?: number, extra: SendError['extra'] = {}): SendError {
  return new SendError(`Zalo ${what} failed: ${detail}`, 'retry', status, extra);
}

/** An answer the client cannot use (HTTP 4xx, not JSON, unexpected shape): repeating it would not help. */
export function zaloProtocolError(what: string, detail: string, status?: number): SendError {
  return new SendError(`Zalo ${what} failed: ${detail}`, 'permanent', status);
}
