// What both platforms' HTTP answers have in common: how long to wait, and whether a failed request left at all.

/** Retry-After in seconds or as an HTTP date; capped so one header cannot stall a queue for hours. */
export function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 10 * 60_000) : undefined;
}

/** The connection was refused or the host unknown: the request never left, so nothing can have been delivered. */
export function refused(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
