import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Zalo signs each webhook with X-ZEvent-Signature: mac=<hex>, hex = sha256(app_id + rawBody + timestamp + OA secret
// key): a plain SHA-256 of the concatenation, not an HMAC. app_id and timestamp come from the body itself.

export const ZALO_SIGNATURE_HEADER = 'x-zevent-signature';
export const ZALO_TIMESTAMP_HEADER = 'x-zevent-timestamp';

function mac(rawBody: Buffer | string, appId: string, timestamp: string, secret: string): Buffer {
  // Hash the received bytes as they are: re-encoding the body would break signatures over non-UTF-8 input.
  return createHash('sha256').update(appId).update(rawBody).update(timestamp).update(secret).digest();
}

/** The X-ZEvent-Signature header value Zalo would send for this body (`mac=<hex>`), for tests and benchmarks. */
export function signZaloBody(rawBody: string, appId: string, timestamp: string, secret: string): string {
  return `mac=${mac(rawBody, appId, timestamp, secret).toString('hex')}`;
}

/** True when the signature header matches the raw body under the OA secret key; false for anything missing. */
export function verifyZaloSignature(rawBody: Buffer | undefined, headers: IncomingHttpHeaders, secret: string): boolean {
  if (!rawBody || !secret) return false;
  const given = headerMac(headers[ZALO_SIGNATURE_HEADER]);
  if (!given) return false;
  const fields = signedFields(rawBody);
  if (!fields) return false;
  const candidates = new Set([fields.timestamp]);
  const headerTs = single(headers[ZALO_TIMESTAMP_HEADER])?.trim();
  if (headerTs) candidates.add(headerTs);
  let ok = false;
  // Every candidate is checked (no early exit) so timing does not reveal which one matched.
  for (const ts of candidates) {
    if (ts !== undefined && timingSafeEqual(mac(rawBody, fields.appId, ts, secret), given)) ok = true;
  }
  return ok;
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
}

/** The 32 bytes of the header's hex digest, with or without the `mac=` prefix; undefined when malformed. */
function headerMac(value: string | string[] | undefined): Buffer | undefined {
  const hex = single(value)?.trim().replace(/^mac=/i, '');
  if (!hex || !/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  return Buffer.from(hex, 'hex');
}

/** app_id and timestamp exactly as the body states them (Zalo sends strings; a number is printed as sent). */
function signedFields(rawBody: Buffer): { appId: string; timestamp: string | undefined } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { app_id: appId, timestamp } = body as Record<string, unknown>;
  const asText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const id = asText(appId);
  return id === undefined ? undefined : { appId: id, timestamp: asText(timestamp) };
}
