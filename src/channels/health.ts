import type { Channel, ChannelHealth } from './types.js';

/** Each enabled channel's state: `degraded` (with why, never a secret) when an official must act, e.g. re-authorise. */
export async function channelHealth(deps: { channels: Partial<Record<string, Channel>> }): Promise<Record<string, ChannelHealth>> {
  const entries = await Promise.all(Object.values(deps.channels).filter((c): c is Channel => c !== undefined).map(async (c) =>
    [c.name, (await c.health?.().catch((err: Error) => ({ status: 'degraded' as const, reason: err.message }))) ?? { status: 'ok' as const }] as const));
  return Object.fromEntries(entries);
}
