import type { TurnContext } from './turn.js';
import { allowRate } from './dossiers.js';

// Limits on what one chat account and one web-chat client address may create, counted in the database so that
// every instance enforces the same limit.

const DAY_MS = 24 * 3600_000;

/** What one account may create a day. */
export const PER_ACCOUNT_PER_DAY = { ticket: 5, rating: 5, home: 3 } as const;

/** Counts one record of `kind`; 'account' or 'address' when that limit is reached. */
export async function allowRecord(t: TurnContext, kind: keyof typeof PER_ACCOUNT_PER_DAY): Promise<'ok' | 'account' | 'address'> {
  const { msg, tx, now } = t;
  if (msg.clientAddress && !(await allowRate(tx, `${kind}:addr:${msg.clientAddress}`, t.config.WEB_FORMS_PER_ADDRESS_PER_DAY, DAY_MS, now))) return 'address';
  const key = kind === 'ticket' ? `ticket:${msg.channel}:${msg.userId}` : `${kind}:${msg.channel}:${msg.userId}`;
  if (!(await allowRate(tx, key, PER_ACCOUNT_PER_DAY[kind], DAY_MS, now))) return 'account';
  return 'ok';
}
