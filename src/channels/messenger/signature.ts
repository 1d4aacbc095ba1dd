import { createHmac, timingSafeEqual } from 'node:crypto';

// X-Hub-Signature-256 is an HMAC over the exact bytes Meta sent. Meta escapes non-ASCII (\u1ea1) before
// signing, so a body re-serialised from parsed JSON (Vietnamese text as UTF-8) never matches: always pass
// the raw body captured before JSON parsing.

const HEADER_PATTERN = /^sha256=([0-9a-f]{64})$/i;

/** The header value Meta would send for this body: `sha256=<hex>`. */
export function signMessengerBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** True when `header` is a valid X-Hub-Signature-256 for `rawBody`; compared in constant time. */
export function verifyMessengerSignature(
  rawBody: string | Buffer | undefined,
  header: string | string[] | undefined,
  secret: string,
): boolean {
  // Several headers with this name would be ambiguous: refuse rather than pick one.
  if (rawBody === undefined || typeof header !== 'string') return false;
  const match = HEADER_PATTERN.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
